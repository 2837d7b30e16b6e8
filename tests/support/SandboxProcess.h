#pragma once

// The real autoclose-sandbox executable, started for a test and stopped with SIGTERM.
#include "ListeningProcess.h"

#include <QTemporaryDir>

class SandboxProcess
{
public:
    explicit SandboxProcess(const QStringList &tokens, const QStringList &extraArgs = {},
                            const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
        : m_server(QStringLiteral(AUTOCLOSE_SANDBOX_BIN), arguments(m_dir.path(), tokens) + extraArgs, env)
    { }

    bool waitUntilListening() { return m_server.waitUntilListening(); }
    QUrl url() const { return m_server.url(); }
    QProcess &process() { return m_server.process(); }
    QString dataDir() const { return m_dir.path(); }

private:
    static QStringList arguments(const QString &dataDir, const QStringList &tokens)
    {
        QStringList args = {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dataDir};
        for (const QString &token : tokens)
            args << QStringLiteral("--token") << token;
        return args;
    }

    QTemporaryDir m_dir; // declared first: it outlives the server using it
    ListeningProcess m_server;
};
