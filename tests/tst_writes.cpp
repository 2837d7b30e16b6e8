// Saving minutes through the client against the sandbox: one atomic batch or one by one, a result per record.
#include "SandboxFixture.h"
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"writes-test-token"_s;
using Outcome = WriteResult::Outcome;
} // namespace

class TestWrites : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saveBatch() { saveAll(DataverseClient::WriteMode::Batch); }
    void saveOneByOne() { saveAll(DataverseClient::WriteMode::OneByOne); }

    void aStaleRecordSinksTheWholeBatch()
    {
        start();
        QList<MinutesChange> changes = changesFor(3, {61, 62, 63});
        changes[1].etag = u"W/\"1\""_s; // someone saved it since
        const QList<WriteResult> results = save(changes, DataverseClient::WriteMode::Batch);
        QCOMPARE(results.size(), 3);
        QCOMPARE(results.at(1).outcome, Outcome::Failed);
        QCOMPARE(results.at(1).error.kind, Error::Kind::Conflict);
        QCOMPARE(results.at(1).error.serviceCode, u"0x80060882"_s);
        for (int i : {0, 2}) {
            QCOMPARE(results.at(i).outcome, Outcome::NotSaved);
            QVERIFY2(results.at(i).error.userMessage.contains(changes.at(1).name),
                     qPrintable(results.at(i).error.userMessage));
        }
        // Nothing changed on the server.
        const QList<ChannelStateConfig> after = load();
        for (const MinutesChange &c : changes)
            QCOMPARE(find(after, c.id).etag, find(m_before, c.id).etag);
    }

    void oneByOneSavesWhatItCan()
    {
        start();
        QList<MinutesChange> changes = changesFor(3, {71, 72, 73});
        changes[1].etag = u"W/\"1\""_s;
        const QList<WriteResult> results = save(changes, DataverseClient::WriteMode::OneByOne);
        QCOMPARE(results.at(0).outcome, Outcome::Saved);
        QCOMPARE(results.at(1).outcome, Outcome::Failed);
        QCOMPARE(results.at(1).error.kind, Error::Kind::Conflict);
        QCOMPARE(results.at(2).outcome, Outcome::Saved);
        const QList<ChannelStateConfig> after = load();
        QCOMPARE(find(after, changes.at(0).id).minutes, std::optional<int>(71));
        QCOMPARE(find(after, changes.at(1).id).minutes, find(m_before, changes.at(1).id).minutes);
        QCOMPARE(find(after, changes.at(2).id).minutes, std::optional<int>(73));
    }

    void aDeletedRecordIsNotFoundNeverCreated()
    {
        start();
        MinutesChange ghost {u"0f0f0f0f-0000-0000-0000-000000000001"_s, u"Ghost"_s, {}, 5};
        const QList<WriteResult> results = save({ghost}, DataverseClient::WriteMode::OneByOne);
        QCOMPARE(results.at(0).outcome, Outcome::Failed);
        QCOMPARE(results.at(0).error.kind, Error::Kind::NotFound);
        QCOMPARE(load().size(), 24);
    }

    void outOfRangeIsRefusedWithTheServiceMessage()
    {
        start();
        QList<MinutesChange> changes = changesFor(1, {0});
        changes[0].minutes = -1;
        const QList<WriteResult> results = save(changes, DataverseClient::WriteMode::Batch);
        QCOMPARE(results.at(0).outcome, Outcome::Failed);
        QCOMPARE(results.at(0).error.httpStatus, 400);
        QVERIFY(results.at(0).error.serviceMessage.contains(u"outside the valid range"_s));
    }

    void aBatchIsRetriedAfterA503()
    {
        start(u"503:method=POST:times=1"_s);
        const QList<MinutesChange> changes = changesFor(2, {81, 82});
        const QList<WriteResult> results = save(changes, DataverseClient::WriteMode::Batch);
        for (const WriteResult &r : results)
            QCOMPARE(r.outcome, Outcome::Saved);
        QCOMPARE(find(load(), changes.at(1).id).minutes, std::optional<int>(82));
    }

    void aFailedBatchReportsEveryRecordNotSaved()
    {
        start(u"503:method=POST"_s);
        m_client->transport()->setRetryPolicy(WebApiTransport::RetryPolicy {1, std::chrono::milliseconds(10)});
        const QList<WriteResult> results = save(changesFor(2, {91, 92}), DataverseClient::WriteMode::Batch);
        QCOMPARE(results.size(), 2);
        for (const WriteResult &r : results) {
            QCOMPARE(r.outcome, Outcome::NotSaved);
            QCOMPARE(r.error.httpStatus, 503);
        }
    }

    void aSaveWhoseReplyWasLostIsReportedSaved_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("batch") << int(DataverseClient::WriteMode::Batch);
        QTest::newRow("one by one") << int(DataverseClient::WriteMode::OneByOne);
    }
    void aSaveWhoseReplyWasLostIsReportedSaved()
    {
        // The connection drops half-way through the reply of a write the environment has made. The retry (the
        // write carries If-Match) then meets the version its own first attempt made and gets 412. Reading the
        // records back shows they hold the values asked for: saved, not "someone changed it".
        QFETCH(int, mode);
        start(
            u"reset:method=%1:times=1"_s.arg(mode == int(DataverseClient::WriteMode::Batch) ? u"POST"_s : u"PATCH"_s));
        const QList<MinutesChange> changes = changesFor(2, {71, 72});
        const QList<WriteResult> results = save(changes, DataverseClient::WriteMode(mode));
        QCOMPARE(results.size(), 2);
        const QList<ChannelStateConfig> after = load();
        for (qsizetype i = 0; i < 2; ++i) {
            QCOMPARE(results.at(i).outcome, Outcome::Saved);
            QCOMPARE(results.at(i).etag, find(after, changes.at(i).id).etag); // the next save will not conflict
            QCOMPARE(find(after, changes.at(i).id).minutes, changes.at(i).minutes);
        }
        QVERIFY(results.at(0).confirmedByReading); // the one whose reply was lost
    }

    void aRealConflictStaysAConflict()
    {
        // Someone else's value is not mistaken for ours: the read-back only confirms the value asked for.
        start();
        QList<MinutesChange> changes = changesFor(1, {33});
        QCOMPARE(save(changes, DataverseClient::WriteMode::OneByOne).first().outcome, Outcome::Saved);
        changes[0].minutes = 44; // still with the first version's ETag: stale
        const WriteResult stale = save(changes, DataverseClient::WriteMode::OneByOne).first();
        QCOMPARE(stale.outcome, Outcome::Failed);
        QCOMPARE(stale.error.kind, Error::Kind::Conflict);
        QVERIFY(!stale.confirmedByReading);
        QCOMPARE(find(load(), changes.at(0).id).minutes, std::optional<int>(33));
    }

