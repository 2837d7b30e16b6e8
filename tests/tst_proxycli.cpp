// autoclose-cli through a real squid (docs/networking.md): credentials in the proxy's URL, none, wrong ones, a dead
// proxy, NO_PROXY, curl's rules for the variables, a proxy URL that does not parse, a profile's own proxy and its
// "none", a profile's proxy password from the keychain, and a sign-in (client secret, at the oidc-provider peer)
// through the proxy. Real HTTP on 127.0.0.1: the squid access log says what went through it.
#include "CliProcess.h"
#include "OidcPeer.h"
#include "SandboxProcess.h"
#include "SquidPeer.h"
#include "app/auth/Profile.h"
#include "app/auth/SecretStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"proxy-test-token"_s;
const QString TokenVar = u"AUTOCLOSE_PROXY_TEST_TOKEN"_s;
const QStringList ProxyVariables = {u"http_proxy"_s, u"HTTP_PROXY"_s, u"https_proxy"_s, u"HTTPS_PROXY"_s,
                                    u"all_proxy"_s,  u"ALL_PROXY"_s,  u"no_proxy"_s,    u"NO_PROXY"_s};
} // namespace

class TestProxyCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
    std::unique_ptr<SquidPeer> m_squid; // Basic authentication
    std::unique_ptr<SquidPeer> m_open; // no authentication
    QTemporaryDir m_config;

    // The CLI's environment: the token, a profiles file of this test's own, and no proxy variable but those given.
    QProcessEnvironment env(const QList<std::pair<QString, QString>> &variables = {}) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const QString &name : ProxyVariables)
            e.remove(name);
        e.insert(TokenVar, Token);
        e.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_config.path());
        for (const auto &[name, value] : variables)
            e.insert(name, value);
        return e;
    }

    CliRun list(const QList<std::pair<QString, QString>> &variables) const
    {
        return runCli({u"--url"_s, m_sandbox->url().toString(), u"--access-token-env"_s, TokenVar, u"list"_s},
                      env(variables));
    }

    // The sandbox's configurations as a request through squid shows them in its log.
    QString throughSquid() const { return u"GET "_s + m_sandbox->url().toString() + u"/api/data/v9.2/"_s; }

    static QString output(const CliRun &run) { return QString::fromUtf8(run.out + run.err); }

    static bool keychainWrite(SecretStore &secrets, const QString &key, const QString &value)
    {
        std::optional<Result<Done>> written;
        QObject context;
        secrets.write(key, value, &context, [&written](Result<Done> r) { written.emplace(std::move(r)); });
        return QTest::qWaitFor([&written] { return written.has_value(); }, 10000) && *written;
    }

    static bool keychainRemove(SecretStore &secrets, const QString &key)
    {
        std::optional<Result<Done>> removed;
        QObject context;
        secrets.remove(key, &context, [&removed](Result<Done> r) { removed.emplace(std::move(r)); });
        return QTest::qWaitFor([&removed] { return removed.has_value(); }, 10000) && *removed;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {Token});
        QVERIFY(m_sandbox->waitUntilListening());
        m_squid = std::make_unique<SquidPeer>();
        QVERIFY2(m_squid->start(), qPrintable(m_squid->errorString()));
        SquidPeer::Options open;
        open.authenticate = false;
        m_open = std::make_unique<SquidPeer>(open);
        QVERIFY2(m_open->start(), qPrintable(m_open->errorString()));
    }

    void credentialsInTheUrlGetThrough()
    {
        const CliRun run = list({{u"http_proxy"_s, m_squid->url(true)}});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains("Live Chat"));
        // Through squid, as alice: the loopback is not exempt.
        QVERIFY2(m_squid->waitForLog(u"TCP_MISS/200"_s), qPrintable(m_squid->accessLog()));
        const QStringList lines = m_squid->accessLog().split(u'\n');
        QVERIFY(std::any_of(lines.begin(), lines.end(), [this](const QString &line) {
            return line.contains(u"TCP_MISS/200"_s) && line.contains(throughSquid()) && line.contains(u" alice "_s);
        }));
        QVERIFY(!output(run).contains(m_squid->options().password));
    }

    void noCredentialsFailWithASentence()
    {
        const CliRun run = list({{u"http_proxy"_s, m_squid->url()}});
        QCOMPARE(run.exitCode, 4);
        const QString text = output(run);
        QVERIFY2(text.contains(
                     u"The proxy %1 (set by http_proxy) asks for a user name and password"_s.arg(m_squid->hostPort())),
                 qPrintable(text));
        QVERIFY(text.contains(u"http_proxy=http://user:password@%1"_s.arg(m_squid->hostPort())));
        QVERIFY(m_squid->waitForLog(u"TCP_DENIED/407"_s));
    }

    void wrongCredentialsAreRefusedOnce()
    {
        const qsizetype deniedBefore = m_squid->accessLog().count(u"TCP_DENIED/407"_s);
        const CliRun run = list({{u"http_proxy"_s, m_squid->url(u"alice"_s, u"not-her-password"_s)}});
        QCOMPARE(run.exitCode, 4);
        const QString text = output(run);
        QVERIFY2(
            text.contains(u"The proxy %1 (set by http_proxy) refused the user name \"alice\" and its password"_s.arg(
                m_squid->hostPort())),
            qPrintable(text));
        QVERIFY(!text.contains(u"not-her-password"_s));
        // Not a loop: the wrong password went once per connection, no more.
        const qsizetype denied = m_squid->accessLog().count(u"TCP_DENIED/407"_s) - deniedBefore;
        QVERIFY2(denied >= 1 && denied <= 8, qPrintable(QString::number(denied)));
    }

    void aDeadProxyIsNamed()
    {
        const quint16 dead = SquidPeer::deadPort();
        const CliRun run = list({{u"http_proxy"_s, u"http://127.0.0.1:%1"_s.arg(dead)}});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(output(run).contains(u"Could not connect to the proxy 127.0.0.1:%1 (set by http_proxy)"_s.arg(dead)),
                 run.err.constData());
    }

    void noProxyReachesTheHostDirectly_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("NO_PROXY=127.0.0.1") << u"NO_PROXY"_s << u"127.0.0.1"_s;
        QTest::newRow("no_proxy with the port") << u"no_proxy"_s << u"example.com,127.0.0.1:%1"_s;
        QTest::newRow("no_proxy=*") << u"no_proxy"_s << u"*"_s;
        QTest::newRow("CIDR") << u"NO_PROXY"_s << u"127.0.0.0/8"_s;
    }
    void noProxyReachesTheHostDirectly()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        const CliRun run = list({{u"http_proxy"_s, u"http://127.0.0.1:%1"_s.arg(SquidPeer::deadPort())},
                                 {variable, value.contains(u"%1"_s) ? value.arg(m_sandbox->url().port()) : value}});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // And a NO_PROXY that names another port does not.
        const CliRun other = list({{u"http_proxy"_s, u"http://127.0.0.1:%1"_s.arg(SquidPeer::deadPort())},
                                   {u"no_proxy"_s, u"127.0.0.1:1"_s}});
        QCOMPARE(other.exitCode, 4);
    }

    void uppercaseHttpProxyIsIgnoredLikeCurl()
    {
        // curl never reads HTTP_PROXY (a CGI program's environment may carry it from a request's Proxy header).
        const CliRun run = list({{u"HTTP_PROXY"_s, u"http://127.0.0.1:%1"_s.arg(SquidPeer::deadPort())}});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // https_proxy is for https:// only; the sandbox is http://.
        const CliRun https = list({{u"HTTPS_PROXY"_s, u"http://127.0.0.1:%1"_s.arg(SquidPeer::deadPort())}});
        QVERIFY2(https.exitCode == 0, https.err.constData());
        // ALL_PROXY is for every scheme.
        const CliRun all = list({{u"ALL_PROXY"_s, m_open->url()}});
        QVERIFY2(all.exitCode == 0, all.err.constData());
        QVERIFY(m_open->waitForLog(throughSquid()));
    }

    void aProxyUrlThatDoesNotParseSendsNothing()
    {
        const qsizetype before = m_open->accessLog().size();
        const CliRun run =
            list({{u"http_proxy"_s, u"http://alice:secret@127.0.0.1:port"_s}, {u"all_proxy"_s, m_open->url()}});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(output(run).contains(u"environment variable http_proxy"_s), run.err.constData());
        QVERIFY(!output(run).contains(u"secret"_s));
        QCOMPARE(m_open->accessLog().size(), before);
    }

    void aProfilesOwnProxyAndNone()
    {
        const auto add = [this](const QString &name, const QString &proxy) {
            return runCli({u"profiles"_s, u"add"_s, name, u"--url"_s, m_sandbox->url().toString(), u"--auth"_s,
                           u"env-token"_s, u"--token-env"_s, TokenVar, u"--proxy"_s, proxy},
                          env());
        };
        QCOMPARE(add(u"Proxied"_s, m_open->url()).exitCode, 0);
        QCOMPARE(add(u"Direct"_s, u"none"_s).exitCode, 0);
        QCOMPARE(add(u"Authenticated"_s, u"http://alice@"_s + m_squid->hostPort()).exitCode, 0);
        // Refused: a password, a URL that does not parse, an empty one; nothing is saved.
        const CliRun withPassword = add(u"Secret"_s, m_squid->url(true));
        QCOMPARE(withPassword.exitCode, 2);
        QVERIFY2(withPassword.err.contains("holds a password"), withPassword.err.constData());
        QVERIFY(!output(withPassword).contains(u"w rd"_s) && !output(withPassword).contains(u"w%20rd"_s));
        QCOMPARE(add(u"Bad"_s, u"http://proxy:99999"_s).exitCode, 2);
        QCOMPARE(add(u"Empty"_s, u""_s).exitCode, 2);
        QVERIFY(!ProfileStore(m_config.filePath(u"profiles.ini"_s)).find(u"Secret"_s));

        // Listed with their proxies.
        const CliRun listed = runCli({u"profiles"_s, u"list"_s}, env());
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.contains(QByteArray("proxy ").append(m_open->url().toUtf8())), listed.out.constData());
        QVERIFY(listed.out.contains("proxy none"));

        // The profile's proxy replaces the environment's dead one; its "none" too.
        const auto dead = std::pair {u"http_proxy"_s, u"http://127.0.0.1:%1"_s.arg(SquidPeer::deadPort())};
        const qsizetype before = m_open->accessLog().count(throughSquid());
        const CliRun proxied = runCli({u"--profile"_s, u"Proxied"_s, u"list"_s}, env({dead}));
        QVERIFY2(proxied.exitCode == 0, proxied.err.constData());
        QVERIFY(QTest::qWaitFor([&] { return m_open->accessLog().count(throughSquid()) > before; }, 5000));
        const CliRun direct = runCli({u"--profile"_s, u"Direct"_s, u"list"_s}, env({dead}));
        QVERIFY2(direct.exitCode == 0, direct.err.constData());

        // A profile's proxy that wants a password: none in the keychain, the sentence says how to remember one…
        const CliRun asked = runCli({u"--profile"_s, u"Authenticated"_s, u"list"_s}, env());
        QCOMPARE(asked.exitCode, 4);
        QVERIFY2(output(asked).contains(u"set by the profile \"Authenticated\") asks for a user name and password"_s),
                 asked.err.constData());
        QVERIFY(output(asked).contains(u"Remember in the keychain"_s));
        // …and one remembered (as the window's "Remember" does) gets through.
        SecretStore keychain;
        const QString key = u"proxy/"_s + m_squid->hostPort();
        QVERIFY(keychainWrite(keychain, key,
                              u"{\"user\":\"alice\",\"password\":\"%1\"}"_s.arg(m_squid->options().password)));
        const CliRun remembered = runCli({u"--profile"_s, u"Authenticated"_s, u"list"_s}, env());
        QVERIFY(keychainRemove(keychain, key)); // this run's entry, gone
        QVERIFY2(remembered.exitCode == 0, remembered.err.constData());

        // The profiles file never holds a proxy password.
        QFile ini(m_config.filePath(u"profiles.ini"_s));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains("w%20rd"));
    }

    void signInGoesThroughTheProxy()
    {
        // A client-secret profile at the oidc-provider peer: its token request, and then the Web API's, through
        // squid.
        OidcPeer peer;
        QVERIFY2(peer.waitUntilListening(), "the oidc-provider peer did not start (run npm ci in tests/peers)");
        SandboxProcess sandbox({u"static-token"_s}, OidcPeer::sandboxArguments(), peer.sandboxEnvironment());
        QVERIFY(sandbox.waitUntilListening());
        QTemporaryDir config;
        QProcessEnvironment e = env({{u"http_proxy"_s, m_squid->url(true)}});
        e.insert(u"AUTOCLOSE_CONFIG_DIR"_s, config.path());
        const CliRun added =
            runCli({u"profiles"_s, u"add"_s, u"Service"_s, u"--url"_s, sandbox.url().toString(), u"--auth"_s,
                    u"client-secret"_s, u"--client-id"_s, u"service-app"_s, u"--tenant"_s, OidcPeer::tenant(),
                    u"--authority"_s, peer.url().toString(), u"--client-secret-stdin"_s},
                   e, "service-secret\n");
        QVERIFY2(added.exitCode == 0, added.err.constData());
        const CliRun run = runCli({u"--profile"_s, u"Service"_s, u"list"_s}, e);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString token =
            u"POST "_s + peer.url().toString() + u"/"_s + OidcPeer::tenant() + u"/oauth2/v2.0/token"_s;
        QVERIFY2(m_squid->waitForLog(token), qPrintable(m_squid->accessLog()));
        QVERIFY(m_squid->waitForLog(u"GET "_s + sandbox.url().toString() + u"/api/data/v9.2/"_s));
        QVERIFY(!output(run).contains(u"service-secret"_s));
        // Without the proxy's credentials the sign-in itself fails, naming the proxy.
        e.insert(u"http_proxy"_s, m_squid->url());
        const CliRun refused = runCli({u"--profile"_s, u"Service"_s, u"list"_s}, e);
        QCOMPARE(refused.exitCode, 4);
        QVERIFY2(output(refused).contains(u"asks for a user name and password"_s), refused.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestProxyCli)
#include "tst_proxycli.moc"
