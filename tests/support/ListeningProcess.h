#pragma once

// A real server program started for a test: it prints "Listening on <url>" as its first line once it serves, and
// is stopped with SIGTERM (killed if it does not stop) when the test is done with it.
#include <QProcess>
#include <QTest>
#include <QUrl>

class ListeningProcess
{
public:
    ListeningProcess(const QString &program, const QStringList &args,
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProcessEnvironment(env);
        m_process.start(program, args);
    }
    ~ListeningProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
        }
    }
    ListeningProcess(const ListeningProcess &) = delete;
    ListeningProcess &operator=(const ListeningProcess &) = delete;

    // Waits for the one "Listening on <url>" line.
    bool waitUntilListening(int timeoutMs = 20000)
    {
        if (!QTest::qWaitFor([this] { return m_process.canReadLine() || m_process.state() == QProcess::NotRunning; },
                             timeoutMs))
            return false;
        const QByteArray line = m_process.readLine().trimmed();
        if (!line.startsWith("Listening on "))
            return false;
        m_url = QUrl(QString::fromLatin1(line.mid(13)));
        return m_url.isValid();
    }

    QUrl url() const { return m_url; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QUrl m_url;
};
