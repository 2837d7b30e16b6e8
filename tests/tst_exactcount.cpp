// Counts past the Web API's aggregate limit (docs/web-api.md): the sandbox refuses, as Dataverse does, to aggregate
// more than 50,000 rows, and ExactCount must still give the exact number — by splitting the timer's range, and by
// the ids when the rows all started in one second. The sets are written straight into the sandbox's database; the
// truth each count is checked against is SQLite's own COUNT over the same rows.
#include "BulkConversations.h"
#include "SandboxFixture.h"
#include "app/preview/ClosurePreview.h"
#include "app/preview/ExactCount.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QDateTime Start(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());

QString channelFilter(int channel)
{
    return u"statuscode eq 1 and Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',"
           u"PropertyValues=['%1'])"_s.arg(channel);
}

ExactCount::TimerClause createdClause()
{
    return [](const std::optional<QDateTime> &after, const QDateTime &upTo) {
        const QString upper = u"createdon le "_s + upTo.toString(u"yyyy-MM-ddTHH:mm:ssZ"_s);
        return after ? u"(createdon gt "_s + after->toString(u"yyyy-MM-ddTHH:mm:ssZ"_s) + u" and "_s + upper + u')'
                     : upper;
    };
}
} // namespace

class TestExactCount : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxFixture> m_fixture;
    QString m_connection = u"tst_exactcount"_s;

    QSqlDatabase db() { return QSqlDatabase::database(m_connection); }

    void insert(int channel, int count, const QDateTime &first, int stepSeconds, int statusCode = 1,
                const QString &workstreamId = {})
    {
        const auto inserted = BulkConversations::insert(m_fixture->sandbox->store()->databasePath(),
                                                        {channel, statusCode, count, first, stepSeconds, workstreamId});
        QVERIFY2(inserted.ok(), qPrintable(inserted.ok() ? QString() : inserted.error().describe()));
    }

    // SQLite's count of channel's Open conversations created in (after, upTo].
    qint64 truth(int channel, const std::optional<QDateTime> &after, const QDateTime &upTo)
    {
        QSqlQuery q(db());
        q.prepare(u"SELECT COUNT(*) FROM msdyn_ocliveworkitem WHERE statuscode = 1 AND msdyn_channel = ? AND "
                  u"createdon <= ? AND (? IS NULL OR createdon > ?)"_s);
        const auto text = [](const QDateTime &t) {
            return t.toString(u"yyyy-MM-ddTHH:mm:ssZ"_s);
        };
        q.addBindValue(QString::number(channel));
        q.addBindValue(text(upTo));
        q.addBindValue(after ? QVariant(text(*after)) : QVariant(QMetaType(QMetaType::QString)));
        q.addBindValue(after ? QVariant(text(*after)) : QVariant(QMetaType(QMetaType::QString)));
        if (!q.exec() || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    // SQLite's count of Waiting SMS conversations created at or before upTo: on workstream, or on none when empty.
    qint64 waitingSms(const QString &workstream, const QDateTime &upTo)
    {
        QSqlQuery q(db());
        q.prepare(u"SELECT COUNT(*) FROM msdyn_ocliveworkitem WHERE statuscode = 3 AND msdyn_channel = ? AND "
                  u"createdon <= ? AND "_s +
                  (workstream.isEmpty() ? u"msdyn_liveworkstreamid IS NULL"_s : u"msdyn_liveworkstreamid = ?"_s));
        q.addBindValue(QString::number(StreamSource::Sms));
        q.addBindValue(upTo.toString(u"yyyy-MM-ddTHH:mm:ssZ"_s));
        if (!workstream.isEmpty())
            q.addBindValue(workstream);
        if (!q.exec() || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    Result<QList<ExactCount::Count>> count(int channel, const QList<QDateTime> &upTo)
    {
        std::optional<Result<QList<ExactCount::Count>>> counted;
        ExactCount::countRanges(m_fixture->client.get(), {channelFilter(channel), createdClause()}, upTo, this,
                                [&counted](auto result) { counted = std::move(result); });
        if (!QTest::qWaitFor([&counted] { return counted.has_value(); }, 120000))
            return Error::badInput(u"the count did not finish"_s);
        return std::move(*counted);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = SandboxFixture::start();
        QVERIFY(m_fixture);
        QSqlDatabase database = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        database.setDatabaseName(m_fixture->sandbox->store()->databasePath());
        database.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000"_s);
        QVERIFY(database.open());
    }

    void cleanupTestCase()
    {
        QSqlDatabase::database(m_connection).close();
        QSqlDatabase::removeDatabase(m_connection);
        m_fixture.reset();
    }

    void exactAtAnySize_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("stepSeconds");
        QTest::addColumn<bool>("split"); // more than one request: the first count was refused

        QTest::newRow("49,999") << 49999 << 7 << false;
        QTest::newRow("50,000: the limit itself is aggregated") << 50000 << 3 << false;
        QTest::newRow("50,001") << 50001 << 5 << true;
        QTest::newRow("180,000") << 180000 << 1 << true;
        QTest::newRow("60,000 in one second") << 60000 << 0 << true;
    }

    void exactAtAnySize()
    {
        // One set per row, on a channel code of its own, so that sets do not see each other.
        QFETCH(int, rows);
        QFETCH(int, stepSeconds);
        QFETCH(bool, split);
        static int channel = 990000;
        ++channel;
        insert(channel, rows, Start, stepSeconds);
        if (stepSeconds == 0) {
            // A few neighbours on either side of the crowded second, which the split must neither lose nor repeat.
            insert(channel, 10, Start.addSecs(-20), 1);
            insert(channel, 10, Start.addSecs(1), 1);
        }
        const QDateTime end = Start.addSecs(qint64(rows) * stepSeconds + 100);
        const qint64 expected = truth(channel, std::nullopt, end);
        QCOMPARE(expected, stepSeconds == 0 ? rows + 20 : rows);

        const auto counted = count(channel, {end});
        QVERIFY2(counted.ok(), qPrintable(counted.ok() ? QString() : counted.error().describe()));
        QCOMPARE(counted.value().size(), 1);
        const ExactCount::Count c = counted.value().first();
        QCOMPARE(c.count, expected);
        QVERIFY(!c.capped);
        QCOMPARE(c.requests > 1, split);
    }

    void cappedOnlyWhenTheIdsAreRefused()
    {
        // A service that will not list rows by id leaves one crowded second uncountable: the count says so, as a
        // lower bound, with its reason.
        LocalSandbox::Options options;
        options.faults = u"400:query=$orderby=activityid"_s;
        auto refusing = SandboxFixture::start(options);
        QVERIFY(refusing);
        const int channel = 992000;
        QVERIFY(
            BulkConversations::insert(refusing->sandbox->store()->databasePath(), {channel, 1, 60000, Start, 0}).ok());
        std::optional<Result<QList<ExactCount::Count>>> counted;
        ExactCount::countRanges(refusing->client.get(), {channelFilter(channel), createdClause()}, {Start.addSecs(10)},
                                this, [&counted](auto result) { counted = std::move(result); });
        QVERIFY(QTest::qWaitFor([&counted] { return counted.has_value(); }, 60000));
        QVERIFY2(counted->ok(), qPrintable(counted->ok() ? QString() : counted->error().describe()));
        QVERIFY(counted->value().first().capped);
        QCOMPARE(counted->value().first().count, DataverseClient::AggregateLimit);
        QVERIFY(ExactCount::cappedReason().contains(u"lower bound"_s));
    }

    void aLoopInTheIdsIsAnError()
    {
        // Counting by the ids follows next links; one that leads back to a page already read would count the same
        // rows for ever. The count fails with the reason instead of giving a number.
        LocalSandbox::Options options;
        options.faults = u"loop:query=$orderby=activityid"_s;
        auto looping = SandboxFixture::start(options);
        QVERIFY(looping);
        const int channel = 993000;
        QVERIFY(
            BulkConversations::insert(looping->sandbox->store()->databasePath(), {channel, 1, 60000, Start, 0}).ok());
        std::optional<Result<QList<ExactCount::Count>>> counted;
        ExactCount::countRanges(looping->client.get(), {channelFilter(channel), createdClause()}, {Start.addSecs(10)},
                                this, [&counted](auto result) { counted = std::move(result); });
        QVERIFY(QTest::qWaitFor([&counted] { return counted.has_value(); }, 60000));
        QVERIFY(!counted->ok());
        QCOMPARE(counted->error().kind, Error::Kind::BadReply);
        QVERIFY2(counted->error().userMessage.contains(
                     u"reply for conversations links back to a page it has already sent (at page 1)"_s),
                 qPrintable(counted->error().userMessage));
    }

    void rangesBetweenCutoffs()
    {
        // Nested cutoffs: each range counted once, exact on either side of the limit.
        const int channel = 991000;
        insert(channel, 120000, Start, 2);
        const QList<QDateTime> cutoffs = {Start.addSecs(-1), Start.addSecs(30000), Start.addSecs(30000),
                                          Start.addSecs(170001), Start.addSecs(400000)};
        const auto counted = count(channel, cutoffs);
        QVERIFY2(counted.ok(), qPrintable(counted.ok() ? QString() : counted.error().describe()));
        QCOMPARE(counted.value().size(), cutoffs.size());
        std::optional<QDateTime> after;
        qint64 sum = 0;
        for (qsizetype i = 0; i < cutoffs.size(); ++i) {
            QCOMPARE(counted.value().at(i).count, truth(channel, after, cutoffs.at(i)));
            sum += counted.value().at(i).count;
            after = cutoffs.at(i);
        }
        QCOMPARE(sum, 120000);
    }

    void previewCountsMatchTheList()
    {
        // The case: 80,000 eligible SMS Open conversations. The preview's count for the configuration and the
        // conversations it lists under it are one answer.
        const auto configs = [this] {
            std::optional<Result<QList<ChannelStateConfig>>> loaded;
            m_fixture->client->fetchConfigurations(this, [&loaded](auto r) { loaded = std::move(r); });
            if (!QTest::qWaitFor([&loaded] { return loaded.has_value(); }, 20000))
                return Result<QList<ChannelStateConfig>>(Error::badInput(u"the configurations did not arrive"_s));
            return std::move(*loaded);
        }();
        QVERIFY(configs.ok());
        const auto sms = std::find_if(configs.value().begin(), configs.value().end(), [](const ChannelStateConfig &c) {
            return c.streamSource == StreamSource::Sms && c.state == int(ConversationState::Open);
        });
        QVERIFY(sms != configs.value().end());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        insert(StreamSource::Sms, 80000, now.addDays(-300), 60);
        const PreviewScenario scenario =
            PreviewScenario::make(configs.value(), {{sms->id, 24 * 60}}, now, ClosingRule::Basis::Created);

        std::optional<Result<QList<ClosurePreview::Impact>>> impacts;
        ClosurePreview::countImpact(m_fixture->client.get(), scenario, this,
                                    [&impacts](auto r) { impacts = std::move(r); });
        QVERIFY(QTest::qWaitFor([&impacts] { return impacts.has_value(); }, 120000));
        QVERIFY2(impacts->ok(), qPrintable(impacts->ok() ? QString() : impacts->error().describe()));
        const auto impact =
            std::find_if(impacts->value().begin(), impacts->value().end(),
                         [&sms](const ClosurePreview::Impact &i) { return i.configurationId == sms->id; });
        QVERIFY(impact != impacts->value().end());
        QVERIFY(!impact->capped);
        QVERIFY(impact->closesUnderBoth + impact->newlyCloses > 80000);

        ClosurePreview::Lister lister(m_fixture->client.get(), scenario);
        qint64 listed = 0;
        qint64 rows = 0;
        while (!lister.atEnd()) {
            std::optional<Result<QList<PreviewRow>>> page;
            lister.fetchNext(5000, this, [&page](Result<QList<PreviewRow>> r, bool) { page = std::move(r); });
            QVERIFY(QTest::qWaitFor([&page] { return page.has_value(); }, 60000));
            QVERIFY(page->ok());
            for (const PreviewRow &row : page->value()) {
                ++rows;
                // Eligible under the SMS configuration with the edit, whichever configuration lists it.
                const auto eligible = ClosingRule::eligibleFrom(row.conversation, 24 * 60, scenario.basis);
                if (ClosingRule::matches(row.conversation, *sms) && eligible && *eligible <= scenario.at)
                    ++listed;
            }
        }
        QCOMPARE(listed, impact->closesUnderBoth + impact->newlyCloses);
        QVERIFY(rows >= listed);
    }

    void workstreamPartsPastTheLimit()
    {
        // Waiting SMS conversations are timed by their workstream's inactivity (docs/closing-rule.md): 60,000 on the
        // demo's SMS workstream (2 days), edited to 3 days 16 hours, which splits them; 55,000 on no workstream, timed
        // by SMS · Waiting's value (never), edited to 3 days. Each part is counted exactly past the limit, and the
        // list holds the same rows; the truth is SQLite's count of the same rows.
        std::optional<Result<QList<ChannelStateConfig>>> configs;
        m_fixture->client->fetchConfigurations(this, [&configs](auto r) { configs = std::move(r); });
        QVERIFY(QTest::qWaitFor([&configs] { return configs.has_value(); }, 20000));
        QVERIFY(configs->ok());
        std::optional<Result<QList<Workstream>>> workstreams;
        m_fixture->client->fetchWorkstreams(this, [&workstreams](auto r) { workstreams = std::move(r); });
        QVERIFY(QTest::qWaitFor([&workstreams] { return workstreams.has_value(); }, 20000));
        QVERIFY(workstreams->ok());
        const auto waiting = std::find_if(configs->value().begin(), configs->value().end(), [](const auto &c) {
            return c.streamSource == StreamSource::Sms && c.state == int(ConversationState::Waiting);
        });
        QVERIFY(waiting != configs->value().end());
        QVERIFY(!waiting->minutes); // the demo's: Microsoft documents none for Waiting
        const auto sms = std::find_if(workstreams->value().begin(), workstreams->value().end(),
                                      [](const Workstream &w) { return w.streamSource == StreamSource::Sms; });
        QVERIFY(sms != workstreams->value().end());
        QCOMPARE(sms->inactivityMinutes, 2880);

        QDateTime now = QDateTime::currentDateTimeUtc();
        now.setTime(QTime(now.time().hour(), now.time().minute(), now.time().second()));
        const QDateTime first = now.addDays(-4);
        insert(StreamSource::Sms, 60000, first, 1, 3, sms->id);
        insert(StreamSource::Sms, 55000, first, 1, 3);
        const int editedInactivity = 3 * 24 * 60 + 16 * 60;
        const int editedValue = 3 * 24 * 60;
        const PreviewScenario scenario =
            PreviewScenario::make(configs->value(), workstreams->value(),
                                  {{ValueRef {sms->id, TimerSetting::Inactivity}, editedInactivity},
                                   {ValueRef {waiting->id, TimerSetting::ChannelState}, editedValue}},
                                  now, ClosingRule::Basis::Created);

        // The truth: on the workstream, eligible with 2 days and with 3 days 16 hours (nested); on none, with 3 days.
        const qint64 bySaved = waitingSms(sms->id, now.addSecs(-2880 * 60));
        const qint64 byEdited = waitingSms(sms->id, now.addSecs(-qint64(editedInactivity) * 60));
        const qint64 onNone = waitingSms(QString(), now.addSecs(-qint64(editedValue) * 60));
        QVERIFY2(byEdited > 28800 && bySaved - byEdited > 30000 && onNone == 55000,
                 qPrintable(u"%1 %2 %3"_s.arg(bySaved).arg(byEdited).arg(onNone)));

        std::optional<Result<QList<ClosurePreview::Impact>>> impacts;
        ClosurePreview::countImpact(m_fixture->client.get(), scenario, this,
                                    [&impacts](auto r) { impacts = std::move(r); });
        QVERIFY(QTest::qWaitFor([&impacts] { return impacts.has_value(); }, 120000));
        QVERIFY2(impacts->ok(), qPrintable(impacts->ok() ? QString() : impacts->error().describe()));
        const auto impact =
            std::find_if(impacts->value().begin(), impacts->value().end(),
                         [&waiting](const ClosurePreview::Impact &i) { return i.configurationId == waiting->id; });
        QVERIFY(impact != impacts->value().end());
        QVERIFY(!impact->capped);
        QVERIFY(impact->edited && impact->workstreamEdited);
        QCOMPARE(impact->closesUnderBoth, byEdited);
        QCOMPARE(impact->noLongerCloses, bySaved - byEdited);
        QCOMPARE(impact->newlyCloses, onNone);
        QCOMPARE(impact->parts.size(), 2);
        QCOMPARE(impact->parts.first().part.workstreamIds, QStringList {sms->id});
        QCOMPARE(impact->parts.first().closesUnderBoth, byEdited);
        QCOMPARE(impact->parts.last().part.others, true);
        QCOMPARE(impact->parts.last().newlyCloses, onNone);

        // The list under SMS · Waiting: every one of them once, in its category.
        ClosurePreview::Lister lister(m_fixture->client.get(), scenario);
        QHash<PreviewRow::Category, qint64> listed;
        QSet<QString> seen;
        while (!lister.atEnd()) {
            std::optional<Result<QList<PreviewRow>>> page;
            lister.fetchNext(5000, this, [&page](Result<QList<PreviewRow>> r, bool) { page = std::move(r); });
            QVERIFY(QTest::qWaitFor([&page] { return page.has_value(); }, 60000));
            QVERIFY(page->ok());
            for (const PreviewRow &row : page->value()) {
                if (row.configurationId != waiting->id)
                    continue;
                QVERIFY(!seen.contains(row.conversation.id));
                seen.insert(row.conversation.id);
                ++listed[row.category];
            }
        }
        QCOMPARE(listed.value(PreviewRow::Category::ClosesUnderBoth), byEdited);
        QCOMPARE(listed.value(PreviewRow::Category::NoLongerCloses), bySaved - byEdited);
        QCOMPARE(listed.value(PreviewRow::Category::NewlyCloses), onNone);
    }
};

QTEST_GUILESS_MAIN(TestExactCount)
#include "tst_exactcount.moc"
