// The Web API client's read path at volume: fetch and parse 100,000 conversations (20 pages of 5000) from
// autoclose-sandbox (a separate process), and compare, in the same run, with curl downloading the same pages one
// after another (the transfer floor) and with dynamics-web-api's retrieveAll in Node. Then the closure preview's
// ways of reading: ParallelReader reading the same conversations in time ranges side by side, without delay and with
// every page read held back 300 ms by the sandbox (a distant service; the $apply counts that choose the ranges are
// not held back, being cheap aggregates on the service too), against the one-query read of the same reader; and
// autoclose-cli preview --format csv writing about 1,000,000 rows (1,600,000 conversations seeded), its peak
// resident memory read from the kernel (VmHWM) until it exits.
// Targets: within 1.3x of curl (the client, and the parallel read), at least 2x faster than dynamics-web-api, peak
// memory growth under 2x the raw JSON; with 300 ms per page the parallel read <= 0.4x the sequential one; the CLI's
// csv of a million rows under 60 MiB peak.
// Usage: bench_client [CONVERSATIONS (100000)] [CLI_CONVERSATIONS (1600000; 0: skip the CLI)]
#include "app/dataverse/DataverseClient.h"
#include "app/preview/ParallelReader.h"

#include "PeakMemory.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <optional>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;
#endif

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"bench-client-token"_s;
constexpr int Runs = 5;

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

int fail(const char *what)
{
    std::fprintf(stderr, "bench_client: %s\n", what);
    return 1;
}
// Starts autoclose-sandbox on dataDir and returns where it listens (empty on failure).
QUrl startSandbox(QProcess &sandbox, const QString &dataDir, const QStringList &extra)
{
    sandbox.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN),
                  QStringList {u"--port"_s, u"0"_s, u"--data-dir"_s, dataDir, u"--token"_s, Token} + extra);
    if (!sandbox.waitForReadyRead(1800000))
        return {};
    const QByteArray line = sandbox.readLine().trimmed();
    return line.startsWith("Listening on ") ? QUrl(QString::fromLatin1(line.mid(13))) : QUrl();
}

struct Read
{
    double ms = 0;
    qint64 rows = 0;
    ParallelReader::Stats stats;
    QString error;
};
// Every conversation in createdon order through ParallelReader: split into ranges, or as one query.
Read readConversations(DataverseClient &client, bool split)
{
    ParallelReader::Options options;
    options.split = split;
    ParallelReader reader(&client, {}, options);
    Read read;
    std::optional<Result<Done>> done;
    QElapsedTimer timer;
    timer.start();
    reader.start([&read](QList<Conversation> rows) { read.rows += rows.size(); },
                 [&done](Result<Done> r) { done = std::move(r); });
    while (!done)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    read.ms = double(timer.nsecsElapsed()) / 1e6;
    read.stats = reader.stats();
    if (!done->ok())
        read.error = done->error().describe();
    return read;
}

