#pragma once

// The oidc-provider peer (tests/peers/oidc-peer.mjs) on 127.0.0.1, and an autoclose-sandbox that accepts the access
// tokens it signs: a real OAuth server and a real Web API for the sign-in tests.
#include "SandboxProcess.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <QUrl>

class OidcPeer
{
public:
    OidcPeer()
        : m_key(randomKeyHex())
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OIDC_PEER_JWT_KEY"), QString::fromLatin1(m_key));
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(QStringLiteral(AUTOCLOSE_NODE_BIN), {QStringLiteral(AUTOCLOSE_OIDC_PEER)});
    }
    ~OidcPeer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
        }
    }
    bool waitUntilListening()
    {
        if (!QTest::qWaitFor([this] { return m_process.canReadLine() || m_process.state() == QProcess::NotRunning; },
                             30000))
            return false;
        const QByteArray line = m_process.readLine().trimmed();
        if (!line.startsWith("Listening on ")) {
            qWarning("oidc peer: %s %s", line.constData(), m_process.readAllStandardError().constData());
            return false;
        }
        m_url = QUrl(QString::fromLatin1(line.mid(13)));
        return m_url.isValid();
    }
    QUrl url() const { return m_url; }
    QByteArray keyHex() const { return m_key; }
    static QString tenant() { return QStringLiteral("test-tenant"); }

    static QByteArray randomKeyHex()
    {
        QByteArray key(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), 8);
        return key.toHex();
    }

private:
    QByteArray m_key;
    QProcess m_process;
    QUrl m_url;
};
