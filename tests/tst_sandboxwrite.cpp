// PATCH as Dataverse documents it, over real HTTP: optimistic concurrency, upsert, validation, persistence.
#include "TestHttp.h"
#include "app/sandbox/LocalSandbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Token = "write-test-token";
const QString Set = u"msdyn_occhannelstateconfigurations"_s;
const QString Minutes = u"msdyn_autocloseliveworkitemafter"_s;

QString errorCode(const TestReply &reply)
{
    return reply.json().value(u"error"_s).toObject().value(u"code"_s).toString();
}
} // namespace

class TestSandboxWrite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto sandbox = LocalSandbox::start(m_dir->path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(sandbox.ok());
        m_sandbox = std::move(sandbox).value();
        const QJsonObject first = testGet(api(Set + u"?$top=1"_s), Token).json().value(u"value"_s)[0].toObject();
        m_id = first.value(u"msdyn_occhannelstateconfigurationid"_s).toString();
        QVERIFY(!m_id.isEmpty());
    }
    void cleanup()
    {
        m_sandbox.reset();
        m_dir.reset();
    }

    void patchWithCurrentEtagUpdates()
    {
        const QJsonObject before = record();
        const TestReply reply = patch(QJsonObject {{Minutes, 45}}, {{"If-Match", etagOf(before)}});
        QCOMPARE(reply.status, 204);
        QVERIFY(reply.body.isEmpty());
        QVERIFY(reply.header("OData-EntityId").endsWith(QByteArray("/" + Set.toUtf8() + "(" + m_id.toUtf8() + ")")));
        const QJsonObject after = record();
        QCOMPARE(after.value(Minutes).toInt(), 45);
        QVERIFY(after.value(u"versionnumber"_s).toInteger() > before.value(u"versionnumber"_s).toInteger());
        QCOMPARE(after.value(u"@odata.etag"_s).toString(),
                 u"W/\"%1\""_s.arg(after.value(u"versionnumber"_s).toInteger()));
        QVERIFY(after.value(u"modifiedon"_s).toString() >= before.value(u"modifiedon"_s).toString());
        QCOMPARE(after.value(u"createdon"_s), before.value(u"createdon"_s));
    }

    void staleEtagIs412AndChangesNothing()
    {
        const QJsonObject original = record();
        QCOMPARE(patch(QJsonObject {{Minutes, 10}}, {{"If-Match", etagOf(original)}}).status, 204);
        // A colleague's client still holds the original ETag.
        const TestReply stale = patch(QJsonObject {{Minutes, 99}}, {{"If-Match", etagOf(original)}});
        QCOMPARE(stale.status, 412);
        QCOMPARE(errorCode(stale), u"0x80060882"_s);
        QCOMPARE(record().value(Minutes).toInt(), 10);
    }

    void ifMatchStarOnAMissingRowIs404NotACreate()
    {
        const QString missing = u"11111111-2222-3333-4444-555555555555"_s;
        const TestReply reply = patch(QJsonObject {{Minutes, 5}}, {{"If-Match", "*"}}, missing);
        QCOMPARE(reply.status, 404);
        QCOMPARE(errorCode(reply), u"0x80040217"_s);
        QCOMPARE(testGet(api(Set + u'(' + missing + u')'), Token).status, 404);
    }

    void withoutIfMatchPatchIsAnUpsert()
    {
        const QString id = u"11111111-2222-3333-4444-555555555555"_s;
        const TestReply reply = patch(
            QJsonObject {{Minutes, 7}, {u"msdyn_name"_s, u"Created by upsert"_s}, {u"msdyn_ocliveworkitemstate"_s, 0}},
            {}, id);
        QCOMPARE(reply.status, 204);
        const TestReply created = testGet(api(Set + u'(' + id + u')'), Token);
        QCOMPARE(created.status, 200);
        QCOMPARE(created.json().value(u"msdyn_name"_s).toString(), u"Created by upsert"_s);
        QCOMPARE(created.json().value(Minutes).toInt(), 7);
        QVERIFY(!created.json().value(u"createdon"_s).toString().isEmpty());
    }

    void ifNoneMatchStarNeverUpdates()
    {
        const TestReply reply = patch(QJsonObject {{Minutes, 1}}, {{"If-None-Match", "*"}});
        QCOMPARE(reply.status, 412);
        QVERIFY(record().value(Minutes).toInt() != 1);
    }

    void returnRepresentation()
    {
        const TestReply reply = patch(QJsonObject {{Minutes, QJsonValue::Null}},
                                      {{"If-Match", etagOf(record())}, {"Prefer", "return=representation"}}, m_id,
                                      u"?$select=msdyn_autocloseliveworkitemafter"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("Preference-Applied"), QByteArray("return=representation"));
        const QJsonObject body = reply.json();
        QVERIFY(body.contains(Minutes));
        QVERIFY(body.value(Minutes).isNull());
        QVERIFY(!body.contains(u"msdyn_name"_s)); // $select honoured
        QCOMPARE(reply.header("ETag"), body.value(u"@odata.etag"_s).toString().toUtf8());
        QCOMPARE(etagOf(record()), reply.header("ETag"));
    }

    void invalidWritesAreRefusedAndChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("negative") << QByteArray("{\"msdyn_autocloseliveworkitemafter\":-1}") << u"0x80044331"_s
                                  << u"Accepted Range: 0 to 2147483647"_s;
        QTest::newRow("too large") << QByteArray("{\"msdyn_autocloseliveworkitemafter\":2147483648}") << u"0x80044331"_s
                                   << u"outside the valid range"_s;
        QTest::newRow("text") << QByteArray("{\"msdyn_autocloseliveworkitemafter\":\"30\"}") << u"0x80048d19"_s
                              << u"Edm.Int32"_s;
        QTest::newRow("fraction") << QByteArray("{\"msdyn_autocloseliveworkitemafter\":1.5}") << u"0x80048d19"_s
                                  << u"whole number"_s;
        QTest::newRow("unknown property")
            << QByteArray("{\"msdyn_minutes\":5}") << u"0x80060888"_s << u"'msdyn_minutes' does not exist"_s;
        QTest::newRow("read-only") << QByteArray("{\"versionnumber\":5}") << u"0x80048d19"_s << u"set by the service"_s;
        QTest::newRow("lookup by value") << QByteArray("{\"_msdyn_occhannelconfigurationid_value\":null}")
                                         << u"0x80048d19"_s << u"@odata.bind"_s;
        QTest::newRow("not json") << QByteArray("{\"msdyn_autocloseliveworkitemafter\":") << u"0x80048d19"_s
                                  << u"not a JSON object"_s;
        QTest::newRow("array") << QByteArray("[]") << u"0x80048d19"_s << u"not a JSON object"_s;
        QTest::newRow("other key")
            << QByteArray("{\"msdyn_occhannelstateconfigurationid\":\"11111111-2222-3333-4444-555555555555\"}")
            << u"0x80048d19"_s << u"differs from the key"_s;
    }
    void invalidWritesAreRefusedAndChangeNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, messagePart);
        const QJsonObject before = record();
        const TestReply reply = testRequest(
            "PATCH", api(Set + u'(' + m_id + u')'),
            {{"Authorization", "Bearer " + Token}, {"Content-Type", "application/json"}, {"If-Match", etagOf(before)}},
            body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(errorCode(reply), code);
        const QString message = reply.json().value(u"error"_s).toObject().value(u"message"_s).toString();
        QVERIFY2(message.contains(messagePart), qPrintable(message));
        QCOMPARE(record(), before);
    }

    void lookupsAreSetByReference()
    {
        const QJsonObject channels = testGet(api(u"msdyn_occhannelconfigurations?$select=msdyn_name"_s), Token).json();
        const QString other =
            channels.value(u"value"_s)[1].toObject().value(u"msdyn_occhannelconfigurationid"_s).toString();
        const TestReply reply = patch(QJsonObject {{u"msdyn_occhannelconfigurationid@odata.bind"_s,
                                                    u"/msdyn_occhannelconfigurations(%1)"_s.arg(other)}},
                                      {{"If-Match", "*"}});
        QCOMPARE(reply.status, 204);
        QCOMPARE(record().value(u"_msdyn_occhannelconfigurationid_value"_s).toString(), other);
    }

    void conditionalGet()
    {
        const QByteArray etag = etagOf(record());
        const TestReply notModified = testGet(api(Set + u'(' + m_id + u')'), Token, {{"If-None-Match", etag}});
        QCOMPARE(notModified.status, 304);
        QVERIFY(notModified.body.isEmpty());
        QCOMPARE(patch(QJsonObject {{Minutes, 3}}, {{"If-Match", etag}}).status, 204);
        QCOMPARE(testGet(api(Set + u'(' + m_id + u')'), Token, {{"If-None-Match", etag}}).status, 200);
        // "If-None-Match: null", which clients send on every read, is no condition at all.
        QCOMPARE(testGet(api(Set + u'(' + m_id + u')'), Token, {{"If-None-Match", "null"}}).status, 200);
    }

    void versionNumbersGrowAcrossRecords()
    {
        const QJsonArray rows =
            testGet(api(Set + u"?$select=versionnumber"_s), Token).json().value(u"value"_s).toArray();
        qint64 highest = 0;
        for (const QJsonValue &v : rows)
            highest = std::max(highest, v.toObject().value(u"versionnumber"_s).toInteger());
        QCOMPARE(patch(QJsonObject {{Minutes, 8}}, {{"If-Match", "*"}}).status, 204);
        QVERIFY(record().value(u"versionnumber"_s).toInteger() > highest);
    }

    void editsSurviveARestart()
    {
        QCOMPARE(patch(QJsonObject {{Minutes, 77}}, {{"If-Match", "*"}}).status, 204);
        const QJsonObject edited = record();
        m_sandbox.reset();
        auto again = LocalSandbox::start(m_dir->path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(again.ok());
        m_sandbox = std::move(again).value();
        QCOMPARE(record(), edited);
    }

    void collectionsAndOtherMethodsAre405()
    {
        const TestReply collection = testRequest("PATCH", api(Set), {{"Authorization", "Bearer " + Token}}, "{}");
        QCOMPARE(collection.status, 405);
        QCOMPARE(collection.header("Allow"), QByteArray("GET"));
        const TestReply put =
            testRequest("PUT", api(Set + u'(' + m_id + u')'), {{"Authorization", "Bearer " + Token}}, "{}");
        QCOMPARE(put.status, 405);
        QCOMPARE(put.header("Allow"), QByteArray("GET, PATCH"));
    }

private:
    QUrl api(const QString &path) const { return QUrl(m_sandbox->url().toString() + u"/api/data/v9.2/"_s + path); }

    QJsonObject record() const
    {
        QJsonObject row = testGet(api(Set + u'(' + m_id + u')'), Token).json();
        row.remove(u"@odata.context"_s);
        return row;
    }
    static QByteArray etagOf(const QJsonObject &row) { return row.value(u"@odata.etag"_s).toString().toUtf8(); }

    TestReply patch(const QJsonObject &body, QList<std::pair<QByteArray, QByteArray>> headers, QString id = {},
                    const QString &query = {}) const
    {
        headers.append(std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + Token));
        headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        return testRequest("PATCH", api(Set + u'(' + (id.isEmpty() ? m_id : id) + u')' + query), headers,
                           QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalSandbox> m_sandbox;
    QString m_id;
};

QTEST_GUILESS_MAIN(TestSandboxWrite)
#include "tst_sandboxwrite.moc"