struct ChildRun
{
    int exitCode = -1;
    qint64 peakKiB = -1;
    double ms = 0;
};
// Runs a program with its standard output to a file and returns its peak resident memory as the kernel counted it.
ChildRun runMeasured(const QString &program, const QStringList &args, const QString &outputPath)
{
    ChildRun run;
#ifdef Q_OS_LINUX
    QList<QByteArray> storage {QFile::encodeName(program)};
    for (const QString &arg : args)
        storage << arg.toLocal8Bit();
    QList<char *> argv;
    for (QByteArray &a : storage)
        argv << a.data();
    argv << nullptr;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const QByteArray output = QFile::encodeName(outputPath);
    posix_spawn_file_actions_addopen(&actions, 1, output.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv.first(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return run;
    // wait4's ru_maxrss would not do: a spawned child's count starts from its parent's resident memory (this
    // benchmark's, far larger than the CLI's). /proc/PID/status's VmHWM is the child's own high-water mark, read
    // every 5 ms until it exits (the CLI does not grow while it ends).
    for (;;) {
        siginfo_t info {};
        if (waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
            break;
        QFile status(u"/proc/%1/status"_s.arg(pid));
        if (status.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : status.readAll().split('\n'))
                if (line.startsWith("VmHWM:"))
                    run.peakKiB = std::max(run.peakKiB, line.mid(6).trimmed().split(' ').value(0).toLongLong());
        }
        QThread::msleep(5);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        return run;
    run.ms = double(timer.nsecsElapsed()) / 1e6;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -2;
#else
    Q_UNUSED(program);
    Q_UNUSED(args);
    Q_UNUSED(outputPath);
#endif
    return run;
}

qint64 countLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    qint64 lines = 0;
    while (!file.atEnd())
        lines += file.read(1 << 20).count('\n');
    return lines;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int conversations = argc > 1 ? QByteArray(argv[1]).toInt() : 100000;

    const int cliConversations = argc > 2 ? QByteArray(argv[2]).toInt() : 1600000;

    QTemporaryDir dir;
    QProcess sandbox;
    const QUrl org = startSandbox(sandbox, dir.path(), {u"--conversations"_s, QString::number(conversations)});
    if (org.isEmpty())
        return fail("the sandbox did not start");

    QNetworkAccessManager network;
    DataverseClient client(org, &network);
    client.setAccessToken(Token);
    const QString query = DataverseClient::conversationQuery({});
    const QUrl first = QUrl(org.toString() + u"/api/data/v9.2/"_s + query);

    // The page URLs and the raw JSON size, read once (this also warms the sandbox's cache).
    QStringList pageUrls;
    qint64 rawBytes = 0;
    for (QUrl next = first; !next.isEmpty();) {
        pageUrls << next.toString(QUrl::FullyEncoded);
        QNetworkRequest request(next);
        request.setRawHeader("Authorization", "Bearer " + Token.toUtf8());
        request.setRawHeader("Prefer", "odata.maxpagesize=5000");
        QNetworkReply *reply = network.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QByteArray body = reply->readAll();
        delete reply;
        rawBytes += body.size();
        next = QUrl(QJsonDocument::fromJson(body).object().value(u"@odata.nextLink"_s).toString());
    }

    // Ours: fetch and parse into Conversation values.
    const qint64 rssBefore = peakRssKiB();
    QList<double> ours;
    qsizetype rows = 0;
    for (int run = 0; run < Runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        std::optional<Result<QList<Conversation>>> result;
        client.fetchConversations({}, &app, [&result](auto r) { result = std::move(r); });
        while (!result)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        ours << double(timer.nsecsElapsed()) / 1e6;
        if (!result->ok())
            return fail(qPrintable(result->error().describe()));
        rows = result->value().size();
    }
    const qint64 rssGrowth = peakRssKiB() - rssBefore;

    // Qt's transfer alone: the same pages through QNetworkAccessManager, bodies read and dropped.
    QList<double> qtTransfer;
    for (int run = 0; run < Runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        for (const QString &url : pageUrls) {
            QNetworkRequest request {QUrl(url)};
            request.setRawHeader("Authorization", "Bearer " + Token.toUtf8());
            request.setRawHeader("Prefer", "odata.maxpagesize=5000");
            QNetworkReply *reply = network.get(request);
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            reply->readAll();
            delete reply;
        }
        qtTransfer << double(timer.nsecsElapsed()) / 1e6;
    }

    // curl: the same pages, one after another, over one connection.
    QList<double> curls;
    const QString curlPath = QStandardPaths::findExecutable(u"curl"_s);
    for (int run = 0; run < Runs && !curlPath.isEmpty(); ++run) {
        QStringList args {u"-sf"_s, u"-H"_s, u"Authorization: Bearer "_s + Token, u"-H"_s,
                          u"Prefer: odata.maxpagesize=5000"_s};
        for (const QString &url : pageUrls)
            args << u"-o"_s << QStringLiteral("/dev/null") << url;
        QElapsedTimer timer;
        timer.start();
        QProcess curl;
        curl.start(curlPath, args);
        if (!curl.waitForFinished(120000) || curl.exitCode() != 0)
            return fail("curl failed");
        curls << double(timer.nsecsElapsed()) / 1e6;
    }

    // dynamics-web-api's retrieveAll, timed inside Node (its start-up is not counted).
    QList<double> nodes;
    const QString peers = QStringLiteral(AUTOCLOSE_PEERS_DIR);
    const bool haveNode = QDir(peers + u"/node_modules/dynamics-web-api"_s).exists();
    const QString script =
        u"import { DynamicsWebApi } from 'dynamics-web-api';"
        u"const api = new DynamicsWebApi({ serverUrl: process.argv[1], dataApi: { version: '9.2' },"
        u"  onTokenRefresh: async () => process.argv[2], maxPageSize: 5000 });"
        u"const select = ['subject','msdyn_title','statuscode','msdyn_channel','createdon','msdyn_wrapupinitiatedon',"
        u"  'msdyn_modifiedon','modifiedon','_msdyn_liveworkstreamid_value'];"
        u"for (let i = 0; i < %1; ++i) { const t = performance.now();"
        u"  const r = await api.retrieveAll({ collection: 'msdyn_ocliveworkitems', select });"
        u"  console.log((performance.now() - t).toFixed(1), r.value.length); }"_s.arg(Runs);
    if (haveNode) {
        QProcess node;
        node.setWorkingDirectory(peers);
        node.start(u"node"_s, {u"--input-type=module"_s, u"-e"_s, script, org.toString(), Token});
        if (!node.waitForFinished(300000) || node.exitCode() != 0)
            return fail(qPrintable(u"node failed: "_s + QString::fromUtf8(node.readAllStandardError())));
        for (const QByteArray &l : node.readAllStandardOutput().split('\n')) {
            if (!l.trimmed().isEmpty())
                nodes << l.split(' ').value(0).toDouble();
        }
    }
    // The parallel read, with nothing held back: against curl's transfer floor.
    QList<double> parallel;
    Read last;
    for (int run = 0; run < Runs; ++run) {
        last = readConversations(client, true);
        if (!last.error.isEmpty())
            return fail(qPrintable(last.error));
        parallel << last.ms;
    }
    const Read fast = last;

    // The same reads with every page held back 300 ms, from a second sandbox on the same data.
    QProcess slowSandbox;
    const QUrl slowOrg = startSandbox(slowSandbox, dir.path(),
                                      {u"--faults"_s, u"slow:ms=300:path=msdyn_ocliveworkitems:query=$select"_s});
    if (slowOrg.isEmpty())
        return fail("the slow sandbox did not start");
    DataverseClient slowClient(slowOrg, &network);
    slowClient.setAccessToken(Token);
    QList<double> slowSequential;
    QList<double> slowParallel;
    Read slowRead;
    for (int run = 0; run < 3; ++run) {
        const Read one = readConversations(slowClient, false);
        slowRead = readConversations(slowClient, true);
        if (!one.error.isEmpty() || !slowRead.error.isEmpty())
            return fail(qPrintable(one.error + slowRead.error));
        slowSequential << one.ms;
        slowParallel << slowRead.ms;
    }
    slowSandbox.terminate();
    slowSandbox.waitForFinished(10000);
    sandbox.terminate();
    sandbox.waitForFinished(10000);

    // autoclose-cli preview --format csv of about a million rows: far enough ahead that every conversation with a
    // value closes (about 63 % of the demo's).
    ChildRun cli;
    qint64 cliRows = 0;
    if (cliConversations > 0) {
        QTemporaryDir cliDir;
        QProcess big;
        const QUrl bigOrg = startSandbox(big, cliDir.path(), {u"--conversations"_s, QString::number(cliConversations)});
        if (bigOrg.isEmpty())
            return fail("the sandbox of the CLI run did not start");
        qputenv("BENCH_CLIENT_TOKEN", Token.toUtf8());
        const QString csv = cliDir.filePath(u"preview.csv"_s);
        cli = runMeasured(QStringLiteral(AUTOCLOSE_CLI_BIN),
                          {u"--url"_s, bigOrg.toString(), u"--access-token-env"_s, u"BENCH_CLIENT_TOKEN"_s,
                           u"preview"_s, u"--at"_s, u"+3650d"_s, u"--format"_s, u"csv"_s},
                          csv);
        cliRows = countLines(csv) - 1;
        big.terminate();
        big.waitForFinished(10000);
        if (cli.exitCode != 0)
            return fail("autoclose-cli preview failed");
    }

    const double o = median(ours);
    const double c = median(curls);
    const double n = median(nodes);
    std::printf("Web API client read benchmark (%d conversations, %lld pages, %.1f MiB of JSON, %d runs, medians)\n",
                conversations, qint64(pageUrls.size()), double(rawBytes) / 1048576.0, Runs);
    std::printf("  autoclose client (fetch + parse)  %8.1f ms  %lld rows\n", o, qint64(rows));
    std::printf("  Qt transfer only (no parsing)     %8.1f ms\n", median(qtTransfer));
    if (c > 0)
        std::printf("  curl (transfer only)              %8.1f ms  ratio %.2fx (target <= 1.3x): %s\n", c, o / c,
                    o / c <= 1.3 ? "met" : "NOT met");
    else
        std::printf("  curl                              not installed\n");
    if (n > 0)
        std::printf("  dynamics-web-api retrieveAll      %8.1f ms  %.2fx faster (target >= 2x): %s\n", n, n / o,
                    n / o >= 2.0 ? "met" : "NOT met");
    else
        std::printf("  dynamics-web-api                  not installed (npm ci in tests/peers)\n");
    const double p = median(parallel);
    std::printf("  parallel read (ranges)            %8.1f ms  %lld rows, %d ranges, %d page and %d planning requests",
                p, fast.rows, fast.stats.ranges, fast.stats.pageRequests, fast.stats.countRequests);
    if (c > 0)
        std::printf("; %.2fx curl (target <= 1.3x): %s", p / c, p / c <= 1.3 ? "met" : "NOT met");
    std::printf("\n");
    const double ss = median(slowSequential);
    const double sp = median(slowParallel);
    std::printf("  300 ms per page, one query         %8.1f ms  (median of 3)\n", ss);
    std::printf("  300 ms per page, parallel ranges   %8.1f ms  %d ranges, %d page requests; %.2fx the one query "
                "(target <= 0.4x): %s\n",
                sp, slowRead.stats.ranges, slowRead.stats.pageRequests, sp / ss, sp / ss <= 0.4 ? "met" : "NOT met");
    if (cliConversations > 0)
        std::printf("  autoclose-cli preview --format csv %8.1f ms  %lld rows (%d conversations), peak RSS %.1f MiB "
                    "(target < 60 MiB): %s\n",
                    cli.ms, cliRows, cliConversations, double(cli.peakKiB) / 1024.0,
                    cli.peakKiB >= 0 && cli.peakKiB < 60 * 1024 ? "met" : "NOT met");
    std::printf("  peak memory growth                %8.1f MiB  %.2fx the raw JSON (target < 2x): %s\n",
                double(rssGrowth) / 1024.0, double(rssGrowth) * 1024.0 / double(rawBytes),
                double(rssGrowth) * 1024.0 < 2.0 * double(rawBytes) ? "met" : "NOT met");
    return 0;
}
