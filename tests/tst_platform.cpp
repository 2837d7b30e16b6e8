// The platform layer (app/platform/Platform.h) on whichever system the test runs — Linux here, Windows and macOS on
// the hosted CI: private files read back from the system, terminals, core dumps, the end of stdin, termination
// requests and signals sent to a process. What needs a process of its own runs in this test program started again
// as a child (AUTOCLOSE_PLATFORM_CHILD names its part).
#include "app/platform/Platform.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
const char *ChildVariable = "AUTOCLOSE_PLATFORM_CHILD";

void say(const char *line)
{
    std::fputs(line, stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// The child's parts. Each prints "ready" once it is set up, when the test has something to do to it.
int runChild(const QByteArray &mode)
{
    if (mode == "sleep") {
        // Killed by the test: a crash signal must leave no core file.
        Platform::disableCoreDumps();
        say("ready");
        QThread::sleep(300);
        return 0;
    }
    if (mode == "requests" || mode == "stdin") {
        Platform::TerminationRequests requests;
        Platform::StdinWatcher watcher;
        QObject::connect(&requests, &Platform::TerminationRequests::requested, [] {
            say("requested");
            QCoreApplication::exit(0);
        });
        QObject::connect(&watcher, &Platform::StdinWatcher::ended, [] {
            say("ended");
            QCoreApplication::exit(0);
        });
        QTimer::singleShot(120000, [] { QCoreApplication::exit(3); });
        say("ready");
        return QCoreApplication::exec();
    }
    if (mode == "coredumps") {
        const bool before = Platform::coreDumpsDisabled();
        Platform::disableCoreDumps();
        std::printf("before=%d after=%d\n", int(before), int(Platform::coreDumpsDisabled()));
        return 0;
    }
    if (mode == "terminal") {
        // Which of its standard streams are terminals, as bits of the exit code.
        return (Platform::isTerminal(stdin) ? 1 : 0) | (Platform::isTerminal(stdout) ? 2 : 0) |
            (Platform::isTerminal(stderr) ? 4 : 0);
    }
    return 100;
}

// This program started again as a child running mode.
struct Child
{
    QProcess process;

    explicit Child(const QByteArray &mode, const QProcessEnvironment &base = QProcessEnvironment::systemEnvironment())
    {
        QProcessEnvironment env = base;
        env.insert(QString::fromLatin1(ChildVariable), QString::fromLatin1(mode));
        process.setProcessEnvironment(env);
    }
    void start() { process.start(QCoreApplication::applicationFilePath(), {}); }
#ifdef Q_OS_WIN
    // A child inherits its parent's error mode, and QtTest's own handler has already turned the crash dialog off in
    // this one: started with the system's default mode, the child shows what disableCoreDumps changes.
    void withDefaultErrorMode()
    {
        constexpr unsigned long CreateDefaultErrorMode = 0x04000000; // CREATE_DEFAULT_ERROR_MODE (winbase.h)
        process.setCreateProcessArgumentsModifier(
            [](QProcess::CreateProcessArguments *arguments) { arguments->flags |= CreateDefaultErrorMode; });
    }
#endif
    bool startAndWaitUntilReady()
    {
        start();
        QByteArray said;
        return QTest::qWaitFor(
                   [&] {
                       said += process.readAllStandardOutput();
                       return said.contains("ready\n") || process.state() == QProcess::NotRunning;
                   },
                   60000) &&
            said.contains("ready\n");
    }
    // Ends the child, whatever happened to it.
    ~Child()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }
};

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// Gives path a mode every user can read (on POSIX; on Windows a new file or folder already takes in what its parent
// folder allows: its DACL is not protected).
bool makeReadableByAll(const QString &path)
{
#ifdef Q_OS_WIN
    Q_UNUSED(path);
    return true;
#else
    QFileDevice::Permissions all =
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (QFileInfo(path).isDir())
        all |= QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther;
    return QFile::setPermissions(path, all);
#endif
}

#ifdef Q_OS_LINUX
// The owner, group and other bits of path's mode, as Qt reads them (not through the layer).
QFileDevice::Permissions modeBits(const QString &path)
{
    const QFileDevice::Permissions bits = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
        QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
        QFileDevice::WriteOther | QFileDevice::ExeOther;
    return QFileInfo(path).permissions() & bits;
}
#endif
} // namespace

