#pragma once

#include <QObject>

// Quits the application's event loop when the process is asked to end — SIGINT and SIGTERM on POSIX, Ctrl+C,
// Ctrl+Break or the console closing on Windows (Platform::TerminationRequests) — so destructors run and files close
// cleanly.
class QuitOnSignals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuitOnSignals)
public:
    explicit QuitOnSignals(QObject *parent = nullptr);
    ~QuitOnSignals() override;
};
