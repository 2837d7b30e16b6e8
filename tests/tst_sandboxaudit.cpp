// Workstream columns and the audit history (docs/change-history.md) over real HTTP: what a write records, how the
// change-history functions and the audits table answer, the settings that turn auditing and privileges off, and an
// older data directory brought up to date. (autoclose-sandbox's command-line switches: tst_sandboxoptions.)
#include "TestHttp.h"
#include "app/sandbox/LocalSandbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Token = "audit-test-token";
const QString Workstreams = u"msdyn_liveworkstreams"_s;
const QString States = u"msdyn_occhannelstateconfigurations"_s;
const QString Inactivity = u"msdyn_autocloseafterinactivity"_s;
const QString Block = u"msdyn_blockcapacityforwrapup"_s;
const QString BlockSeconds = u"msdyn_blockcapacityforwrapupinseconds"_s;
const QString Minutes = u"msdyn_autocloseliveworkitemafter"_s;
const QByteArray Formatted = "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"";

QString errorCode(const TestReply &reply)
{
    return reply.json().value(u"error"_s).toObject().value(u"code"_s).toString();
}

QString errorMessage(const TestReply &reply)
{
    return reply.json().value(u"error"_s).toObject().value(u"message"_s).toString();
}

// A PATCH in a change set.
struct Patch
{
    QString set;
    QString id;
    QByteArray etag;
    QJsonObject body;
};

QByteArray changeSetBody(const QList<Patch> &patches)
{
    QByteArray out = "--batch_a\r\nContent-Type: multipart/mixed; boundary=changeset_a\r\n\r\n";
    int contentId = 0;
    for (const Patch &p : patches) {
        out += "--changeset_a\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: " +
            QByteArray::number(++contentId) + "\r\n\r\nPATCH " + p.set.toUtf8() + '(' + p.id.toUtf8() +
            ") HTTP/1.1\r\nContent-Type: application/json; type=entry\r\nIf-Match: " + p.etag + "\r\n\r\n" +
            QJsonDocument(p.body).toJson(QJsonDocument::Compact) + "\r\n";
    }
    return out + "--changeset_a--\r\n--batch_a--\r\n";
}

// What a change-history function answered: its details, as OldValue → NewValue of each.
struct History
{
    int status = 0;
    QJsonObject collection;
    QJsonArray details() const { return collection.value(u"AuditDetails"_s).toArray(); }
    QJsonObject oldValue(qsizetype i) const { return details().at(i)[u"OldValue"_s].toObject(); }
    QJsonObject newValue(qsizetype i) const { return details().at(i)[u"NewValue"_s].toObject(); }
};
} // namespace

