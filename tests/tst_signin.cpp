// Sign-in against a real OAuth 2.0 server (oidc-provider, tests/peers/oidc-peer.mjs) and a sandbox that accepts the
// tokens it signs: every flow through the product's own code, the browser step driven over HTTP, secrets in the
// real keychain (the test runs in a D-Bus session with an unlocked gnome-keyring, as the README's test command
// sets up), and a child on a bus without any Secret Service for the no-keychain case.
#include "CliProcess.h"
#include "KeychainCalls.h"
#include "OidcPeer.h"
#include "SandboxProcess.h"
#include "TestBrowser.h"

#include "app/auth/OAuth.h"
#include "app/auth/Profile.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/dataverse/DataverseClient.h"

#include <QDirIterator>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <memory>
#include <optional>
#include <tuple>

using namespace Qt::StringLiterals;

// One OAuth flow and what it finished with.
template<typename Flow>
struct FlowUnderTest
{
    FlowUnderTest(const Profile &profile, QNetworkAccessManager *network)
        : flow(profile, network)
    {
        QObject::connect(&flow, &Flow::finished, &flow, [this](const Result<OAuth::Tokens> &r) { result = r; });
    }
    Flow flow;
    std::optional<Result<OAuth::Tokens>> result;
};

class TestSignIn : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<OidcPeer> m_peer;
    std::unique_ptr<SandboxProcess> m_sandbox;
    QNetworkAccessManager m_network;
    std::unique_ptr<SecretStore> m_secrets;
    QTemporaryDir m_config;

    Profile profile(const QString &clientId, AuthMethod method) const
    {
        Profile p;
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        p.name = clientId;
        p.orgUrl = m_sandbox->url();
        p.tenant = OidcPeer::tenant();
        p.authority = m_peer->url();
        p.clientId = clientId;
        p.method = method;
        return p;
    }

    // A device code entered and confirmed (or aborted) at the verification page, then the browser sign-in.
    TestBrowser::Page enterDeviceCode(const OAuth::DeviceCodeFlow::Code &code, bool approve)
    {
        TestBrowser browser;
        TestBrowser::Page page = browser.open(code.verificationUriComplete);
        auto [action, fields] = TestBrowser::firstForm(page); // the code, submitted
        page = browser.submit(action, fields);
        std::tie(action, fields) = TestBrowser::firstForm(page); // "is this your device?"
        if (!approve)
            fields.append({u"abort"_s, u"yes"_s});
        page = browser.submit(action, fields);
        return browser.signInAndConsent(page, u"dora@contoso.example"_s);
    }

    template<typename T>
    static QString problem(const Result<T> &result)
    {
        return result ? QString() : result.error().describe();
    }

    template<typename T>
    static std::optional<Result<T>> waitFor(std::optional<Result<T>> &slot, int ms = 20000)
    {
        (void)QTest::qWaitFor([&slot] { return slot.has_value(); }, ms);
        return slot;
    }

    std::optional<QString> stored(const QString &key) { return KeychainCalls::read(*m_secrets, key); }
    bool write(const QString &key, const QString &value) { return KeychainCalls::write(*m_secrets, key, value); }

    // The Web API accepts the token: the configurations load with it.
    bool sandboxAccepts(const QString &token)
    {
        DataverseClient client(m_sandbox->url(), &m_network);
        client.setAccessToken(token);
        std::optional<Result<QList<ChannelStateConfig>>> configs;
        client.fetchConfigurations(this, [&configs](Result<QList<ChannelStateConfig>> r) { configs.emplace(r); });
        (void)QTest::qWaitFor([&configs] { return configs.has_value(); }, 20000);
        return configs && *configs && !configs->value().isEmpty();
    }

    // Browser sign-in through a session; returns the token.
    Result<QString> browserSignIn(SignInSession &session, const QString &login)
    {
        QSignalSpy urls(&session, &SignInSession::browserUrlReady);
        std::optional<Result<QString>> token;
        session.signInInteractively(this, [&token](Result<QString> r) { token.emplace(std::move(r)); });
        if (urls.isEmpty())
            return Error::badInput(u"no browser URL"_s);
        TestBrowser browser;
        const TestBrowser::Page last = browser.signInAndConsent(browser.open(urls.first().first().toUrl()), login);
        const auto result = waitFor(token);
        if (!result)
            return Error::badInput(u"the sign-in did not finish"_s);
        if (*result && !last.body.contains("Signed in"))
            return Error::badInput(u"the browser was not told it signed in: "_s + QString::fromUtf8(last.body));
        return *result;
    }

    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_config.path());
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_peer = std::make_unique<OidcPeer>();
        QVERIFY2(m_peer->waitUntilListening(), "the oidc-provider peer did not start (run npm ci in tests/peers)");
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {u"static-token"_s}, OidcPeer::sandboxArguments(),
                                                     m_peer->sandboxEnvironment());
        QVERIFY(m_sandbox->waitUntilListening());
        // Entries of this run only, so that parallel or earlier runs never meet.
        m_secrets = std::make_unique<SecretStore>(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
    }

    void endpointsFollowEntrasLayout()
    {
        Profile p;
        p.tenant = u"contoso.onmicrosoft.com"_s;
        const auto e = OAuth::endpointsFor(p);
        QCOMPARE(e.authorize.toString(),
                 u"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"_s);
        QCOMPARE(e.deviceCode.toString(),
                 u"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode"_s);
        QCOMPARE(OAuth::userScopes(QUrl(u"https://org.crm.dynamics.com/"_s)),
                 u"https://org.crm.dynamics.com/user_impersonation offline_access openid profile"_s);
        QCOMPARE(OAuth::applicationScope(QUrl(u"https://org.crm.dynamics.com"_s)),
                 u"https://org.crm.dynamics.com/.default"_s);
        // S256 = base64url(SHA-256(verifier)), unpadded; the value computed apart with Python's hashlib.
        QCOMPARE(OAuth::pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUwbJwQ8I3ZKSDwC7X9XQ"),
                 QByteArray("wd8qZabxDn1fdmZ-wZeUCnPLx7kgDXJNWtfJxmWL1JI"));
    }

    void tenantIsDiscoveredFromTheEnvironment()
    {
        std::optional<Result<QString>> tenant;
        OAuth::discoverTenant(m_sandbox->url(), &m_network, this,
                              [&tenant](Result<QString> r) { tenant.emplace(std::move(r)); });
        QVERIFY(waitFor(tenant));
        QVERIFY2(*tenant, qPrintable(problem(*tenant)));
        QVERIFY(!QUuid::fromString(tenant->value()).isNull());
        // profiles add without --tenant asks the environment.
        const CliRun added = runCli({u"profiles"_s, u"add"_s, u"Discovered"_s, u"--url"_s, m_sandbox->url().toString(),
                                     u"--auth"_s, u"device-code"_s},
                                    cliEnvironment());
        QCOMPARE(added.exitCode, 0);
        QVERIFY(added.err.contains(tenant->value().toUtf8()));
        QCOMPARE(ProfileStore(m_config.filePath(u"profiles.ini"_s)).find(u"Discovered"_s)->tenant, tenant->value());
        QCOMPARE(OAuth::tenantFromChallenge("Bearer authorization_uri=https://login.microsoftonline.com/"
                                            "contoso.onmicrosoft.com/oauth2/authorize, resource_id=https://x/")
                     .value(),
                 u"contoso.onmicrosoft.com"_s);
        QVERIFY(!OAuth::tenantFromChallenge("Bearer realm=\"x\""));
    }

    void aadstsCodesBecomeSentences_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("words");
        QTest::newRow("public client flows off")
            << QByteArray("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000218: The request body "
                          "must contain the following parameter: 'client_assertion' or 'client_secret'.\","
                          "\"error_codes\":[7000218]}")
            << u"AADSTS7000218"_s << u"Allow public client flows"_s;
        QTest::newRow("mfa") << QByteArray("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50076: Due to "
                                           "a configuration change made by your administrator...\"}")
                             << u"AADSTS50076"_s << u"multi-factor"_s;
        QTest::newRow("expired") << QByteArray("{\"error\":\"invalid_grant\",\"error_codes\":[70043]}")
                                 << u"AADSTS70043"_s << u"Sign in again"_s;
        QTest::newRow("expired 700082") << QByteArray("{\"error\":\"invalid_grant\",\"error_codes\":[700082]}")
                                        << u"AADSTS700082"_s << u"expired"_s;
        QTest::newRow("conditional access") << QByteArray("{\"error\":\"invalid_grant\",\"error_codes\":[53003]}")
                                            << u"AADSTS53003"_s << u"Conditional Access"_s;
        QTest::newRow("plain oauth") << QByteArray("{\"error\":\"invalid_client\"}") << u"invalid_client"_s
                                     << u"credentials"_s;
    }
    void aadstsCodesBecomeSentences()
    {
        QFETCH(QByteArray, reply);
        QFETCH(QString, code);
        QFETCH(QString, words);
        const auto parsed = OAuth::parseTokenReply(400, reply, QDateTime::currentDateTimeUtc());
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().kind, Error::Kind::Auth);
        QCOMPARE(parsed.error().serviceCode, code);
        QVERIFY2(parsed.error().userMessage.contains(words, Qt::CaseInsensitive),
                 qPrintable(parsed.error().userMessage));
    }

    void browserSignInReachesTheWebApi()
    {
        SignInSession session(profile(u"public-app"_s, AuthMethod::Browser), m_secrets.get(), &m_network);
        const auto token = browserSignIn(session, u"alice@contoso.example"_s);
        QVERIFY2(token, qPrintable(token ? QString() : token.error().describe()));
        QCOMPARE(session.account(), u"alice@contoso.example"_s);
        QVERIFY(sandboxAccepts(token.value()));
        QVERIFY(!sandboxAccepts(token.value() + u"x"_s)); // a forged signature is refused
        const auto refresh = stored(session.profile().refreshTokenKey());
        QVERIFY(refresh && !refresh->isEmpty());
    }

    void browserListenerIsLoopbackOnly()
    {
        OAuth::BrowserFlow flow(profile(u"public-app"_s, AuthMethod::Browser), &m_network);
        QSignalSpy urls(&flow, &OAuth::BrowserFlow::browserUrlReady);
        flow.start();
        QCOMPARE(urls.size(), 1);
        const QUrl authorize = urls.first().first().toUrl();
        const QUrlQuery query(authorize);
        QCOMPARE(query.queryItemValue(u"code_challenge_method"_s), u"S256"_s);
        QVERIFY(!query.queryItemValue(u"state"_s).isEmpty());
        const quint16 port = quint16(flow.redirectUri().port());
        QCOMPARE(flow.redirectUri().host(), u"localhost"_s);
        int tried = 0;
        for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
            if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            QTcpSocket socket;
            socket.connectToHost(address, port);
            QVERIFY2(!socket.waitForConnected(2000), qPrintable(address.toString()));
            ++tried;
        }
        QTcpSocket loopback;
        loopback.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(loopback.waitForConnected(2000));
        qInfo("listener refused on %d non-loopback address(es), accepted on 127.0.0.1", tried);
    }

    void wrongStateIsRefused()
    {
        FlowUnderTest<OAuth::BrowserFlow> run(profile(u"public-app"_s, AuthMethod::Browser), &m_network);
        run.flow.start();
        TestBrowser browser;
        QUrl forged = run.flow.redirectUri();
        forged.setQuery(u"code=stolen-code&state=not-the-one"_s);
        const auto page = browser.open(forged);
        QCOMPARE(page.status, 400);
        QVERIFY(waitFor(run.result));
        QVERIFY(!*run.result);
        QCOMPARE(run.result->error().serviceCode, u"state_mismatch"_s);
        QVERIFY(run.result->error().userMessage.contains(u"different sign-in"_s));
    }

    void consentDeclined()
    {
        FlowUnderTest<OAuth::BrowserFlow> run(profile(u"public-app"_s, AuthMethod::Browser), &m_network);
        QSignalSpy urls(&run.flow, &OAuth::BrowserFlow::browserUrlReady);
        run.flow.start();
        TestBrowser browser;
        const auto page =
            browser.signInAndConsent(browser.open(urls.first().first().toUrl()), u"bob@contoso.example"_s, false);
        QVERIFY(page.body.contains("did not complete"));
        QVERIFY(waitFor(run.result));
        QVERIFY(!*run.result);
        QCOMPARE(run.result->error().serviceCode, u"access_denied"_s);
        QVERIFY2(run.result->error().userMessage.contains(u"declined"_s), qPrintable(run.result->error().userMessage));
    }

    void deviceCodeSignIn()
    {
        SignInSession session(profile(u"public-app"_s, AuthMethod::DeviceCode), m_secrets.get(), &m_network);
        QSignalSpy codes(&session, &SignInSession::deviceCodeReady);
        std::optional<Result<QString>> token;
        session.signInInteractively(this, [&token](Result<QString> r) { token.emplace(std::move(r)); });
        QTRY_COMPARE_WITH_TIMEOUT(codes.size(), 1, 10000);
        const auto code = codes.first().first().value<OAuth::DeviceCodeFlow::Code>();
        QVERIFY(!code.userCode.isEmpty());
        QCOMPARE(code.intervalSeconds, 1);
        const auto page = enterDeviceCode(code, true);
        QVERIFY2(page.body.contains("Sign-in Success"), page.body.constData());
        QVERIFY(waitFor(token));
        QVERIFY2(*token, qPrintable(problem(*token)));
        QCOMPARE(session.account(), u"dora@contoso.example"_s);
        QVERIFY(sandboxAccepts(token->value()));
    }

    void deviceCodeSlowDown()
    {
        FlowUnderTest<OAuth::DeviceCodeFlow> run(profile(u"strict-device-app"_s, AuthMethod::DeviceCode), &m_network);
        QSignalSpy codes(&run.flow, &OAuth::DeviceCodeFlow::codeReady);
        run.flow.start();
        QTRY_COMPARE_WITH_TIMEOUT(codes.size(), 1, 10000);
        // Polls every second; the second poll comes too soon for this server, which answers slow_down.
        QTRY_COMPARE_WITH_TIMEOUT(run.flow.intervalSeconds(), 6, 10000);
        QVERIFY(!run.result);
        enterDeviceCode(codes.first().first().value<OAuth::DeviceCodeFlow::Code>(), true);
        QVERIFY(waitFor(run.result, 15000));
        QVERIFY2(*run.result, qPrintable(problem(*run.result)));
    }

    void deviceCodeExpires()
    {
        FlowUnderTest<OAuth::DeviceCodeFlow> run(profile(u"short-device-app"_s, AuthMethod::DeviceCode), &m_network);
        run.flow.start();
        QVERIFY(waitFor(run.result, 15000));
        QVERIFY(!*run.result);
        QCOMPARE(run.result->error().serviceCode, u"expired_token"_s);
        QVERIFY2(run.result->error().userMessage.contains(u"expired"_s), qPrintable(run.result->error().userMessage));
    }

    void deviceCodeDeclined()
    {
        FlowUnderTest<OAuth::DeviceCodeFlow> run(profile(u"public-app"_s, AuthMethod::DeviceCode), &m_network);
        QSignalSpy codes(&run.flow, &OAuth::DeviceCodeFlow::codeReady);
        run.flow.start();
        QTRY_COMPARE_WITH_TIMEOUT(codes.size(), 1, 10000);
        enterDeviceCode(codes.first().first().value<OAuth::DeviceCodeFlow::Code>(), false);
        QVERIFY(waitFor(run.result, 15000));
        QVERIFY(!*run.result);
        QVERIFY2(run.result->error().userMessage.contains(u"declined"_s), qPrintable(run.result->error().describe()));
    }

    void clientCredentials()
    {
        Profile p = profile(u"service-app"_s, AuthMethod::ClientSecret);
        QVERIFY(write(p.clientSecretKey(), u"service-secret"_s));
        SignInSession session(p, m_secrets.get(), &m_network);
        std::optional<Result<QString>> token;
        session.acquireSilently(this, [&token](Result<QString> r) { token.emplace(std::move(r)); });
        QVERIFY(waitFor(token));
        QVERIFY2(*token, qPrintable(problem(*token)));
        QVERIFY(sandboxAccepts(token->value()));

        QVERIFY(write(p.clientSecretKey(), u"not-the-secret"_s));
        SignInSession wrong(p, m_secrets.get(), &m_network);
        std::optional<Result<QString>> refused;
        wrong.acquireSilently(this, [&refused](Result<QString> r) { refused.emplace(std::move(r)); });
        QVERIFY(waitFor(refused));
        QVERIFY(!*refused);
        QCOMPARE(refused->error().serviceCode, u"invalid_client"_s);
        QVERIFY(refused->error().userMessage.contains(u"credentials"_s));
    }

    void refreshTokensRotate()
    {
        const Profile p = profile(u"public-app"_s, AuthMethod::Browser);
        {
            SignInSession first(p, m_secrets.get(), &m_network);
            QVERIFY(browserSignIn(first, u"carol@contoso.example"_s));
        }
        const auto rt1 = stored(p.refreshTokenKey());
        QVERIFY(rt1 && !rt1->isEmpty());

        // A new run: no token in memory; the stored refresh token signs in silently and is replaced.
        SignInSession second(p, m_secrets.get(), &m_network);
        std::optional<Result<QString>> token;
        second.acquireSilently(this, [&token](Result<QString> r) { token.emplace(std::move(r)); });
        QVERIFY(waitFor(token));
        QVERIFY2(*token, qPrintable(problem(*token)));
        QVERIFY(sandboxAccepts(token->value()));
        const auto rt2 = stored(p.refreshTokenKey());
        QVERIFY(rt2 && !rt2->isEmpty());
        QVERIFY(*rt2 != *rt1);

        // The old one was consumed by the rotation.
        OAuth::TokenClient client(p, &m_network);
        std::optional<Result<OAuth::Tokens>> reused;
        client.refresh(*rt1, this, [&reused](Result<OAuth::Tokens> r) { reused.emplace(std::move(r)); });
        QVERIFY(waitFor(reused));
        QVERIFY(!*reused);
        QCOMPARE(reused->error().serviceCode, u"invalid_grant"_s);

        // Sign-out removes it from the keychain; the next silent sign-in asks for an interactive one.
        std::optional<Result<Done>> out;
        second.signOut(this, [&out](Result<Done> r) { out.emplace(std::move(r)); });
        QVERIFY(waitFor(out));
        QVERIFY(*out);
        QVERIFY(!stored(p.refreshTokenKey()).has_value());
        SignInSession third(p, m_secrets.get(), &m_network);
        std::optional<Result<QString>> none;
        third.acquireSilently(this, [&none](Result<QString> r) { none.emplace(std::move(r)); });
        QVERIFY(waitFor(none));
        QVERIFY(!*none);
        QCOMPARE(none->error().serviceCode, SignInSession::interactionRequiredCode());
    }

    void withoutKeychainNothingIsStored()
    {
        // A session bus on which no Secret Service exists or can be started.
        QTemporaryDir config;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"AUTOCLOSE_CONFIG_DIR"_s, config.path());
        QProcess cli;
        cli.setProcessEnvironment(env);
        const QStringList add = {u"profiles"_s,
                                 u"add"_s,
                                 u"nokeychain"_s,
                                 u"--url"_s,
                                 m_sandbox->url().toString(),
                                 u"--auth"_s,
                                 u"client-secret"_s,
                                 u"--client-id"_s,
                                 u"service-app"_s,
                                 u"--client-secret-stdin"_s,
                                 u"--tenant"_s,
                                 OidcPeer::tenant(),
                                 u"--authority"_s,
                                 m_peer->url().toString()};
        cli.start(u"dbus-run-session"_s,
                  QStringList {u"--config-file=" AUTOCLOSE_TEST_DATA "/dbus-session-without-services.conf"_s, u"--"_s,
                               QStringLiteral(AUTOCLOSE_CLI_BIN)} +
                      add);
        cli.write("service-secret\n");
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(30000));
        const QByteArray err = cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 3);
        QVERIFY2(err.contains("No keychain is available"), err.constData());
        QVERIFY(err.contains("plaintext-secrets on"));
        // Nothing half done: no profile without its secret, and the secret nowhere on disk.
        const auto list = runCli({u"profiles"_s, u"list"_s}, env);
        QVERIFY(!list.out.contains("nokeychain"));
        for (QDirIterator it(config.path(), QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(!f.readAll().contains("service-secret"));
        }

        // After the explicit opt-in: a 0600 file, and a warning on every run.
        QCOMPARE(runCli({u"profiles"_s, u"plaintext-secrets"_s, u"on"_s}, env).exitCode, 0);
        QProcess optedIn;
        optedIn.setProcessEnvironment(env);
        optedIn.start(u"dbus-run-session"_s,
                      QStringList {u"--config-file=" AUTOCLOSE_TEST_DATA "/dbus-session-without-services.conf"_s,
                                   u"--"_s, QStringLiteral(AUTOCLOSE_CLI_BIN)} +
                          add);
        optedIn.write("service-secret\n");
        optedIn.closeWriteChannel();
        QVERIFY(optedIn.waitForFinished(30000));
        QCOMPARE(optedIn.exitCode(), 0);
        QVERIFY(optedIn.readAllStandardError().contains("plaintext file"));
        const QFileInfo file(config.filePath(u"secrets-plaintext.json"_s));
        QVERIFY(file.exists());
        QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        const auto listed = runCli({u"--profile"_s, u"nokeychain"_s, u"list"_s}, env);
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(listed.err.contains("plaintext file"));
    }

    // The CLI end to end: profiles add, login in the browser, list with the stored sign-in, whoami, logout. Then no
    // token or secret is found in anything the product wrote or printed.
    void cliSignInAndNoSecretsLeak()
    {
        const QProcessEnvironment env = cliEnvironment();
        QByteArray printed;
        const auto cli = [&](const QStringList &args, const QByteArray &input = {}) {
            const CliRun run = runCli(args, env, input);
            printed += run.out + run.err;
            return run;
        };
        const QString sandbox = m_sandbox->url().toString();
        const QString authority = m_peer->url().toString();
        QCOMPARE(
            cli({u"profiles"_s, u"add"_s, u"Contoso test"_s, u"--url"_s, sandbox, u"--auth"_s, u"browser"_s,
                 u"--client-id"_s, u"public-app"_s, u"--tenant"_s, OidcPeer::tenant(), u"--authority"_s, authority})
                .exitCode,
            0);
        QCOMPARE(cli({u"profiles"_s, u"add"_s, u"Service"_s, u"--url"_s, sandbox, u"--auth"_s, u"client-secret"_s,
                      u"--client-id"_s, u"service-app"_s, u"--tenant"_s, OidcPeer::tenant(), u"--authority"_s,
                      authority, u"--client-secret-stdin"_s},
                     "service-secret\n")
                     .exitCode,
                 0);
        const CliRun duplicate =
            cli({u"profiles"_s, u"add"_s, u"contoso TEST"_s, u"--url"_s, sandbox, u"--auth"_s, u"device-code"_s});
        QCOMPARE(duplicate.exitCode, 2);
        QVERIFY(duplicate.err.contains("exists already"));

        // Not signed in yet: the data command says how to.
        const CliRun before = cli({u"--profile"_s, u"Contoso test"_s, u"list"_s});
        QCOMPARE(before.exitCode, 3);
        QVERIFY2(before.err.contains("autoclose-cli login --profile \"Contoso test\""), before.err.constData());

        QProcess login;
        login.setProcessEnvironment(env);
        login.start(QStringLiteral(AUTOCLOSE_CLI_BIN), {u"--profile"_s, u"Contoso test"_s, u"login"_s});
        QByteArray loginErr;
        QVERIFY(QTest::qWaitFor(
            [&] {
                loginErr += login.readAllStandardError();
                return loginErr.contains("\nhttp");
            },
            20000));
        const QUrl authorize(QString::fromUtf8(loginErr.mid(loginErr.indexOf("\nhttp") + 1).split('\n').first()));
        TestBrowser browser;
        const auto page = browser.signInAndConsent(browser.open(authorize), u"erin@contoso.example"_s);
        QVERIFY(page.body.contains("Signed in"));
        QVERIFY(login.waitForFinished(30000));
        const QByteArray loginOut = login.readAllStandardOutput();
        printed += loginOut + loginErr + login.readAllStandardError();
        QCOMPARE(login.exitCode(), 0);
        QVERIFY2(loginOut.contains(QByteArray(QByteArray("Signed in as erin@contoso.example at ") + sandbox.toUtf8())),
                 loginOut.constData());

        const CliRun list = cli({u"--profile"_s, u"Contoso test"_s, u"list"_s, u"--format"_s, u"json"_s});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("\"configurations\""));
        QCOMPARE(cli({u"--profile"_s, u"Service"_s, u"list"_s}).exitCode, 0);
        const CliRun whoami = cli({u"whoami"_s}); // the last used profile
        QCOMPARE(whoami.exitCode, 0);
        QVERIFY(whoami.out.contains("Contoso test"));

        // What the product keeps: the refresh token in the keychain, never in a file or on screen.
        SecretStore productSecrets;
        const auto profileId = ProfileStore(m_config.filePath(u"profiles.ini"_s)).find(u"Contoso test"_s)->id;
        std::optional<Result<std::optional<QString>>> rt;
        productSecrets.read(profileId + u"/refresh-token"_s, this,
                            [&rt](Result<std::optional<QString>> r) { rt.emplace(std::move(r)); });
        QVERIFY(QTest::qWaitFor([&rt] { return rt.has_value(); }, 10000));
        QVERIFY(*rt && rt->value() && !rt->value()->isEmpty());
        const QByteArray refreshToken = rt->value()->toUtf8();

        QCOMPARE(cli({u"--profile"_s, u"Contoso test"_s, u"logout"_s}).exitCode, 0);
        QCOMPARE(cli({u"--profile"_s, u"Contoso test"_s, u"list"_s}).exitCode, 3);
        QCOMPARE(cli({u"profiles"_s, u"remove"_s, u"Service"_s}).exitCode, 0);

        const QList<QByteArray> secrets = {refreshToken, "service-secret", "eyJ"}; // "eyJ": any JWT
        for (const QByteArray &secret : secrets)
            QVERIFY2(!printed.contains(secret), secret.left(8).constData());
        // Every file under HOME but the keyring's own (encrypted) store, and the profiles.
        const QStringList roots = {QDir::homePath(), m_config.path()};
        int scanned = 0;
        for (const QString &root : roots) {
            for (QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext();) {
                const QString path = it.next();
                if (path.contains(u"/keyrings/"_s) || path.contains(u"/node_modules/"_s))
                    continue;
                QFile f(path);
                if (f.size() > 50 * 1024 * 1024 || !f.open(QIODevice::ReadOnly))
                    continue;
                const QByteArray content = f.readAll();
                ++scanned;
                for (const QByteArray &secret : secrets)
                    QVERIFY2(!content.contains(secret), qPrintable(path));
            }
        }
        QVERIFY(scanned > 0);
        qInfo("no token or secret in %d files or in the CLI's output", scanned);
    }
};

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_signin.moc"