class TestPlatform : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void restrictToOwnerMakesAFileTheUsersAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"secret.json"_s);
        QVERIFY(writeFile(path, "{}"));
        QVERIFY(makeReadableByAll(path));
        QVERIFY(!Platform::isOwnerOnly(path));
        QVERIFY(Platform::restrictToOwner(path));
        QVERIFY(Platform::isOwnerOnly(path));
#ifdef Q_OS_LINUX
        QCOMPARE(modeBits(path), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
#endif
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly)); // still the user's to read
        QCOMPARE(file.readAll(), QByteArray("{}"));
    }

    void restrictToOwnerMakesAFolderTheUsersAlone()
    {
        QTemporaryDir parent;
        const QString path = parent.filePath(u"journal"_s);
        QVERIFY(QDir().mkpath(path));
        QVERIFY(makeReadableByAll(path));
        QVERIFY(!Platform::isOwnerOnly(path));
        QVERIFY(Platform::restrictToOwner(path));
        QVERIFY(Platform::isOwnerOnly(path));
#ifdef Q_OS_LINUX
        QCOMPARE(modeBits(path), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
#endif
        // Still the user's to use.
        QVERIFY(writeFile(path + u"/inside"_s, "x"));
        QCOMPARE(QDir(path).entryList(QDir::Files), QStringList {u"inside"_s});
    }

    // A QSaveFile's temporary file, made private before anything is written: the file that replaces an earlier
    // one readable by all is the user's alone; without the call it would not be.
    void restrictToOwnerMakesAnOpenFileTheUsersAlone_data()
    {
        QTest::addColumn<bool>("restrict");
        QTest::newRow("restricted") << true;
        QTest::newRow("left alone") << false;
    }
    void restrictToOwnerMakesAnOpenFileTheUsersAlone()
    {
        QFETCH(bool, restrict);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"journal.json"_s);
        QVERIFY(writeFile(path, "earlier"));
        QVERIFY(makeReadableByAll(path));
        QSaveFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        if (restrict)
            QVERIFY(Platform::restrictToOwner(file));
        file.write("later");
        QVERIFY(file.commit());
        QCOMPARE(Platform::isOwnerOnly(path), restrict);
#ifdef Q_OS_LINUX
        if (restrict)
            QCOMPARE(modeBits(path), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        else
            QVERIFY(modeBits(path) & QFileDevice::ReadOther);
#endif
    }

    void nothingIsOwnerOnlyThatDoesNotExist()
    {
        QTemporaryDir dir;
        QVERIFY(!Platform::isOwnerOnly(dir.filePath(u"absent"_s)));
        QVERIFY(!Platform::restrictToOwner(dir.filePath(u"absent"_s)));
    }

    // What the CLI asks before it shows progress or a prompt: its standard streams, each a file or a terminal.
    void isTerminalTellsAFileFromATerminal()
    {
        QTemporaryDir dir;
        const QString input = dir.filePath(u"input"_s);
        QVERIFY(writeFile(input, "yes\n"));
        Child files("terminal");
        files.process.setStandardInputFile(input);
        files.process.setStandardOutputFile(dir.filePath(u"out"_s));
        files.process.setStandardErrorFile(dir.filePath(u"err"_s));
        files.start();
        QVERIFY(files.process.waitForFinished(60000));
        QCOMPARE(files.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(files.process.exitCode(), 0);

#ifdef Q_OS_WIN
        QVERIFY(!Platform::PseudoTerminal().isOpen()); // a console is not made so: the layer has none to offer
#else
        // Standard error on a terminal, the others on files.
        Platform::PseudoTerminal terminal;
        QVERIFY(terminal.isOpen());
        Child onTerminal("terminal");
        onTerminal.process.setStandardInputFile(input);
        onTerminal.process.setStandardOutputFile(dir.filePath(u"out"_s));
        onTerminal.process.setStandardErrorFile(terminal.name());
        onTerminal.start();
        QVERIFY(onTerminal.process.waitForFinished(60000));
        QCOMPARE(onTerminal.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(onTerminal.process.exitCode(), 4);
#endif
    }

    // Without AUTOCLOSE_ALLOW_CORE_DUMPS the child cannot dump core afterwards; with it, nothing changes.
    void disableCoreDumps_data()
    {
        QTest::addColumn<bool>("allowed");
        QTest::newRow("default") << false;
        QTest::newRow("AUTOCLOSE_ALLOW_CORE_DUMPS=1") << true;
    }
    void disableCoreDumps()
    {
        QFETCH(bool, allowed);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"AUTOCLOSE_ALLOW_CORE_DUMPS"_s);
        if (allowed)
            env.insert(u"AUTOCLOSE_ALLOW_CORE_DUMPS"_s, u"1"_s);
        Child child("coredumps", env);
#ifdef Q_OS_WIN
        child.withDefaultErrorMode();
#endif
        child.start();
        QVERIFY(child.process.waitForFinished(60000));
        const QByteArray said = child.process.readAllStandardOutput().trimmed();
        const bool before = said.startsWith("before=1");
        QVERIFY2(said.startsWith("before=") && said.contains(" after="), said.constData());
#if defined(Q_OS_LINUX) || defined(Q_OS_WIN)
        // A process is dumpable until it says otherwise (macOS sets no core file size by default: there it may be).
        QVERIFY2(!before, said.constData());
#endif
        QCOMPARE(said.endsWith("after=1"), allowed ? before : true);
    }

    void stdinWatcherSeesTheEnd()
    {
        Child child("stdin");
        QVERIFY(child.startAndWaitUntilReady());
        child.process.write("what arrives before the end is read and dropped\n");
        child.process.closeWriteChannel();
        QVERIFY(child.process.waitForFinished(60000));
        QCOMPARE(child.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.process.exitCode(), 0);
        QCOMPARE(child.process.readAllStandardOutput(), QByteArray("ended\n"));
    }

    // SIGINT and SIGTERM reach the event loop as a request to end: the child quits by itself, cleanly.
    void terminationRequests_data()
    {
        QTest::addColumn<Platform::ProcessSignal>("signal");
        QTest::newRow("SIGINT") << Platform::ProcessSignal::Interrupt;
        QTest::newRow("SIGTERM") << Platform::ProcessSignal::Terminate;
    }
    void terminationRequests()
    {
#ifdef Q_OS_WIN
        QSKIP("Ctrl+C cannot be sent to one process of the console (Platform::signalProcess has no Interrupt here)");
#else
        QFETCH(Platform::ProcessSignal, signal);
        Child child("requests");
        QVERIFY(child.startAndWaitUntilReady());
        QVERIFY(Platform::signalProcess(child.process.processId(), signal));
        QVERIFY(child.process.waitForFinished(60000));
        QCOMPARE(child.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.process.exitCode(), 0);
        QCOMPARE(child.process.readAllStandardOutput(), QByteArray("requested\n"));
#endif
    }

    // A child that handles nothing is ended by each signal the layer can send; what it cannot send is refused.
    void signalProcess_data()
    {
        QTest::addColumn<Platform::ProcessSignal>("signal");
        QTest::addColumn<bool>("sent");
#ifdef Q_OS_WIN
        const bool posix = false;
#else
        const bool posix = true;
#endif
        QTest::newRow("Interrupt") << Platform::ProcessSignal::Interrupt << posix;
        QTest::newRow("Terminate") << Platform::ProcessSignal::Terminate << true;
        QTest::newRow("Kill") << Platform::ProcessSignal::Kill << true;
        QTest::newRow("Crash") << Platform::ProcessSignal::Crash << posix;
    }
    void signalProcess()
    {
        QFETCH(Platform::ProcessSignal, signal);
        QFETCH(bool, sent);
        Child child("sleep");
        QVERIFY(child.startAndWaitUntilReady());
        QCOMPARE(Platform::signalProcess(child.process.processId(), signal), sent);
        if (!sent) {
            QCOMPARE(child.process.state(), QProcess::Running);
            return;
        }
        QVERIFY(child.process.waitForFinished(60000));
#ifdef Q_OS_WIN
        QCOMPARE(child.process.exitCode(), 1); // TerminateProcess's exit code
#else
        QCOMPARE(child.process.exitStatus(), QProcess::CrashExit);
#endif
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const QByteArray mode = qgetenv(ChildVariable); !mode.isEmpty())
        return runChild(mode);
    TestPlatform test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_platform.moc"