class TestSandboxAudit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(start()); }
    void cleanup()
    {
        m_sandbox.reset();
        m_dir.reset();
    }

    // --- workstream columns ---

    void workstreamColumnsAreValidated_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<int>("value");
        QTest::addColumn<QString>("range");
        QTest::newRow("inactivity below 0") << Inactivity << -1 << u"Accepted Range: 0 to 2147483647"_s;
        QTest::newRow("block over 43200") << Block << 43201 << u"Accepted Range: 0 to 43200"_s;
        QTest::newRow("block below 0") << Block << -5 << u"Accepted Range: 0 to 43200"_s;
        QTest::newRow("block in seconds over 43200") << BlockSeconds << 43201 << u"Accepted Range: 0 to 43200"_s;
    }
    void workstreamColumnsAreValidated()
    {
        QFETCH(QString, column);
        QFETCH(int, value);
        QFETCH(QString, range);
        const QJsonObject before = workstream(u"SMS support"_s);
        const TestReply reply = patch(Workstreams, id(before), QJsonObject {{column, value}}, etagOf(before));
        QCOMPARE(reply.status, 400);
        QCOMPARE(errorCode(reply), u"0x80044331"_s);
        QVERIFY2(errorMessage(reply).contains(u"'%1'"_s.arg(column)), qPrintable(errorMessage(reply)));
        QVERIFY2(errorMessage(reply).contains(range), qPrintable(errorMessage(reply)));
        QCOMPARE(workstream(u"SMS support"_s), before);
        QCOMPARE(history(id(before)).details().size(), 0);
    }

    void workstreamColumnsAcceptTheirRange()
    {
        const QJsonObject before = workstream(u"SMS support"_s);
        const TestReply reply =
            patch(Workstreams, id(before), QJsonObject {{Inactivity, 2147483647}, {Block, 43200}, {BlockSeconds, 0}},
                  etagOf(before), {{"Prefer", "return=representation"}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(Inactivity).toInteger(), 2147483647);
        QCOMPARE(reply.json().value(Block).toInt(), 43200);
        QCOMPARE(reply.json().value(BlockSeconds).toInt(), 0);
        QCOMPARE(reply.header("ETag"), reply.json().value(u"@odata.etag"_s).toString().toUtf8());
        QVERIFY(reply.header("ETag") != etagOf(before));
    }

    // msdyn_autocloseafterinactivity is ApplicationRequired ("Business required"), which Dataverse does not enforce
    // (docs/dataverse-tables.md): an empty value is stored, and the metadata tells clients it is required.
    void emptyInactivityIsStoredAsDataverseDoes()
    {
        const QJsonObject before = workstream(u"SMS support"_s);
        QCOMPARE(patch(Workstreams, id(before), QJsonObject {{Inactivity, QJsonValue::Null}}, etagOf(before)).status,
                 204);
        QVERIFY(workstream(u"SMS support"_s).value(Inactivity).isNull());
        const QJsonObject metadata =
            get(u"EntityDefinitions(LogicalName='msdyn_liveworkstream')/Attributes(LogicalName='%1')"
                u"?$select=RequiredLevel"_s.arg(Inactivity))
                .json();
        QCOMPARE(metadata[u"RequiredLevel"_s][u"Value"_s].toString(), u"ApplicationRequired"_s);
        QCOMPARE(get(u"EntityDefinitions(LogicalName='msdyn_liveworkstream')/Attributes(LogicalName='%1')"
                     u"?$select=RequiredLevel"_s.arg(Block))
                     .json()[u"RequiredLevel"_s][u"Value"_s]
                     .toString(),
                 u"None"_s);
    }

    void staleEtagOnAWorkstreamIs412()
    {
        const QJsonObject original = workstream(u"SMS support"_s);
        QCOMPARE(patch(Workstreams, id(original), QJsonObject {{Inactivity, 60}}, etagOf(original)).status, 204);
        const TestReply stale = patch(Workstreams, id(original), QJsonObject {{Inactivity, 90}}, etagOf(original));
        QCOMPARE(stale.status, 412);
        QCOMPARE(errorCode(stale), u"0x80060882"_s);
        QCOMPARE(workstream(u"SMS support"_s).value(Inactivity).toInt(), 60);

        // In a change set the stale write fails the whole set.
        const QJsonObject teams = workstream(u"Internal IT help desk"_s);
        const TestReply batch = postBatch({{Workstreams, id(teams), etagOf(teams), {{Inactivity, 15}}},
                                           {Workstreams, id(original), etagOf(original), {{Inactivity, 91}}}});
        QCOMPARE(batch.status, 412);
        QCOMPARE(workstream(u"Internal IT help desk"_s), teams);
        QCOMPARE(workstream(u"SMS support"_s).value(Inactivity).toInt(), 60);
    }

    void workstreamColumnRanges_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<qint64>("max");
        QTest::newRow("inactivity") << Inactivity << qint64(2147483647);
        QTest::newRow("block") << Block << qint64(43200);
        QTest::newRow("block in seconds") << BlockSeconds << qint64(43200);
    }
    void workstreamColumnRanges()
    {
        QFETCH(QString, column);
        QFETCH(qint64, max);
        const TestReply reply =
            get(u"EntityDefinitions(LogicalName='msdyn_liveworkstream')/Attributes(LogicalName='%1')/"
                u"Microsoft.Dynamics.CRM.IntegerAttributeMetadata?$select=MinValue,MaxValue"_s.arg(column));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(u"MinValue"_s).toInteger(), 0);
        QCOMPARE(reply.json().value(u"MaxValue"_s).toInteger(), max);
    }

    void workstreamWritePrivilege()
    {
        QVERIFY(privileges().contains(u"prvWritemsdyn_liveworkstream"_s));
        LocalSandbox::Options options;
        options.readOnlyUser = true;
        QVERIFY(start(options));
        QVERIFY(!privileges().contains(u"prvWritemsdyn_liveworkstream"_s));
        QVERIFY(privileges().contains(u"prvReadmsdyn_liveworkstream"_s));
        const QJsonObject before = workstream(u"SMS support"_s);
        const TestReply refused = patch(Workstreams, id(before), QJsonObject {{Inactivity, 5}}, etagOf(before));
        QCOMPARE(refused.status, 403);
        QCOMPARE(errorCode(refused), u"0x80040220"_s);
        QVERIFY(errorMessage(refused).contains(u"prvWritemsdyn_liveworkstream"_s));
        QCOMPARE(workstream(u"SMS support"_s), before);
    }

    // --- what a write records ---

    void aPatchIsRecordedWithItsOldAndNewValue()
    {
        const QJsonObject sms = workstream(u"SMS support"_s);
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        QCOMPARE(patch(Workstreams, id(sms), QJsonObject {{Inactivity, 120}}, etagOf(sms)).status, 204);

        const History attribute = history(id(sms), Inactivity);
        QCOMPARE(attribute.status, 200);
        QCOMPARE(attribute.details().size(), 1);
        const QJsonObject detail = attribute.details().first().toObject();
        QCOMPARE(detail[u"@odata.type"_s].toString(), u"#Microsoft.Dynamics.CRM.AttributeAuditDetail"_s);
        // The Web API does not return AuditRecord (docs/change-history.md): who and when come from audits.
        QVERIFY(!detail.contains(u"AuditRecord"_s));
        QCOMPARE(
            attribute.oldValue(0),
            (QJsonObject {{u"@odata.type"_s, u"#Microsoft.Dynamics.CRM.msdyn_liveworkstream"_s}, {Inactivity, 2880}}));
        QCOMPARE(
            attribute.newValue(0),
            (QJsonObject {{u"@odata.type"_s, u"#Microsoft.Dynamics.CRM.msdyn_liveworkstream"_s}, {Inactivity, 120}}));
        QCOMPARE(detail[u"InvalidNewValueAttributes"_s].toArray(), QJsonArray());
        QCOMPARE(detail[u"DeletedAttributes"_s][u"Count"_s].toInt(), 0);

        // Who and when: the audit row of the change, with the signed-in user's name.
        const TestReply audits = get(u"audits?$filter=_objectid_value eq %1&$orderby=createdon desc"_s.arg(id(sms)),
                                     {{"Prefer", "odata.include-annotations=\"*\""}});
        QCOMPARE(audits.status, 200);
        const QJsonArray rows = audits.json().value(u"value"_s).toArray();
        QCOMPARE(rows.size(), 1);
        const QJsonObject row = rows.first().toObject();
        const QString me = get(u"WhoAmI"_s).json().value(u"UserId"_s).toString();
        QCOMPARE(row[u"_userid_value"_s].toString(), me);
        QCOMPARE(row[u"_userid_value@OData.Community.Display.V1.FormattedValue"_s].toString(), u"Demo Administrator"_s);
        QCOMPARE(row[u"_userid_value@Microsoft.Dynamics.CRM.lookuplogicalname"_s].toString(), u"systemuser"_s);
        QCOMPARE(get(u"systemusers(%1)?$select=fullname"_s.arg(me)).json().value(u"fullname"_s).toString(),
                 u"Demo Administrator"_s);
        QCOMPARE(row[u"action"_s].toInt(), 2);
        QCOMPARE(row[u"operation"_s].toInt(), 2);
        QCOMPARE(row[u"operation@OData.Community.Display.V1.FormattedValue"_s].toString(), u"Update"_s);
        QCOMPARE(row[u"objecttypecode"_s].toString(), u"msdyn_liveworkstream"_s);
        QCOMPARE(row[u"_objectid_value"_s].toString(), id(sms));
        QCOMPARE(row[u"_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname"_s].toString(),
                 u"msdyn_liveworkstream"_s);
        QCOMPARE(row[u"_objectid_value@OData.Community.Display.V1.FormattedValue"_s].toString(), u"SMS support"_s);
        QVERIFY(!row.contains(u"@odata.etag"_s));
        const QDateTime createdOn = QDateTime::fromString(row[u"createdon"_s].toString(), Qt::ISODate);
        QVERIFY(createdOn >= before && createdOn <= QDateTime::currentDateTimeUtc().addSecs(1));
        QCOMPARE(createdOn,
                 QDateTime::fromString(workstream(u"SMS support"_s)[u"modifiedon"_s].toString(), Qt::ISODate));

        // The change's values by its audit id.
        const TestReply details =
            get(u"audits(%1)/Microsoft.Dynamics.CRM.RetrieveAuditDetails"_s.arg(row[u"auditid"_s].toString()),
                {{"Prefer", Formatted}});
        QCOMPARE(details.status, 200);
        QVERIFY(details.json()[u"@odata.context"_s].toString().endsWith(
            u"$metadata#Microsoft.Dynamics.CRM.RetrieveAuditDetailsResponse"_s));
        const QJsonObject newValue = details.json()[u"AuditDetail"_s][u"NewValue"_s].toObject();
        QCOMPARE(newValue[Inactivity].toInt(), 120);
        QCOMPARE(newValue[Inactivity + u"@OData.Community.Display.V1.FormattedValue"_s].toString(), u"120"_s);
        QCOMPARE(details.json()[u"AuditDetail"_s][u"OldValue"_s][Inactivity].toInt(), 2880);
        QCOMPARE(get(u"audits(%1)/Microsoft.Dynamics.CRM.RetrieveAuditDetails"_s.arg(
                         QUuid::createUuid().toString(QUuid::WithoutBraces)))
                     .status,
                 404);
    }

    void aChangeSetIsRecordedAsOneTransaction()
    {
        const QJsonObject sms = workstream(u"SMS support"_s);
        const QJsonObject chatOpen = state(u"Live Chat - Open"_s);
        const TestReply batch = postBatch({{Workstreams, id(sms), etagOf(sms), {{Inactivity, 45}}},
                                           {States, stateId(chatOpen), etagOf(chatOpen), {{Minutes, 25}}}});
        QCOMPARE(batch.status, 200);
        QCOMPARE(history(id(sms), Inactivity).newValue(0).value(Inactivity).toInt(), 45);
        const History configuration = history(stateId(chatOpen), {}, States);
        QCOMPARE(configuration.details().size(), 1);
        QCOMPARE(configuration.oldValue(0).value(Minutes).toInt(), 20);
        QCOMPARE(configuration.newValue(0).value(Minutes).toInt(), 25);
        const QString first = auditRows(id(sms)).first()[u"transactionid"_s].toString();
        QVERIFY(!QUuid::fromString(first).isNull());
        QCOMPARE(auditRows(stateId(chatOpen)).first()[u"transactionid"_s].toString(), first);

        // Another write is another transaction. (Both rows may have the same createdon, to the second: compare the
        // two, whatever their order.)
        QCOMPARE(
            patch(Workstreams, id(sms), QJsonObject {{Inactivity, 50}}, etagOf(workstream(u"SMS support"_s))).status,
            204);
        const QList<QJsonObject> rows = auditRows(id(sms));
        QCOMPARE(rows.size(), 2);
        QVERIFY(rows.at(0)[u"transactionid"_s] != rows.at(1)[u"transactionid"_s]);
        QVERIFY(rows.at(0)[u"transactionid"_s].toString() == first ||
                rows.at(1)[u"transactionid"_s].toString() == first);
    }

    void aRolledBackChangeSetRecordsNothing()
    {
        const QJsonObject sms = workstream(u"SMS support"_s);
        const QJsonObject teams = workstream(u"Internal IT help desk"_s);
        const QByteArray stale = "W/\"1\"";
        const TestReply batch = postBatch({{Workstreams, id(sms), etagOf(sms), {{Inactivity, 30}}},
                                           {Workstreams, id(teams), stale, {{Inactivity, 31}}}});
        QCOMPARE(batch.status, 412);
        QCOMPARE(history(id(sms)).details().size(), 0);
        QCOMPARE(history(id(teams)).details().size(), 0);
        QCOMPARE(auditRows(id(sms)).size(), 0);
        QCOMPARE(workstream(u"SMS support"_s), sms);
    }

    void newestFirstAndPaged()
    {
        const QString sms = id(workstream(u"SMS support"_s));
        for (int value : {10, 20, 30, 40, 50})
            QCOMPARE(
                patch(Workstreams, sms, QJsonObject {{Inactivity, value}}, etagOf(workstream(u"SMS support"_s))).status,
                204);
        const auto values = [](const History &h) {
            QList<std::pair<int, int>> out;
            for (qsizetype i = 0; i < h.details().size(); ++i)
                out << std::pair(h.oldValue(i).value(Inactivity).toInt(), h.newValue(i).value(Inactivity).toInt());
            return out;
        };
        const History first = history(sms, Inactivity, Workstreams,
                                      u"{\"PageNumber\":1,\"Count\":2,"
                                      u"\"ReturnTotalRecordCount\":true}"_s);
        QCOMPARE(values(first), (QList<std::pair<int, int>> {{40, 50}, {30, 40}}));
        QCOMPARE(first.collection[u"MoreRecords"_s].toBool(), true);
        QCOMPARE(first.collection[u"TotalRecordCount"_s].toInt(), 5);
        const QString cookie = first.collection[u"PagingCookie"_s].toString();
        QVERIFY(!cookie.isEmpty());

        // A change recorded between two pages moves nothing when the next page carries the cookie.
        QCOMPARE(patch(Workstreams, sms, QJsonObject {{Inactivity, 60}}, etagOf(workstream(u"SMS support"_s))).status,
                 204);
        const auto page = [&](int number, const QString &pagingCookie) {
            QJsonObject info {{u"PageNumber"_s, number}, {u"Count"_s, 2}, {u"PagingCookie"_s, pagingCookie}};
            return history(sms, Inactivity, Workstreams,
                           QString::fromUtf8(QJsonDocument(info).toJson(QJsonDocument::Compact)));
        };
        const History second = page(2, cookie);
        QCOMPARE(values(second), (QList<std::pair<int, int>> {{20, 30}, {10, 20}}));
        QCOMPARE(second.collection[u"MoreRecords"_s].toBool(), true);
        QCOMPARE(second.collection[u"TotalRecordCount"_s].toInt(), -1); // not asked for
        const History third = page(3, second.collection[u"PagingCookie"_s].toString());
        QCOMPARE(values(third), (QList<std::pair<int, int>> {{2880, 10}}));
        QCOMPARE(third.collection[u"MoreRecords"_s].toBool(), false);

        // Without a cookie the page number counts from the newest change.
        QCOMPARE(values(page(1, {})), (QList<std::pair<int, int>> {{50, 60}, {40, 50}}));
    }

    void recordHistoryHasEveryAuditedColumnOfAWrite()
    {
        const QJsonObject chat = workstream(u"Web chat support"_s);
        QCOMPARE(patch(Workstreams, id(chat), QJsonObject {{Inactivity, 600}, {Block, 5}, {u"msdyn_name"_s, u"Chat"_s}},
                       etagOf(chat))
                     .status,
                 204);
        const History record = history(id(chat));
        // The demo's earlier change to the block comes after this one.
        QCOMPARE(record.details().size(), 2);
        QCOMPARE(record.oldValue(0),
                 (QJsonObject {{u"@odata.type"_s, u"#Microsoft.Dynamics.CRM.msdyn_liveworkstream"_s},
                               {Block, 20},
                               {u"msdyn_name"_s, u"Web chat support"_s}}));
        QCOMPARE(record.newValue(0),
                 (QJsonObject {{u"@odata.type"_s, u"#Microsoft.Dynamics.CRM.msdyn_liveworkstream"_s},
                               {Inactivity, 600},
                               {Block, 5},
                               {u"msdyn_name"_s, u"Chat"_s}}));
        // The attribute's history holds that column alone, and only the writes that changed it.
        const History block = history(id(chat), Block);
        QCOMPARE(block.details().size(), 2);
        QCOMPARE(block.oldValue(0).keys(), (QStringList {u"@odata.type"_s, Block}));
        QCOMPARE(block.newValue(0).keys(), (QStringList {u"@odata.type"_s, Block}));
        QCOMPARE(block.oldValue(1).keys(), (QStringList {u"@odata.type"_s})); // was empty
        QCOMPARE(block.newValue(1)[Block].toInt(), 20);
        const History inactivity = history(id(chat), Inactivity);
        QCOMPARE(inactivity.details().size(), 1);
        QCOMPARE(inactivity.oldValue(0).keys(), (QStringList {u"@odata.type"_s}));
        QCOMPARE(history(id(chat), BlockSeconds).details().size(), 0);
    }

    void anEmptiedValueIsLeftOutAndAnUnchangedOneRecordsNothing()
    {
        const QString sms = id(workstream(u"SMS support"_s));
        QCOMPARE(
            patch(Workstreams, sms, QJsonObject {{Inactivity, QJsonValue::Null}}, etagOf(workstream(u"SMS support"_s)))
                .status,
            204);
        QCOMPARE(patch(Workstreams, sms, QJsonObject {{Inactivity, 2880}}, etagOf(workstream(u"SMS support"_s))).status,
                 204);
        QCOMPARE(patch(Workstreams, sms, QJsonObject {{Inactivity, 2880}}, etagOf(workstream(u"SMS support"_s))).status,
                 204);
        const History h = history(sms, Inactivity);
        QCOMPARE(h.details().size(), 2);
        QVERIFY(!h.oldValue(0).contains(Inactivity));
        QCOMPARE(h.newValue(0)[Inactivity].toInt(), 2880);
        QCOMPARE(h.oldValue(1)[Inactivity].toInt(), 2880);
        QVERIFY(!h.newValue(1).contains(Inactivity));
    }

    void anUpsertThatCreatesIsRecordedAsACreate()
    {
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QCOMPARE(patch(Workstreams, id, QJsonObject {{u"msdyn_name"_s, u"New"_s}, {Inactivity, 5}}, {}).status, 204);
        const History h = history(id);
        QCOMPARE(h.details().size(), 1);
        QCOMPARE(h.oldValue(0).keys(), (QStringList {u"@odata.type"_s}));
        QCOMPARE(h.newValue(0)[Inactivity].toInt(), 5);
        QCOMPARE(auditRows(id).first()[u"operation"_s].toInt(), 1);
        QCOMPARE(auditRows(id).first()[u"action"_s].toInt(), 1);
    }

    void aTargetCanBeGivenByTypeAndKey()
    {
        const QString sms = id(workstream(u"SMS support"_s));
        QCOMPARE(patch(Workstreams, sms, QJsonObject {{Inactivity, 7}}, etagOf(workstream(u"SMS support"_s))).status,
                 204);
        const QString target =
            u"{\"@odata.type\":\"Microsoft.Dynamics.CRM.msdyn_liveworkstream\",\"msdyn_liveworkstreamid\":\"%1\"}"_s
                .arg(sms);
        const TestReply reply =
            get(u"RetrieveRecordChangeHistory(Target=@t)?@t="_s + QString::fromLatin1(QUrl::toPercentEncoding(target)));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json()[u"AuditDetailCollection"_s][u"AuditDetails"_s].toArray().size(), 1);
    }

    // --- switches ---

    void auditingOff_data()
    {
        QTest::addColumn<QString>("off");
        QTest::addColumn<QString>("metadataPath"); // where the metadata says it is off
        QTest::newRow("organization") << u"organization"_s << u"organizations?$select=isauditenabled"_s;
        QTest::newRow("table") << u"msdyn_liveworkstream"_s
                               << u"EntityDefinitions(LogicalName='msdyn_liveworkstream')?$select=IsAuditEnabled"_s;
        QTest::newRow("column") << u"msdyn_liveworkstream.msdyn_autocloseafterinactivity"_s
                                << u"EntityDefinitions(LogicalName='msdyn_liveworkstream')/Attributes(LogicalName="
                                   u"'msdyn_autocloseafterinactivity')?$select=IsAuditEnabled"_s;
    }
    void auditingOff()
    {
        QFETCH(QString, off);
        QFETCH(QString, metadataPath);
        const auto enabled = [this](const QString &path) {
            const QJsonObject body = get(path).json();
            return body.contains(u"value"_s) ? body[u"value"_s][0][u"isauditenabled"_s].toBool()
                                             : body[u"IsAuditEnabled"_s][u"Value"_s].toBool();
        };
        QVERIFY(enabled(metadataPath));
        LocalSandbox::Options options;
        options.auditOff = {off};
        QVERIFY(start(options));
        QVERIFY(!enabled(metadataPath));

        const QJsonObject sms = workstream(u"SMS support"_s);
        QCOMPARE(patch(Workstreams, id(sms), QJsonObject {{Inactivity, 99}, {Block, 3}}, etagOf(sms)).status, 204);
        QCOMPARE(workstream(u"SMS support"_s).value(Inactivity).toInt(), 99);
        QCOMPARE(history(id(sms), Inactivity).details().size(), 0);
        // Only the column is off: the other column of the same write is recorded.
        QCOMPARE(history(id(sms), Block).details().size(), off.contains(u'.') ? 1 : 0);
        // The table is off: the other table is still audited.
        const QJsonObject chatOpen = state(u"Live Chat - Open"_s);
        QCOMPARE(patch(States, stateId(chatOpen), QJsonObject {{Minutes, 21}}, etagOf(chatOpen)).status, 204);
        QCOMPARE(history(stateId(chatOpen), {}, States).details().size(), off == u"organization"_s ? 0 : 1);
        // History recorded before stays readable.
        QCOMPARE(history(id(workstream(u"Social care"_s)), Inactivity).details().size(), 1);
    }

    void theOtherAuditSettingsStayOn()
    {
        QCOMPARE(get(u"organizations?$select=isauditenabled"_s).json()[u"value"_s][0][u"isauditenabled"_s].toBool(),
                 true);
        const QJsonObject table =
            get(u"EntityDefinitions(LogicalName='msdyn_occhannelstateconfiguration')?$select=LogicalName,IsAuditEnabled"_s)
                .json();
        QCOMPARE(table[u"LogicalName"_s].toString(), u"msdyn_occhannelstateconfiguration"_s);
        QVERIFY(!QUuid::fromString(table[u"MetadataId"_s].toString()).isNull());
        QCOMPARE(table[u"IsAuditEnabled"_s].toObject(),
                 (QJsonObject {{u"Value"_s, true},
                               {u"CanBeChanged"_s, true},
                               {u"ManagedPropertyLogicalName"_s, u"canmodifyauditsettings"_s}}));
        QVERIFY(!table.contains(u"EntitySetName"_s)); // $select honoured
        QCOMPARE(get(u"EntityDefinitions(LogicalName='msdyn_ocliveworkitem')?$select=IsAuditEnabled"_s)
                     .json()[u"IsAuditEnabled"_s][u"Value"_s]
                     .toBool(),
                 false);
        QCOMPARE(get(u"EntityDefinitions(LogicalName='nothere')"_s).status, 404);
        const QJsonObject org = get(u"organizations"_s).json()[u"value"_s][0].toObject();
        QCOMPARE(org[u"organizationid"_s].toString(), get(u"WhoAmI"_s).json()[u"OrganizationId"_s].toString());
        QCOMPARE(get(u"organizations(%1)?$select=isauditenabled"_s.arg(org[u"organizationid"_s].toString()))
                     .json()[u"isauditenabled"_s]
                     .toBool(),
                 true);
        QCOMPARE(get(u"organizations?$select=colour"_s).status, 400);
    }

    void badSwitchesAreRefused_data()
    {
        QTest::addColumn<QStringList>("auditOff");
        QTest::addColumn<QStringList>("withoutPrivileges");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("unknown table") << QStringList {u"account"_s} << QStringList() << u"--audit-off account"_s;
        QTest::newRow("table not audited")
            << QStringList {u"msdyn_ocliveworkitem"_s} << QStringList() << u"msdyn_liveworkstream"_s;
        QTest::newRow("unknown column") << QStringList {u"msdyn_liveworkstream.colour"_s} << QStringList()
                                        << u"'colour' is not an audited column"_s;
        QTest::newRow("unknown privilege")
            << QStringList() << QStringList {u"prvFly"_s} << u"--without-privilege prvFly"_s;
    }
    void badSwitchesAreRefused()
    {
        QFETCH(QStringList, auditOff);
        QFETCH(QStringList, withoutPrivileges);
        QFETCH(QString, messagePart);
        m_sandbox.reset();
        QTemporaryDir dir;
        LocalSandbox::Options options;
        options.dataDir = dir.filePath(u"data"_s);
        options.acceptedTokens = {QString::fromLatin1(Token)};
        options.auditOff = auditOff;
        options.withoutPrivileges = withoutPrivileges;
        const auto refused = LocalSandbox::start(options);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, Error::Kind::BadInput);
        QVERIFY2(refused.error().userMessage.contains(messagePart), qPrintable(refused.error().userMessage));
        QVERIFY(!QFile::exists(options.dataDir)); // refused before anything was made
    }

    void withoutPrivilege_data()
    {
        QTest::addColumn<QString>("privilege");
        QTest::addColumn<bool>("auditsReadable");
        QTest::newRow("record audit history") << u"prvReadRecordAuditHistory"_s << true;
        QTest::newRow("audit summary") << u"prvReadAuditSummary"_s << false;
    }
    void withoutPrivilege()
    {
        QFETCH(QString, privilege);
        QFETCH(bool, auditsReadable);
        QVERIFY(privileges().contains(u"prvReadRecordAuditHistory"_s));
        QVERIFY(privileges().contains(u"prvReadAuditSummary"_s));
        const QString social = id(workstream(u"Social care"_s));
        const QString auditId = auditRows(social).first()[u"auditid"_s].toString();

        LocalSandbox::Options options;
        options.withoutPrivileges = {privilege};
        QVERIFY(start(options));
        QVERIFY(!privileges().contains(privilege));
        // Read and write on the four Omnichannel tables and on users, and the other audit privilege.
        QCOMPARE(privileges().size(), 2 * 5 + 1);
        const auto refusedFor = [&privilege](const TestReply &reply) {
            return reply.status == 403 && errorCode(reply) == u"0x80040220"_s &&
                errorMessage(reply).contains(u"missing %1 privilege"_s.arg(privilege)) &&
                errorMessage(reply).contains(u"'audit'"_s);
        };
        QVERIFY(refusedFor(historyReply(social, {}, Workstreams, {})));
        QVERIFY(refusedFor(historyReply(social, Inactivity, Workstreams, {})));
        QVERIFY(refusedFor(get(u"audits(%1)/Microsoft.Dynamics.CRM.RetrieveAuditDetails"_s.arg(auditId))));
        const TestReply audits = get(u"audits?$select=createdon"_s);
        QCOMPARE(audits.status, auditsReadable ? 200 : 403);
        if (!auditsReadable)
            QVERIFY(refusedFor(audits));
    }

    void badParameters_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("messagePart");
        const auto pct = [](const QString &text) {
            return QString::fromLatin1(QUrl::toPercentEncoding(text));
        };
        // A workstream that does not exist.
        const QString t = pct(u"{'@odata.id':'msdyn_liveworkstreams(%1)'}"_s.arg(
            QUuid::createUuidV5(QUuid(), u"nothing"_s).toString(QUuid::WithoutBraces)));
        const QString withPaging = u"RetrieveRecordChangeHistory(Target=@t,PagingInfo=@p)?@t="_s + t + u"&@p="_s;
        QTest::newRow("no alias value") << u"RetrieveRecordChangeHistory(Target=@t)"_s << 400 << u"@t"_s;
        QTest::newRow("no target") << u"RetrieveRecordChangeHistory(PagingInfo=@p)?@p=%7B%7D"_s << 400 << u"Target"_s;
        QTest::newRow("target not an object")
            << u"RetrieveRecordChangeHistory(Target=@t)?@t=42"_s << 400 << u"reference to a record"_s;
        QTest::newRow("target key not a guid")
            << u"RetrieveRecordChangeHistory(Target=@t)?@t="_s + pct(u"{'@odata.id':'msdyn_liveworkstreams(7)'}"_s)
            << 400 << u"not a GUID"_s;
        QTest::newRow("unknown parameter")
            << u"RetrieveRecordChangeHistory(Target=@t,Colour=@c)?@c=1&@t="_s + t << 400 << u"'Colour'"_s;
        QTest::newRow("attribute missing")
            << u"RetrieveAttributeChangeHistory(Target=@t)?@t="_s + t << 400 << u"AttributeLogicalName"_s;
        QTest::newRow("unknown attribute")
            << u"RetrieveAttributeChangeHistory(Target=@t,AttributeLogicalName=@a)?@a='colour'&@t="_s + t << 400
            << u"doesn't contain attribute with Name = 'colour'"_s;
        QTest::newRow("count 0") << withPaging + pct(u"{\"PageNumber\":1,\"Count\":0}"_s) << 400
                                 << u"PagingInfo.Count"_s;
        QTest::newRow("count over 5000") << withPaging + pct(u"{\"Count\":5001}"_s) << 400 << u"PagingInfo.Count"_s;
        QTest::newRow("page number as text")
            << withPaging + pct(u"{\"PageNumber\":\"1\"}"_s) << 400 << u"PagingInfo.PageNumber"_s;
        QTest::newRow("unknown paging property") << withPaging + pct(u"{\"Size\":5}"_s) << 400 << u"'Size'"_s;
        QTest::newRow("foreign cookie") << withPaging +
                pct(u"{\"PageNumber\":2,\"Count\":5,\"PagingCookie\":\"<cookie page='1'/>\"}"_s)
                                        << 400 << u"PagingCookie"_s;
        QTest::newRow("unknown table") << u"RetrieveRecordChangeHistory(Target=@t)?@t="_s +
                pct(u"{'@odata.id':'accounts(00000000-0000-0000-0000-000000000001)'}"_s)
                                       << 404 << u"accounts"_s;
        QTest::newRow("unknown record") << u"RetrieveRecordChangeHistory(Target=@t)?@t="_s + t << 404
                                        << u"Does Not Exist"_s;
        QTest::newRow("audit details of a bad key")
            << u"audits(7)/Microsoft.Dynamics.CRM.RetrieveAuditDetails"_s << 400 << u"not a valid key"_s;
    }
    void badParameters()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, messagePart);
        const TestReply reply = get(path);
        QCOMPARE(reply.status, status);
        QVERIFY2(errorMessage(reply).contains(messagePart), qPrintable(errorMessage(reply)));
    }

    void theFunctionsTakeGetOnly()
    {
        const TestReply reply = testRequest("POST", api(u"RetrieveRecordChangeHistory(Target=@t)"_s),
                                            {{"Authorization", "Bearer " + Token}});
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.header("Allow"), QByteArray("GET"));
        QCOMPARE(testRequest("PATCH", api(u"audits(%1)"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces))),
                             {{"Authorization", "Bearer " + Token}, {"Content-Type", "application/json"}}, "{}")
                     .status,
                 405);
    }

    // --- an older data directory ---

    void anOlderDataDirectoryIsBroughtUpToDate()
    {
        const QString path = m_sandbox->store()->databasePath();
        const QString userId = get(u"WhoAmI"_s).json()[u"UserId"_s].toString();
        const QJsonObject sms = workstream(u"SMS support"_s);
        m_sandbox.reset();
        {
            // The tables as a version before the workstream's block columns and the audit history made them.
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"old-shape"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const QString &statement :
                 {u"CREATE TABLE old_ws (msdyn_liveworkstreamid TEXT PRIMARY KEY, msdyn_name TEXT, msdyn_streamsource "
                  u"INTEGER, msdyn_autocloseafterinactivity INTEGER, statecode INTEGER, statuscode INTEGER, "
                  u"versionnumber INTEGER, createdon TEXT, modifiedon TEXT)"_s,
                  u"INSERT INTO old_ws SELECT msdyn_liveworkstreamid, msdyn_name, msdyn_streamsource, "
                  u"msdyn_autocloseafterinactivity, statecode, statuscode, versionnumber, createdon, modifiedon FROM "
                  u"msdyn_liveworkstream"_s,
                  u"DROP TABLE msdyn_liveworkstream"_s, u"ALTER TABLE old_ws RENAME TO msdyn_liveworkstream"_s,
                  u"DROP TABLE sandbox_auditdetail"_s, u"DROP TABLE audit"_s, u"DROP TABLE systemuser"_s})
                QVERIFY2(q.exec(statement), qPrintable(q.lastError().text()));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"old-shape"_s);

        LocalSandbox::Options options;
        options.dataDir = m_dir->path();
        QVERIFY(start(options, /*fresh=*/false));
        const QJsonObject upgraded = workstream(u"SMS support"_s);
        QCOMPARE(upgraded.value(Inactivity), sms.value(Inactivity));
        QCOMPARE(upgraded.value(u"@odata.etag"_s), sms.value(u"@odata.etag"_s));
        QVERIFY(upgraded.contains(Block) && upgraded.value(Block).isNull());
        QVERIFY(upgraded.contains(BlockSeconds) && upgraded.value(BlockSeconds).isNull());
        QCOMPARE(get(u"systemusers(%1)?$select=fullname"_s.arg(userId)).json()[u"fullname"_s].toString(),
                 u"Demo Administrator"_s);
        QCOMPARE(patch(Workstreams, id(upgraded), QJsonObject {{Block, 10}}, etagOf(upgraded)).status, 204);
        QCOMPARE(workstream(u"SMS support"_s).value(Block).toInt(), 10);
        const History h = history(id(upgraded), Block);
        QCOMPARE(h.details().size(), 1);
        QCOMPARE(h.newValue(0)[Block].toInt(), 10);
    }

