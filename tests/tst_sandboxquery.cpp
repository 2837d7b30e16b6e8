// Queries over real HTTP: every $filter result is checked against a predicate evaluated here, in C++, over all
// rows, so the sandbox's SQL is compared with an independent reading of the same rule.
#include "TestHttp.h"
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/sandbox/SandboxStore.h"
#include "models/ChannelStateConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Token = "query-test-token";
using Predicate = std::function<bool(const QJsonObject &)>;

QDateTime at(const QJsonObject &row, const QString &column)
{
    return QDateTime::fromString(row.value(column).toString(), Qt::ISODate);
}
} // namespace
Q_DECLARE_METATYPE(Predicate)

class TestSandboxQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto sandbox = LocalSandbox::start(m_dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(sandbox.ok());
        m_sandbox = std::move(sandbox).value();
        m_all = fetchAll(u"msdyn_ocliveworkitems"_s, {});
        QVERIFY(m_all.size() >= 200);
    }
    void cleanupTestCase() { m_sandbox.reset(); }

    void plainPagesAreTheJsonOfTheirObjects_data()
    {
        QTest::addColumn<QStringList>("select");
        QTest::addColumn<QString>("orderBy");
        QTest::addColumn<qint64>("after"); // rows before the page
        QTest::newRow("every column") << QStringList() << QString() << qint64(0);
        QTest::newRow("a selection, out of order")
            << QStringList {u"subject"_s, u"statuscode"_s, u"msdyn_liveworkstreamid"_s, u"activityid"_s} << QString()
            << qint64(0);
        QTest::newRow("ordered, a later page")
            << QStringList {u"subject"_s, u"createdon"_s} << u"createdon DESC"_s << qint64(37);
    }
    void plainPagesAreTheJsonOfTheirObjects()
    {
        // A page written as text straight from the database (writeList) is byte for byte what QJsonDocument makes
        // of the same rows as objects (list): keys in the same order, strings escaped the same way.
        QFETCH(QStringList, select);
        QFETCH(QString, orderBy);
        QFETCH(qint64, after);
        QTemporaryDir dir; // a sandbox of its own: the other tests compare with rows read before they ran
        auto sandbox = LocalSandbox::start(dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(sandbox.ok());
        SandboxStore *store = sandbox.value()->store();
        const EntitySetDef &set = *EntitySchema::find(u"msdyn_ocliveworkitems"_s);
        const QString tricky = u"Quote \" backslash \\ tab \t line \n bell \u0007 é € 😀 </script>"_s;
        const QString id = m_all.first().value(u"activityid"_s).toString();
        QVERIFY(store->upsert(set, id, {{u"subject"_s, tricky}}, {u"*"_s, false}).ok()); // the same demo ids
        SandboxStore::Query query;
        for (const QString &name : select)
            query.select << set.column(name);
        if (!orderBy.isEmpty())
            query.orderBy << orderBy;
        if (after > 0) {
            // The page starts after the sort key of the row before it, as a paging cookie says.
            SandboxStore::Query before = query;
            before.limit = after;
            QList<QVariantList> keys;
            QVERIFY(store->list(set, before, &keys).ok());
            QCOMPARE(keys.size(), after);
            query.after = keys.last();
        }
        query.limit = 51;
        const auto objects = store->list(set, query);
        QVERIFY(objects.ok());
        QByteArray text;
        const auto read = store->writeList(set, query, 50, &text);
        QVERIFY(read.ok());
        QCOMPARE(read.value(), objects.value().size());
        QJsonArray expected;
        for (qsizetype i = 0; i < std::min<qsizetype>(50, objects.value().size()); ++i)
            expected.append(objects.value().at(i));
        QCOMPARE("[" + text + "]", QJsonDocument(expected).toJson(QJsonDocument::Compact));
        if (after == 0 && (select.isEmpty() || select.contains(u"subject"_s)))
            QVERIFY2(text.contains("Quote \\\" backslash \\\\ tab \\t line \\n bell \\u0007 "),
                     text.left(400).constData());
    }

    void filterMatchesAnIndependentPredicate_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<Predicate>("predicate");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QTest::newRow("eq") << u"statuscode eq 2"_s
                            << Predicate([](const QJsonObject &r) { return r.value(u"statuscode"_s).toInt() == 2; });
        QTest::newRow("ne") << u"statuscode ne 2"_s
                            << Predicate([](const QJsonObject &r) { return r.value(u"statuscode"_s).toInt() != 2; });
        QTest::newRow("range") << u"statuscode ge 2 and statuscode le 3"_s << Predicate([](const QJsonObject &r) {
            const int s = r.value(u"statuscode"_s).toInt();
            return s >= 2 && s <= 3;
        });
        QTest::newRow("or and not") << u"(statuscode eq 1 or statuscode eq 5) and not statecode eq 1"_s
                                    << Predicate([](const QJsonObject &r) {
                                           const int s = r.value(u"statuscode"_s).toInt();
                                           return (s == 1 || s == 5) && r.value(u"statecode"_s).toInt() != 1;
                                       });
        QTest::newRow("null") << u"statuscode eq 5 and msdyn_wrapupinitiatedon eq null"_s
                              << Predicate([](const QJsonObject &r) {
                                     return r.value(u"statuscode"_s).toInt() == 5 &&
                                         r.value(u"msdyn_wrapupinitiatedon"_s).isNull();
                                 });
        QTest::newRow("channel") << u"Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',"
                                    u"PropertyValues=['192360000','19241000'])"_s
                                 << Predicate([](const QJsonObject &r) {
                                        const QStringList c = r.value(u"msdyn_channel"_s).toString().split(u',');
                                        return c.contains(u"192360000"_s) || c.contains(u"19241000"_s);
                                    });
        QTest::newRow("older than a day")
            << u"Microsoft.Dynamics.CRM.OlderThanXMinutes(PropertyName='createdon',PropertyValue=1440)"_s
            << Predicate([now](const QJsonObject &r) { return at(r, u"createdon"_s) < now.addSecs(-1440 * 60); });
        const QDateTime cutoff = now.addDays(-3);
        QTest::newRow("datetime literal")
            << u"createdon lt %1"_s.arg(cutoff.toString(Qt::ISODate))
            << Predicate([cutoff](const QJsonObject &r) { return at(r, u"createdon"_s) < cutoff; });
        QTest::newRow("contains") << u"contains(subject,'refund')"_s << Predicate([](const QJsonObject &r) {
            return r.value(u"subject"_s).toString().contains(u"refund"_s, Qt::CaseInsensitive);
        });
        QTest::newRow("startswith") << u"startswith(subject,'Order')"_s << Predicate([](const QJsonObject &r) {
            return r.value(u"subject"_s).toString().startsWith(u"Order"_s, Qt::CaseInsensitive);
        });
    }
    void filterMatchesAnIndependentPredicate()
    {
        QFETCH(QString, filter);
        QFETCH(Predicate, predicate);
        QSet<QString> expected;
        for (const QJsonObject &row : m_all) {
            if (predicate(row))
                expected.insert(row.value(u"activityid"_s).toString());
        }
        QVERIFY2(!expected.isEmpty(), "the demo data has rows on both sides of every filter here");
        QVERIFY(qsizetype(expected.size()) < m_all.size());
        QSet<QString> actual;
        for (const QJsonObject &row : fetchAll(u"msdyn_ocliveworkitems"_s, {{u"$filter"_s, filter}}, 40))
            actual.insert(row.value(u"activityid"_s).toString());
        QCOMPARE(actual, expected);
    }

    void orderbyAndPagingAgree()
    {
        const QList<QJsonObject> rows = fetchAll(
            u"msdyn_ocliveworkitems"_s,
            {{u"$select"_s, u"createdon,statuscode"_s}, {u"$orderby"_s, u"statuscode desc,createdon asc"_s}}, 33);
        QCOMPARE(rows.size(), m_all.size());
        for (qsizetype i = 1; i < rows.size(); ++i) {
            const int a = rows.at(i - 1).value(u"statuscode"_s).toInt();
            const int b = rows.at(i).value(u"statuscode"_s).toInt();
            QVERIFY(a >= b);
            if (a == b)
                QVERIFY(at(rows.at(i - 1), u"createdon"_s) <= at(rows.at(i), u"createdon"_s));
        }
    }

    void countIsTheFilteredTotal()
    {
        qsizetype waiting = 0;
        for (const QJsonObject &row : m_all)
            waiting += row.value(u"statuscode"_s).toInt() == 3 ? 1 : 0;
        const QJsonObject body =
            get(u"msdyn_ocliveworkitems"_s,
                {{u"$filter"_s, u"statuscode eq 3"_s}, {u"$count"_s, u"true"_s}, {u"$top"_s, u"1"_s}});
        QCOMPARE(body.value(u"@odata.count"_s).toInteger(), qint64(waiting));
        QCOMPARE(body.value(u"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"_s).toBool(), false);
        QCOMPARE(body.value(u"value"_s).toArray().size(), 1);
    }

    void applyGroupsAndCountsLikeAnIndependentCount()
    {
        QHash<std::pair<QString, int>, qint64> expected;
        for (const QJsonObject &row : m_all) {
            if (row.value(u"statecode"_s).toInt() == 0)
                ++expected[{row.value(u"msdyn_channel"_s).toString(), row.value(u"statuscode"_s).toInt()}];
        }
        const QJsonObject body = get(u"msdyn_ocliveworkitems"_s,
                                     {{u"$apply"_s,
                                       u"filter(statecode eq 0)/groupby((msdyn_channel,statuscode),"
                                       u"aggregate($count as count))"_s}});
        QHash<std::pair<QString, int>, qint64> actual;
        for (const QJsonValue &v : body.value(u"value"_s).toArray()) {
            const QJsonObject row = v.toObject();
            actual.insert({row.value(u"msdyn_channel"_s).toString(), row.value(u"statuscode"_s).toInt()},
                          row.value(u"count"_s).toInteger());
        }
        QCOMPARE(actual, expected);

        const QJsonObject total = get(u"msdyn_ocliveworkitems"_s, {{u"$apply"_s, u"aggregate($count as n)"_s}});
        QCOMPARE(total.value(u"value"_s)[0].toObject().value(u"n"_s).toInteger(), qint64(m_all.size()));
    }

    void columnRangeFromMetadata()
    {
        const QUrl url(m_sandbox->url().toString() +
                       u"/api/data/v9.2/EntityDefinitions(LogicalName='msdyn_occhannelstateconfiguration')/"
                       u"Attributes(LogicalName='msdyn_autocloseliveworkitemafter')/"
                       u"Microsoft.Dynamics.CRM.IntegerAttributeMetadata?$select=MinValue,MaxValue"_s);
        const TestReply reply = testGet(url, Token);
        QCOMPARE(reply.status, 200);
        const QJsonObject body = QJsonDocument::fromJson(reply.body).object();
        QCOMPARE(body.value(u"MinValue"_s).toInteger(), 0);
        QCOMPARE(body.value(u"MaxValue"_s).toInteger(), 2147483647);
        QVERIFY(!body.contains(u"LogicalName"_s));

        const QUrl missing(m_sandbox->url().toString() +
                           u"/api/data/v9.2/EntityDefinitions(LogicalName='msdyn_occhannelstateconfiguration')/"
                           u"Attributes(LogicalName='msdyn_nope')"_s);
        QCOMPARE(testGet(missing, Token).status, 404);
    }

    void formattedValuesWhenAskedFor()
    {
        QUrl url = api(u"msdyn_occhannelstateconfigurations?$select=msdyn_ocliveworkitemstate,"
                       u"_msdyn_occhannelconfigurationid_value,msdyn_autocloseliveworkitemafter"_s);
        const TestReply plain = testGet(url, Token);
        QVERIFY(!plain.body.contains("FormattedValue"));
        QVERIFY(plain.header("Preference-Applied").isEmpty());

        const QByteArray prefer = "odata.include-annotations=\"*\"";
        const TestReply reply = testGet(url, Token, {{"Prefer", "odata.maxpagesize=100," + prefer}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("Preference-Applied"), "odata.maxpagesize=100," + prefer);
        const QString F = u"@OData.Community.Display.V1.FormattedValue"_s;
        bool sawChat = false;
        for (const QJsonValue &v : QJsonDocument::fromJson(reply.body)[u"value"_s].toArray()) {
            const QJsonObject row = v.toObject();
            const int state = row.value(u"msdyn_ocliveworkitemstate"_s).toInt();
            QCOMPARE(row.value(u"msdyn_ocliveworkitemstate"_s + F).toString(), conversationStateLabel(state));
            QCOMPARE(row.value(u"_msdyn_occhannelconfigurationid_value@Microsoft.Dynamics.CRM.lookuplogicalname"_s)
                         .toString(),
                     u"msdyn_occhannelconfiguration"_s);
            if (row.value(u"_msdyn_occhannelconfigurationid_value"_s + F).toString() == u"Contoso web chat"_s &&
                state == 0) {
                sawChat = true;
                QCOMPARE(row.value(u"msdyn_autocloseliveworkitemafter"_s + F).toString(), u"20"_s);
            }
        }
        QVERIFY(sawChat);
    }

    void badQueriesNameTheProblem_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("filter syntax") << u"$filter"_s << u"statuscode eq"_s << u"$filter"_s;
        QTest::newRow("orderby column") << u"$orderby"_s << u"nope desc"_s << u"'nope'"_s;
        QTest::newRow("orderby direction") << u"$orderby"_s << u"createdon sideways"_s << u"asc or"_s;
        QTest::newRow("count value") << u"$count"_s << u"yes"_s << u"$count"_s;
        QTest::newRow("apply transformation") << u"$apply"_s << u"topcount(5,statuscode)"_s << u"topcount"_s;
        QTest::newRow("apply filter") << u"$apply"_s << u"filter(statuscode eq)/aggregate($count as n)"_s
                                      << u"$filter"_s;
        QTest::newRow("apply column") << u"$apply"_s << u"groupby((nope),aggregate($count as n))"_s << u"'nope'"_s;
    }
    void badQueriesNameTheProblem()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QString, messagePart);
        QUrlQuery query;
        query.addQueryItem(option, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        QUrl url = api(u"msdyn_ocliveworkitems"_s);
        url.setQuery(query);
        const TestReply reply = testGet(url, Token);
        QCOMPARE(reply.status, 400);
        const QString message = QJsonDocument::fromJson(reply.body)[u"error"_s][u"message"_s].toString();
        QVERIFY2(message.contains(messagePart), qPrintable(message));
    }

