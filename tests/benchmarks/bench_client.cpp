// The Web API client's read path at volume: fetch and parse 100,000 conversations (20 pages of 5000) from
// autoclose-sandbox (a separate process), and compare, in the same run, with curl downloading the same pages one
// after another (the transfer floor) and with dynamics-web-api's retrieveAll in Node.
// Targets: within 1.3x of curl, at least 2x faster than dynamics-web-api, peak memory growth under 2x the raw JSON.
#include "app/dataverse/DataverseClient.h"

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

#include <algorithm>
#include <cstdio>
#include <optional>

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
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int conversations = argc > 1 ? QByteArray(argv[1]).toInt() : 100000;

    QTemporaryDir dir;
    QProcess sandbox;
    sandbox.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN),
                  {u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path(), u"--token"_s, Token, u"--conversations"_s,
                   QString::number(conversations)});
    if (!sandbox.waitForReadyRead(120000))
        return fail("the sandbox did not start");
    const QByteArray line = sandbox.readLine().trimmed();
    if (!line.startsWith("Listening on "))
        return fail("the sandbox did not say where it listens");
    const QUrl org(QString::fromLatin1(line.mid(13)));

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
    sandbox.terminate();
    sandbox.waitForFinished(10000);

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
    std::printf("  peak memory growth                %8.1f MiB  %.2fx the raw JSON (target < 2x): %s\n",
                double(rssGrowth) / 1024.0, double(rssGrowth) * 1024.0 / double(rawBytes),
                double(rssGrowth) * 1024.0 < 2.0 * double(rawBytes) ? "met" : "NOT met");
    return 0;
}
