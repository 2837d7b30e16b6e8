// The Demo environment from autoclose-cli: the real CLI starts the real autoclose-sandbox as its child on the Demo
// environment's data directory, stops it when the command ends (however it ends), and shares the data with the
// window's in-process sandbox and with other CLI runs on the same directory.
#include "CliProcess.h"
#include "SandboxFixture.h"

#include "app/common/DemoData.h"
#include "app/platform/Platform.h"
#include "app/sandbox/DemoSeed.h"
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/SandboxStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
const QString Demo = u"Demo environment"_s;

// The CLI's command line for the Demo environment on dataDir.
QStringList demoArgs(const QString &dataDir, const QStringList &command)
{
    return QStringList {u"--profile"_s, Demo, u"--demo-data-dir"_s, dataDir} + command;
}

// Where the test's own files go (the audit log, "before apply" snapshots, profiles): never the user's.
QProcessEnvironment testEnvironment(const QString &scratch)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"AUTOCLOSE_DATA_DIR"_s, scratch + u"/data"_s);
    env.insert(u"AUTOCLOSE_CONFIG_DIR"_s, scratch + u"/config"_s);
    return env;
}

// A CLI run that goes on while this process serves its own sandbox (the event loop turns meanwhile).
struct RunningCli
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();

    RunningCli(const QStringList &args, const QProcessEnvironment &env)
    {
        process->setProcessEnvironment(env);
        process->start(QStringLiteral(AUTOCLOSE_CLI_BIN), args);
        process->closeWriteChannel();
    }
    CliRun finish()
    {
        CliRun run;
        if (!QTest::qWaitFor([this] { return process->state() == QProcess::NotRunning; }, 60000))
            return run;
        run.exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -2;
        run.out = process->readAllStandardOutput();
        run.err = process->readAllStandardError();
        return run;
    }
};

#ifdef Q_OS_LINUX
// The processes whose command line names path (an autoclose-sandbox started on it); Linux only.
QList<qint64> processesNaming(const QString &path)
{
    QList<qint64> found;
    const QByteArray needle = QFile::encodeName(path);
    for (const QString &entry : QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric || pid == QCoreApplication::applicationPid())
            continue;
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(entry));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle))
            found << pid;
    }
    return found;
}

bool processAlive(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    // A zombie has ended; only its parent has not collected it yet.
    return status.open(QIODevice::ReadOnly) && !status.readAll().contains("State:\tZ");
}
#endif

// The configurations `list --format json` printed, by name → minutes (-1 for never).
QMap<QString, int> listed(const CliRun &run)
{
    QMap<QString, int> byName;
    const QJsonArray configs = QJsonDocument::fromJson(run.out).object().value(u"configurations"_s).toArray();
    for (const QJsonValue &v : configs)
        byName.insert(v[u"name"_s].toString(), v[u"minutes"_s].isNull() ? -1 : v[u"minutes"_s].toInt());
    return byName;
}

QByteArray failure(const CliRun &run)
{
    return "exit " + QByteArray::number(run.exitCode) + ": " + run.err;
}

// A copy of autoclose-cli alone in a directory, with whatever is put beside it as autoclose-sandbox.
struct LoneCli
{
    QTemporaryDir dir;
    QString cli;

    LoneCli()
        : cli(dir.filePath(QFileInfo(QStringLiteral(AUTOCLOSE_CLI_BIN)).fileName()))
    {
        QFile::copy(QStringLiteral(AUTOCLOSE_CLI_BIN), cli);
    }
    // A shell script standing in for autoclose-sandbox.
    bool fakeSandbox(const QByteArray &script)
    {
        QFile fake(dir.filePath(u"autoclose-sandbox"_s));
        return fake.open(QIODevice::WriteOnly) && fake.write("#!/bin/sh\n" + script) > 0 &&
            fake.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
};
} // namespace

class TestCliDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_scratch = std::make_unique<QTemporaryDir>();
        QVERIFY(m_scratch->isValid());
        m_demoDir = m_scratch->filePath(u"demo"_s);
        m_env = testEnvironment(m_scratch->path());
    }

    void cleanup()
    {
#ifdef Q_OS_LINUX
        // Whatever a test did, no sandbox on its data directory is left behind.
        QVERIFY(QTest::qWaitFor([this] { return processesNaming(m_demoDir).isEmpty(); }, 5000));
#endif
        m_scratch.reset();
    }

    void listShowsTheSeededConfigurationsAndTheChildIsGone()
    {
        const CliRun run = runCli(demoArgs(m_demoDir, {u"list"_s, u"--format"_s, u"json"_s}), m_env);
        QVERIFY2(run.exitCode == 0, failure(run));
        const QMap<QString, int> configs = listed(run);
        QCOMPARE(configs.size(), 24);
        QCOMPARE(configs.value(u"Live Chat - Open"_s), 20);
        QVERIFY(QFile::exists(m_demoDir + u"/sandbox.sqlite"_s));
        QVERIFY2(!run.err.contains("data in"), run.err.constData()); // the child's chatter is not the CLI's
#ifdef Q_OS_LINUX
        // Gone when the command has ended: no waiting for it.
        QCOMPARE(processesNaming(m_demoDir), QList<qint64> {});
#endif
    }

    void setThenListExportDiffAndPreview()
    {
        const CliRun set =
            runCli(demoArgs(m_demoDir, {u"set"_s, u"Live Chat - Open"_s, u"45min"_s, u"--yes"_s}), m_env);
        QVERIFY2(set.exitCode == 0, failure(set));
        QVERIFY2(set.out.contains("1 change applied."), set.out.constData());
        const CliRun list = runCli(demoArgs(m_demoDir, {u"list"_s, u"--format"_s, u"json"_s}), m_env);
        QVERIFY2(list.exitCode == 0, failure(list));
        QCOMPARE(listed(list).value(u"Live Chat - Open"_s), 45);

        // The set went through EditSession: one audit entry for the record.
        QFile audit(m_scratch->filePath(u"data/audit.jsonl"_s));
        QVERIFY(audit.open(QIODevice::ReadOnly));
        const QByteArray entries = audit.readAll();
        QCOMPARE(entries.count('\n'), 1);
        QVERIFY(entries.contains("\"recordName\":\"Live Chat - Open\""));

        const QString snapshot = m_scratch->filePath(u"demo.json"_s);
        const CliRun exported = runCli(demoArgs(m_demoDir, {u"export"_s, u"-o"_s, snapshot}), m_env);
        QVERIFY2(exported.exitCode == 0, failure(exported));
        const CliRun same = runCli(demoArgs(m_demoDir, {u"diff"_s, snapshot, u"live"_s}), m_env);
        QVERIFY2(same.exitCode == 0, QByteArray(failure(same) + same.out));
        QVERIFY2(same.out.contains("24 the same"), same.out.constData());

        const CliRun again = runCli(demoArgs(m_demoDir, {u"set"_s, u"Live Chat - Open"_s, u"1h"_s, u"--yes"_s}), m_env);
        QVERIFY2(again.exitCode == 0, failure(again));
        const CliRun differs = runCli(demoArgs(m_demoDir, {u"diff"_s, snapshot, u"live"_s}), m_env);
        QCOMPARE(differs.exitCode, 1);
        QVERIFY2(differs.out.contains("45 min") && differs.out.contains("1 h "), differs.out.constData());

        // And back, from the file.
        const CliRun applied = runCli(demoArgs(m_demoDir, {u"apply"_s, snapshot, u"--yes"_s}), m_env);
        QVERIFY2(applied.exitCode == 0, failure(applied));
        QCOMPARE(listed(runCli(demoArgs(m_demoDir, {u"list"_s, u"--format"_s, u"json"_s}), m_env))
                     .value(u"Live Chat - Open"_s),
                 45);

        const CliRun preview = runCli(demoArgs(m_demoDir,
                                               {u"preview"_s, u"--set"_s, u"Live Chat - Open=10"_s, u"--at"_s, u"+8h"_s,
                                                u"--format"_s, u"json"_s}),
                                      m_env);
        QVERIFY2(preview.exitCode == 0, failure(preview));
        const QJsonObject counted = QJsonDocument::fromJson(preview.out).object();
        QCOMPARE(counted.value(u"counts"_s).toArray().size(), 24);
        QVERIFY(counted.contains(u"conversations"_s));
    }

    void diffReachesTheDemoEnvironmentAsAProfileOperand()
    {
        const QString snapshot = m_scratch->filePath(u"demo.json"_s);
        QCOMPARE(runCli(demoArgs(m_demoDir, {u"export"_s, u"-o"_s, snapshot}), m_env).exitCode, 0);
        const CliRun run = runCli(
            {u"--demo-data-dir"_s, m_demoDir, u"diff"_s, snapshot, u"profile:"_s + Demo, u"--format"_s, u"json"_s},
            m_env);
        QVERIFY2(run.exitCode == 0, QByteArray(failure(run) + run.out));
    }

    // The window's Demo environment runs the sandbox in its own process (LocalSandbox, as EditorApp does); the CLI's
    // child serves the same database at the same time, and each sees what the other wrote.
    void theWindowsSandboxAndTheCliShareTheData()
    {
        LocalSandbox::Options options;
        options.dataDir = m_demoDir;
        const auto window = SandboxFixture::start(options);
        QVERIFY(window);
        m_env.insert(u"AUTOCLOSE_DATA_DIR"_s, window->dataDir());

        // The CLI saves while the window saves another record through its own sandbox.
        RunningCli cli(demoArgs(m_demoDir, {u"set"_s, u"Live Chat - Open"_s, u"33"_s, u"--yes"_s}), m_env);
        QVERIFY(window->colleagueSaves(u"SMS"_s, u"Open"_s, 77));
        const CliRun set = cli.finish();
        QVERIFY2(set.exitCode == 0, failure(set));

        // The window's next Refresh shows the CLI's value; the CLI's next list shows the window's.
        const auto chat = window->read(u"Live chat"_s, u"Open"_s);
        QVERIFY(chat);
        QCOMPARE(chat->minutes, std::optional<int>(33));
        RunningCli list(demoArgs(m_demoDir, {u"list"_s, u"--format"_s, u"json"_s}), m_env);
        const CliRun listedRun = list.finish();
        QVERIFY2(listedRun.exitCode == 0, failure(listedRun));
        const QMap<QString, int> configs = listed(listedRun);
        QCOMPARE(configs.value(u"Live Chat - Open"_s), 33);
        QCOMPARE(configs.value(u"SMS - Open"_s), 77);
    }

    // Several CLI runs and the window writing at once: every write waits its turn; none fails with "database is
    // locked", none is lost.
    void concurrentWritersAllSucceed()
    {
        LocalSandbox::Options options;
        options.dataDir = m_demoDir;
        const auto window = SandboxFixture::start(options);
        QVERIFY(window);
        m_env.insert(u"AUTOCLOSE_DATA_DIR"_s, window->dataDir());
        const QStringList names = {u"Live Chat - Open"_s, u"Live Chat - Active"_s, u"Live Chat - Waiting"_s,
                                   u"Live Chat - Wrap-up"_s};
        std::vector<std::unique_ptr<RunningCli>> runs;
        for (qsizetype i = 0; i < names.size(); ++i)
            runs.push_back(std::make_unique<RunningCli>(
                demoArgs(m_demoDir, {u"set"_s, names.at(i), QString::number(100 + i), u"--yes"_s}), m_env));
        for (int minutes = 200; minutes < 205; ++minutes)
            QVERIFY(window->colleagueSaves(u"SMS"_s, u"Active"_s, minutes));
        for (const auto &run : runs) {
            const CliRun done = run->finish();
            QVERIFY2(done.exitCode == 0, failure(done));
        }
        const QMap<QString, int> configs =
            listed(runCli(demoArgs(m_demoDir, {u"list"_s, u"--format"_s, u"json"_s}), m_env));
        for (qsizetype i = 0; i < names.size(); ++i)
            QCOMPARE(configs.value(names.at(i)), 100 + i);
        QCOMPARE(configs.value(u"SMS - Active"_s), 204);
    }

    // A new data directory reached by several CLI runs at once is seeded once: each run sees the 24 configurations,
    // and the database holds one demo environment, not two.
    void runsStartingTogetherSeedOnce()
    {
        std::vector<std::unique_ptr<RunningCli>> runs;
        for (int i = 0; i < 4; ++i)
            runs.push_back(
                std::make_unique<RunningCli>(demoArgs(m_demoDir, {u"list"_s, u"--format"_s, u"json"_s}), m_env));
        for (const auto &run : runs) {
            const CliRun done = run->finish();
            QVERIFY2(done.exitCode == 0, failure(done));
            QCOMPARE(listed(done).size(), 24);
        }
        auto store = SandboxStore::open(m_demoDir);
        QVERIFY(store);
        const auto configurations = store.value()->count(*EntitySchema::find(u"msdyn_occhannelstateconfigurations"_s));
        QVERIFY(configurations);
        QCOMPARE(configurations.value(), 24);
        const auto conversations = store.value()->count(*EntitySchema::find(u"msdyn_ocliveworkitems"_s));
        QVERIFY(conversations);
        QCOMPARE(conversations.value(), qint64(DemoSeed::DefaultConversationCount));
    }

    // Without --demo-data-dir the CLI uses the editor's directory (DemoData::defaultDirectory()), and the editor
    // opens the same one: after both, there is one demo database.
    void theDefaultDirectoryIsTheEditors()
    {
#ifndef Q_OS_LINUX
        QSKIP("checks the XDG layout of the per-user data directory (Linux)");
#else
        const QString home = m_scratch->filePath(u"home"_s);
        QVERIFY(QDir().mkpath(home));
        m_env.insert(u"HOME"_s, home);
        m_env.remove(u"XDG_DATA_HOME"_s);
        m_env.remove(u"XDG_CONFIG_HOME"_s);
        m_env.remove(u"AUTOCLOSE_CONFIG_DIR"_s);
        m_demoDir = home + u"/.local/share/AutoCloseEditor/autoclose-editor/demo"_s;
        const CliRun set = runCli({u"--profile"_s, Demo, u"set"_s, u"Live Chat - Open"_s, u"21"_s, u"--yes"_s}, m_env);
        QVERIFY2(set.exitCode == 0, failure(set));
        QVERIFY(QFile::exists(m_demoDir + u"/sandbox.sqlite"_s));

        QProcess editor;
        m_env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        editor.setProcessEnvironment(m_env);
        editor.start(QStringLiteral(AUTOCLOSE_EDITOR_BIN), {u"--profile"_s, Demo, u"--quit-after-load"_s});
        QVERIFY(editor.waitForFinished(60000));
        QVERIFY2(editor.exitCode() == 0, editor.readAllStandardError().constData());
        QStringList databases;
        for (QDirIterator it(home, {u"sandbox.sqlite"_s}, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
             it.hasNext();)
            databases << it.next();
        QCOMPARE(databases, QStringList {m_demoDir + u"/sandbox.sqlite"_s});

        // And the function both call says the same under this process's own name; the test's environment is put
        // back after, for the tests that follow (their children inherit it).
        const QByteArray oldHome = qgetenv("HOME");
        const bool hadXdg = qEnvironmentVariableIsSet("XDG_DATA_HOME");
        const QByteArray oldXdg = qgetenv("XDG_DATA_HOME");
        qputenv("HOME", QFile::encodeName(home));
        qunsetenv("XDG_DATA_HOME");
        const QString computed = DemoData::defaultDirectory();
        qputenv("HOME", oldHome);
        if (hadXdg)
            qputenv("XDG_DATA_HOME", oldXdg);
        QCOMPARE(computed, m_demoDir);
#endif
    }

    void aMissingSandboxSaysWhatToDo()
    {
        LoneCli lone;
        QVERIFY(QFile::exists(lone.cli));
        QProcess cli;
        cli.setProcessEnvironment(m_env);
        cli.start(lone.cli, demoArgs(m_demoDir, {u"list"_s}));
        QVERIFY(cli.waitForFinished(30000));
        const QByteArray err = cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 4);
        QVERIFY2(err.contains("needs autoclose-sandbox") && err.contains(QFile::encodeName(lone.dir.path())) &&
                     err.contains("Reinstall") && err.contains("--url"),
                 err.constData());
        QVERIFY(!QFile::exists(m_demoDir));
    }

    void aSandboxThatFailsIsReportedWithWhatItSaid()
    {
#ifndef Q_OS_UNIX
        QSKIP("stands a shell script in for autoclose-sandbox");
#else
        LoneCli lone;
        QVERIFY(lone.fakeSandbox("echo 'autoclose-sandbox: Cannot open the sandbox database.' >&2\nexit 1\n"));
        QProcess cli;
        cli.setProcessEnvironment(m_env);
        cli.start(lone.cli, demoArgs(m_demoDir, {u"list"_s}));
        QVERIFY(cli.waitForFinished(30000));
        const QByteArray err = cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 4);
        QVERIFY2(err.contains("could not start") && err.contains("exit code 1") &&
                     err.contains("Cannot open the sandbox database"),
                 err.constData());
