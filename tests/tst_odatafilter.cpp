// The $filter parser alone: what SQL and values it produces, and how it reports bad filters.
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestODataFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void translates_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QVariantList>("binds");
        QTest::newRow("eq int") << u"statuscode eq 1"_s << u"statuscode = ?"_s << QVariantList {1LL};
        QTest::newRow("negative int") << u"statuscode gt -1"_s << u"statuscode > ?"_s << QVariantList {-1LL};
        QTest::newRow("and or precedence")
            << u"statuscode eq 1 or statuscode eq 2 and statecode eq 0"_s
            << u"(statuscode = ? OR (statuscode = ? AND statecode = ?))"_s << QVariantList {1LL, 2LL, 0LL};
        QTest::newRow("parentheses") << u"(statuscode eq 1 or statuscode eq 2) and statecode eq 0"_s
                                     << u"((statuscode = ? OR statuscode = ?) AND statecode = ?)"_s
                                     << QVariantList {1LL, 2LL, 0LL};
        QTest::newRow("not") << u"not statuscode eq 1"_s << u"NOT COALESCE(statuscode = ?, 0)"_s << QVariantList {1LL};
        QTest::newRow("eq null") << u"msdyn_wrapupinitiatedon eq null"_s << u"msdyn_wrapupinitiatedon IS NULL"_s
                                 << QVariantList {};
        QTest::newRow("ne null") << u"msdyn_wrapupinitiatedon ne null"_s << u"msdyn_wrapupinitiatedon IS NOT NULL"_s
                                 << QVariantList {};
        QTest::newRow("string with quote") << u"msdyn_title eq 'O''Brien'' OR 1=1 --'"_s << u"msdyn_title = ?"_s
                                           << QVariantList {u"O'Brien' OR 1=1 --"_s};
        QTest::newRow("guid lookup") << u"_msdyn_liveworkstreamid_value eq 6F1C2A4E-3B7D-4C55-9A0E-2D8F6B1E7C90"_s
                                     << u"msdyn_liveworkstreamid = ?"_s
                                     << QVariantList {u"6f1c2a4e-3b7d-4c55-9a0e-2d8f6b1e7c90"_s};
        QTest::newRow("datetime") << u"createdon lt 2024-05-01T10:00:00.500+02:00"_s << u"createdon < ?"_s
                                  << QVariantList {u"2024-05-01T08:00:00Z"_s};
        QTest::newRow("date") << u"createdon ge 2024-05-01"_s << u"createdon >= ?"_s
                              << QVariantList {u"2024-05-01T00:00:00Z"_s};
        QTest::newRow("contains escapes wildcards")
            << u"contains(subject,'50%_off\\')"_s << u"subject LIKE ? ESCAPE '\\'"_s
            << QVariantList {u"%50\\%\\_off\\\\%"_s};
        QTest::newRow("startswith") << u"startswith(subject,'Refund')"_s << u"subject LIKE ? ESCAPE '\\'"_s
                                    << QVariantList {u"Refund%"_s};
        QTest::newRow("endswith") << u"endswith(subject,'Vance')"_s << u"subject LIKE ? ESCAPE '\\'"_s
                                  << QVariantList {u"%Vance"_s};
        QTest::newRow("guid beginning with a letter")
            << u"_msdyn_liveworkstreamid_value eq d0000000-0000-0000-0000-00000000000A"_s
            << u"msdyn_liveworkstreamid = ?"_s << QVariantList {u"d0000000-0000-0000-0000-00000000000a"_s};
        QTest::newRow("ContainValues")
            << u"Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',PropertyValues=['192360000','192340000'])"_s
            << u"(msdyn_channel = ? OR (msdyn_channel GLOB '*,*' AND instr(',' || REPLACE(msdyn_channel, ' ', '') || "
               u"',', ?) > 0) OR msdyn_channel = ? OR (msdyn_channel GLOB '*,*' AND instr(',' || "
               u"REPLACE(msdyn_channel, ' ', '') || ',', ?) > 0))"_s
            << QVariantList {u"192360000"_s, u",192360000,"_s, u"192340000"_s, u",192340000,"_s};
        // Inside a conjunction, the other terms are repeated in each branch, so that each branch can use an index.
        QTest::newRow("ContainValues within and")
            << u"statuscode eq 1 and Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',PropertyValues=['192360000']) and createdon le 2026-01-01T00:00:00Z"_s
            << u"((statuscode = ? AND msdyn_channel = ? AND createdon <= ?) OR (statuscode = ? AND (msdyn_channel GLOB "
               u"'*,*' AND instr(',' || REPLACE(msdyn_channel, ' ', '') || ',', ?) > 0) AND createdon <= ?))"_s
            << QVariantList {1, u"192360000"_s,   u"2026-01-01T00:00:00Z"_s,
                             1, u",192360000,"_s, u"2026-01-01T00:00:00Z"_s};
        QTest::newRow("OlderThanXMinutes")
            << u"Microsoft.Dynamics.CRM.OlderThanXMinutes(PropertyName='createdon',PropertyValue=90)"_s
            << u"createdon < ?"_s << QVariantList {u"2026-01-01T10:30:00Z"_s};
    }
    void translates()
    {
        QFETCH(QString, filter);
        QFETCH(QString, sql);
        QFETCH(QVariantList, binds);
        const QDateTime now(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
        const auto result = ODataFilter::toSql(filter, *EntitySchema::find(u"msdyn_ocliveworkitems"_s), now);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().userMessage));
        QCOMPARE(result.value().sql, sql);
        QCOMPARE(result.value().binds, binds);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << u"  "_s << u"empty"_s;
        QTest::newRow("unknown column") << u"nope eq 1"_s << u"Could not find a property named 'nope'"_s;
        QTest::newRow("wrong type") << u"statuscode eq 'one'"_s << u"incompatible types"_s;
        QTest::newRow("guid as string") << u"activityid eq 'abc'"_s << u"'Edm.Guid' and 'Edm.String'"_s;
        QTest::newRow("no operator") << u"statuscode"_s << u"not followed by an operator"_s;
        QTest::newRow("bad operator") << u"statuscode equals 1"_s << u"expected an operator"_s;
        QTest::newRow("unclosed parenthesis") << u"(statuscode eq 1"_s << u"expected ')'"_s;
        QTest::newRow("unclosed string") << u"subject eq 'abc"_s << u"no closing quote"_s;
        QTest::newRow("trailing garbage") << u"statuscode eq 1 1"_s << u"unexpected '1'"_s;
        QTest::newRow("dangling and") << u"statuscode eq 1 and"_s << u"ends too early"_s;
        QTest::newRow("gt null") << u"statuscode gt null"_s << u"cannot compare with null"_s;
        QTest::newRow("unknown function") << u"substringof('a',subject)"_s << u"'substringof'"_s;
        QTest::newRow("contains on a number") << u"contains(statuscode,'1')"_s << u"needs a text property"_s;
        QTest::newRow("ContainValues unquoted")
            << u"Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',PropertyValues=[1])"_s
            << u"quoted values"_s;
        QTest::newRow("OlderThan on text")
            << u"Microsoft.Dynamics.CRM.OlderThanXMinutes(PropertyName='subject',PropertyValue=5)"_s
            << u"date and time property"_s;
        QTest::newRow("too deep") << QString(u"("_s.repeated(500) + u"statuscode eq 1"_s + u")"_s.repeated(500))
                                  << u"nested too deeply"_s;
        QTest::newRow("not too deep") << QString(u"not "_s.repeated(500) + u"statuscode eq 1"_s)
                                      << u"nested too deeply"_s;
    }
    void refuses()
    {
        QFETCH(QString, filter);
        QFETCH(QString, messagePart);
        const auto result = ODataFilter::toSql(filter, *EntitySchema::find(u"msdyn_ocliveworkitems"_s),
                                               QDateTime::currentDateTimeUtc());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, Error::Kind::BadInput);
        QVERIFY2(result.error().userMessage.contains(messagePart), qPrintable(result.error().userMessage));
    }
};

QTEST_GUILESS_MAIN(TestODataFilter)
#include "tst_odatafilter.moc"
