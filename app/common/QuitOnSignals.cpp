#include "app/common/QuitOnSignals.h"

#include "app/platform/Platform.h"

#include <QCoreApplication>

QuitOnSignals::QuitOnSignals(QObject *parent)
    : QObject(parent)
{
    auto *requests = new Platform::TerminationRequests(this);
    connect(requests, &Platform::TerminationRequests::requested, this, [] { QCoreApplication::quit(); });
}

QuitOnSignals::~QuitOnSignals() = default;
