// The Global Discovery Service (docs/discovery.md): the Instances reply read as environments, and
// `autoclose-cli environments` against a real sandbox that serves the discovery endpoint, signed in with a token
// or through a profile's sign-in at the oidc-provider peer.
#include "CliProcess.h"
#include "OidcPeer.h"
#include "SandboxProcess.h"

#include "app/dataverse/Discovery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
// JSON written with ' for " (the tests' JSON holds no ').
QByteArray quoted(const char *json)
{
    return QByteArray(json).replace('\'', '"');
}

const QByteArray OtherInstances = quoted(
    "["
    "  {'FriendlyName': 'Contoso Production', 'UniqueName': 'contoso', 'Url': 'https://contoso.crm.dynamics.com',"
    "   'ApiUrl': 'https://contoso.api.crm.dynamics.com', 'Version': '9.2.25063.00180', 'State': 0,"
    "   'Region': 'NorthAmerica', 'EnvironmentId': '0e5c1a2b-1111-4222-8333-123456789abc', 'IsUserSysAdmin': false},"
    "  {'FriendlyName': 'Contoso Archive', 'UniqueName': 'contosoarchive', 'Url': "
    "'https://contosoarchive.crm.dynamics.com',"
    "   'Version': '9.2.24101.00112', 'State': 1, 'Region': 'NorthAmerica', 'EnvironmentId': 'e2'}"
    "]");
} // namespace

class TestDiscovery : public QObject
{
    Q_OBJECT

