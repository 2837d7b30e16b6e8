// The closure preview at scale: autoclose-sandbox (a separate process) holding N conversations (default 1,000,000),
// three in ten of them SMS conversations Open for over a week, which the SMS Open edit makes eligible — 300,000 in
// one configuration, six times what the Web API aggregates in one count — and this process as the app. Prints the
// time to count every configuration (saved vs edited), whether the big configuration's count is exact (checked
// against SQLite's own count), the time to the first 200 rows of the list, and this process's peak memory after
// the whole list has been scrolled in a table view to the end and back to the top, as a user would. Targets: the big
// count exact; counts <= 1 s; first 200 rows <= 300 ms; peak RSS < 150 MB.
#include "app/dataverse/DataverseClient.h"
#include "app/preview/ClosurePreview.h"
#include "app/preview/ListerPages.h"
#include "models/PreviewListModel.h"

#include "BulkConversations.h"
#include "PeakMemory.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"bench-preview-token"_s;

int fail(const QString &what)
{
    std::fprintf(stderr, "bench_preview: %s\n", qPrintable(what));
    return 1;
}

template<typename T>
T waitFor(std::optional<T> &slot)
{
    while (!slot)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return std::move(*slot);
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}
} // namespace

int main(int argc, char *argv[])
{
    // The list is shown as the window shows it, in a QTableView; offscreen unless a display is asked for.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int conversations = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    const int big = conversations / 10 * 3; // SMS, Open for over a week
    QTemporaryDir dir;
    QProcess sandbox;
    sandbox.start(QStringLiteral(AUTOCLOSE_SANDBOX_BIN),
                  {u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path(), u"--token"_s, Token, u"--conversations"_s,
                   QString::number(conversations - big)});
    if (!sandbox.waitForReadyRead(300000))
        return fail(u"the sandbox did not start"_s);
    const QByteArray line = sandbox.readLine().trimmed();
    if (!line.startsWith("Listening on "))
        return fail(u"the sandbox did not say where it listens"_s);

    // A week and a day old at the newest, spread over the 60 days before.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int spread = 52 * 24 * 3600;
    const auto added = BulkConversations::insert(
        dir.filePath(u"sandbox.sqlite"_s), {StreamSource::Sms, 1, big, now.addDays(-60), spread / std::max(big, 1)});
    if (!added)
        return fail(added.error().describe());

    QNetworkAccessManager network;
    DataverseClient client(QUrl(QString::fromLatin1(line.mid(13))), &network);
    client.setAccessToken(Token);
    std::optional<Result<QList<ChannelStateConfig>>> loaded;
    client.fetchConfigurations(&app, [&loaded](auto r) { loaded = std::move(r); });
    const auto configs = waitFor(loaded);
    if (!configs)
        return fail(configs.error().describe());
    const qint64 rssBefore = peakRssKiB();

    // Two edits, as a user previewing a change would have: live chat Open shorter, SMS Open much shorter.
    QHash<QString, std::optional<int>> edits;
    for (const ChannelStateConfig &c : configs.value()) {
        if (c.state == int(ConversationState::Open) && c.streamSource == StreamSource::LiveChat)
            edits.insert(c.id, 10);
        if (c.state == int(ConversationState::Open) && c.streamSource == StreamSource::Sms)
            edits.insert(c.id, 7 * 24 * 60);
    }
    const PreviewScenario scenario =
        PreviewScenario::make(configs.value(), edits, QDateTime::currentDateTimeUtc(), ClosingRule::Basis::Created);

    QString smsOpen;
    for (const ChannelStateConfig &c : configs.value()) {
        if (c.state == int(ConversationState::Open) && c.streamSource == StreamSource::Sms)
            smsOpen = c.id;
    }
    QList<double> countTimes;
    qint64 closing = 0;
    qint64 bigCount = 0;
    bool capped = false;
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer timer;
        timer.start();
        std::optional<Result<QList<ClosurePreview::Impact>>> counted;
        ClosurePreview::countImpact(&client, scenario, &app, [&counted](auto r) { counted = std::move(r); });
        const auto impacts = waitFor(counted);
        countTimes << double(timer.nsecsElapsed()) / 1e6;
        if (!impacts)
            return fail(impacts.error().describe());
        closing = 0;
        for (const auto &impact : impacts.value()) {
            closing += impact.closesUnderBoth + impact.newlyCloses;
            capped = capped || impact.capped;
            if (impact.configurationId == smsOpen)
                bigCount = impact.closesUnderBoth + impact.newlyCloses;
        }
    }

    QList<double> firstPageTimes;
    for (int run = 0; run < 5; ++run) {
        ClosurePreview::Lister lister(&client, scenario);
        QElapsedTimer timer;
        timer.start();
        qsizetype rows = 0;
        while (rows < 200 && !lister.atEnd()) {
            std::optional<Result<QList<PreviewRow>>> page;
            lister.fetchNext(200, &app, [&page](Result<QList<PreviewRow>> r, bool) { page = std::move(r); });
            const auto got = waitFor(page);
            if (!got)
                return fail(got.error().describe());
            rows += got.value().size();
        }
        firstPageTimes << double(timer.nsecsElapsed()) / 1e6;
    }

    // The whole list in a table view, as the window shows it: scrolled to the end (the view asks for each next page),
    // then back to the top a page at a time (every page dropped on the way down is read again). The model keeps only
    // a few pages whichever way it is scrolled.
    PreviewListModel model;
    std::optional<Error> listError;
    QObject::connect(&model, &PreviewListModel::readFailed, &app,
                     [&listError](const Error &error) { listError = error; });
    QTableView view;
    view.resize(1000, 600);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.setModel(&model);
    view.show();
    // Until the reads the view asked for have arrived, waiting without spinning: the sandbox shares the machine's
    // cores with this process.
    const auto settle = [&model, &app] {
        QTimer::singleShot(0, &app, [] {}); // something to wake up for when nothing is asked
        do
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        while (model.isFetching() && !model.isStopped());
    };
    QElapsedTimer whole;
    whole.start();
    model.restart(scenario,
                  std::make_shared<ClosurePreview::ListerPages>(
                      std::make_shared<ClosurePreview::Lister>(&client, scenario), 200));
    while (!model.isStopped() && (model.canFetchMore({}) || model.isFetching())) {
        view.scrollToBottom();
        settle();
    }
    const double downMs = double(whole.nsecsElapsed()) / 1e6;
    QElapsedTimer back;
    back.start();
    for (int row = model.rowCount() - 1; row >= 0 && !model.isStopped(); row -= 150) {
        view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtTop);
        view.viewport()->repaint(); // what is shown asks for its page
        settle();
    }
    const double backMs = double(back.nsecsElapsed()) / 1e6;
    const bool topShown = model.rowCount() == 0 || model.rowAt(0) != nullptr;
    if (listError)
        return fail(listError->describe());

    // SQLite's own count of what the SMS Open edit (7 days) makes eligible, for the exactness check.
    qint64 bigTruth = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"truth"_s);
        db.setDatabaseName(dir.filePath(u"sandbox.sqlite"_s));
        QSqlQuery q(db);
        if (db.open() &&
            q.exec(u"SELECT COUNT(*) FROM msdyn_ocliveworkitem WHERE statuscode = 1 AND ',' || msdyn_channel || ',' "
                   u"LIKE '%,%1,%' AND createdon <= '%2'"_s.arg(StreamSource::Sms)
                       .arg(ClosingRule::cutoff(scenario.at, 7 * 24 * 60)->toString(u"yyyy-MM-ddTHH:mm:ssZ"_s))) &&
            q.next())
            bigTruth = q.value(0).toLongLong();
    }
    QSqlDatabase::removeDatabase(u"truth"_s);
    sandbox.terminate();
    sandbox.waitForFinished(10000);

    const double counts = median(countTimes);
    const double first = median(firstPageTimes);
    const double peakMiB = double(peakRssKiB()) / 1024.0;
    std::printf("Closure preview benchmark (%d conversations in the sandbox, %lld configurations, 2 edited)\n",
                conversations, qint64(configs.value().size()));
    std::printf("  counts, every configuration (median of 5)  %7.1f ms  (%lld would close%s)\n", counts, closing,
                capped ? ", some counts capped" : "");
    std::printf("  SMS Open, eligible with the edit            %7lld      (SQLite counts %lld: %s)\n", qint64(bigCount),
                qint64(bigTruth), bigCount == bigTruth ? "exact" : "NOT exact");
    std::printf("  first 200 rows of the list (median of 5)   %7.1f ms\n", first);
    std::printf("  whole list in a table view, to the end      %7.1f ms  %lld rows\n", downMs,
                qint64(model.rowCount()));
    std::printf("  and back to the top, a page at a time       %7.1f ms  %lld rows in memory (%d pages of %d)%s\n",
                backMs, qint64(model.loadedRowCount()), model.loadedPageCount(), model.pageCount(),
                topShown ? "" : ", the first row NOT read again");
    std::printf("  peak RSS of this process                    %7.1f MiB (%.1f MiB before the preview)\n", peakMiB,
                double(rssBefore) / 1024.0);
    std::printf("  targets: big count exact: %s; counts <= 1 s: %s; first 200 rows <= 300 ms: %s; peak < 150 MB: %s\n",
                bigCount == bigTruth ? "met" : "NOT met", counts <= 1000 ? "met" : "NOT met",
                first <= 300 ? "met" : "NOT met", peakMiB * 1.048576 < 150 ? "met" : "NOT met");
    return 0;
}
