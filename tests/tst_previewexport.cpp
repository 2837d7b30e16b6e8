// autoclose-cli preview --format json|csv as a pipeline uses it: written as the conversations arrive, counts first
// and equal to the rows listed past the aggregate limit, -o FILE whole or absent, progress on a terminal only.
#include "CliProcess.h"
#include "PreviewSeed.h"
#include "SandboxProcess.h"

#include "app/platform/Platform.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"preview-export-token"_s;
const QString At = u"2026-03-01T12:00:00Z"_s;

CliRun runPreview(const QUrl &url, const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PREVIEW_TOKEN"_s, Token);
    return runCli(QStringList {u"--url"_s, url.toString(), u"--access-token-env"_s, u"PREVIEW_TOKEN"_s, u"preview"_s} +
                      args,
                  env);
}

// activityid → configuration id, from the CLI's JSON.
QMap<QString, QString> closures(const QJsonObject &root)
{
    QMap<QString, QString> result;
    for (const QJsonValue &v : root.value(u"conversations"_s).toArray())
        result.insert(v.toObject().value(u"activityid"_s).toString(),
                      v.toObject().value(u"configuration"_s).toString());
    return result;
}
} // namespace

class TestPreviewExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_process = std::make_unique<SandboxProcess>(
            QStringList {Token}, QStringList {u"--seed"_s, QFINDTESTDATA("data/seeds/preview.json")});
        QVERIFY2(m_process->waitUntilListening(), m_process->process().readAllStandardError().constData());
    }

    // Past the aggregate limit: Chat - Open's list holds over 50,000 conversations, so its count is split
    // (ExactCount) and its list read in parallel ranges. Each configuration's count equals the rows listed under it
    // (no conversation here is on two channels), and the CSV gives the same rows in the same order.
    void cliCountsMatchTheListPastTheLimit()
    {
        QTemporaryDir dir;
        PreviewSeed big;
        big.chatOpen = 75000; // about 54,000 of them open for over 20 minutes
        big.textOpen = 3000;
        big.onBoth = 0;
        big.wrapUp = 2000;
        QVERIFY(writePreviewSeed(dir.filePath(u"big.json"_s), big));
        SandboxProcess sandbox({Token}, {u"--seed"_s, dir.filePath(u"big.json"_s)});
        QVERIFY2(sandbox.waitUntilListening(), sandbox.process().readAllStandardError().constData());

        const CliRun json = runPreview(sandbox.url(), {u"--at"_s, At, u"--format"_s, u"json"_s});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        QVERIFY2(json.err.isEmpty(), json.err.constData()); // no progress in piped output
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(json.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(json.out.indexOf("\"counts\"") < json.out.indexOf("\"conversations\""));
        QHash<QString, qint64> listed;
        QStringList order;
        for (const QJsonValue &v : root.value(u"conversations"_s).toArray()) {
            listed[v[u"configuration"_s].toString()] += 1;
            order << v[u"activityid"_s].toString();
        }
        qint64 biggest = 0;
        for (const QJsonValue &v : root.value(u"counts"_s).toArray()) {
            const QString id = v[u"configuration"_s].toString();
            QVERIFY2(!v[u"capped"_s].toBool(), qPrintable(id));
            QCOMPARE(v[u"count"_s].toInteger(), listed.value(id));
            biggest = std::max(biggest, v[u"count"_s].toInteger());
        }
        QVERIFY2(biggest > 50000, qPrintable(QString::number(biggest)));

        const CliRun csv = runPreview(sandbox.url(), {u"--at"_s, At, u"--format"_s, u"csv"_s});
        QVERIFY2(csv.exitCode == 0, csv.err.constData());
        QList<QByteArray> lines = csv.out.split('\n');
        QCOMPARE(lines.takeFirst(), QByteArray("activityid,configuration,channel,state,eligibleSince,title"));
        QCOMPARE(lines.takeLast(), QByteArray());
        QStringList csvOrder;
        for (const QByteArray &line : std::as_const(lines))
            csvOrder << QString::fromUtf8(line.left(line.indexOf(',')));
        QCOMPARE(csvOrder, order);
    }

    // -o FILE: the same bytes as standard output, written whole; a read that fails leaves no file (and an earlier
    // one as it was), says why on stderr and exits 4; to standard output, the same failure exits 4 too.
    void cliOutputIsWholeOrAbsent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"list.json"_s);
        const CliRun toStdout = runPreview(m_process->url(), {u"--at"_s, At, u"--format"_s, u"json"_s});
        QCOMPARE(toStdout.exitCode, 0);
        const CliRun toFile = runPreview(m_process->url(), {u"--at"_s, At, u"--format"_s, u"json"_s, u"-o"_s, path});
        QVERIFY2(toFile.exitCode == 0, toFile.err.constData());
        QVERIFY(toFile.out.isEmpty());
        QCOMPARE(QString::fromUtf8(toFile.err).trimmed(), u"autoclose-cli: 7 conversations written to "_s + path);
        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), toStdout.out);

        // Every page read after the first is refused: the list fails part-way.
        SandboxProcess failing({Token},
                               {u"--seed"_s, QFINDTESTDATA("data/seeds/preview.json"), u"--faults"_s,
                                u"400:after=1:query=createdon asc"_s});
        QVERIFY(failing.waitUntilListening());
        const QString fresh = dir.filePath(u"fresh.csv"_s);
        for (const QString &target : {fresh, path}) {
            const CliRun run =
                runPreview(failing.url(), {u"--at"_s, At, u"--format"_s, u"csv"_s, u"--output"_s, target});
            QCOMPARE(run.exitCode, 4);
            QVERIFY(run.out.isEmpty());
            QVERIFY2(run.err.startsWith("autoclose-cli: ") && !run.err.contains("written to"), run.err.constData());
        }
        QVERIFY(!QFile::exists(fresh));
        QFile earlier(path);
        QVERIFY(earlier.open(QIODevice::ReadOnly));
        QCOMPARE(earlier.readAll(), toStdout.out);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList {u"list.json"_s}); // no temporary file left

        const CliRun toStdoutFailing = runPreview(failing.url(), {u"--at"_s, At, u"--format"_s, u"json"_s});
        QCOMPARE(toStdoutFailing.exitCode, 4);
        QVERIFY2(toStdoutFailing.err.startsWith("autoclose-cli: "), toStdoutFailing.err.constData());
    }

    // Every list query answered with a next link back to itself: each way of reading the list stops with the reason,
    // exits 4 and writes nothing (the table through ClosurePreview::Lister, CSV and JSON through ParallelReader).
    void cliAPagingLoopIsAnError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("toFile");
        QTest::newRow("table") << QStringList {} << false;
        QTest::newRow("csv") << QStringList {u"--format"_s, u"csv"_s} << false;
        QTest::newRow("json to a file") << QStringList {u"--format"_s, u"json"_s} << true;
    }
    void cliAPagingLoopIsAnError()
    {
        QFETCH(QStringList, args);
        QFETCH(bool, toFile);
        SandboxProcess looping(
            {Token},
            {u"--seed"_s, QFINDTESTDATA("data/seeds/preview.json"), u"--faults"_s, u"loop:query=createdon asc"_s});
        QVERIFY(looping.waitUntilListening());
        QTemporaryDir dir;
        const QString path = dir.filePath(u"list.json"_s);
        if (toFile)
            args << u"-o"_s << path;
        const CliRun run = runPreview(looping.url(), QStringList {u"--at"_s, At} + args);
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains("The environment's reply for conversations links back to a page it has already "
                                  "sent"),
                 run.err.constData());
        if (toFile) {
            QVERIFY(run.out.isEmpty());
            QVERIFY(!QFile::exists(path));
            QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty()); // no temporary file left
        } else {
            QVERIFY2(!run.out.contains("c0000000"), run.out.left(400).constData()); // no conversation listed
        }
    }