    QTemporaryDir m_files;
    QTemporaryDir m_config;
    std::unique_ptr<OidcPeer> m_peer;
    std::unique_ptr<SandboxProcess> m_sandbox;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile f(m_files.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            return {};
        return f.fileName();
    }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_config.path());
        e.insert(u"DISCO_TOKEN"_s, u"disco-token"_s);
        return e;
    }

    QStringList withToken(const QStringList &args) const
    {
        return QStringList {u"environments"_s, u"--access-token-env"_s, u"DISCO_TOKEN"_s} + args;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_files.isValid() && m_config.isValid());
        m_peer = std::make_unique<OidcPeer>();
        QVERIFY2(m_peer->waitUntilListening(), "the oidc-provider peer did not start (run npm ci in tests/peers)");
        const QString instances = writeFile(u"instances.json"_s, OtherInstances);
        QVERIFY(!instances.isEmpty());
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {u"disco-token"_s},
                                                     OidcPeer::sandboxArguments() +
                                                         QStringList {u"--discovery-instances"_s, instances},
                                                     m_peer->sandboxEnvironment());
        QVERIFY(m_sandbox->waitUntilListening());
    }

    void parsesTheServicesShape()
    {
        const auto parsed = Discovery::parseInstances(quoted(
            "{'value': ["
            "            {'FriendlyName': 'b env', 'UniqueName': 'b', 'Url': 'https://b.crm9.dynamics.com', 'State': 1,"
            "             'Version': '9.2.1', 'Region': 'GCC', 'EnvironmentId': 'e-b', 'TenantId': 't', "
            "'IsUserSysAdmin': true},"
            "            {'UniqueName': 'a', 'Url': 'https://a.crm.dynamics.com'}]}"));
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().userMessage));
        const QList<Discovery::Environment> list = parsed.value();
        QCOMPARE(list.size(), 2);
        // Sorted by name; a missing FriendlyName falls back to the unique name, ApiUrl to Url.
        QCOMPARE(list.at(0).name, u"a"_s);
        QCOMPARE(list.at(0).apiUrl, QUrl(u"https://a.crm.dynamics.com"_s));
        QVERIFY(!list.at(0).userIsAdmin.has_value());
        QVERIFY(list.at(0).enabled());
        QCOMPARE(list.at(1).name, u"b env"_s);
        QCOMPARE(list.at(1).stateName(), u"disabled"_s);
        QCOMPARE(list.at(1).userIsAdmin, std::optional<bool>(true));
        QCOMPARE(list.at(1).environmentId, u"e-b"_s);
        QCOMPARE(Discovery::instancesUrl(QUrl(u"https://globaldisco.crm.dynamics.com/"_s)),
                 QUrl(u"https://globaldisco.crm.dynamics.com/api/discovery/v2.0/Instances"_s));
        QCOMPARE(Discovery::resource(QUrl(u"https://globaldisco.crm.dynamics.com"_s)),
                 u"https://globaldisco.crm.dynamics.com/"_s);
    }

    void refusesOtherShapes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("says");
        QTest::newRow("not JSON") << QByteArray("<html>") << u"not JSON"_s;
        QTest::newRow("cut short") << QByteArray(quoted("{'value': [{'Url': 'https://a.crm.dyn")) << u"not JSON"_s;
        QTest::newRow("no value") << QByteArray(quoted("{'instances': []}")) << u"no \"value\" list"_s;
        QTest::newRow("value not a list") << QByteArray(quoted("{'value': {}}")) << u"no \"value\" list"_s;
        QTest::newRow("entry not an object") << QByteArray(quoted("{'value': [3]}")) << u"entry 1 is not an object"_s;
        QTest::newRow("no Url") << QByteArray(
                                       quoted("{'value': [{'Url': 'https://a.crm.dynamics.com'}, {'Name': 'b'}]}"))
                                << u"entry 2 has no Url address"_s;
        QTest::newRow("Url not an address")
            << QByteArray(quoted("{'value': [{'Url': 'contoso'}]}")) << u"entry 1 has no Url address"_s;
        QTest::newRow("Url not https") << quoted("{'value': [{'Url': 'http://contoso.example.com'}]}")
                                       << u"entry 1 has no Url address"_s;
        QTest::newRow("State not a number")
            << QByteArray(quoted("{'value': [{'Url': 'https://a.crm.dynamics.com', 'State': 'on'}]}"))
            << u"State is not a number"_s;
    }
    void refusesOtherShapes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, says);
        const auto parsed = Discovery::parseInstances(body);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().kind, Error::Kind::BadReply);
        QVERIFY2(parsed.error().userMessage.contains(says), qPrintable(parsed.error().userMessage));
        QVERIFY(parsed.error().userMessage.contains(u"--discovery-url"_s));
    }

    // With a token for the discovery service: the sandbox itself first, then the instances it was given.
    void listsWithAnAccessToken()
    {
        const QString service = m_sandbox->url().toString();
        const CliRun json = runCli(withToken({u"--discovery-url"_s, service, u"--format"_s, u"json"_s}), env());
        QCOMPARE(json.exitCode, 0);
        const QJsonArray environments = QJsonDocument::fromJson(json.out).object().value(u"environments"_s).toArray();
        QCOMPARE(environments.size(), 3);
        QStringList names;
        for (const QJsonValue &e : environments)
            names << e[u"name"_s].toString();
        QCOMPARE(names.mid(0, 2),
                 (QStringList {u"autoclose-sandbox (%1)"_s.arg(m_sandbox->url().authority()), u"Contoso Archive"_s}));
        const QJsonObject production = environments.at(2).toObject();
        QCOMPARE(production.keys(),
                 (QStringList {u"environmentId"_s, u"name"_s, u"region"_s, u"state"_s, u"uniqueName"_s, u"url"_s,
                               u"version"_s}));
        QCOMPARE(production[u"url"_s].toString(), u"https://contoso.crm.dynamics.com"_s);
        QCOMPARE(production[u"uniqueName"_s].toString(), u"contoso"_s);
        QCOMPARE(production[u"version"_s].toString(), u"9.2.25063.00180"_s);
        QCOMPARE(production[u"region"_s].toString(), u"NorthAmerica"_s);
        QCOMPARE(production[u"state"_s].toString(), u"enabled"_s);
        QCOMPARE(environments.at(1)[u"state"_s].toString(), u"disabled"_s);
        QCOMPARE(environments.at(0)[u"url"_s].toString(), service);

        const CliRun table = runCli(withToken({u"--discovery-url"_s, service}), env());
        QCOMPARE(table.exitCode, 0);
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines.at(0).startsWith("NAME"));
        QVERIFY(lines.at(0).contains("ADMIN"));
        QVERIFY(lines.at(3).contains("Contoso Production"));
        QVERIFY(lines.at(3).simplified().endsWith("enabled no"));
        QVERIFY(lines.at(2).contains("disabled"));
    }

    // A profile's own sign-in (here a client secret at the oidc peer) asked for the discovery service's resource.
    void listsWithAProfilesSignIn()
    {
        const QString service = m_sandbox->url().toString();
        const CliRun add =
            runCli({u"profiles"_s, u"add"_s, u"Peer service"_s, u"--url"_s, service, u"--auth"_s, u"client-secret"_s,
                    u"--client-id"_s, u"service-app"_s, u"--tenant"_s, OidcPeer::tenant(), u"--authority"_s,
                    m_peer->url().toString(), u"--client-secret-stdin"_s},
                   env(), "service-secret\n");
        QCOMPARE(add.exitCode, 0);
        // A custom cloud names no discovery service of its own.
        const CliRun none = runCli({u"environments"_s, u"--profile"_s, u"Peer service"_s}, env());
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains("names no discovery service"), none.err.constData());
        // The discovery service is another server than the environment: it accepts only a token whose audience is
        // itself, so the listing proves the token was asked for the discovery service's resource.
        SandboxProcess discovery({u"disco-token"_s}, OidcPeer::sandboxArguments(), m_peer->sandboxEnvironment());
        QVERIFY(discovery.waitUntilListening());
        const CliRun listed = runCli({u"environments"_s, u"--profile"_s, u"Peer service"_s, u"--discovery-url"_s,
                                      discovery.url().toString(), u"--format"_s, u"json"_s},
                                     env());
        QVERIFY2(listed.exitCode == 0, listed.err.constData());
        const QJsonArray environments = QJsonDocument::fromJson(listed.out).object().value(u"environments"_s).toArray();
        QCOMPARE(environments.size(), 1);
        QCOMPARE(environments.at(0)[u"url"_s].toString(), discovery.url().toString());
    }

    void badInputGetsASentence_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown cloud") << QStringList {u"--cloud"_s, u"mars"_s} << 2
                                       << u"--cloud must be commercial, gcc, gcc-high, dod, china or custom"_s;
        QTest::newRow("discovery URL not https") << QStringList {u"--discovery-url"_s, u"http://example.com"_s} << 2
                                                 << u"--discovery-url must be an https:// address"_s;
        QTest::newRow("format") << QStringList {u"--format"_s, u"csv"_s} << 2 << u"--format must be table or json"_s;
        QTest::newRow("unknown cloud beside a discovery URL")
            << QStringList {u"--cloud"_s, u"mars"_s, u"--discovery-url"_s, u"https://globaldisco.example.com"_s} << 2
            << u"--cloud must be commercial, gcc, gcc-high, dod, china or custom, not 'mars'."_s;
        QTest::newRow("custom cloud, no discovery URL")
            << QStringList {u"--cloud"_s, u"custom"_s} << 2 << u"--cloud custom needs --discovery-url URL"_s;
        QTest::newRow("argument") << QStringList {u"extra"_s} << 2 << u"takes no arguments"_s;
    }
    void badInputGetsASentence()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        const CliRun run = runCli(withToken(args), env());
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(says.toUtf8()), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void theDemoEnvironmentIsNotDiscovered()
    {
        const CliRun run = runCli({u"environments"_s, u"--profile"_s, u"demo"_s}, env());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("not listed by a discovery service"), run.err.constData());
    }

    // The service answers, but not with environments: exit 4 and the sentence, nothing printed on stdout.
    void aReplyOfTheWrongShape()
    {
        const QString broken = writeFile(u"broken.json"_s, quoted("[{'FriendlyName': 'No address'}]"));
        SandboxProcess sandbox({u"disco-token"_s}, {u"--discovery-instances"_s, broken});
        QVERIFY(sandbox.waitUntilListening());
        const CliRun run = runCli(withToken({u"--discovery-url"_s, sandbox.url().toString()}), env());
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains("something other than a list of environments (entry 2 has no Url address)"),
                 run.err.constData());
        QVERIFY(run.out.isEmpty());

        SandboxProcess truncating({u"disco-token"_s}, {u"--faults"_s, u"truncate:path=discovery"_s});
        QVERIFY(truncating.waitUntilListening());
        const CliRun cut = runCli(withToken({u"--discovery-url"_s, truncating.url().toString()}), env());
        QCOMPARE(cut.exitCode, 4);
        QVERIFY2(cut.err.contains("not JSON"), cut.err.constData());
    }

    void aRefusedTokenExits3()
    {
        QProcessEnvironment e = env();
        e.insert(u"DISCO_TOKEN"_s, u"not-this-one"_s);
        const CliRun run = runCli(withToken({u"--discovery-url"_s, m_sandbox->url().toString()}), e);
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.out.isEmpty());
    }

    void theSandboxRefusesABadInstancesFile()
    {
        const QString notAList = writeFile(u"object.json"_s, quoted("{'value': []}"));
        QProcess sandbox;
        sandbox.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN),
                      {u"--data-dir"_s, m_files.filePath(u"d"_s), u"--discovery-instances"_s, notAList});
        QVERIFY(sandbox.waitForFinished(30000));
        QCOMPARE(sandbox.exitCode(), 2);
        QVERIFY(sandbox.readAllStandardError().contains("must hold a JSON array of instances"));
    }
};

QTEST_GUILESS_MAIN(TestDiscovery)
#include "tst_discovery.moc"
