#include "ListeningProcess.h"

#include <QTest>

ListeningProcess::ListeningProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env)
{
    m_process.setProcessEnvironment(env);
    m_process.start(program, args);
}

ListeningProcess::~ListeningProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }
}

bool ListeningProcess::waitUntilListening(int timeoutMs)
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
