// Claims challenges end to end (docs/sign-in.md, "Conditional Access and claims challenges"): autoclose-sandbox
// answers with 401 and a claims challenge for the authentication context c1 (--faults claims) until a token carrying
// c1 in its acrs claim arrives, and the real oidc-provider peer issues such tokens when a request's claims parameter
// asks for them. Each sign-in method through the product's own code: a client secret asks for the claims by itself,
// a device-code profile in the CLI signs in again (the device page driven over HTTP), the browser flow's authorize
// URL carries them, and a token from the environment cannot be renewed. Secrets in the real keychain.
#include "CliProcess.h"
#include "OidcPeer.h"
#include "SandboxProcess.h"
#include "TestBrowser.h"
#include "TestHttp.h"

#include "app/auth/AuthChallenge.h"
#include "app/auth/OAuth.h"
#include "app/auth/Profile.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/AuthHandler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString StaticToken = u"claims-static-token"_s;
const QString TokenVar = u"AUTOCLOSE_CLAIMS_TOKEN"_s;
const QString Configurations = u"/api/data/v9.2/msdyn_occhannelstateconfigurations"_s;

// The lines of a log that contain every one of parts.
qsizetype linesWith(const QByteArray &log, const QList<QByteArray> &parts)
{
    qsizetype n = 0;
    for (const QByteArray &line : log.split('\n')) {
        if (std::all_of(parts.cbegin(), parts.cend(), [&line](const QByteArray &p) { return line.contains(p); }))
            ++n;
    }
    return n;
}

QStringList stringsOf(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list << v.toString();
    return list;
}
} // namespace

class TestClaims : public QObject
{
    Q_OBJECT

    std::unique_ptr<OidcPeer> m_peer;
    QNetworkAccessManager m_network;
    std::unique_ptr<SecretStore> m_secrets;
    QTemporaryDir m_config;

    // A sandbox trusting the peer's tokens and the static one, injecting faults, logging every request on stderr.
    std::unique_ptr<SandboxProcess> sandbox(const QString &faults) const
    {
        QProcessEnvironment env = m_peer->sandboxEnvironment();
        env.insert(u"QT_LOGGING_RULES"_s, u"autoclose.sandbox.debug=true"_s);
        auto server = std::make_unique<SandboxProcess>(
            QStringList {StaticToken}, OidcPeer::sandboxArguments() + QStringList {u"--faults"_s, faults}, env);
        return server->waitUntilListening() ? std::move(server) : nullptr;
    }

    // The sandbox's requests to path with that status, from its log ("GET" "<path>" -> 401 …).
    static qsizetype requests(SandboxProcess &server, QByteArray &log, const QString &path, int status)
    {
        QTest::qWait(200); // the last line may still be on its way
        log += server.process().readAllStandardError();
        return linesWith(log, {'"' + path.toUtf8() + '"', "-> " + QByteArray::number(status)});
    }

    Profile profile(const QString &clientId, AuthMethod method, const QUrl &org) const
    {
        Profile p;
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        p.name = clientId;
        p.orgUrl = org;
        p.tenant = OidcPeer::tenant();
        p.authority = m_peer->url();
        p.clientId = clientId;
        p.method = method;
        return p;
    }

    bool write(const QString &key, const QString &value)
    {
        std::optional<Result<Done>> written;
        m_secrets->write(key, value, this, [&written](Result<Done> r) { written.emplace(std::move(r)); });
        (void)QTest::qWaitFor([&written] { return written.has_value(); }, 10000);
        return written && *written;
    }

    template<typename T>
    static std::optional<Result<T>> waitFor(std::optional<Result<T>> &slot, int ms = 20000)
    {
        (void)QTest::qWaitFor([&slot] { return slot.has_value(); }, ms);
        return slot;
    }

    static Result<QString> acquire(SignInSession &session)
    {
        std::optional<Result<QString>> token;
        QObject context;
        session.acquireSilently(&context, [&token](Result<QString> r) { token.emplace(std::move(r)); });
        if (!waitFor(token))
            return Error::badInput(u"no token in time"_s);
        return *token;
    }

