#pragma once

// The oidc-provider peer (tests/peers/oidc-peer.mjs) on 127.0.0.1, whose access tokens are signed with a random key
// the test also gives to autoclose-sandbox (--jwt-key-env): a real OAuth server and a real Web API for sign-in tests.
#include "ListeningProcess.h"
#include "TestBrowser.h"

#include <QRandomGenerator>
#include <QTest>

#include <tuple>

class OidcPeer
{
public:
    OidcPeer()
        : m_key(randomKeyHex())
        , m_server(QStringLiteral(AUTOCLOSE_NODE_BIN), {QStringLiteral(AUTOCLOSE_OIDC_PEER)}, environment(m_key))
    { }

    bool waitUntilListening()
    {
        if (m_server.waitUntilListening(30000))
            return true;
        qWarning("oidc peer did not start: %s", m_server.process().readAllStandardError().constData());
        return false;
    }
    QUrl url() const { return m_server.url(); }
    QByteArray keyHex() const { return m_key; }
    // What the peer has logged on stderr so far: a line per authorize, device code and token request, such as
    // "token client_credentials service-app 200 claims=acrs" (the names of the access_token claims asked for).
    QByteArray log()
    {
        // The peer writes a line before it answers its request; a moment lets the pipe's last lines arrive here.
        QTest::qWait(100);
        m_log += m_server.process().readAllStandardError();
        return m_log;
    }
    static QString tenant() { return QStringLiteral("test-tenant"); }
    // What an autoclose-sandbox is given to accept the peer's tokens: --jwt-key-env naming a variable, and an
    // environment in which that variable holds the peer's key.
    static QStringList sandboxArguments()
    {
        return {QStringLiteral("--jwt-key-env"), QStringLiteral("AUTOCLOSE_TEST_JWT_KEY")};
    }
    QProcessEnvironment sandboxEnvironment(QProcessEnvironment env = QProcessEnvironment::systemEnvironment()) const
    {
        env.insert(QStringLiteral("AUTOCLOSE_TEST_JWT_KEY"), QString::fromLatin1(m_key));
        return env;
    }

    // A device code shown to the user (its verification address and code), entered there, confirmed and approved
    // in a new browser; the last page says "Sign-in Success" when it worked.
    static TestBrowser::Page enterDeviceCode(const QUrl &verificationUri, const QString &userCode, const QString &login)
    {
        TestBrowser browser;
        QUrl complete = verificationUri; // RFC 8628's verification_uri_complete, as the peer writes it
        complete.setQuery(QStringLiteral("user_code=") + userCode);
        TestBrowser::Page page = browser.open(complete);
        auto [action, fields] = TestBrowser::firstForm(page);
        page = browser.submit(action, fields);
        std::tie(action, fields) = TestBrowser::firstForm(page); // "is this your device?"
        page = browser.submit(action, fields);
        return browser.signInAndConsent(page, login);
    }

private:
    static QByteArray randomKeyHex()
    {
        QByteArray key(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), 8);
        return key.toHex();
    }
    static QProcessEnvironment environment(const QByteArray &key)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OIDC_PEER_JWT_KEY"), QString::fromLatin1(key));
        return env;
    }

    QByteArray m_key; // declared first: the server is started with it
    ListeningProcess m_server;
    QByteArray m_log;
};
