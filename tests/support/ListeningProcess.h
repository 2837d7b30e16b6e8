#pragma once

// A real server program started for a test: it prints "Listening on <url>" as its first line once it serves, and
// is stopped with SIGTERM (killed if it does not stop) when the test is done with it.
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

class ListeningProcess
{
public:
    ListeningProcess(const QString &program, const QStringList &args,
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    ~ListeningProcess();
    ListeningProcess(const ListeningProcess &) = delete;
    ListeningProcess &operator=(const ListeningProcess &) = delete;

    // Waits for the one "Listening on <url>" line.
    bool waitUntilListening(int timeoutMs = 20000);

    QUrl url() const { return m_url; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QUrl m_url;
};
