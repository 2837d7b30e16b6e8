// Scale of the sandbox: seeds N conversations (default 1,000,000), then times the queries the preview makes over
// real HTTP on 127.0.0.1 and prints the figures with the peak memory. Targets: a filtered, paged 5000-row query
// answers in under 300 ms, and memory stays bounded (rows stream from SQLite, they are not all held in RAM); and
// pages cost the same wherever they are (keyset paging, docs/web-api.md): following @odata.nextLink through a
// 300,000-row read in 5000-row pages, the last page costs at most 1.5× the first.
#include "app/sandbox/LocalSandbox.h"

#include "PeakMemory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

struct Timed
{
    double ms = 0;
    QJsonObject body;
    int status = 0;
};

// One read followed through its nextLinks to the end.
struct PagedRead
{
    QList<double> pageMs;
    qint64 rows = 0;
    int status = 200;
};

Timed get(QNetworkAccessManager &network, const QUrl &url, const QByteArray &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setRawHeader("Prefer", "odata.maxpagesize=5000");
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Timed result;
    result.body = QJsonDocument::fromJson(reply->readAll()).object();
    result.ms = double(timer.nsecsElapsed()) / 1e6;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return result;
}

PagedRead readAllPages(QNetworkAccessManager &network, QUrl next, const QByteArray &token)
{
    PagedRead read;
    while (!next.isEmpty()) {
        const Timed page = get(network, next, token);
        if (page.status != 200) {
            read.status = page.status;
            return read;
        }
        read.pageMs << page.ms;
        read.rows += page.body.value(u"value"_s).toArray().size();
        next = QUrl(page.body.value(u"@odata.nextLink"_s).toString());
    }
    return read;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int conversations = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    constexpr int Runs = 7;

    QTemporaryDir dir;
    const QString token = LocalSandbox::generateToken();
    LocalSandbox::Options options;
    options.dataDir = dir.path();
    options.acceptedTokens = {token};
    options.seed.conversations = conversations;
    QElapsedTimer seedTimer;
    seedTimer.start();
    auto sandbox = LocalSandbox::start(options);
    if (!sandbox) {
        std::fprintf(stderr, "bench_sandbox: %s\n", qPrintable(sandbox.error().describe()));
        return 1;
    }
    const double seedSeconds = double(seedTimer.elapsed()) / 1000.0;
    const qint64 rssAfterSeed = peakRssKiB();

    const QString api = sandbox.value()->url().toString() + u"/api/data/v9.2/msdyn_ocliveworkitems"_s;
    const QString cutoff = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate);
    const QString filter = u"statuscode eq 1 and Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',"
                           u"PropertyValues=['192360000']) and createdon lt "_s +
        cutoff;
    const QString select = u"$select=activityid,subject,statuscode,msdyn_channel,createdon,msdyn_wrapupinitiatedon"_s;
    QNetworkAccessManager network;

    struct Case
    {
        const char *name;
        QUrl url;
        bool followNext;
    };
    const QList<Case> cases = {
        {"filtered page (5000 rows)", QUrl(api + u"?"_s + select + u"&$filter="_s + filter), false},
        {"next page via @odata.nextLink", QUrl(api + u"?"_s + select + u"&$filter="_s + filter), true},
        {"$count of the same filter", QUrl(api + u"?$count=true&$top=0&$filter="_s + filter), false},
        // Under Dataverse's 50,000-row aggregate limit: one state of one channel.
        {"$apply groupby count",
         QUrl(api +
              u"?$apply=filter(statuscode eq 3 and Microsoft.Dynamics.CRM.ContainValues(PropertyName="
              u"'msdyn_channel',PropertyValues=['192360000']))/groupby((statuscode),aggregate($count as count))"_s),
         false},
    };

    std::printf("autoclose-sandbox scale benchmark\n");
    std::printf("  conversations seeded        %d in %.1f s\n", conversations, seedSeconds);
    std::printf("  peak memory after seeding   %.1f MiB\n", double(rssAfterSeed) / 1024.0);
    std::printf("  %-32s %8s %8s %8s %7s\n", "query (7 runs)", "median", "min", "max", "rows");
    double firstPageMedian = 0;
    for (const Case &c : cases) {
        QList<double> times;
        qsizetype rows = 0;
        for (int run = 0; run < Runs; ++run) {
            Timed t = get(network, c.url, token.toLatin1());
            if (c.followNext) {
                const QUrl next(t.body.value(u"@odata.nextLink"_s).toString());
                if (next.isEmpty()) {
                    std::fprintf(stderr, "bench_sandbox: no next page to follow\n");
                    return 1;
                }
                t = get(network, next, token.toLatin1());
            }
            if (t.status != 200) {
                std::fprintf(stderr, "bench_sandbox: %s answered HTTP %d\n", c.name, t.status);
                return 1;
            }
            times << t.ms;
            rows = t.body.value(u"value"_s).toArray().size();
        }
        std::sort(times.begin(), times.end());
        const double median = times.at(times.size() / 2);
        if (c.url == cases.first().url && !c.followNext)
            firstPageMedian = median;
        std::printf("  %-32s %6.1f ms %5.1f ms %5.1f ms %7lld\n", c.name, median, times.first(), times.last(),
                    qint64(rows));
    }

    // Open and Waiting: a third of the conversations, so that a million give the 300,000 rows $top keeps.
    struct Paged
    {
        const char *name;
        QString orderBy;
    };
    const QList<Paged> pagedReads = {
        {"by key (as the client lists)", QString()},
        {"createdon asc (as the preview)", u"&$orderby=createdon asc"_s},
    };
    constexpr int PagedRuns = 3;
    std::printf("  paged read of %s rows, 5000 a page (%d runs, medians):\n", "300,000", PagedRuns);
    std::printf("  %-32s %7s %7s %10s %10s %6s\n", "ordering", "rows", "pages", "first page", "last page", "ratio");
    double worstRatio = 0;
    for (const Paged &p : pagedReads) {
        const QUrl first(api + u"?"_s + select + u"&$filter=statuscode eq 1 or statuscode eq 3&$top=300000"_s +
                         p.orderBy);
        QList<double> firsts;
        QList<double> lasts;
        PagedRead read;
        for (int run = 0; run < PagedRuns; ++run) {
            read = readAllPages(network, first, token.toLatin1());
            if (read.status != 200 || read.pageMs.isEmpty()) {
                std::fprintf(stderr, "bench_sandbox: a page of %s answered HTTP %d\n", p.name, read.status);
                return 1;
            }
            firsts << read.pageMs.first();
            lasts << read.pageMs.last();
        }
        const double ratio = median(lasts) / median(firsts);
        worstRatio = std::max(worstRatio, ratio);
        std::printf("  %-32s %7lld %7lld %7.1f ms %7.1f ms %5.2fx\n", p.name, read.rows, qint64(read.pageMs.size()),
                    median(firsts), median(lasts), ratio);
    }

    std::printf("  peak memory after queries   %.1f MiB\n", double(peakRssKiB()) / 1024.0);
    std::printf("  target: filtered 5000-row page under 300 ms: %s (median %.1f ms)\n",
                firstPageMedian < 300 ? "met" : "NOT met", firstPageMedian);
    std::printf("  target: last page of a 300,000-row read at most 1.5x the first: %s (worst %.2fx)\n",
                worstRatio <= 1.5 ? "met" : "NOT met", worstRatio);
    return 0;
}