private:
    bool start(LocalSandbox::Options options = {}, bool fresh = true)
    {
        m_sandbox.reset();
        if (fresh || !m_dir)
            m_dir = std::make_unique<QTemporaryDir>();
        if (options.dataDir.isEmpty())
            options.dataDir = m_dir->path();
        options.acceptedTokens = {QString::fromLatin1(Token)};
        auto sandbox = LocalSandbox::start(options);
        if (!sandbox.ok()) {
            qWarning() << sandbox.error().describe();
            return false;
        }
        m_sandbox = std::move(sandbox).value();
        return true;
    }

    QUrl api(const QString &pathAndQuery) const
    {
        return QUrl::fromEncoded(QString(m_sandbox->url().toString() + u"/api/data/v9.2/"_s + pathAndQuery).toUtf8());
    }
    TestReply get(const QString &pathAndQuery, QList<std::pair<QByteArray, QByteArray>> headers = {}) const
    {
        return testGet(api(pathAndQuery), Token, headers);
    }
    TestReply patch(const QString &set, const QString &id, const QJsonObject &body, const QByteArray &etag,
                    QList<std::pair<QByteArray, QByteArray>> headers = {}) const
    {
        headers << std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + Token)
                << std::pair<QByteArray, QByteArray>("Content-Type", "application/json");
        if (!etag.isEmpty())
            headers << std::pair<QByteArray, QByteArray>("If-Match", etag);
        return testRequest("PATCH", api(set + u'(' + id + u')'), headers,
                           QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    TestReply postBatch(const QList<Patch> &patches) const
    {
        return testRequest(
            "POST", api(u"$batch"_s),
            {{"Authorization", "Bearer " + Token}, {"Content-Type", "multipart/mixed; boundary=batch_a"}},
            changeSetBody(patches));
    }

    static QString id(const QJsonObject &workstream)
    {
        return workstream.value(u"msdyn_liveworkstreamid"_s).toString();
    }
    static QString stateId(const QJsonObject &state)
    {
        return state.value(u"msdyn_occhannelstateconfigurationid"_s).toString();
    }
    static QByteArray etagOf(const QJsonObject &row) { return row.value(u"@odata.etag"_s).toString().toUtf8(); }

    QJsonObject workstream(const QString &name) const
    {
        return get(Workstreams + u"?$filter=msdyn_name eq '%1'"_s.arg(name)).json().value(u"value"_s)[0].toObject();
    }
    QJsonObject state(const QString &name) const
    {
        return get(States + u"?$filter=msdyn_name eq '%1'"_s.arg(name)).json().value(u"value"_s)[0].toObject();
    }
    QStringList privileges() const
    {
        const QString me = get(u"WhoAmI"_s).json().value(u"UserId"_s).toString();
        QStringList names;
        for (const QJsonValue &p : get(u"systemusers(%1)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()"_s.arg(me))
                                       .json()
                                       .value(u"RolePrivileges"_s)
                                       .toArray())
            names << p[u"PrivilegeName"_s].toString();
        return names;
    }
    QList<QJsonObject> auditRows(const QString &objectId) const
    {
        QList<QJsonObject> rows;
        for (const QJsonValue &row :
             get(u"audits?$filter=_objectid_value eq %1&$orderby=createdon desc"_s.arg(objectId))
                 .json()[u"value"_s]
                 .toArray())
            rows << row.toObject();
        return rows;
    }

    // A change-history function as clients call it: parameter aliases, their values percent-encoded.
    TestReply historyReply(const QString &id, const QString &column, const QString &set,
                           const QString &pagingInfo) const
    {
        const auto pct = [](const QString &text) {
            return QString::fromLatin1(QUrl::toPercentEncoding(text));
        };
        QString path = column.isEmpty() ? u"RetrieveRecordChangeHistory(Target=@t%1)"_s
                                        : u"RetrieveAttributeChangeHistory(Target=@t,AttributeLogicalName=@a%1)"_s;
        path = path.arg(pagingInfo.isEmpty() ? QString() : u",PagingInfo=@p"_s);
        path += u"?@t="_s + pct(u"{'@odata.id':'%1(%2)'}"_s.arg(set, id));
        if (!column.isEmpty())
            path += u"&@a="_s + pct(u"'%1'"_s.arg(column));
        if (!pagingInfo.isEmpty())
            path += u"&@p="_s + pct(pagingInfo);
        return get(path);
    }
    History
    history(const QString &id, const QString &column = {}, const QString &set = Workstreams,
            const QString &pagingInfo = u"{\"PageNumber\":1,\"Count\":50,\"ReturnTotalRecordCount\":true}"_s) const
    {
        const TestReply reply = historyReply(id, column, set, pagingInfo);
        History h;
        h.status = reply.status;
        h.collection = reply.json().value(u"AuditDetailCollection"_s).toObject();
        if (reply.status != 200)
            qWarning() << reply.status << reply.body;
        else if (!reply.json()[u"@odata.context"_s].toString().endsWith(
                     u"$metadata#Microsoft.Dynamics.CRM.%1Response"_s.arg(
                         column.isEmpty() ? u"RetrieveRecordChangeHistory"_s : u"RetrieveAttributeChangeHistory"_s)))
            qWarning() << "unexpected context" << reply.body;
        return h;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalSandbox> m_sandbox;
};

QTEST_GUILESS_MAIN(TestSandboxAudit)
#include "tst_sandboxaudit.moc"
