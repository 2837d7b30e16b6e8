// Reads through the client against the sandbox: server-side conversation filters (checked against the same rule
// applied here to every row), counts, identity, the column range, paging progress, cancellation, and literals
// that need encoding.
#include "SandboxFixture.h"
#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/ODataQuery.h"
#include "app/sandbox/LocalSandbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"reads-test-token"_s;

template<typename T>
std::optional<T> wait(std::optional<T> &slot)
{
    if (!QTest::qWaitFor([&slot] { return slot.has_value(); }, 20000))
        return std::nullopt; // no answer in time: the caller's check fails
    return slot;
}
} // namespace

class TestReads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = SandboxFixture::start({}, Token);
        QVERIFY(m_fixture);
        m_client = m_fixture->client.get();
        m_all = conversations({});
        QCOMPARE(m_all.size(), 360);
    }
    void cleanupTestCase()
    {
        m_client = nullptr;
        m_fixture.reset();
    }

    void queryEncodesLiterals()
    {
        const QString query = ODataQuery(u"things"_s)
                                  .select({u"a"_s, u"b"_s})
                                  .filter(u"name eq "_s + ODataLiteral::string(u"O'Brien & Co #1 + 50%"_s))
                                  .top(5)
                                  .toString();
        QCOMPARE(query, u"things?$select=a,b&$filter=name%20eq%20'O''Brien%20%26%20Co%20%231%20%2B%2050%25'&$top=5"_s);
        QCOMPARE(ODataLiteral::dateTime(QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::OffsetFromUTC, 7200)),
                 u"2024-05-01T08:00:00Z"_s);
    }

    void serverFiltersConversations_data()
    {
        QTest::addColumn<QList<int>>("states");
        QTest::addColumn<QList<int>>("channels");
        QTest::addColumn<int>("daysAgo");
        QTest::newRow("open and active chat older than a day") << QList<int> {1, 2} << QList<int> {192360000} << 1;
        QTest::newRow("wrap-up anywhere") << QList<int> {5} << QList<int> {} << -1;
        QTest::newRow("waiting SMS or Teams, a week old") << QList<int> {3} << QList<int> {192340000, 19241000} << 7;
    }
    void serverFiltersConversations()
    {
        QFETCH(QList<int>, states);
        QFETCH(QList<int>, channels);
        QFETCH(int, daysAgo);
        DataverseClient::ConversationFilter filter {
            states, channels, daysAgo < 0 ? QDateTime() : QDateTime::currentDateTimeUtc().addDays(-daysAgo)};
        QSet<QString> expected;
        for (const Conversation &c : m_all) {
            const bool state = states.contains(c.statusCode);
            const bool channel = channels.isEmpty() ||
                std::any_of(c.channels.begin(), c.channels.end(), [&](int x) { return channels.contains(x); });
            const bool old = !filter.createdBefore.isValid() || c.createdOn < filter.createdBefore;
            if (state && channel && old)
                expected.insert(c.id);
        }
        QVERIFY(!expected.isEmpty());
        const QList<Conversation> got = conversations(filter);
        QSet<QString> ids;
        for (const Conversation &c : got)
            ids.insert(c.id);
        QCOMPARE(ids, expected);
        QCOMPARE(qsizetype(got.size()), qsizetype(expected.size())); // only matching rows were transferred

        std::optional<Result<WebApiReply::Count>> count;
        m_client->countConversations(filter, this, [&count](auto r) { count = std::move(r); });
        QVERIFY(wait(count).has_value() && count->ok());
        QCOMPARE(count->value().count, qint64(expected.size()));
        QVERIFY(!count->value().capped);
    }

    void conversationsAreParsedCompletely()
    {
        const auto wrapUp = std::find_if(m_all.begin(), m_all.end(), [](const Conversation &c) {
            return c.statusCode == 5 && c.wrapUpInitiatedOn.isValid();
        });
        QVERIFY(wrapUp != m_all.end());
        QVERIFY(!wrapUp->title.isEmpty());
        QVERIFY(!wrapUp->subject.isEmpty());
        QVERIFY(!wrapUp->channels.isEmpty());
        QVERIFY(wrapUp->createdOn <= wrapUp->wrapUpInitiatedOn);
        QVERIFY(wrapUp->modifiedOn.isValid());
        QVERIFY(!wrapUp->workstreamId.isEmpty());
    }

    void identityAndColumnRange()
    {
        std::optional<Result<WebApiReply::Identity>> me;
        m_client->whoAmI(this, [&me](auto r) { me = std::move(r); });
        QVERIFY(wait(me).has_value() && me->ok());
        QCOMPARE(me->value().organizationId, m_fixture->sandbox->store()->identity().organizationId);
        QCOMPARE(me->value().userId, m_fixture->sandbox->store()->identity().userId);

        std::optional<Result<WebApiReply::ColumnRange>> range;
        m_client->fetchMinutesRange(this, [&range](auto r) { range = std::move(r); });
        QVERIFY(wait(range).has_value() && range->ok());
        QCOMPARE(range->value().minValue, 0);
        QCOMPARE(range->value().maxValue, 2147483647);
    }

    void progressPerPage()
    {
        m_client->setMaxPageSize(50);
        QList<qsizetype> seen;
        std::optional<Result<QList<QJsonObject>>> rows;
        m_client->fetchAll(
            u"msdyn_ocliveworkitems?$select=subject"_s, this, [&rows](auto r) { rows = std::move(r); },
            [&seen](qsizetype n) { seen << n; });
        QVERIFY(wait(rows).has_value() && rows->ok());
        m_client->setMaxPageSize(5000);
        QCOMPARE(seen.size(), 8);
        QCOMPARE(seen.first(), 50);
        QCOMPARE(seen.last(), 360);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    }

    void destroyingTheContextCancels()
    {
        m_client->setMaxPageSize(50);
        auto *context = new QObject;
        int pages = 0;
        bool done = false;
        m_client->fetchAll(
            u"msdyn_ocliveworkitems?$select=subject"_s, context, [&done](const auto &) { done = true; },
            [&pages, &context](qsizetype) {
                ++pages;
                delete context; // the user pressed Cancel after the first page
                context = nullptr;
            });
        QTRY_COMPARE(pages, 1);
        QTest::qWait(300);
        m_client->setMaxPageSize(5000);
        QCOMPARE(pages, 1); // no second page was requested
        QVERIFY(!done);
        QCOMPARE(m_client->transport()->activeRequests(), 0);
        QCOMPARE(m_client->transport()->queuedRequests(), 0);
    }

    void literalsSurviveTheRoundTrip()
    {
        const QString subject = u"O'Brien & Co #1 + 50%/x [test] = ok?"_s;
        const QString id = u"5e5e5e5e-0000-4000-8000-000000000001"_s;
        WebApiTransport::Call create;
        create.method = "PATCH";
        create.url = QUrl(m_fixture->sandbox->url().toString() + u"/api/data/v9.2/msdyn_ocliveworkitems(%1)"_s.arg(id));
        create.headers = {{"If-None-Match", "*"}};
        create.body = QJsonDocument(QJsonObject {{u"subject"_s, subject}, {u"statuscode"_s, 1}}).toJson();
        create.idempotent = false;
        std::optional<Result<WebApiTransport::Reply>> created;
        m_client->transport()->send(create, this, [&created](auto r) { created = std::move(r); });
        QVERIFY(wait(created).has_value() && created->ok());

        std::optional<Result<QList<QJsonObject>>> rows;
        m_client->fetchAll(ODataQuery(u"msdyn_ocliveworkitems"_s)
                               .select({u"subject"_s})
                               .filter(u"subject eq "_s + ODataLiteral::string(subject))
                               .toString(),
                           this, [&rows](auto r) { rows = std::move(r); });
        QVERIFY(wait(rows).has_value() && rows->ok());
        QCOMPARE(rows->value().size(), 1);
        QCOMPARE(rows->value().first().value(u"activityid"_s).toString(), id);
        QCOMPARE(rows->value().first().value(u"subject"_s).toString(), subject);
    }

    void expandRefusedFallsBackToTwoRequests()
    {
        LocalSandbox::Options options;
        options.faults = u"400:query=$expand"_s;
        const auto fixture = SandboxFixture::start(options, Token, SandboxFixture::Retries::Fast);
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        std::optional<Result<QList<ChannelStateConfig>>> configs;
        client.fetchConfigurations(this, [&configs](auto r) { configs = std::move(r); });
        QVERIFY(wait(configs).has_value());
        QVERIFY2(configs->ok(), qPrintable(configs->ok() ? QString() : configs->error().describe()));
        QCOMPARE(configs->value().size(), 24);
        for (const ChannelStateConfig &c : configs->value()) {
            QVERIFY(c.streamSource.has_value());
            QVERIFY(!c.channelName.isEmpty());
        }
    }

    void writePermission_data()
    {
        QTest::addColumn<bool>("readOnly");
        QTest::newRow("administrator with write") << false;
        QTest::newRow("read-only user") << true;
    }
    void writePermission()
    {
        QFETCH(bool, readOnly);
        LocalSandbox::Options options;
        options.readOnlyUser = readOnly;
        const auto fixture = SandboxFixture::start(options, Token, SandboxFixture::Retries::Fast);
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        std::optional<Result<bool>> canWrite;
        client.fetchCanWriteConfigurations(this, [&canWrite](auto r) { canWrite = std::move(r); });
        QVERIFY(wait(canWrite).has_value() && canWrite->ok());
        QCOMPARE(canWrite->value(), !readOnly);

        // What the check predicts is what a save meets.
        std::optional<Result<QList<ChannelStateConfig>>> configs;
        client.fetchConfigurations(this, [&configs](auto r) { configs = std::move(r); });
        QVERIFY(wait(configs).has_value() && configs->ok());
        const ChannelStateConfig first = configs->value().first();
        std::optional<QList<WriteResult>> results;
        client.saveMinutes({MinutesChange {first.id, first.name, first.etag, 25}}, DataverseClient::WriteMode::OneByOne,
                           this, [&results](auto r) { results = std::move(r); });
        QVERIFY(wait(results).has_value());
        QCOMPARE(results->first().outcome == WriteResult::Outcome::Saved, !readOnly);
        if (readOnly) {
            QCOMPARE(results->first().error.kind, Error::Kind::Auth);
            QCOMPARE(results->first().error.httpStatus, 403);
            QVERIFY(results->first().error.serviceMessage.contains(u"prvWritemsdyn_occhannelstateconfiguration"_s));
        }
    }

private:
    QList<Conversation> conversations(const DataverseClient::ConversationFilter &filter)
    {
        std::optional<Result<QList<Conversation>>> result;
        m_client->fetchConversations(filter, this, [&result](auto r) { result = std::move(r); });
        if (!wait(result).has_value() || !result->ok())
            return {};
        return result->value();
    }

    std::unique_ptr<SandboxFixture> m_fixture;
    DataverseClient *m_client = nullptr;
    QList<Conversation> m_all;
};

QTEST_GUILESS_MAIN(TestReads)
#include "tst_reads.moc"
