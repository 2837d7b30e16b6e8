#pragma once

#include <QObject>

class QSocketNotifier;

// Quits the application's event loop on SIGINT and SIGTERM, so destructors run and files close cleanly.
// The handler only writes a byte to a socket pair (async-signal-safe); the quit happens in the event loop.
class QuitOnSignals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuitOnSignals)
public:
    explicit QuitOnSignals(QObject *parent = nullptr);
    ~QuitOnSignals() override;

private:
    QSocketNotifier *m_notifier = nullptr;
};