#ifdef Q_OS_LINUX
    // Standard output that cannot be written (a full disk) is an error, never a silent success.
    void cliStandardOutputRefused()
    {
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PREVIEW_TOKEN"_s, Token);
        cli.setProcessEnvironment(env);
        cli.setStandardOutputFile(u"/dev/full"_s);
        cli.start(QStringLiteral(AUTOCLOSE_CLI_BIN),
                  {u"--url"_s, m_process->url().toString(), u"--access-token-env"_s, u"PREVIEW_TOKEN"_s, u"preview"_s,
                   u"--at"_s, At, u"--format"_s, u"csv"_s});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 2);
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(err.contains("Cannot write to standard output") && err.contains("-o FILE"), err.constData());
    }

    // Progress goes to stderr when it is a terminal (here a pseudo-terminal) and the list takes over a second (pages
    // slowed by 700 ms): a line rewritten in place, cleared at the end; standard output is the JSON alone.
    void cliProgressOnATerminal()
    {
        SandboxProcess slow({Token},
                            {u"--seed"_s, QFINDTESTDATA("data/seeds/preview.json"), u"--faults"_s,
                             u"slow:ms=700:query=createdon asc"_s});
        QVERIFY(slow.waitUntilListening());
        Platform::PseudoTerminal terminal;
        QVERIFY(terminal.isOpen());
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PREVIEW_TOKEN"_s, Token);
        cli.setProcessEnvironment(env);
        cli.setStandardErrorFile(terminal.name());
        cli.start(QStringLiteral(AUTOCLOSE_CLI_BIN),
                  {u"--url"_s, slow.url().toString(), u"--access-token-env"_s, u"PREVIEW_TOKEN"_s, u"preview"_s,
                   u"--at"_s, At, u"--format"_s, u"json"_s});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        const QByteArray shown = terminal.readAvailable();
        QVERIFY2(shown.contains("of about 7 conversations written\x1b[K"), shown.constData());
        QVERIFY2(shown.endsWith("\r\x1b[K"), shown.constData());
        QCOMPARE(closures(QJsonDocument::fromJson(cli.readAllStandardOutput()).object()).size(), 7);
    }
#endif

private:
    std::unique_ptr<SandboxProcess> m_process;
};

QTEST_GUILESS_MAIN(TestPreviewExport)
#include "tst_previewexport.moc"