private:
    QUrl api(const QString &path) const { return QUrl(m_sandbox->url().toString() + u"/api/data/v9.2/"_s + path); }

    QJsonObject get(const QString &set, const QList<std::pair<QString, QString>> &options)
    {
        QUrlQuery query;
        for (const auto &[name, value] : options)
            query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        QUrl url = api(set);
        url.setQuery(query);
        const TestReply reply = testGet(url, Token);
        if (reply.status != 200)
            qWarning() << reply.status << reply.body;
        return QJsonDocument::fromJson(reply.body).object();
    }

    QList<QJsonObject> fetchAll(const QString &set, const QList<std::pair<QString, QString>> &options,
                                int pageSize = 5000)
    {
        QUrlQuery query;
        for (const auto &[name, value] : options)
            query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        QUrl next = api(set);
        next.setQuery(query);
        QList<QJsonObject> rows;
        for (int pages = 0; !next.isEmpty() && pages < 1000; ++pages) {
            const TestReply reply =
                testGet(next, Token, {{"Prefer", "odata.maxpagesize=" + QByteArray::number(pageSize)}});
            if (reply.status != 200) {
                qWarning() << reply.status << reply.body;
                return {};
            }
            const QJsonObject body = QJsonDocument::fromJson(reply.body).object();
            for (const QJsonValue &v : body.value(u"value"_s).toArray())
                rows << v.toObject();
            next = QUrl(body.value(u"@odata.nextLink"_s).toString());
        }
        return rows;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<LocalSandbox> m_sandbox;
    QList<QJsonObject> m_all;
};

QTEST_GUILESS_MAIN(TestSandboxQuery)
#include "tst_sandboxquery.moc"
