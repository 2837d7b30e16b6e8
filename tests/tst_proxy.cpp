// The proxy rules (app/common/NetworkProxy, docs/networking.md), table by table: parsing a proxy URL, NO_PROXY
// matching, which variable wins for which URL, and the sentences for a proxy's failures. Pure: no process, no
// network.
#include "app/common/LogFile.h"
#include "app/common/NetworkProxy.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace NetworkProxy;

namespace {
using Env = QList<std::pair<QString, QString>>;

Environment envOf(const Env &pairs)
{
    Environment env;
    for (const auto &[name, value] : pairs)
        env.values.insert(name, value);
    return env;
}

// "direct", "system" or the proxy's display() and what chose it, for the tables below.
QString describe(const Decision &d)
{
    switch (d.route) {
    case Decision::Route::Direct:
        return u"direct (%1)"_s.arg(d.origin());
    case Decision::Route::System:
        return u"system"_s;
    case Decision::Route::Proxy:
        break;
    }
    return u"%1 (%2)"_s.arg(d.proxy.display(), d.origin());
}
} // namespace

class TestProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesProxyUrls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("display"); // empty: refused
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("refusal"); // part of the sentence when refused

        QTest::newRow("scheme, host, port") << u"http://proxy.example.com:3128"_s << u"http://proxy.example.com:3128"_s
                                            << QString() << QString() << QString();
        QTest::newRow("no scheme: http") << u"proxy.example.com:8080"_s << u"http://proxy.example.com:8080"_s
                                         << QString() << QString() << QString();
        QTest::newRow("no port: curl's 1080") << u"http://proxy.example.com"_s << u"http://proxy.example.com:1080"_s
                                              << QString() << QString() << QString();
        QTest::newRow("trailing slash") << u"http://10.0.0.1:3128/"_s << u"http://10.0.0.1:3128"_s << QString()
                                        << QString() << QString();
        QTest::newRow("credentials, percent-decoded")
            << u"http://dom%5Calice:p%40ss%3Aword@proxy:3128"_s << u"http://dom%5Calice:***@proxy:3128"_s
            << u"dom\\alice"_s << u"p@ss:word"_s << QString();
        QTest::newRow("user without password")
            << u"http://alice@proxy:3128"_s << u"http://alice@proxy:3128"_s << u"alice"_s << QString() << QString();
        QTest::newRow("IPv6") << u"http://[::1]:3128"_s << u"http://[::1]:3128"_s << QString() << QString()
                              << QString();
        QTest::newRow("socks5") << u"socks5://127.0.0.1:1080"_s << u"socks5://127.0.0.1:1080"_s << QString()
                                << QString() << QString();
        QTest::newRow("socks5h") << u"SOCKS5H://gw:1080"_s << u"socks5h://gw:1080"_s << QString() << QString()
                                 << QString();
        QTest::newRow("https proxy") << u"https://proxy:443"_s << QString() << QString() << QString()
                                     << u"Qt does not support"_s;
        QTest::newRow("ftp proxy") << u"ftp://proxy:21"_s << QString() << QString() << QString()
                                   << u"neither http://"_s;
        QTest::newRow("port out of range")
            << u"http://proxy:70000"_s << QString() << QString() << QString() << u"is not an address"_s;
        QTest::newRow("port not a number")
            << u"http://proxy:abc"_s << QString() << QString() << QString() << u"is not an address"_s;
        QTest::newRow("path") << u"http://proxy:3128/pac.js"_s << QString() << QString() << QString()
                              << u"has a path"_s;
        QTest::newRow("no host") << u"http://:3128"_s << QString() << QString() << QString() << u"names no host"_s;
        QTest::newRow("empty") << u"  "_s << QString() << QString() << QString() << u"is empty"_s;
        QTest::newRow("spaces inside") << u"http://pro xy:3128"_s << QString() << QString() << QString()
                                       << u"is not an address"_s;
        QTest::newRow("password without user")
            << u"http://:secret@proxy:3128"_s << QString() << QString() << QString() << u"no user name"_s;
        // Refused, and echoed without the password even where it cannot be told from a path (a / or a space in it).
        QTest::newRow("/ in the password") << u"http://alice:se/cret@proxy:3128"_s << QString() << QString()
                                           << QString() << u"http://alice:***@proxy:3128"_s;
        QTest::newRow("space in the password") << u"http://alice:sec ret@proxy:3128"_s << QString() << QString()
                                               << QString() << u"http://alice:***@proxy:3128"_s;
    }
    void parsesProxyUrls()
    {
        QFETCH(QString, text);
        QFETCH(QString, display);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, refusal);
        const auto parsed = parse(text, u"the environment variable https_proxy"_s);
        if (display.isEmpty()) {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().kind, Error::Kind::BadInput);
            QVERIFY2(parsed.error().userMessage.contains(refusal), qPrintable(parsed.error().userMessage));
            QVERIFY(parsed.error().userMessage.contains(u"https_proxy"_s));
            QVERIFY(!parsed.error().userMessage.contains(u"secret"_s));
            QVERIFY(!parsed.error().userMessage.contains(u"se/cret"_s) &&
                    !parsed.error().userMessage.contains(u"sec ret"_s));
            return;
        }
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().userMessage));
        QCOMPARE(parsed.value().display(), display);
        QCOMPARE(parsed.value().user, user);
        QCOMPARE(parsed.value().password, password);
        QVERIFY(!parsed.value().toQNetworkProxy().hostName().isEmpty());
        QVERIFY(parsed.value().toQNetworkProxy().user().isEmpty()); // given when asked, not up front
    }

    void aRefusedUrlNeverShowsItsPassword()
    {
        const auto parsed = parse(u"ftp://alice:hunter2@proxy:21"_s, u"the environment variable all_proxy"_s);
        QVERIFY(!parsed);
        QVERIFY(!parsed.error().userMessage.contains(u"hunter2"_s));
        QVERIFY(parsed.error().userMessage.contains(u"ftp://alice:***@proxy:21"_s));
    }

    void redactsPasswords_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("url") << u"using http://alice:hunter2@proxy:3128 now"_s
                             << u"using http://alice:***@proxy:3128 now"_s;
        QTest::newRow("@ in the password") << u"http://alice:hun@ter2@proxy:3128"_s << u"http://alice:***@proxy:3128"_s;
        QTest::newRow("no scheme") << u"alice:hunter2@proxy:3128"_s << u"alice:***@proxy:3128"_s;
        QTest::newRow("no password") << u"http://alice@proxy:3128"_s << u"http://alice@proxy:3128"_s;
        QTest::newRow("no credentials") << u"http://proxy:3128/a:b@c"_s << u"http://proxy:3128/a:b@c"_s;
    }
    void redactsPasswords()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(redacted(text), expected);
        // The log masks them the same way, whatever wrote them.
        QVERIFY(!LogFile::redact(text).contains(u"hunter2"_s));
    }

    void matchesNoProxy_data()
    {
        QTest::addColumn<QString>("noProxy");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("direct");

        QTest::newRow("*") << u"*"_s << u"anything.example"_s << 443 << true;
        QTest::newRow("exact host") << u"example.com"_s << u"example.com"_s << 443 << true;
        QTest::newRow("suffix without dot") << u"example.com"_s << u"www.example.com"_s << 443 << true;
        QTest::newRow("suffix with dot") << u".example.com"_s << u"www.example.com"_s << 443 << true;
        QTest::newRow("leading dot also matches the domain") << u".example.com"_s << u"example.com"_s << 443 << true;
        QTest::newRow("not a label boundary") << u"example.com"_s << u"notexample.com"_s << 443 << false;
        QTest::newRow("other tld") << u"example.com"_s << u"example.com.org"_s << 443 << false;
        QTest::newRow("case-insensitive") << u"Example.COM"_s << u"WWW.example.com"_s << 443 << true;
        QTest::newRow("list with spaces") << u"foo.test, example.com ,bar"_s << u"example.com"_s << 80 << true;
        QTest::newRow("space separated") << u"foo.test example.com"_s << u"example.com"_s << 80 << true;
        QTest::newRow("not in the list") << u"foo.test,bar.test"_s << u"example.com"_s << 80 << false;
        QTest::newRow("ipv4") << u"127.0.0.1"_s << u"127.0.0.1"_s << 8080 << true;
        QTest::newRow("ipv4, other") << u"127.0.0.1"_s << u"127.0.0.2"_s << 8080 << false;
        QTest::newRow("localhost does not cover 127.0.0.1") << u"localhost"_s << u"127.0.0.1"_s << 80 << false;
        QTest::newRow("a name never matches an address") << u"0.0.1"_s << u"127.0.0.1"_s << 80 << false;
        QTest::newRow("ipv6") << u"::1"_s << u"::1"_s << 80 << true;
        QTest::newRow("ipv6 in brackets") << u"::1"_s << u"[::1]"_s << 80 << true;
        QTest::newRow("ipv6 with port") << u"[::1]:8080"_s << u"::1"_s << 8080 << true;
        QTest::newRow("ipv6 with other port") << u"[::1]:8080"_s << u"::1"_s << 80 << false;
        QTest::newRow("cidr v4") << u"10.0.0.0/8"_s << u"10.1.2.3"_s << 80 << true;
        QTest::newRow("cidr v4, outside") << u"10.0.0.0/8"_s << u"11.1.2.3"_s << 80 << false;
        QTest::newRow("cidr loopback") << u"127.0.0.0/8"_s << u"127.0.0.1"_s << 80 << true;
        QTest::newRow("cidr v6") << u"fd00::/8"_s << u"fd12::1"_s << 443 << true;
        QTest::newRow("cidr never matches a name") << u"10.0.0.0/8"_s << u"ten.example"_s << 443 << false;
        QTest::newRow("host with port") << u"example.com:8443"_s << u"example.com"_s << 8443 << true;
        QTest::newRow("host with other port") << u"example.com:8443"_s << u"example.com"_s << 443 << false;
        QTest::newRow("ipv4 with port") << u"127.0.0.1:5000"_s << u"127.0.0.1"_s << 5000 << true;
        QTest::newRow("ipv4 with other port") << u"127.0.0.1:5000"_s << u"127.0.0.1"_s << 5001 << false;
        QTest::newRow("bad port: no match") << u"example.com:x"_s << u"example.com"_s << 80 << false;
        QTest::newRow("trailing dot") << u"example.com."_s << u"www.example.com"_s << 80 << true;
        QTest::newRow("empty") << QString() << u"example.com"_s << 80 << false;
        QTest::newRow("only commas") << u",,"_s << u"example.com"_s << 80 << false;
        QTest::newRow("a lone dot matches nothing") << u"."_s << u"example.com"_s << 80 << false;
    }
    void matchesNoProxy()
    {
        QFETCH(QString, noProxy);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(bool, direct);
        QCOMPARE(bypasses(noProxy, host, port), direct);
    }

    void choosesLikeCurl_data()
    {
        QTest::addColumn<Env>("env");
        QTest::addColumn<QString>("profileProxy");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("route");

        const QString https = u"https://contoso.crm.dynamics.com/api"_s;
        const QString http = u"http://127.0.0.1:5000/api"_s;
        QTest::newRow("nothing set: the system") << Env {} << QString() << https << u"system"_s;
        QTest::newRow("https_proxy for https")
            << Env {{u"https_proxy"_s, u"http://p:1"_s}} << QString() << https << u"http://p:1 (set by https_proxy)"_s;
        QTest::newRow("HTTPS_PROXY for https")
            << Env {{u"HTTPS_PROXY"_s, u"http://p:2"_s}} << QString() << https << u"http://p:2 (set by HTTPS_PROXY)"_s;
        QTest::newRow("lowercase wins") << Env {{u"https_proxy"_s, u"http://low:1"_s},
                                                {u"HTTPS_PROXY"_s, u"http://up:2"_s}}
                                        << QString() << https << u"http://low:1 (set by https_proxy)"_s;
        QTest::newRow("empty lowercase: uppercase")
            << Env {{u"https_proxy"_s, u" "_s}, {u"HTTPS_PROXY"_s, u"http://up:2"_s}} << QString() << https
            << u"http://up:2 (set by HTTPS_PROXY)"_s;
        QTest::newRow("http_proxy for http, loopback included")
            << Env {{u"http_proxy"_s, u"http://p:3"_s}} << QString() << http << u"http://p:3 (set by http_proxy)"_s;
        QTest::newRow("uppercase HTTP_PROXY is ignored")
            << Env {{u"HTTP_PROXY"_s, u"http://p:3"_s}} << QString() << http << u"direct (set by HTTP_PROXY)"_s;
        QTest::newRow("http_proxy not for https")
            << Env {{u"http_proxy"_s, u"http://p:3"_s}} << QString() << https << u"direct (set by http_proxy)"_s;
        QTest::newRow("https_proxy not for http")
            << Env {{u"https_proxy"_s, u"http://p:3"_s}} << QString() << http << u"direct (set by https_proxy)"_s;
        QTest::newRow("all_proxy as fallback") << Env {{u"ALL_PROXY"_s, u"socks5h://s:1080"_s}} << QString() << https
                                               << u"socks5h://s:1080 (set by ALL_PROXY)"_s;
        QTest::newRow("scheme's own before all_proxy")
            << Env {{u"all_proxy"_s, u"http://a:1"_s}, {u"https_proxy"_s, u"http://s:2"_s}} << QString() << https
            << u"http://s:2 (set by https_proxy)"_s;
        QTest::newRow("NO_PROXY") << Env {{u"https_proxy"_s, u"http://p:1"_s}, {u"NO_PROXY"_s, u".dynamics.com"_s}}
                                  << QString() << https << u"direct (set by NO_PROXY)"_s;
        QTest::newRow("no_proxy wins over NO_PROXY")
            << Env {{u"https_proxy"_s, u"http://p:1"_s}, {u"no_proxy"_s, u"other.test"_s}, {u"NO_PROXY"_s, u"*"_s}}
            << QString() << https << u"http://p:1 (set by https_proxy)"_s;
        QTest::newRow("NO_PROXY names the loopback")
            << Env {{u"http_proxy"_s, u"http://p:1"_s}, {u"no_proxy"_s, u"localhost,127.0.0.1"_s}} << QString() << http
            << u"direct (set by no_proxy)"_s;
        QTest::newRow("credentials are kept, never shown")
            << Env {{u"https_proxy"_s, u"http://alice:pw@p:1"_s}} << QString() << https
            << u"http://alice:***@p:1 (set by https_proxy)"_s;
        QTest::newRow("the profile's proxy replaces the environment's")
            << Env {{u"https_proxy"_s, u"http://env:1"_s}} << u"http://own:8080"_s << https
            << u"http://own:8080 (set by the profile \"P\")"_s;
        QTest::newRow("the profile's none replaces the environment's")
            << Env {{u"https_proxy"_s, u"http://env:1"_s}} << u"none"_s << https
            << u"direct (set by the profile \"P\")"_s;
        QTest::newRow("NO_PROXY also exempts from the profile's proxy")
            << Env {{u"no_proxy"_s, u"dynamics.com"_s}} << u"http://own:8080"_s << https
            << u"direct (set by no_proxy)"_s;
        QTest::newRow("a bad variable the profile makes unused")
            << Env {{u"https_proxy"_s, u"ftp://bad"_s}} << u"none"_s << https << u"direct (set by the profile \"P\")"_s;
    }
    void choosesLikeCurl()
    {
        QFETCH(Env, env);
        QFETCH(QString, profileProxy);
        QFETCH(QString, url);
        QFETCH(QString, route);
        const auto settings = settingsFor(profileProxy, u"P"_s, envOf(env));
        QVERIFY2(settings, qPrintable(settings ? QString() : settings.error().userMessage));
        QCOMPARE(describe(decide(settings.value(), QUrl(url))), route);
    }

    void refusesBadSettings_data()
    {
        QTest::addColumn<Env>("env");
        QTest::addColumn<QString>("profileProxy");
        QTest::addColumn<QString>("named"); // in the sentence

        QTest::newRow("bad https_proxy") << Env {{u"https_proxy"_s, u"http://proxy:notaport"_s}} << QString()
                                         << u"the environment variable https_proxy"_s;
        QTest::newRow("bad ALL_PROXY") << Env {{u"ALL_PROXY"_s, u"gopher://x"_s}} << QString()
                                       << u"the environment variable ALL_PROXY"_s;
        QTest::newRow("bad profile proxy") << Env {} << u"http://proxy:99999"_s << u"the profile \"P\""_s;
        QTest::newRow("profile proxy with a password")
            << Env {} << u"http://alice:pw@proxy:3128"_s << u"The proxy of the profile \"P\" holds a password"_s;
    }
    void refusesBadSettings()
    {
        QFETCH(Env, env);
        QFETCH(QString, profileProxy);
        QFETCH(QString, named);
        const auto settings = settingsFor(profileProxy, u"P"_s, envOf(env));
        QVERIFY(!settings);
        QCOMPARE(settings.error().kind, Error::Kind::BadInput);
        QVERIFY2(settings.error().userMessage.contains(named), qPrintable(settings.error().userMessage));
        QVERIFY(!settings.error().userMessage.contains(u"pw@"_s));
    }

    void factoryRoutesTheLoopbackThroughTheProxy()
    {
        // Qt's application-wide proxy exempts localhost; a manager's own factory does not, and the tests rely on it.
        const auto settings = settingsFor({}, {}, envOf({{u"http_proxy"_s, u"http://127.0.0.1:3128"_s}}));
        QVERIFY(settings);
        Factory factory(settings.value());
        const QUrl url(u"http://127.0.0.1:5000/api/data/v9.2/WhoAmI"_s);
        const QList<QNetworkProxy> proxies = factory.queryProxy(QNetworkProxyQuery(url));
        QCOMPARE(proxies.size(), 1);
        QCOMPARE(proxies.first().type(), QNetworkProxy::HttpProxy);
        QCOMPARE(proxies.first().port(), 3128);
        QCOMPARE(factory.decisionFor(url).route, Decision::Route::Proxy);
        QCOMPARE(factory.decisionFor(QUrl(u"http://127.0.0.1:5001/"_s)).route, Decision::Route::Direct); // not asked

        // And a manager given the rules uses that factory.
        QNetworkAccessManager network;
        qputenv("http_proxy", "http://127.0.0.1:3128");
        const auto applied = apply(&network, {});
        qunsetenv("http_proxy");
        QVERIFY(applied);
        QVERIFY(dynamic_cast<Factory *>(network.proxyFactory()));
        QCOMPARE(network.proxyFactory()->queryProxy(QNetworkProxyQuery(url)).first().port(), 3128);
    }

    void applyRefusesABadVariableAndSetsNothing()
    {
        QNetworkAccessManager network;
        qputenv("https_proxy", "http://user:secret@proxy:port");
        const auto applied = apply(&network, {});
        qunsetenv("https_proxy");
        QVERIFY(!applied);
        QVERIFY(applied.error().userMessage.contains(u"https_proxy"_s));
        QVERIFY(!applied.error().userMessage.contains(u"secret"_s));
        QVERIFY(!network.proxyFactory());
    }

    void sentences_data()
    {
        QTest::addColumn<QNetworkReply::NetworkError>("error");
        QTest::addColumn<int>("source");
        QTest::addColumn<bool>("refused");
        QTest::addColumn<QStringList>("parts");

        using E = QNetworkReply;
        const int variable = int(Decision::Source::Variable);
        const int profile = int(Decision::Source::Profile);
        QTest::newRow("407, none given, variable")
            << E::ProxyAuthenticationRequiredError << variable << false
            << QStringList {u"127.0.0.1:3128"_s, u"set by http_proxy"_s, u"asks for a user name and password"_s,
                            u"http_proxy=http://user:password@127.0.0.1:3128"_s};
        QTest::newRow("407, none given, profile")
            << E::ProxyAuthenticationRequiredError << profile << false
            << QStringList {u"set by the profile \"P\""_s, u"Remember in the keychain"_s};
        QTest::newRow("407, refused") << E::ProxyAuthenticationRequiredError << variable << true
                                      << QStringList {u"refused the user name \"alice\" and its password"_s};
        QTest::newRow("proxy refused the connection")
            << E::ProxyConnectionRefusedError << variable << false
            << QStringList {u"Could not connect to the proxy 127.0.0.1:3128 (set by http_proxy)"_s, u"NO_PROXY"_s};
        QTest::newRow("connection refused, through a proxy")
            << E::ConnectionRefusedError << variable << false
            << QStringList {u"Could not connect to the proxy 127.0.0.1:3128"_s};
        QTest::newRow("proxy not found") << E::ProxyNotFoundError << profile << false
                                         << QStringList {u"was not found"_s};
        QTest::newRow("proxy timeout") << E::ProxyTimeoutError << variable << false
                                       << QStringList {u"did not answer in time"_s};
        QTest::newRow("proxy closed") << E::ProxyConnectionClosedError << variable << false
                                      << QStringList {u"closed the connection"_s, u"(detail)"_s};
        QTest::newRow("not the proxy's") << E::ContentNotFoundError << variable << false << QStringList();
    }
    void sentences()
    {
        QFETCH(QNetworkReply::NetworkError, error);
        QFETCH(int, source);
        QFETCH(bool, refused);
        QFETCH(QStringList, parts);
        Decision d;
        d.route = Decision::Route::Proxy;
        d.source = Decision::Source(source);
        d.name = d.source == Decision::Source::Profile ? u"P"_s : u"http_proxy"_s;
        const auto proxy = parse(u"http://alice:hunter2@127.0.0.1:3128"_s, u"test"_s);
        QVERIFY(proxy);
        d.proxy = proxy.value();
        const QString sentence =
            sentenceFor(error, u"detail"_s, d, refused ? std::optional<QString>(u"alice"_s) : std::nullopt);
        QCOMPARE(sentence.isEmpty(), parts.isEmpty());
        for (const QString &part : parts)
            QVERIFY2(sentence.contains(part), qPrintable(sentence));
        QVERIFY(!sentence.contains(u"hunter2"_s));
        // Only a proxy that was used is blamed.
        d.route = Decision::Route::Direct;
        QVERIFY(sentenceFor(error, u"detail"_s, d, std::nullopt).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
