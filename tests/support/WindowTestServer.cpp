#include "WindowTestServer.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>

EnvironmentInfo environment(const QString &journalDir, bool production)
{
    EnvironmentInfo info;
    info.name = production ? QStringLiteral("Contoso Production") : QStringLiteral("Demo environment");
    info.key = QStringLiteral("test");
    info.demo = !production;
    info.production = production;
    info.journalDir = journalDir;
    return info;
}

bool load(MainWindow &window)
{
    // Shortcuts reach an active window only.
    QApplication::setActiveWindow(&window);
    if (!QTest::qWaitForWindowActive(&window))
        return false;
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.refresh();
    return loaded.wait(20000) && loaded.last().first().toBool();
}
