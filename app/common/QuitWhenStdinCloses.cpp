#include "app/common/QuitWhenStdinCloses.h"

#include "app/platform/Platform.h"

#include <QCoreApplication>

QuitWhenStdinCloses::QuitWhenStdinCloses(QObject *parent)
    : QObject(parent)
{
    auto *watcher = new Platform::StdinWatcher(this);
    connect(watcher, &Platform::StdinWatcher::ended, this, [] { QCoreApplication::quit(); });
}

QuitWhenStdinCloses::~QuitWhenStdinCloses() = default;
