// autoclose-cli and autoclose-sandbox as users run them: real executables, real HTTP on 127.0.0.1.
#include "CliProcess.h"
#include "SandboxProcess.h"

#include "app/platform/Platform.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"cli-test-token"_s;

QProcessEnvironment envWithToken(const QString &value)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"AUTOCLOSE_TEST_TOKEN"_s, value);
    return env;
}
} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {Token, u"second-token"_s});
        QVERIFY2(m_sandbox->waitUntilListening(), m_sandbox->process().readAllStandardError().constData());
        QCOMPARE(m_sandbox->url().host(), u"127.0.0.1"_s);
    }
    void cleanupTestCase() { m_sandbox.reset(); }

    void listAsJson()
    {
        const CliRun run = runCli({u"--url"_s, m_sandbox->url().toString(), u"--access-token-env"_s,
                                   u"AUTOCLOSE_TEST_TOKEN"_s, u"list"_s, u"--format"_s, u"json"_s},
                                  envWithToken(Token));
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object().keys(), QStringList {u"configurations"_s});
        const QJsonArray configs = doc.object().value(u"configurations"_s).toArray();
        QCOMPARE(configs.size(), 24);
        const QStringList keys = {u"channel"_s, u"etag"_s, u"id"_s, u"minutes"_s, u"name"_s, u"state"_s};
        QSet<QString> ids;
        bool sawNull = false;
        for (const QJsonValue &v : configs) {
            const QJsonObject c = v.toObject();
            QCOMPARE(c.keys(), keys);
            QVERIFY(c.value(u"channel"_s).isDouble());
            QVERIFY(c.value(u"state"_s).isDouble());
            QVERIFY(c.value(u"minutes"_s).isDouble() || c.value(u"minutes"_s).isNull());
            sawNull = sawNull || c.value(u"minutes"_s).isNull();
            QVERIFY(c.value(u"etag"_s).toString().startsWith(u"W/\""_s));
            ids.insert(c.value(u"id"_s).toString());
            if (c.value(u"name"_s).toString() == u"Live Chat - Open"_s) {
                QCOMPARE(c.value(u"channel"_s).toInt(), 192360000);
                QCOMPARE(c.value(u"state"_s).toInt(), 0);
                QCOMPARE(c.value(u"minutes"_s).toInt(), 20);
            }
        }
        QVERIFY(sawNull);
        QCOMPARE(ids.size(), 24);
    }

    void listAsTableIsTheDefault()
    {
        const CliRun run = runCli(
            {u"list"_s, u"--url"_s, m_sandbox->url().toString(), u"--access-token-env"_s, u"AUTOCLOSE_TEST_TOKEN"_s},
            envWithToken(u"second-token"_s));
        QCOMPARE(run.exitCode, 0);
        const QStringList lines = QString::fromUtf8(run.out).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 26); // the header, 24 records and where the workstreams' timers are
        QVERIFY(lines.at(0).startsWith(u"CHANNEL"_s));
        QVERIFY2(lines.last().contains(u"'autoclose-cli list --workstreams'"_s), qPrintable(lines.last()));
        const auto chatOpen = std::find_if(lines.begin(), lines.end(),
                                           [](const QString &l) { return l.contains(u"Live Chat - Open"_s); });
        QVERIFY(chatOpen != lines.end());
        QVERIFY(chatOpen->startsWith(u"Live chat"_s));
        QVERIFY(chatOpen->contains(u"20 min"_s));
    }

    void failures_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("messagePart");
        const QString url = u"SANDBOX"_s;
        const QString var = u"AUTOCLOSE_TEST_TOKEN"_s;
        QTest::newRow("wrong token") << QStringList {u"--url"_s, url, u"--access-token-env"_s, var, u"list"_s}
                                     << u"wrong"_s << 3 << u"did not accept the sign-in"_s;
        QTest::newRow("token variable unset")
            << QStringList {u"--url"_s, url, u"--access-token-env"_s, u"AUTOCLOSE_UNSET_VARIABLE"_s, u"list"_s} << Token
            << 2 << u"AUTOCLOSE_UNSET_VARIABLE is not set"_s;
        QTest::newRow("no sign-in") << QStringList {u"--url"_s, url, u"list"_s} << Token << 2
                                    << u"--access-token-env"_s;
        QTest::newRow("token on the command line is not an option")
            << QStringList {u"--url"_s, url, u"--access-token"_s, Token, u"list"_s} << Token << 2
            << u"Unknown option 'access-token'"_s;
        QTest::newRow("plain http elsewhere")
            << QStringList {u"--url"_s, u"http://contoso.crm.dynamics.com"_s, u"--access-token-env"_s, var, u"list"_s}
            << Token << 2 << u"Refusing plain http"_s;
        QTest::newRow("no url") << QStringList {u"--access-token-env"_s, var, u"list"_s} << Token << 2
                                << u"No environment given"_s;
        QTest::newRow("unknown command") << QStringList {u"--url"_s, url, u"--access-token-env"_s, var, u"lsit"_s}
                                         << Token << 2 << u"Unknown command 'lsit'"_s;
        QTest::newRow("no command") << QStringList {u"--url"_s, url} << Token << 2 << u"No command given"_s;
        QTest::newRow("bad format") << QStringList {u"--url"_s,    url,     u"--access-token-env"_s, var, u"list"_s,
                                                    u"--format"_s, u"xml"_s}
                                    << Token << 2 << u"--format must be table or json"_s;
        QTest::newRow("nobody listening")
            << QStringList {u"--url"_s, u"http://127.0.0.1:1"_s, u"--access-token-env"_s, var, u"list"_s} << Token << 4
            << u"Could not reach 127.0.0.1"_s;

        // Every flag and operand a user can get wrong, with what they read (exit 2: nothing was done).
        const QStringList env = {u"--url"_s, url, u"--access-token-env"_s, var};
        const auto bad = [&](const char *name, const QStringList &args, const QString &message) {
            QTest::newRow(name) << args << Token << 2 << message;
        };
        bad("timeout zero", env + QStringList {u"--timeout"_s, u"0"_s, u"list"_s},
            u"--timeout takes seconds, from 0.1 to 3600, not '0'"_s);
        bad("timeout word", env + QStringList {u"--timeout"_s, u"soon"_s, u"list"_s}, u"not 'soon'"_s);
        bad("-o with list", env + QStringList {u"list"_s, u"-o"_s, u"x.json"_s}, u"-o goes with preview and export"_s);
        bad("--dry-run with list", env + QStringList {u"list"_s, u"--dry-run"_s},
            u"--dry-run and --yes go with set and apply"_s);
        bad("--auth with list", env + QStringList {u"list"_s, u"--auth"_s, u"browser"_s},
            u"--auth goes with 'profiles add'"_s);
        bad("list with an operand", env + QStringList {u"list"_s, u"extra"_s},
            u"'list' takes no arguments, but got 'extra'"_s);
        bad("set without a value", env + QStringList {u"set"_s, u"Live Chat - Open"_s},
            u"set takes a configuration or workstream and a value"_s);
        bad("set with an unknown unit", env + QStringList {u"set"_s, u"Live Chat - Open"_s, u"5 fortnights"_s},
            u"“fortnights” is not a unit"_s);
        bad("set a negative value", env + QStringList {u"set"_s, u"Live Chat - Open"_s, u"-5"_s},
            u"-5: a value cannot be negative"_s);
        bad("set an unknown configuration", env + QStringList {u"set"_s, u"Nonexistent"_s, u"5"_s, u"--yes"_s},
            u"Nonexistent: no configuration has that id or name"_s);
        bad("set an ambiguous name", env + QStringList {u"set"_s, u"Live Chat"_s, u"5"_s, u"--yes"_s},
            u"Did you mean:\n"_s);
        bad("apply without a file", env + QStringList {u"apply"_s}, u"apply takes one snapshot file"_s);
        bad("apply a missing file", env + QStringList {u"apply"_s, u"/nonexistent/x.json"_s},
            u"/nonexistent/x.json: no such file"_s);
        bad("diff with one operand", env + QStringList {u"diff"_s, u"live"_s}, u"diff takes two operands"_s);
        bad("export as xml", env + QStringList {u"export"_s, u"--format"_s, u"xml"_s},
            u"--format must be json or csv for export, not 'xml'"_s);
        bad("diff as csv", env + QStringList {u"diff"_s, u"a"_s, u"b"_s, u"--format"_s, u"csv"_s},
            u"--format must be table or json, not 'csv'"_s);
        bad("preview at a word", env + QStringList {u"preview"_s, u"--at"_s, u"tomorrow"_s},
            u"--at tomorrow: give a time (2026-05-01T08:00:00Z) or a delay (+8h, +2d)"_s);
        bad("preview basis", env + QStringList {u"preview"_s, u"--basis"_s, u"closed"_s},
            u"--basis must be created or modified, not 'closed'"_s);
        bad("preview --set without a value", env + QStringList {u"preview"_s, u"--set"_s, u"Live Chat - Open"_s},
            u"--set takes NAME_OR_ID=VALUE"_s);
        bad("preview --set an unknown configuration", env + QStringList {u"preview"_s, u"--set"_s, u"Nope=5"_s},
            u"--set Nope: no configuration has that id or name"_s);
        bad("--set with export", env + QStringList {u"export"_s, u"--set"_s, u"x=5"_s},
            u"--set, --at and --basis go with preview"_s);
        bad("unknown profile", {u"--profile"_s, u"Nobody"_s, u"list"_s}, u"No profile named \"Nobody\""_s);
        bad("profile and url", {u"--profile"_s, u"Nobody"_s, u"--url"_s, url, u"list"_s}, u"leave out --url"_s);
        bad("profiles add without url", {u"profiles"_s, u"add"_s, u"X"_s}, u"profiles add needs --url"_s);
        bad("profiles add unknown method",
            {u"profiles"_s, u"add"_s, u"X"_s, u"--url"_s, u"https://contoso.crm.dynamics.com"_s, u"--auth"_s,
             u"magic"_s},
            u"--auth must be browser, device-code, client-secret or env-token, not 'magic'"_s);
        bad("profiles add a word for url",
            {u"profiles"_s, u"add"_s, u"X"_s, u"--url"_s, u"contoso"_s, u"--auth"_s, u"device-code"_s},
            u"\"contoso\" is not a full environment address"_s);
        bad("profiles remove unknown", {u"profiles"_s, u"remove"_s, u"Nobody"_s}, u"No profile named \"Nobody\""_s);
        bad("plaintext-secrets maybe", {u"profiles"_s, u"plaintext-secrets"_s, u"maybe"_s}, u"takes on or off"_s);
        bad("profiles unknown verb", {u"profiles"_s, u"frobnicate"_s},
            u"profiles takes list, add, remove or plaintext-secrets"_s);
        bad("login with url", {u"login"_s, u"--url"_s, url}, u"login works on a profile"_s);
        bad("ftp url", {u"--url"_s, u"ftp://contoso.crm.dynamics.com"_s, u"--access-token-env"_s, var, u"list"_s},
            u"uses ftp:, but an environment is reached over https"_s);
    }
    void failures()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, token);
        QFETCH(int, exitCode);
        QFETCH(QString, messagePart);
        args.replaceInStrings(u"SANDBOX"_s, m_sandbox->url().toString());
        // Profiles and data of this run only.
        QTemporaryDir config;
        QProcessEnvironment env = envWithToken(token);
        env.insert(u"AUTOCLOSE_CONFIG_DIR"_s, config.path());
        env.insert(u"AUTOCLOSE_DATA_DIR"_s, config.path());
        const CliRun run = runCli(args, env);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(QString::fromUtf8(run.err).contains(messagePart), run.err.constData());
        QVERIFY2(!run.err.contains(Token.toUtf8()), "the token never appears in the output");
    }

    // The dispatcher refuses, from its table, an option the command does not take, naming the commands that do:
    // one of each family's options (list and preview, the snapshot commands, profiles, login/logout/whoami's
    // --profile and the shared ones) given to a command of each family.
    void optionsACommandDoesNotTakeAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("sentence");
        const auto refused = [](const char *name, const QStringList &args, const QString &sentence) {
            QTest::newRow(name) << args << sentence;
        };
        const QString preview = u"--set, --at and --basis go with preview."_s;
        const QString snapshot = u"-o goes with preview and export; --dry-run and --yes go with set and apply."_s;
        refused("preview's --at with list", {u"list"_s, u"--at"_s, u"+8h"_s}, preview);
        refused("preview's --basis with diff", {u"diff"_s, u"a"_s, u"b"_s, u"--basis"_s, u"modified"_s}, preview);
        refused("preview's --set with profiles add", {u"profiles"_s, u"add"_s, u"X"_s, u"--set"_s, u"x=5"_s}, preview);
        refused("preview's --set with login", {u"login"_s, u"--set"_s, u"x=5"_s}, preview);
        refused("-o with environments", {u"environments"_s, u"-o"_s, u"x.json"_s}, snapshot);
        refused("export's --output with whoami", {u"whoami"_s, u"--output"_s, u"x.json"_s}, snapshot);
        refused("apply's --yes with profiles list", {u"profiles"_s, u"list"_s, u"--yes"_s}, snapshot);
        refused("set's --dry-run with export", {u"export"_s, u"--dry-run"_s},
                u"--dry-run and --yes go with set and apply."_s);
        refused("export's -o with set", {u"set"_s, u"X"_s, u"5"_s, u"-o"_s, u"x.json"_s},
                u"-o goes with preview and export."_s);
        refused("profiles add's --tenant with whoami", {u"whoami"_s, u"--tenant"_s, u"t"_s},
                u"--tenant goes with 'profiles add'."_s);
        refused("profiles add's --production and --client-id with apply",
                {u"apply"_s, u"x.json"_s, u"--production"_s, u"--client-id"_s, u"c"_s},
                u"--client-id and --production go with 'profiles add'."_s);
        refused("profiles list's --format with set", {u"set"_s, u"X"_s, u"5"_s, u"--format"_s, u"json"_s},
                u"--format goes with list, preview, export, diff, history, environments and 'profiles list'."_s);
        refused("--format with logout", {u"logout"_s, u"--format"_s, u"json"_s},
                u"--format goes with list, preview, export, diff, history, environments and 'profiles list'."_s);
        refused(
            "login's --profile with profiles remove", {u"profiles"_s, u"remove"_s, u"X"_s, u"--profile"_s, u"P"_s},
            u"--profile goes with list, preview, export, diff, set, apply, history, environments, login, logout and whoami."_s);
        refused("--timeout with profiles plaintext-secrets",
                {u"profiles"_s, u"plaintext-secrets"_s, u"on"_s, u"--timeout"_s, u"5"_s},
                u"--timeout goes with list, preview, export, diff, set, apply, history, environments and whoami."_s);
        refused(
            "--access-token-env with profiles add",
            {u"profiles"_s, u"add"_s, u"X"_s, u"--url"_s, u"https://contoso.crm.dynamics.com"_s,
             u"--access-token-env"_s, u"V"_s},
            u"--access-token-env goes with list, preview, export, diff, set, apply, history, environments and whoami."_s);
        refused("--url with logout", {u"logout"_s, u"--url"_s, u"https://contoso.crm.dynamics.com"_s},
                u"logout works on a profile (--profile NAME); with --url and --access-token-env there is no sign-in "
                u"to keep."_s);
        refused("several at once", {u"list"_s, u"--yes"_s, u"--basis"_s, u"created"_s, u"--tenant"_s, u"t"_s},
                u"--set, --at and --basis go with preview; -o goes with preview and export; --tenant goes with "_s
                u"'profiles add'; --dry-run and --yes go with set and apply."_s);
    }
    void optionsACommandDoesNotTakeAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, sentence);
        // Profiles and data of this run only: nothing may be read or written.
        QTemporaryDir config;
        QProcessEnvironment env = envWithToken(Token);
        env.insert(u"AUTOCLOSE_CONFIG_DIR"_s, config.path());
        env.insert(u"AUTOCLOSE_DATA_DIR"_s, config.path());
        const CliRun run = runCli(args, env);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.out, QByteArray());
        QCOMPARE(QString::fromUtf8(run.err),
                 u"autoclose-cli: "_s + sentence + u"\nRun 'autoclose-cli --help' for usage.\n"_s);
        QCOMPARE(QDir(config.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    }

    void throttlingIsReportedAndWaitedFor()
    {
        SandboxProcess throttled({Token}, {u"--faults"_s, u"429:times=1:retry-after=1"_s});
        QVERIFY(throttled.waitUntilListening());
        const CliRun run = runCli({u"--url"_s, throttled.url().toString(), u"--access-token-env"_s,
                                   u"AUTOCLOSE_TEST_TOKEN"_s, u"list"_s, u"--format"_s, u"json"_s},
                                  envWithToken(Token));
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("throttled by the environment, retrying in 1 s"), run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out)[u"configurations"_s].toArray().size(), 24);
    }

    void helpDocumentsExitCodes()
    {
        const CliRun run = runCli({u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--access-token-env"));
        QVERIFY(run.out.contains("Exit codes"));
    }

    void sandboxPrintsOneLineAndStopsCleanlyOnSignals_data()
    {
        QTest::addColumn<Platform::ProcessSignal>("signal");
        QTest::newRow("SIGTERM") << Platform::ProcessSignal::Terminate;
        QTest::newRow("SIGINT") << Platform::ProcessSignal::Interrupt;
    }
    void sandboxPrintsOneLineAndStopsCleanlyOnSignals()
    {
#ifdef Q_OS_WIN
        QSKIP("Windows has no signal that asks another process to end (Platform::signalProcess)");
#else
        QFETCH(Platform::ProcessSignal, signal);
        SandboxProcess sandbox({Token});
        QVERIFY(sandbox.waitUntilListening());
        QVERIFY(Platform::signalProcess(sandbox.process().processId(), signal));
        QVERIFY(sandbox.process().waitForFinished(10000));
        QCOMPARE(sandbox.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.process().exitCode(), 0);
        QCOMPARE(sandbox.process().readAllStandardOutput(), QByteArray()); // nothing after the one line
#endif
    }

    void sandboxRefusesBadFlags_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("port") << QStringList {u"--port"_s, u"http"_s} << 2 << u"--port must be a number"_s;
        QTest::newRow("lifetime") << QStringList {u"--token-lifetime"_s, u"0"_s} << 2 << u"--token-lifetime"_s;
        QTest::newRow("conversations") << QStringList {u"--conversations"_s, u"many"_s} << 2 << u"--conversations"_s;
        QTest::newRow("random seed") << QStringList {u"--random-seed"_s, u"-1"_s} << 2 << u"--random-seed"_s;
        QTest::newRow("seed file with count")
            << QStringList {u"--seed"_s, u"x.json"_s, u"--conversations"_s, u"5"_s} << 2 << u"--seed demo only"_s;
        QTest::newRow("missing seed file")
            << QStringList {u"--seed"_s, u"/nonexistent/seed.json"_s} << 1 << u"Seed file /nonexistent/seed.json"_s;
        QTest::newRow("unknown option") << QStringList {u"--colour"_s} << 1 << u"Unknown option 'colour'"_s;
    }
    void sandboxRefusesBadFlags()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, messagePart);
        QTemporaryDir dir;
        QProcess sandbox;
        sandbox.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN), args + QStringList {u"--data-dir"_s, dir.path()});
        QVERIFY(sandbox.waitForFinished(10000));
        QCOMPARE(sandbox.exitCode(), exitCode);
        const QByteArray err = sandbox.readAllStandardError();
        QVERIFY2(QString::fromUtf8(err).contains(messagePart), err.constData());
        QVERIFY(sandbox.readAllStandardOutput().isEmpty());
    }

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