private:
    void saveAll(DataverseClient::WriteMode mode)
    {
        start();
        const QList<MinutesChange> changes = changesFor(3, {15, 0, 0});
        QList<MinutesChange> withNever = changes;
        withNever[2].minutes.reset();
        const QList<WriteResult> results = save(withNever, mode);
        QCOMPARE(results.size(), 3);
        const QList<ChannelStateConfig> after = load();
        for (qsizetype i = 0; i < 3; ++i) {
            const WriteResult &r = results.at(i);
            QCOMPARE(r.id, withNever.at(i).id);
            QCOMPARE(r.outcome, Outcome::Saved);
            QCOMPARE(r.minutes, withNever.at(i).minutes);
            // The new ETag is the server's, so the next save of this record does not conflict.
            QCOMPARE(r.etag, find(after, r.id).etag);
            QCOMPARE(find(after, r.id).minutes, withNever.at(i).minutes);
        }
    }

    void start(const QString &faults = {})
    {
        m_fixture.reset();
        LocalSandbox::Options options;
        options.faults = faults;
        m_fixture = SandboxFixture::start(options, Token, SandboxFixture::Retries::Fast);
        QVERIFY(m_fixture);
        m_client = m_fixture->client.get();
        m_client->transport()->setRetryPolicy(WebApiTransport::RetryPolicy {3, std::chrono::milliseconds(10)});
        m_before = load();
        QCOMPARE(m_before.size(), 24);
    }

    QList<ChannelStateConfig> load()
    {
        std::optional<Result<QList<ChannelStateConfig>>> result;
        m_client->fetchConfigurations(this, [&result](auto r) { result = std::move(r); });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000) || !result->ok())
            return {};
        return result->value();
    }

    QList<MinutesChange> changesFor(int count, const QList<int> &minutes) const
    {
        QList<MinutesChange> changes;
        for (int i = 0; i < count; ++i) {
            const ChannelStateConfig &c = m_before.at(i);
            changes << MinutesChange {c.id, c.name, c.etag, minutes.at(i)};
        }
        return changes;
    }

    QList<WriteResult> save(const QList<MinutesChange> &changes, DataverseClient::WriteMode mode)
    {
        std::optional<QList<WriteResult>> results;
        m_client->saveMinutes(changes, mode, this, [&results](QList<WriteResult> r) { results = std::move(r); });
        if (!QTest::qWaitFor([&results] { return results.has_value(); }, 30000))
            return {};
        return *results;
    }

    static ChannelStateConfig find(const QList<ChannelStateConfig> &configs, const QString &id)
    {
        const auto it = std::find_if(configs.begin(), configs.end(), [&id](const auto &c) { return c.id == id; });
        return it == configs.end() ? ChannelStateConfig {} : *it;
    }

    std::unique_ptr<SandboxFixture> m_fixture;
    DataverseClient *m_client = nullptr;
    QList<ChannelStateConfig> m_before;
};

QTEST_GUILESS_MAIN(TestWrites)
#include "tst_writes.moc"
