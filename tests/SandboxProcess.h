#pragma once

// The real autoclose-sandbox executable, started for a test and stopped with SIGTERM.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

class SandboxProcess
{
public:
    explicit SandboxProcess(const QStringList &tokens, const QStringList &extraArgs = {})
    {
        QStringList args = {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), m_dir.path()};
        for (const QString &token : tokens)
            args << QStringLiteral("--token") << token;
        m_process.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN), args + extraArgs);
    }
    ~SandboxProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
        }
    }

    // Waits for the one "Listening on <url>" line.
    bool waitUntilListening()
    {
        if (!QTest::qWaitFor([this] { return m_process.canReadLine() || m_process.state() == QProcess::NotRunning; },
                             20000))
            return false;
        const QByteArray line = m_process.readLine().trimmed();
        if (!line.startsWith("Listening on "))
            return false;
        m_url = QUrl(QString::fromLatin1(line.mid(13)));
        return m_url.isValid();
    }

    QUrl url() const { return m_url; }
    QProcess &process() { return m_process; }
    QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QUrl m_url;
};
