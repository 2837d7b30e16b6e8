#pragma once

// The GUI tests' environment: the sandbox fixture (SandboxFixture.h), and a window on it.
#include "SandboxFixture.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

inline EnvironmentInfo environment(const QString &journalDir, bool production = false)
{
    EnvironmentInfo info;
    info.name = production ? QStringLiteral("Contoso Production") : QStringLiteral("Demo environment");
    info.key = QStringLiteral("test");
    info.demo = !production;
    info.production = production;
    info.journalDir = journalDir;
    return info;
}

inline bool load(MainWindow &window)
{
    // Shortcuts reach an active window only.
    QApplication::setActiveWindow(&window);
    if (!QTest::qWaitForWindowActive(&window))
        return false;
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.refresh();
    return loaded.wait(20000) && loaded.last().first().toBool();
}
