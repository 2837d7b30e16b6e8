// autoclose-cli and autoclose-sandbox as users run them: real executables, real HTTP on 127.0.0.1.
#include "CliProcess.h"
#include "SandboxProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSet>
#include <QTest>

#include <csignal>

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
        QCOMPARE(lines.size(), 25);
        QVERIFY(lines.at(0).startsWith(u"CHANNEL"_s));
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
    }
    void failures()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, token);
        QFETCH(int, exitCode);
        QFETCH(QString, messagePart);
        args.replaceInStrings(u"SANDBOX"_s, m_sandbox->url().toString());
        const CliRun run = runCli(args, envWithToken(token));
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(QString::fromUtf8(run.err).contains(messagePart), run.err.constData());
        QVERIFY2(!run.err.contains(Token.toUtf8()), "the token never appears in the output");
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
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << SIGTERM;
        QTest::newRow("SIGINT") << SIGINT;
    }
    void sandboxPrintsOneLineAndStopsCleanlyOnSignals()
    {
        QFETCH(int, signal);
        SandboxProcess sandbox({Token});
        QVERIFY(sandbox.waitUntilListening());
        ::kill(pid_t(sandbox.process().processId()), signal);
        QVERIFY(sandbox.process().waitForFinished(10000));
        QCOMPARE(sandbox.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.process().exitCode(), 0);
        QCOMPARE(sandbox.process().readAllStandardOutput(), QByteArray()); // nothing after the one line
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