    // The configurations, read through a client that answers 401s and claims challenges with the session.
    Result<QList<ChannelStateConfig>> readConfigurations(SignInSession &session, const QString &token)
    {
        DataverseClient client(session.profile().orgUrl, &m_network);
        client.setAccessToken(token);
        client.transport()->setTokenRefresher(session.refresher());
        client.transport()->setChallengeAnswerer(session.challengeAnswerer());
        std::optional<Result<QList<ChannelStateConfig>>> configs;
        client.fetchConfigurations(this, [&configs](Result<QList<ChannelStateConfig>> r) { configs.emplace(r); });
        if (!waitFor(configs, 60000))
            return Error::badInput(u"the read did not finish"_s);
        return *configs;
    }

    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_config.path());
        env.insert(TokenVar, StaticToken);
        return env;
    }

    // Reads a running CLI's stderr until the device code it prints, then enters it as the user would.
    static bool enterPrintedCode(QProcess &cli, QByteArray &err)
    {
        static const QRegularExpression printed(u"open (\\S+) on any device and enter the code (\\S+) \\("_s);
        QRegularExpressionMatch match;
        const bool shown = QTest::qWaitFor(
            [&] {
                err += cli.readAllStandardError();
                match = printed.match(QString::fromUtf8(err));
                return match.hasMatch();
            },
            20000);
        if (!shown)
            return false;
        return OidcPeer::enterDeviceCode(QUrl(match.captured(1)), match.captured(2), u"dora@contoso.example"_s)
            .body.contains("Sign-in Success");
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_peer = std::make_unique<OidcPeer>();
        QVERIFY2(m_peer->waitUntilListening(), "the oidc-provider peer did not start (run npm ci in tests/peers)");
        m_secrets = std::make_unique<SecretStore>(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
    }

    // The sandbox's challenge is Microsoft's shape, and the client reads what it asks for.
    void theSandboxChallengesAsMicrosoftDocuments()
    {
        auto server = sandbox(u"claims"_s);
        QVERIFY(server);
        QUrl url = server->url();
        url.setPath(Configurations);
        const TestReply reply = testGet(url, StaticToken.toUtf8());
        QCOMPARE(reply.status, 401);
        const QByteArray header = reply.header("WWW-Authenticate");
        QVERIFY2(header.startsWith("Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/"
                                   "oauth2/authorize\", error=\"insufficient_claims\", claims=\""),
                 header.constData());
        const auto challenge = AuthChallenge::insufficientClaims(header);
        QVERIFY(challenge && challenge.value());
        QCOMPARE(challenge.value()->json, QByteArray(AuthHandler::ChallengeClaims));
        QCOMPARE(challenge.value()->names, QStringList {u"access_token.acrs"_s});
        // The demo token endpoint and the token request are not challenged; a request without a valid token gets
        // the plain 401 that names the tenant.
        const TestReply anonymous = testGet(url);
        QCOMPARE(anonymous.status, 401);
        QVERIFY(!anonymous.header("WWW-Authenticate").contains("insufficient_claims"));
    }

    // A client-secret profile meets the challenge: it asks for a token with the claims (client credentials + claims)
    // and the request goes again once, with it.
    void clientSecretAsksForTheClaims()
    {
        auto server = sandbox(u"claims:path=msdyn_occhannelstateconfigurations"_s);
        QVERIFY(server);
        const Profile p = profile(u"service-app"_s, AuthMethod::ClientSecret, server->url());
        QVERIFY(write(p.clientSecretKey(), u"service-secret"_s));
        const qsizetype peerBefore = linesWith(m_peer->log(), {"token client_credentials service-app 200"});
        SignInSession session(p, m_secrets.get(), &m_network);
        const auto first = acquire(session);
        QVERIFY2(first, qPrintable(first ? QString() : first.error().describe()));
        QVERIFY(!OAuth::unverifiedClaims(first.value()).contains(u"acrs"_s));

        const auto configs = readConfigurations(session, first.value());
        QVERIFY2(configs, qPrintable(configs ? QString() : configs.error().describe()));
        QVERIFY(!configs.value().isEmpty());

        // The token now in use carries what the challenge asked for, and no capability (an application declares
        // none).
        const auto second = acquire(session);
        QVERIFY(second && second.value() != first.value());
        const QJsonObject claims = OAuth::unverifiedClaims(second.value());
        QCOMPARE(stringsOf(claims.value(u"acrs"_s)), QStringList {u"c1"_s});
        QVERIFY(!claims.contains(u"xms_cc"_s));
        // Two token requests, the second with the claims; the read refused once, then served.
        const QByteArray peerLog = m_peer->log();
        QCOMPARE(linesWith(peerLog, {"token client_credentials service-app 200"}) - peerBefore, 2);
        QVERIFY2(peerLog.trimmed().endsWith("token client_credentials service-app 200 claims=acrs"),
                 peerLog.right(300).constData());
        QByteArray log;
        QCOMPARE(requests(*server, log, Configurations, 401), 1);
        QCOMPARE(requests(*server, log, Configurations, 200), 1);
        QVERIFY(log.contains("(fault injected)"));
    }

    // A challenge that the fresh token does not satisfy either is an error with a sentence, not a loop.
    void aSecondChallengeIsAnError()
    {
        auto server = sandbox(u"claims:satisfiable=no:path=msdyn_occhannelstateconfigurations"_s);
        QVERIFY(server);
        const Profile p = profile(u"service-app"_s, AuthMethod::ClientSecret, server->url());
        QVERIFY(write(p.clientSecretKey(), u"service-secret"_s));
        const qsizetype peerBefore = linesWith(m_peer->log(), {"token client_credentials service-app"});
        SignInSession session(p, m_secrets.get(), &m_network);
        const auto token = acquire(session);
        QVERIFY(token);

        const auto configs = readConfigurations(session, token.value());
        QVERIFY(!configs);
        QCOMPARE(configs.error().kind, Error::Kind::Auth);
        QCOMPARE(configs.error().httpStatus, 401);
        QCOMPARE(configs.error().serviceCode, u"insufficient_claims"_s);
        QVERIFY2(configs.error().userMessage.contains(u"refused the new sign-in too"_s) &&
                     configs.error().userMessage.contains(u"(access_token.acrs)"_s),
                 qPrintable(configs.error().describe()));
        QTest::qWait(1000); // nothing more goes out by itself
        QByteArray log;
        QCOMPARE(requests(*server, log, Configurations, 401), 2);
        QCOMPARE(requests(*server, log, Configurations, 200), 0);
        QCOMPARE(linesWith(m_peer->log(), {"token client_credentials service-app"}) - peerBefore, 2);
    }

    // A token from the environment cannot be renewed: --access-token-env and an env-token profile exit 3 with the
    // sentence and what to do.
    void tokensFromTheEnvironmentExitThree()
    {
        auto server = sandbox(u"claims"_s);
        QVERIFY(server);
        const QProcessEnvironment env = cliEnvironment();
        const CliRun byUrl =
            runCli({u"--url"_s, server->url().toString(), u"--access-token-env"_s, TokenVar, u"list"_s}, env);
        QCOMPARE(byUrl.exitCode, 3);
        QVERIFY2(byUrl.err.contains("Your organization's access policy asks you to sign in again.") &&
                     byUrl.err.contains("get a new access token that satisfies the policy"),
                 byUrl.err.constData());

        QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"Pipeline"_s, u"--url"_s, server->url().toString(), u"--auth"_s,
                         u"env-token"_s, u"--token-env"_s, TokenVar},
                        env)
                     .exitCode,
                 0);
        const CliRun byProfile = runCli({u"--profile"_s, u"Pipeline"_s, u"list"_s}, env);
        QCOMPARE(byProfile.exitCode, 3);
        QVERIFY2(byProfile.err.contains("Your organization's access policy asks you to sign in again.") &&
                     byProfile.err.contains(u"environment variable %1 cannot be renewed"_s.arg(TokenVar).toUtf8()) &&
                     byProfile.err.contains("(it asks for access_token.acrs)"),
                 byProfile.err.constData());
        // The claims by name only: none of their values is printed.
        for (const CliRun &run : {byUrl, byProfile})
            QVERIFY(!run.err.contains("essential") && !run.err.contains("\"c1\"") &&
                    !run.err.contains(QByteArray(AuthHandler::ChallengeClaims).toBase64()));
        QByteArray log;
        QCOMPARE(requests(*server, log, Configurations, 401), 2); // once each, nothing retried
    }

    // A device-code profile in the CLI: the data command says why, prints the code as login does, and goes on once
    // the user has signed in again; the new device code request carried the claims and the capability.
    void deviceCodeProfileSignsInAgain()
    {
        auto server = sandbox(u"claims:path=msdyn_occhannelstateconfigurations"_s);
        QVERIFY(server);
        const QProcessEnvironment env = cliEnvironment();
        QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"Device"_s, u"--url"_s, server->url().toString(), u"--auth"_s,
                         u"device-code"_s, u"--client-id"_s, u"public-app"_s, u"--tenant"_s, OidcPeer::tenant(),
                         u"--authority"_s, m_peer->url().toString()},
                        env)
                     .exitCode,
                 0);
        QProcess login;
        login.setProcessEnvironment(env);
        login.start(QStringLiteral(AUTOCLOSE_CLI_BIN), {u"--profile"_s, u"Device"_s, u"login"_s});
        QByteArray loginErr;
        QVERIFY(enterPrintedCode(login, loginErr));
        QVERIFY(login.waitForFinished(30000));
        QCOMPARE(login.exitCode(), 0);
        // The first sign-in declared the capability only.
        QVERIFY2(m_peer->log().contains("devicecode - public-app 200 claims=xms_cc\n"), m_peer->log().constData());

        QProcess list;
        list.setProcessEnvironment(env);
        list.start(QStringLiteral(AUTOCLOSE_CLI_BIN),
                   {u"--profile"_s, u"Device"_s, u"list"_s, u"--format"_s, u"json"_s});
        QByteArray err;
        QVERIFY2(enterPrintedCode(list, err), err.constData());
        QVERIFY(list.waitForFinished(30000));
        err += list.readAllStandardError();
        const QByteArray out = list.readAllStandardOutput();
        QVERIFY2(list.exitCode() == 0, err.constData());
        QVERIFY(out.contains("\"configurations\""));
        const qsizetype why = err.indexOf("Your organization's access policy asks you to sign in again. Sign in to "
                                          "\"Device\" again; the command goes on once you have.");
        QVERIFY2(why >= 0 && why < err.indexOf("enter the code"), err.constData());
        QVERIFY(!err.contains("essential"));
        QVERIFY2(m_peer->log().contains("devicecode - public-app 200 claims=acrs,xms_cc\n"), m_peer->log().constData());
        QByteArray log;
        QCOMPARE(requests(*server, log, Configurations, 401), 1);
        QCOMPARE(requests(*server, log, Configurations, 200), 1);
    }

    // The browser flow's authorize URL carries the claims (the capability alone, or merged with a challenge's), and
    // the token issued for it carries them too: the one the claims sandbox takes, where the other is challenged.
    void browserAuthorizeUrlCarriesTheClaims()
    {
        auto server = sandbox(u"claims"_s);
        QVERIFY(server);
        const Profile p = profile(u"public-app"_s, AuthMethod::Browser, server->url());
        const auto signIn = [&](const QByteArray &challenge) -> std::pair<QUrl, Result<OAuth::Tokens>> {
            OAuth::BrowserFlow flow(p, &m_network);
            flow.setChallengeClaims(challenge);
            QSignalSpy urls(&flow, &OAuth::BrowserFlow::browserUrlReady);
            std::optional<Result<OAuth::Tokens>> result;
            connect(&flow, &OAuth::BrowserFlow::finished, this,
                    [&result](const Result<OAuth::Tokens> &r) { result.emplace(r); });
            flow.start();
            if (urls.isEmpty())
                return {QUrl(), Error::badInput(u"no URL"_s)};
            const QUrl authorize = urls.first().first().toUrl();
            TestBrowser browser;
            browser.signInAndConsent(browser.open(authorize), u"erin@contoso.example"_s);
            if (!waitFor(result))
                return {authorize, Error::badInput(u"the sign-in did not finish"_s)};
            return {authorize, *result};
        };
        const auto accepted = [&](const QString &token) {
            QUrl url = server->url();
            url.setPath(Configurations);
            return testGet(url, token.toUtf8()).status;
        };

        const auto [plainUrl, plain] = signIn({});
        QVERIFY2(plain, qPrintable(plain ? QString() : plain.error().describe()));
        QCOMPARE(QUrlQuery(plainUrl).queryItemValue(u"claims"_s, QUrl::FullyDecoded),
                 uR"({"access_token":{"xms_cc":{"values":["cp1"]}}})"_s);
        const QJsonObject plainClaims = OAuth::unverifiedClaims(plain.value().accessToken);
        QCOMPARE(stringsOf(plainClaims.value(u"xms_cc"_s)), QStringList {u"cp1"_s});
        QVERIFY(!plainClaims.contains(u"acrs"_s));
        QCOMPARE(accepted(plain.value().accessToken), 401);

        const auto [challengedUrl, challenged] = signIn(AuthHandler::ChallengeClaims);
        QVERIFY2(challenged, qPrintable(challenged ? QString() : challenged.error().describe()));
        QCOMPARE(QUrlQuery(challengedUrl).queryItemValue(u"claims"_s, QUrl::FullyDecoded),
                 uR"({"access_token":{"acrs":{"essential":true,"value":"c1"},"xms_cc":{"values":["cp1"]}}})"_s);
        const QJsonObject claims = OAuth::unverifiedClaims(challenged.value().accessToken);
        QCOMPARE(stringsOf(claims.value(u"acrs"_s)), QStringList {u"c1"_s});
        QCOMPARE(stringsOf(claims.value(u"xms_cc"_s)), QStringList {u"cp1"_s});
        QCOMPARE(accepted(challenged.value().accessToken), 200);
    }

    // The peer checks claims parameters as the identity platform would: a token request's must be a claims request,
    // and the device code request's must be JSON (oidc-provider's own check).
    void thePeerRefusesClaimsThatAreNotAClaimsRequest()
    {
        const Profile p = profile(u"service-app"_s, AuthMethod::ClientSecret, QUrl(u"http://127.0.0.1:9"_s));
        OAuth::TokenClient client(p, &m_network);
        std::optional<Result<OAuth::Tokens>> refused;
        client.clientCredentials(
            u"service-secret"_s, this, [&refused](Result<OAuth::Tokens> r) { refused.emplace(std::move(r)); },
            R"({"access_token":"c1"})");
        QVERIFY(waitFor(refused));
        QVERIFY(!*refused);
        QCOMPARE(refused->error().serviceCode, u"invalid_request"_s);

        QUrl deviceCode = m_peer->url();
        deviceCode.setPath(u"/%1/oauth2/v2.0/devicecode"_s.arg(OidcPeer::tenant()));
        const TestReply reply =
            testRequest("POST", deviceCode, {{"Content-Type", "application/x-www-form-urlencoded"}},
                        "client_id=public-app&scope=openid&claims=" + QUrl::toPercentEncoding(u"{not json"_s));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(u"error"_s).toString(), u"invalid_request"_s);
    }
};

QTEST_GUILESS_MAIN(TestClaims)
#include "tst_claims.moc"
