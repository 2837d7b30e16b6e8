// ParallelReader and ListExport against a sandbox in this process holding a few thousand generated conversations
// (support/PreviewSeed.h), read with pages of 50 rows so that a few rows make many pages and ranges: the rows come
// out exactly as the sequential Lister gives them, through a 429 in one range too; a range that fails fails the
// read; the export parses back to the same rows and stops when cancelled.
#include "PreviewSeed.h"
#include "SandboxFixture.h"
#include "app/preview/ListExport.h"
#include "app/preview/ParallelReader.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <tuple>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"parallel-test-token"_s;
const QDateTime At = QDateTime::fromString(u"2026-03-01T12:00:00Z"_s, Qt::ISODate);

// Runs the event loop until ready() or ms have passed. (QTest::qWaitFor sleeps 10 ms between rounds of events: with
// the sandbox in this process that is most of a read's time.)
template<typename Ready>
bool spin(Ready ready, int ms = 60000)
{
    QTimer tick; // wakes the loop so that the deadline is seen
    tick.start(100);
    QElapsedTimer timer;
    timer.start();
    while (!ready() && timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return ready();
}

ParallelReader::Options smallPages()
{
    ParallelReader::Options options;
    options.pageSize = 50;
    return options;
}

// What identifies a row of the list and everything the export writes of it.
QString describe(const PreviewRow &row)
{
    return u"%1 %2 %3 %4"_s.arg(row.conversation.id, row.configurationId, row.eligibleSince.toString(Qt::ISODate))
        .arg(int(row.category));
}

Result<QList<ChannelStateConfig>> configurations(DataverseClient &client)
{
    std::optional<Result<QList<ChannelStateConfig>>> configs;
    client.fetchConfigurations(&client, [&configs](auto r) { configs = std::move(r); });
    if (!QTest::qWaitFor([&configs] { return configs.has_value(); }, 20000))
        return Error::badInput(u"the configurations did not arrive"_s);
    return std::move(*configs);
}

// The sequential Lister's rows, page after page.
Result<QStringList> sequentialRows(DataverseClient &client, const PreviewScenario &scenario, int pageSize)
{
    ClosurePreview::Lister lister(&client, scenario);
    QStringList rows;
    while (!lister.atEnd()) {
        std::optional<Result<QList<PreviewRow>>> page;
        lister.fetchNext(pageSize, &client, [&page](Result<QList<PreviewRow>> r, bool) { page = std::move(r); });
        if (!spin([&page] { return page.has_value(); }))
            return Error::badInput(u"a page did not arrive"_s);
        if (!page->ok())
            return page->error();
        for (const PreviewRow &row : page->value())
            rows << describe(row);
    }
    return rows;
}

struct ParallelRun
{
    std::optional<Result<Done>> done;
    QStringList rows;
    ParallelReader::Stats stats;
};
ParallelRun parallelRows(DataverseClient &client, const PreviewScenario &scenario,
                         const ParallelReader::Options &options)
{
    ParallelRun run;
    ParallelLister lister(&client, scenario, options);
    lister.start(
        [&run](QList<PreviewRow> rows) {
            for (const PreviewRow &row : rows)
                run.rows << describe(row);
        },
        [&run](Result<Done> r) { run.done = std::move(r); });
    (void)spin([&run] { return run.done.has_value(); });
    run.stats = lister.stats();
    return run;
}
} // namespace

class TestParallelReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_seed = m_dir.filePath(u"seed.json"_s);
        QVERIFY(writePreviewSeed(m_seed, PreviewSeed {}));
        m_fixture = start();
        QVERIFY(m_fixture);
    }
    void cleanupTestCase() { m_fixture.reset(); }

    // Identical rows, in the same order, to the sequential Lister, with the list split into many ranges: both
    // timer bases, with edits that close more and fewer.
    void keepsTheListersOrder_data()
    {
        QTest::addColumn<int>("basis");
        QTest::addColumn<bool>("edited");
        QTest::newRow("created") << int(ClosingRule::Basis::Created) << false;
        QTest::newRow("modified") << int(ClosingRule::Basis::Modified) << false;
        QTest::newRow("created, edited") << int(ClosingRule::Basis::Created) << true;
    }
    void keepsTheListersOrder()
    {
        QFETCH(int, basis);
        QFETCH(bool, edited);
        SandboxFixture *fixture = m_fixture.get();
        const PreviewScenario scenario = this->scenario(*fixture->client, ClosingRule::Basis(basis), edited);
        const auto expected = sequentialRows(*fixture->client, scenario, 50);
        QVERIFY2(expected.ok(), qPrintable(expected.ok() ? QString() : expected.error().describe()));
        QVERIFY2(expected.value().size() > 1000, qPrintable(QString::number(expected.value().size())));

        const ParallelRun run = parallelRows(*fixture->client, scenario, smallPages());
        QVERIFY(run.done.has_value());
        QVERIFY2(run.done->ok(), qPrintable(run.done->ok() ? QString() : run.done->error().describe()));
        QCOMPARE(run.rows, expected.value());
        // Chat - Open's list alone is over 20 pages: it was read in ranges of at most two pages.
        QVERIFY2(run.stats.ranges >= 12, qPrintable(QString::number(run.stats.ranges)));
    }

    // A generic read of every conversation in createdon order: the same rows one query gives, page after page.
    void readsEveryConversationInOrder()
    {
        SandboxFixture *fixture = m_fixture.get();
        const auto read = [&fixture](bool split) {
            ParallelReader::Options options = smallPages();
            options.split = split;
            ParallelReader reader(fixture->client.get(), {}, options);
            QStringList ids;
            std::optional<Result<Done>> done;
            int pages = 0;
            reader.start(
                [&](QList<Conversation> rows) {
                    ++pages;
                    for (const Conversation &c : rows)
                        ids << c.id + c.createdOn.toString(Qt::ISODate);
                },
                [&done](Result<Done> r) { done = std::move(r); });
            (void)spin([&done] { return done.has_value(); });
            return std::tuple {ids, done.value_or(Error::badInput(u"no end"_s)).ok(), reader.stats()};
        };
        const auto [sequential, sequentialOk, one] = read(false);
        const auto [parallel, parallelOk, many] = read(true);
        QVERIFY(sequentialOk && parallelOk);
        QCOMPARE(one.ranges, 1);
        QCOMPARE(one.countRequests, 0);
        QVERIFY2(many.ranges > 10, qPrintable(QString::number(many.ranges)));
        QVERIFY(sequential.size() > 2000);
        QCOMPARE(parallel, sequential);
    }

    // A 429 in one range: the transport waits as told and asks again; the read goes on and the rows are the same.
    void throttledRangeStillReads()
    {
        auto fixture = start(u"429:times=1:retry-after=1:after=2:query=$skiptoken"_s);
        QVERIFY(fixture);
        const PreviewScenario scenario = this->scenario(*fixture->client, ClosingRule::Basis::Created, false);
        QSignalSpy throttled(fixture->client->transport(), &WebApiTransport::throttled);
        const ParallelRun run = parallelRows(*fixture->client, scenario, smallPages());
        QVERIFY(run.done.has_value() && run.done->ok());
        QCOMPARE(throttled.count(), 1);
        const auto expected = sequentialRows(*fixture->client, scenario, 50);
        QVERIFY(expected.ok());
        QCOMPARE(run.rows, expected.value());
    }

    // A range whose pages keep failing (500 past the retries) fails the read with that error, and an export
    // written through QSaveFile leaves no file.
    void failedRangeFailsTheRead()
    {
        auto fixture = start(u"500:query=$skiptoken"_s);
        QVERIFY(fixture);
        const PreviewScenario scenario = this->scenario(*fixture->client, ClosingRule::Basis::Created, false);
        const ParallelRun run = parallelRows(*fixture->client, scenario, smallPages());
        QVERIFY(run.done.has_value());
        QVERIFY(!run.done->ok());
        QCOMPARE(run.done->error().httpStatus, 500);

        const QString path = m_dir.filePath(u"failed.csv"_s);
        QSaveFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        ListExport exporter(fixture->client.get(), scenario, ListExport::Format::Csv);
        exporter.setReaderOptions(smallPages());
        std::optional<Result<qint64>> written;
        exporter.start(&file, this, {}, [&written, &file](Result<qint64> r) {
            if (r)
                file.commit();
            else
                file.cancelWriting();
            written = std::move(r);
        });
        QVERIFY(spin([&written] { return written.has_value(); }));
        QVERIFY(!written->ok());
        QCOMPARE(written->error().httpStatus, 500);
        QVERIFY(!file.commit());
        QVERIFY(!QFile::exists(path));
    }

    // CSV and JSON parse back to the rows the Lister gives, with the counts first in JSON; progress is reported as
    // pages are written.
    void exportParsesBack()
    {
        SandboxFixture *fixture = m_fixture.get();
        const PreviewScenario scenario = this->scenario(*fixture->client, ClosingRule::Basis::Created, false);
        std::optional<Result<QList<ClosurePreview::Impact>>> impacts;
        ClosurePreview::countImpact(fixture->client.get(), scenario, this, [&impacts](auto r) { impacts = r; });
        QVERIFY(spin([&impacts] { return impacts.has_value(); }));
        QVERIFY(impacts->ok());
        QList<std::pair<QString, QString>> expected; // activityid, configuration
        {
            ClosurePreview::Lister lister(fixture->client.get(), scenario);
            while (!lister.atEnd()) {
                std::optional<Result<QList<PreviewRow>>> page;
                lister.fetchNext(5000, this, [&page](Result<QList<PreviewRow>> r, bool) { page = std::move(r); });
                QVERIFY(spin([&page] { return page.has_value(); }));
                QVERIFY(page->ok());
                for (const PreviewRow &row : page->value())
                    expected << std::pair {row.conversation.id, row.configurationId};
            }
        }
        for (const ListExport::Format format : {ListExport::Format::Csv, ListExport::Format::Json}) {
            QBuffer buffer;
            QVERIFY(buffer.open(QIODevice::WriteOnly));
            ListExport exporter(fixture->client.get(), scenario, format);
            exporter.setCounts(impacts->value());
            exporter.setReaderOptions(smallPages());
            QList<ListExport::Progress> progress;
            std::optional<Result<qint64>> written;
            exporter.start(
                &buffer, this, [&progress](ListExport::Progress p) { progress << p; },
                [&written](Result<qint64> r) { written = std::move(r); });
            QVERIFY(spin([&written] { return written.has_value(); }));
            QVERIFY(written->ok());
            QCOMPARE(written->value(), qint64(expected.size()));
            QVERIFY(progress.size() > 10);
            QCOMPARE(progress.last().written, qint64(expected.size()));
            // Every count is exact; the conversations on two channels are counted under both.
            QVERIFY(progress.last().expected && *progress.last().expected >= progress.last().written);

            QList<std::pair<QString, QString>> parsed;
            if (format == ListExport::Format::Json) {
                QJsonParseError error;
                const QJsonObject root = QJsonDocument::fromJson(buffer.data(), &error).object();
                QCOMPARE(error.error, QJsonParseError::NoError);
                QCOMPARE(root.keys(), (QStringList {u"at"_s, u"basis"_s, u"conversations"_s, u"counts"_s}));
                QVERIFY(buffer.data().indexOf("\"counts\"") < buffer.data().indexOf("\"conversations\""));
                QCOMPARE(root.value(u"counts"_s).toArray().size(), scenario.saved.size());
                for (const QJsonValue &v : root.value(u"conversations"_s).toArray())
                    parsed << std::pair {v[u"activityid"_s].toString(), v[u"configuration"_s].toString()};
            } else {
                const QList<QByteArray> lines = buffer.data().split('\n');
                QCOMPARE(lines.first(), QByteArray("activityid,configuration,channel,state,eligibleSince,title"));
                QVERIFY(lines.last().isEmpty());
                for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
                    const QList<QByteArray> fields = lines.at(i).split(',');
                    QVERIFY2(lines.at(i).endsWith("with a comma\"") || !lines.at(i).contains("generated"),
                             lines.at(i).constData());
                    parsed << std::pair {QString::fromUtf8(fields.at(0)), QString::fromUtf8(fields.at(1))};
                }
            }
            QCOMPARE(parsed, expected);
        }
    }

    // Cancelled from its progress: no more rows are written and done is never called.
    void cancelStops()
    {
        SandboxFixture *fixture = m_fixture.get();
        const PreviewScenario scenario = this->scenario(*fixture->client, ClosingRule::Basis::Created, false);
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        ListExport exporter(fixture->client.get(), scenario, ListExport::Format::Csv);
        exporter.setReaderOptions(smallPages());
        int pages = 0;
        bool done = false;
        qint64 size = 0;
        exporter.start(
            &buffer, this,
            [&](ListExport::Progress) {
                if (++pages == 3) {
                    exporter.cancel();
                    size = buffer.size();
                }
            },
            [&done](Result<qint64>) { done = true; });
        QTRY_COMPARE(pages, 3);
        QTest::qWait(500);
        QCOMPARE(pages, 3);
        QVERIFY(!done);
        QCOMPARE(buffer.size(), size);
    }

private:
    std::unique_ptr<SandboxFixture> start(const QString &faults = {})
    {
        LocalSandbox::Options options;
        options.seed.file = m_seed;
        options.seed.required = true;
        options.faults = faults;
        return SandboxFixture::start(options, Token, SandboxFixture::Retries::Fast);
    }

    PreviewScenario scenario(DataverseClient &client, ClosingRule::Basis basis, bool edited)
    {
        const auto configs = configurations(client);
        if (!configs)
            return {};
        QHash<QString, std::optional<int>> edits;
        if (edited) {
            edits.insert(u"b0000000-0000-0000-0000-000000000001"_s, 240); // Chat - Open 20 min → 4 h: fewer
            edits.insert(u"b0000000-0000-0000-0000-000000000004"_s, 5); // Text - Open 1 h → 5 min: more
        }
        return PreviewScenario::make(configs.value(), edits, At, basis);
    }

    QTemporaryDir m_dir;
    QString m_seed;
    std::unique_ptr<SandboxFixture> m_fixture; // without faults, for the tests that add none
};

QTEST_GUILESS_MAIN(TestParallelReader)
#include "tst_parallelreader.moc"