#endif
    }

    // A child that never says where it listens: the CLI gives up after --timeout, says so, and the child is gone.
    void aSandboxThatNeverListensTimesOut()
    {
#ifndef Q_OS_UNIX
        QSKIP("stands a shell script in for autoclose-sandbox");
#else
        LoneCli lone;
        const QString pidFile = lone.dir.filePath(u"pid"_s);
        QVERIFY(lone.fakeSandbox("echo $$ > '" + QFile::encodeName(pidFile) + "'\nexec sleep 600\n"));
        QProcess cli;
        cli.setProcessEnvironment(m_env);
        cli.start(lone.cli, demoArgs(m_demoDir, {u"--timeout"_s, u"1"_s, u"list"_s}));
        QVERIFY(cli.waitForFinished(30000));
        const QByteArray err = cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 4);
        QVERIFY2(err.contains("did not start within 1 s"), err.constData());
        QFile pid(pidFile);
        QVERIFY(pid.open(QIODevice::ReadOnly));
        const qint64 child = pid.readAll().trimmed().toLongLong();
        QVERIFY(child > 0);
#ifdef Q_OS_LINUX
        QVERIFY(QTest::qWaitFor([child] { return !processAlive(child); }, 5000)); // terminated: sleep ignores stdin
#endif
#endif
    }

    // However the CLI ends — SIGINT, SIGTERM, SIGKILL — its child sees its stdin end and stops. The token reaches it
    // in its environment, never on its command line.
    void theChildEndsWithTheCli_data()
    {
        QTest::addColumn<Platform::ProcessSignal>("signal");
        QTest::newRow("SIGINT") << Platform::ProcessSignal::Interrupt;
        QTest::newRow("SIGTERM") << Platform::ProcessSignal::Terminate;
        QTest::newRow("SIGKILL") << Platform::ProcessSignal::Kill;
    }
    void theChildEndsWithTheCli()
    {
#ifndef Q_OS_LINUX
        QSKIP("watches the child through /proc (Linux)");
#else
        QFETCH(Platform::ProcessSignal, signal);
        LoneCli lone;
        const QByteArray dir = QFile::encodeName(lone.dir.path());
        // Like the real one with --exit-when-stdin-closes: it lives until its stdin ends.
        QVERIFY(lone.fakeSandbox("echo \"$@\" > '" + dir + "/args'\nprintf %s \"$AUTOCLOSE_DEMO_TOKEN\" > '" + dir +
                                 "/token'\necho $$ > '" + dir + "/pid'\nexec cat > /dev/null\n"));
        QProcess cli;
        cli.setProcessEnvironment(m_env);
        cli.start(lone.cli, demoArgs(m_demoDir, {u"list"_s}));
        const QString pidFile = lone.dir.filePath(u"pid"_s);
        QVERIFY(QTest::qWaitFor([&] { return QFileInfo(pidFile).size() > 0; }, 20000));
        QFile pid(pidFile);
        QVERIFY(pid.open(QIODevice::ReadOnly));
        const qint64 child = pid.readAll().trimmed().toLongLong();
        QVERIFY(processAlive(child));
        QVERIFY(Platform::signalProcess(cli.processId(), signal));
        QVERIFY(cli.waitForFinished(10000));
        QVERIFY(QTest::qWaitFor([child] { return !processAlive(child); }, 5000));

        QFile args(lone.dir.filePath(u"args"_s));
        QFile token(lone.dir.filePath(u"token"_s));
        QVERIFY(args.open(QIODevice::ReadOnly) && token.open(QIODevice::ReadOnly));
        const QByteArray given = args.readAll();
        const QByteArray secret = token.readAll();
        QVERIFY(secret.size() >= 40);
        QVERIFY2(given.contains("--token-env AUTOCLOSE_DEMO_TOKEN") && given.contains("--exit-when-stdin-closes") &&
                     given.contains("--port 0") && !given.contains(secret),
                 given.constData());
#endif
    }

    // The real autoclose-sandbox's half of it: --exit-when-stdin-closes stops it cleanly when its stdin ends.
    void theSandboxStopsWhenItsStdinCloses()
    {
        QProcess sandbox;
        QProcessEnvironment env = m_env;
        env.insert(u"AUTOCLOSE_TEST_TOKEN"_s, u"stdin-test-token"_s);
        sandbox.setProcessEnvironment(env);
        sandbox.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN),
                      {u"--port"_s, u"0"_s, u"--data-dir"_s, m_demoDir, u"--token-env"_s, u"AUTOCLOSE_TEST_TOKEN"_s,
                       u"--exit-when-stdin-closes"_s});
        QVERIFY(QTest::qWaitFor([&] { return sandbox.canReadLine(); }, 20000));
        QVERIFY(sandbox.readLine().startsWith("Listening on http://127.0.0.1:"));
        QTest::qWait(200);
        QCOMPARE(sandbox.state(), QProcess::Running);
        sandbox.closeWriteChannel();
        QVERIFY(sandbox.waitForFinished(5000));
        QCOMPARE(sandbox.exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.exitCode(), 0);
    }

    void sandboxRefusesAnEmptyTokenVariable()
    {
        QProcess sandbox;
        QProcessEnvironment env = m_env;
        env.remove(u"AUTOCLOSE_UNSET_TOKEN"_s);
        sandbox.setProcessEnvironment(env);
        sandbox.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN),
                      {u"--data-dir"_s, m_demoDir, u"--token-env"_s, u"AUTOCLOSE_UNSET_TOKEN"_s});
        QVERIFY(sandbox.waitForFinished(20000));
        QCOMPARE(sandbox.exitCode(), 2);
        QVERIFY(sandbox.readAllStandardError().contains("--token-env AUTOCLOSE_UNSET_TOKEN"));
    }

    // Sign-in belongs to profiles that sign in; discovery lists tenants' environments: neither is the Demo's.
    void signInAndDiscoveryStillRefuseTheDemo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("sentence");
        for (const QString &verb : {u"login"_s, u"logout"_s, u"whoami"_s})
            QTest::newRow(qPrintable(verb))
                << QStringList {u"--profile"_s, Demo, verb} << u"The Demo environment needs no sign-in"_s;
        QTest::newRow("environments") << QStringList {u"--profile"_s, Demo, u"environments"_s}
                                      << u"The Demo environment is not listed by a discovery service"_s;
    }
    void signInAndDiscoveryStillRefuseTheDemo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, sentence);
        const CliRun run = runCli(args, m_env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(sentence.toUtf8()), run.err.constData());
    }

    void helpDescribesTheDemoEnvironment()
    {
        const CliRun run = runCli({u"--help"_s}, m_env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--demo-data-dir <DIR>"));
        QVERIFY(run.out.contains("starts autoclose-sandbox"));
        QVERIFY(!run.out.contains("inside the editor"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_scratch;
    QString m_demoDir;
    QProcessEnvironment m_env;
};

QTEST_GUILESS_MAIN(TestCliDemo)
#include "tst_clidemo.moc"
