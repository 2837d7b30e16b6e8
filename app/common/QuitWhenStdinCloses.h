#pragma once

#include <QObject>

// Quits the application's event loop when standard input reaches its end: how a child process ends with the parent
// that started it with a pipe on its stdin (autoclose-cli and the autoclose-sandbox it runs for the Demo
// environment). The system closes the pipe when the parent ends, however it ends — a clean exit, a signal, SIGKILL or
// a crash — so the child never outlives it, on every platform (Platform::StdinWatcher). What arrives on stdin before
// the end is ignored.
class QuitWhenStdinCloses final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuitWhenStdinCloses)
public:
    explicit QuitWhenStdinCloses(QObject *parent = nullptr);
    ~QuitWhenStdinCloses() override;
};
