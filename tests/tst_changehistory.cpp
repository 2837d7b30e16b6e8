// Dataverse's change history of a value, parsed and explained without a network: RetrieveAttributeChangeHistory
// replies (a realistic one from tests/data, and the same one broken in each way a reply can have the wrong shape),
// the organization and metadata replies that say whether auditing is on, the request's encoding, and the sentences
// for each reason there is no history.
#include "app/dataverse/ChangeHistoryReader.h"
#include "models/ChangeHistory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using ChangeHistory::AuditState;
using ChangeHistory::Operation;

namespace {
const QString Column = u"msdyn_autocloseafterinactivity"_s;
const QString WorkstreamId = u"3b5c8e2a-4f1d-4c7b-9a2e-6d8f0b1c2a3e"_s;

QByteArray goodReply()
{
    QFile file(QFINDTESTDATA("data/change-history.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("tests/data/change-history.json is missing");
    return file.readAll();
}

// value with the member or element at path ("a/b/0/c") replaced (an undefined replacement removes it).
QJsonValue replaced(const QJsonValue &value, QStringList path, const QJsonValue &replacement)
{
    if (path.isEmpty())
        return replacement;
    const QString step = path.takeFirst();
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        const int index = step.toInt();
        if (path.isEmpty() && replacement.isUndefined())
            array.removeAt(index);
        else
            array[index] = replaced(array.at(index), path, replacement);
        return array;
    }
    QJsonObject object = value.toObject();
    if (path.isEmpty() && replacement.isUndefined())
        object.remove(step);
    else
        object[step] = replaced(object.value(step), path, replacement);
    return object;
}

QByteArray goodReplyWith(const QString &path, const QJsonValue &replacement)
{
    const QJsonValue root = QJsonDocument::fromJson(goodReply()).object();
    return QJsonDocument(replaced(root, path.split(u'/'), replacement).toObject()).toJson();
}

const QString First = u"AuditDetailCollection/AuditDetails/0/"_s;

// What a failed result says, for a test's message (evaluated whether or not the check fails).
template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().userMessage.toUtf8();
}
} // namespace

Q_DECLARE_METATYPE(ChangeHistory::AuditState)

class TestChangeHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesARealisticReplyNewestFirst()
    {
        const auto page = ChangeHistoryReader::parsePage(goodReply(), Column, 1, 50);
        QVERIFY2(page.ok(), why(page).constData());
        QCOMPARE(page.value().entries.size(), 2);
        QVERIFY(page.value().moreRecords);
        QCOMPARE(page.value().totalRecordCount, std::optional<qint64>(3));
        QCOMPARE(page.value().pageNumber, 1);
        QCOMPARE(page.value().pagingCookie, u"<cookie page=\"1\"></cookie>"_s);

        const ChangeHistory::Entry &newest = page.value().entries.at(0);
        QCOMPARE(newest.when, QDateTime(QDate(2026, 11, 30), QTime(10, 0), Qt::UTC));
        QCOMPARE(newest.userName, u"Dana Admin"_s);
        QCOMPARE(newest.userId, u"a1d4e7f0-2b3c-4d5e-8f9a-0b1c2d3e4f50"_s);
        QCOMPARE(newest.oldMinutes, std::optional<int>(60));
        QCOMPARE(newest.newMinutes, std::optional<int>(120));
        QCOMPARE(newest.operation, Operation::Update);
        QCOMPARE(ChangeHistory::changeText(newest, TimerSetting::Inactivity), u"1 h → 2 h"_s);
        QCOMPARE(ChangeHistory::whoText(newest), u"Dana Admin"_s);

        // A time with an offset is the same moment in UTC; a value missing from OldValue is empty; no name: the id.
        const ChangeHistory::Entry &older = page.value().entries.at(1);
        QCOMPARE(older.when, QDateTime(QDate(2026, 11, 29), QTime(7, 30, 15, 250), Qt::UTC));
        QCOMPARE(older.when.timeSpec(), Qt::UTC);
        QCOMPARE(older.oldMinutes, std::nullopt);
        QCOMPARE(older.newMinutes, std::optional<int>(60));
        QCOMPARE(ChangeHistory::changeText(older, TimerSetting::Inactivity), u"Not set → 1 h"_s);
        QCOMPARE(ChangeHistory::changeText(older, TimerSetting::WrapUpBlock), u"Always block → 1 h"_s);
        QCOMPARE(ChangeHistory::changeText(older, TimerSetting::ChannelState), u"Never → 1 h"_s);
        QCOMPARE(ChangeHistory::whoText(older), u"b2e5f8a1-3c4d-4e5f-9a0b-1c2d3e4f5a61"_s);
    }

    void sortsAPageNewestFirst()
    {
        // The service returns newest first; a page in another order is put so.
        QJsonObject root = QJsonDocument::fromJson(goodReply()).object();
        QJsonObject collection = root.value(u"AuditDetailCollection"_s).toObject();
        QJsonArray details = collection.value(u"AuditDetails"_s).toArray();
        details = QJsonArray {details.at(1), details.at(0)};
        collection[u"AuditDetails"_s] = details;
        root[u"AuditDetailCollection"_s] = collection;
        const auto page = ChangeHistoryReader::parsePage(QJsonDocument(root).toJson(), Column, 1, 50);
        QVERIFY(page.ok());
        QCOMPARE(page.value().entries.at(0).userName, u"Dana Admin"_s);
    }

    void nullAndMissingAreEmpty()
    {
        const auto page =
            ChangeHistoryReader::parsePage(goodReplyWith(First + u"NewValue/"_s + Column, QJsonValue()), Column, 1, 50);
        QVERIFY(page.ok());
        QCOMPARE(page.value().entries.at(0).newMinutes, std::nullopt);
        QCOMPARE(ChangeHistory::changeText(page.value().entries.at(0), TimerSetting::ChannelState), u"1 h → Never"_s);

        const auto noOld =
            ChangeHistoryReader::parsePage(goodReplyWith(First + u"OldValue"_s, QJsonValue::Undefined), Column, 1, 50);
        QVERIFY(noOld.ok());
        QCOMPARE(noOld.value().entries.at(0).oldMinutes, std::nullopt);
    }

    void anEntryWithoutItsAuditRecordIsKeptWithoutWhoAndWhen()
    {
        // Microsoft documents that the Web API's AttributeAuditDetail may come without AuditRecord
        // (docs/change-history.md): not a wrong shape, but who and when are unknown.
        const auto page = ChangeHistoryReader::parsePage(goodReplyWith(First + u"AuditRecord"_s, QJsonValue::Undefined),
                                                         Column, 1, 50);
        QVERIFY2(page.ok(), why(page).constData());
        QCOMPARE(page.value().entries.size(), 2);
        QVERIFY(!page.value().entries.at(0).hasAuditRecord());
        QCOMPARE(page.value().entries.at(0).newMinutes, std::optional<int>(120)); // the order is the service's
        QCOMPARE(page.value().entriesWithoutAuditRecord(), 1);
        QCOMPARE(ChangeHistory::whoText(page.value().entries.at(0)), u"(not given)"_s);
    }

    void anEmptyHistory()
    {
        const QByteArray body = "{\"AuditDetailCollection\":{\"MoreRecords\":false,\"PagingCookie\":null,"
                                "\"TotalRecordCount\":-1,\"AuditDetails\":[]}}";
        const auto page = ChangeHistoryReader::parsePage(body, Column, 1, 50);
        QVERIFY(page.ok());
        QVERIFY(page.value().entries.isEmpty());
        QVERIFY(!page.value().moreRecords);
        QCOMPARE(page.value().totalRecordCount, std::nullopt); // -1: not counted
    }

    void wrongShapesAreRefusedWithASentence_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("not JSON") << QByteArray("{\"AuditDetailCollection\":{\"AuditDe") << u"not valid JSON"_s;
        QTest::newRow("empty body") << QByteArray() << u"not valid JSON"_s;
        QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
        QTest::newRow("no collection") << QByteArray("{\"value\":[]}") << u"no AuditDetailCollection"_s;
        QTest::newRow("collection is a list")
            << goodReplyWith(u"AuditDetailCollection"_s, QJsonArray()) << u"no AuditDetailCollection"_s;
        QTest::newRow("details not a list")
            << goodReplyWith(u"AuditDetailCollection/AuditDetails"_s, QJsonObject()) << u"AuditDetails is not a list"_s;
        QTest::newRow("details missing") << goodReplyWith(u"AuditDetailCollection/AuditDetails"_s,
                                                          QJsonValue::Undefined)
                                         << u"AuditDetails is not a list"_s;
        QTest::newRow("entry not an object")
            << goodReplyWith(u"AuditDetailCollection/AuditDetails/1"_s, 7) << u"change 2 is not an object"_s;
        QTest::newRow("another detail type")
            << goodReplyWith(First + u"@odata.type"_s, u"#Microsoft.Dynamics.CRM.ShareAuditDetail"_s)
            << u"change 1 is a #Microsoft.Dynamics.CRM.ShareAuditDetail"_s;
        QTest::newRow("createdon not a time")
            << goodReplyWith(First + u"AuditRecord/createdon"_s, u"yesterday"_s) << u"createdon is not a time"_s;
        QTest::newRow("createdon a number")
            << goodReplyWith(First + u"AuditRecord/createdon"_s, 1764496800) << u"createdon is not a time"_s;
        QTest::newRow("createdon without a zone")
            << goodReplyWith(First + u"AuditRecord/createdon"_s, u"2026-11-30T10:00:00"_s)
            << u"createdon is not a time"_s;
        QTest::newRow("value as text") << goodReplyWith(First + u"NewValue/"_s + Column, u"120"_s)
                                       << u"change 1's NewValue msdyn_autocloseafterinactivity is not a whole"_s;
        QTest::newRow("value with a fraction") << goodReplyWith(First + u"OldValue/"_s + Column, 60.5)
                                               << u"change 1's OldValue msdyn_autocloseafterinactivity"_s;
        QTest::newRow("value past an int")
            << goodReplyWith(First + u"NewValue/"_s + Column, 4294967296.0) << u"is not a whole number of minutes"_s;
        QTest::newRow("values not an object")
            << goodReplyWith(First + u"OldValue"_s, QJsonArray {60}) << u"change 1's OldValue is not an object"_s;
        QTest::newRow("audit record not an object")
            << goodReplyWith(First + u"AuditRecord"_s, u"x"_s) << u"AuditRecord is not an object"_s;
        QTest::newRow("user id a number")
            << goodReplyWith(First + u"AuditRecord/_userid_value"_s, 5) << u"user or audit id is not text"_s;
        QTest::newRow("operation as text")
            << goodReplyWith(First + u"AuditRecord/operation"_s, u"Update"_s) << u"operation is not a number"_s;
        QTest::newRow("MoreRecords as text")
            << goodReplyWith(u"AuditDetailCollection/MoreRecords"_s, u"yes"_s) << u"MoreRecords"_s;
        QTest::newRow("TotalRecordCount as text")
            << goodReplyWith(u"AuditDetailCollection/TotalRecordCount"_s, u"3"_s) << u"TotalRecordCount"_s;
        QTest::newRow("PagingCookie a number")
            << goodReplyWith(u"AuditDetailCollection/PagingCookie"_s, 1) << u"PagingCookie"_s;
    }
    void wrongShapesAreRefusedWithASentence()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, messagePart);
        const auto page = ChangeHistoryReader::parsePage(body, Column, 1, 50);
        QVERIFY(!page.ok());
        QCOMPARE(page.error().kind, Error::Kind::BadReply);
        QVERIFY2(page.error().userMessage.contains(messagePart), qPrintable(page.error().userMessage));
        QVERIFY2(page.error().userMessage.startsWith(u"The environment's change history reply is not what the Web API "
                                                     u"documents"_s),
                 qPrintable(page.error().userMessage));
        QVERIFY(page.error().userMessage.contains(u"none of it is shown"_s));
    }

    void morePerPageThanAskedForIsRefused()
    {
        const auto page = ChangeHistoryReader::parsePage(goodReply(), Column, 1, 1);
        QVERIFY(!page.ok());
        QVERIFY2(page.error().userMessage.contains(u"2 changes on a page of 1"_s),
                 qPrintable(page.error().userMessage));
    }

    void organizationReplies()
    {
        const auto on = ChangeHistoryReader::parseOrganization(
            "{\"value\":[{\"organizationid\":\"0f4d3c2b-1a09-4e8d-9c7b-6a5f4e3d2c1b\",\"isauditenabled\":true}]}");
        QVERIFY(on.ok());
        QVERIFY(on.value());
        const auto off = ChangeHistoryReader::parseOrganization("{\"value\":[{\"isauditenabled\":false}]}");
        QVERIFY(off.ok());
        QVERIFY(!off.value());
        for (const QByteArray &bad : {QByteArray("{\"value\":[]}"), QByteArray("{\"value\":[{\"isauditenabled\":1}]}"),
                                      QByteArray("{\"value\":[{},{}]}"), QByteArray("<html>")}) {
            const auto refused = ChangeHistoryReader::parseOrganization(bad);
            QVERIFY2(!refused.ok(), bad.constData());
            QCOMPARE(refused.error().kind, Error::Kind::BadReply);
            QVERIFY(refused.error().userMessage.startsWith(u"The environment's organization reply"_s));
        }
    }

    void auditFlagReplies()
    {
        const auto locked = ChangeHistoryReader::parseAuditFlag(
            "{\"IsAuditEnabled\":{\"Value\":false,\"CanBeChanged\":false,\"ManagedPropertyLogicalName\":"
            "\"canmodifyauditsettings\"},\"MetadataId\":\"x\"}",
            u"table msdyn_liveworkstream definition"_s);
        QVERIFY(locked.ok());
        QVERIFY(!locked.value().enabled);
        QVERIFY(!locked.value().canBeChanged);
        const auto on = ChangeHistoryReader::parseAuditFlag("{\"IsAuditEnabled\":{\"Value\":true}}", u"x"_s);
        QVERIFY(on.ok());
        QVERIFY(on.value().enabled);
        QVERIFY(on.value().canBeChanged);
        for (const QByteArray &bad :
             {QByteArray("{\"IsAuditEnabled\":true}"), QByteArray("{\"IsAuditEnabled\":{\"Value\":\"true\"}}"),
              QByteArray("{\"IsAuditEnabled\":{\"Value\":true,\"CanBeChanged\":1}}"), QByteArray("{}")}) {
            const auto refused = ChangeHistoryReader::parseAuditFlag(bad, u"column msdyn_x definition"_s);
            QVERIFY2(!refused.ok(), bad.constData());
            QVERIFY2(refused.error().userMessage.startsWith(u"The environment's column msdyn_x definition reply"_s),
                     qPrintable(refused.error().userMessage));
        }
    }

    void theRequestIsEncoded()
    {
        const auto path = ChangeHistoryReader::pagePath({WorkstreamId, TimerSetting::Inactivity}, 2, 25);
        QVERIFY(path.ok());
        const QString text = path.value();
        QVERIFY(text.startsWith(u"RetrieveAttributeChangeHistory(Target=@t,AttributeLogicalName=@a,PagingInfo=@p)?"_s));
        for (const QChar c : {u'{', u'}', u'"', u'\'', u' '})
            QVERIFY2(!text.section(u'?', 1).contains(c), qPrintable(text));
        const QUrlQuery query(QUrl(u"https://x.example/"_s + text));
        QCOMPARE(query.queryItemValue(u"@t"_s, QUrl::FullyDecoded),
                 u"{'@odata.id':'msdyn_liveworkstreams(%1)'}"_s.arg(WorkstreamId));
        QCOMPARE(query.queryItemValue(u"@a"_s, QUrl::FullyDecoded), u"'msdyn_autocloseafterinactivity'"_s);
        QCOMPARE(query.queryItemValue(u"@p"_s, QUrl::FullyDecoded),
                 u"{\"PageNumber\":2,\"Count\":25,\"ReturnTotalRecordCount\":true}"_s);

        const auto config = ChangeHistoryReader::pagePath({WorkstreamId, TimerSetting::ChannelState}, 1, 50);
        QVERIFY(config.ok());
        QVERIFY(
            QUrl::fromPercentEncoding(config.value().toLatin1()).contains(u"msdyn_occhannelstateconfigurations("_s));
        QVERIFY(QUrl::fromPercentEncoding(config.value().toLatin1()).contains(u"'msdyn_autocloseliveworkitemafter'"_s));

        QCOMPARE(ChangeHistoryReader::tablePath(TimerSetting::WrapUpBlock),
                 u"EntityDefinitions(LogicalName='msdyn_liveworkstream')?$select=IsAuditEnabled"_s);
        QCOMPARE(ChangeHistoryReader::columnPath(TimerSetting::WrapUpBlock),
                 u"EntityDefinitions(LogicalName='msdyn_liveworkstream')/Attributes(LogicalName='msdyn_"
                 u"blockcapacityforwrapup')?$select=IsAuditEnabled"_s);
    }

    void anIdThatIsNoGuidIsNotSent()
    {
        const auto path = ChangeHistoryReader::pagePath({u"x')/foo"_s, TimerSetting::Inactivity}, 1, 50);
        QVERIFY(!path.ok());
        QCOMPARE(path.error().kind, Error::Kind::BadInput);
        QVERIFY(!ChangeHistoryReader::pagePath({WorkstreamId, TimerSetting::Inactivity}, 0, 50).ok());
        QVERIFY(!ChangeHistoryReader::pagePath({WorkstreamId, TimerSetting::Inactivity}, 1, 501).ok());
    }

    void whyThereIsNoHistory_data()
    {
        QTest::addColumn<AuditState>("state");
        QTest::addColumn<int>("reason");
        QTest::addColumn<QStringList>("parts");
        QTest::addColumn<QStringList>("absent");
        const QString who = u"A System Administrator or System Customizer"_s;
        AuditState s;
        s.setting = TimerSetting::Inactivity;
        AuditState org = s;
        org.organization = false;
        QTest::newRow("organization")
            << org << int(AuditState::Reason::OrganizationAuditingOff)
            << QStringList {u"auditing is off for the environment"_s, u"does not mean nobody changed it"_s, who,
                            u"Power Platform admin center: Environments > this environment > Settings > Audit and "
                            u"logs > Audit settings > Start Auditing"_s}
            << QStringList {u"for the table"_s, u"for the column"_s, u"prvReadRecordAuditHistory"_s};
        AuditState table = s;
        table.table = false;
        QTest::newRow("table") << table << int(AuditState::Reason::TableAuditingOff)
                               << QStringList {u"auditing is off for the table msdyn_liveworkstream"_s, who,
                                               u"Tables > msdyn_liveworkstream > Properties > Advanced options > "
                                               u"\"Audit changes to its data\""_s}
                               << QStringList {u"for the environment"_s, u"Enable auditing"_s};
        AuditState locked = table;
        locked.tableCanBeChanged = false;
        QTest::newRow("table locked") << locked << int(AuditState::Reason::TableAuditingOff)
                                      << QStringList {u"locked by the managed solution"_s, u"canmodifyauditsettings"_s}
                                      << QStringList {u"Audit changes to its data"_s};
        AuditState column = s;
        column.setting = TimerSetting::ChannelState;
        column.column = false;
        QTest::newRow("column")
            << column << int(AuditState::Reason::ColumnAuditingOff)
            << QStringList {u"auditing is off for the column msdyn_autocloseliveworkitemafter"_s, who,
                            u"Tables > msdyn_occhannelstateconfiguration > Columns > "
                            u"msdyn_autocloseliveworkitemafter > Advanced options > \"Enable auditing\""_s}
            << QStringList {u"for the table"_s};
        AuditState orgAndColumn = s;
        orgAndColumn.organization = false;
        orgAndColumn.column = false;
        QTest::newRow("organization and column")
            << orgAndColumn << int(AuditState::Reason::OrganizationAuditingOff)
            << QStringList {u"auditing is off for the environment and for the column msdyn_autocloseafterinactivity"_s,
                            u"Start Auditing"_s, u"Enable auditing"_s}
            << QStringList {};
        AuditState privilege = s;
        privilege.missingPrivileges = {u"prvReadRecordAuditHistory"_s};
        QTest::newRow("privilege") << privilege << int(AuditState::Reason::MissingPrivilege)
                                   << QStringList {u"lack prvReadRecordAuditHistory (\"View Audit History\")."_s,
                                                   u"does not mean nobody changed the value"_s,
                                                   u"Ask an administrator for a security role with \"View Audit "
                                                   u"History\""_s}
                                   << QStringList {u"auditing is off"_s, u"Summary"_s};
        AuditState both = s;
        both.missingPrivileges = {u"prvReadAuditSummary"_s, u"prvReadRecordAuditHistory"_s};
        QTest::newRow("both privileges")
            << both << int(AuditState::Reason::MissingPrivilege)
            << QStringList {u"lack prvReadAuditSummary (\"View Audit Summary\") and prvReadRecordAuditHistory "
                            u"(\"View Audit History\")."_s,
                            u"a security role with \"View Audit Summary\" and \"View Audit History\""_s}
            << QStringList {};
        AuditState offAndNotAllowed = org;
        offAndNotAllowed.missingPrivileges = {u"prvReadAuditSummary"_s};
        QTest::newRow("off, and not allowed")
            << offAndNotAllowed << int(AuditState::Reason::OrganizationAuditingOff)
            << QStringList {u"auditing is off for the environment"_s, u"lack prvReadAuditSummary"_s} << QStringList {};
    }
    void whyThereIsNoHistory()
    {
        QFETCH(AuditState, state);
        QFETCH(int, reason);
        QFETCH(QStringList, parts);
        QFETCH(QStringList, absent);
        QCOMPARE(int(state.reason()), reason);
        QVERIFY(!state.available());
        const QString sentence = state.sentence();
        for (const QString &part : parts)
            QVERIFY2(sentence.contains(part), qPrintable(part + u"\n  not in: "_s + sentence));
        for (const QString &part : absent)
            QVERIFY2(!sentence.contains(part), qPrintable(part + u"\n  in: "_s + sentence));
    }

    void reasonNamesAreStable()
    {
        QCOMPARE(AuditState::reasonName(AuditState::Reason::OrganizationAuditingOff), u"organization-auditing-off"_s);
        QCOMPARE(AuditState::reasonName(AuditState::Reason::TableAuditingOff), u"table-auditing-off"_s);
        QCOMPARE(AuditState::reasonName(AuditState::Reason::ColumnAuditingOff), u"column-auditing-off"_s);
        QCOMPARE(AuditState::reasonName(AuditState::Reason::MissingPrivilege), u"missing-privilege"_s);
        AuditState on;
        QVERIFY(on.available());
        QVERIFY(on.sentence().isEmpty());
    }

    void aRefusalNamesItsPrivilege()
    {
        Error e;
        e.httpStatus = 403;
        e.serviceCode = u"0x80040220"_s;
        e.serviceMessage = u"Principal user (Id=a1d4e7f0-2b3c-4d5e-8f9a-0b1c2d3e4f50, type=8) is missing "
                           u"prvReadRecordAuditHistory privilege (Id=…)"_s;
        QVERIFY(ChangeHistoryReader::isPrivilegeRefusal(e));
        QCOMPARE(ChangeHistoryReader::privilegeNamed(e), u"prvReadRecordAuditHistory"_s);
        e.httpStatus = 500;
        QVERIFY(!ChangeHistoryReader::isPrivilegeRefusal(e));
    }

    void auditRows()
    {
        const QJsonObject row {{u"auditid"_s, u"7e0c2f55-1b0d-4f4e-9d53-2a8f3c9b1e01"_s},
                               {u"createdon"_s, u"2026-11-30T10:00:00Z"_s},
                               {u"operation"_s, 2},
                               {u"action"_s, 2},
                               {u"_userid_value"_s, u"a1d4e7f0-2b3c-4d5e-8f9a-0b1c2d3e4f50"_s},
                               {u"_userid_value@OData.Community.Display.V1.FormattedValue"_s, u"Dana Admin"_s}};
        const auto body = [](const QJsonArray &rows, const QString &next = {}) {
            QJsonObject root {{u"value"_s, rows}};
            if (!next.isEmpty())
                root[u"@odata.nextLink"_s] = next;
            return QJsonDocument(root).toJson();
        };
        const auto parsed = ChangeHistoryReader::parseAuditRows(
            body({row}, u"https://contoso.crm.dynamics.com/api/data/v9.2/audits?$skiptoken=x"_s));
        QVERIFY2(parsed.ok(), why(parsed).constData());
        QCOMPARE(parsed.value().rows.size(), 1);
        const ChangeHistoryReader::AuditRow &audit = parsed.value().rows.first();
        QCOMPARE(audit.when, QDateTime(QDate(2026, 11, 30), QTime(10, 0), Qt::UTC));
        QCOMPARE(audit.userName, u"Dana Admin"_s);
        QCOMPARE(audit.operation, Operation::Update);
        QCOMPARE(parsed.value().nextLink.host(), u"contoso.crm.dynamics.com"_s);

        const auto refusedWith = [&](const QString &key, const QJsonValue &value, const QString &part) -> QByteArray {
            QJsonObject bad = row;
            if (value.isUndefined())
                bad.remove(key);
            else
                bad[key] = value;
            const auto refused = ChangeHistoryReader::parseAuditRows(body({row, bad}));
            if (refused.ok())
                return QByteArray("accepted: ") + key.toUtf8();
            if (!refused.error().userMessage.contains(part) ||
                !refused.error().userMessage.startsWith(u"The environment's audit table reply"_s))
                return refused.error().userMessage.toUtf8();
            return QByteArray();
        };
        QCOMPARE(refusedWith(u"auditid"_s, u"x"_s, u"row 2's auditid is not an id"_s), QByteArray());
        QCOMPARE(refusedWith(u"createdon"_s, u"2026-11-30"_s, u"row 2's createdon is not a time"_s), QByteArray());
        QCOMPARE(refusedWith(u"createdon"_s, QJsonValue::Undefined, u"row 2's createdon"_s), QByteArray());
        QCOMPARE(refusedWith(u"_userid_value"_s, 3, u"row 2's user is not text"_s), QByteArray());
        QCOMPARE(refusedWith(u"operation"_s, u"2"_s, u"row 2's operation is not a number"_s), QByteArray());
        QVERIFY(!ChangeHistoryReader::parseAuditRows("{\"value\":{}}").ok());
        QVERIFY(!ChangeHistoryReader::parseAuditRows("[]").ok());
    }

    void auditDetails()
    {
        const auto detail = [](const QJsonObject &oldValue, const QJsonObject &newValue,
                               const QString &type = u"#Microsoft.Dynamics.CRM.AttributeAuditDetail"_s) {
            return QJsonDocument(QJsonObject {{u"AuditDetail"_s,
                                               QJsonObject {{u"@odata.type"_s, type},
                                                            {u"OldValue"_s, oldValue},
                                                            {u"NewValue"_s, newValue}}}})
                .toJson();
        };
        const QString id = u"7e0c2f55-1b0d-4f4e-9d53-2a8f3c9b1e01"_s;
        const auto changed = ChangeHistoryReader::parseAuditDetails(
            detail({{Column, 60}, {u"msdyn_name"_s, u"A"_s}}, {{Column, 120}, {u"msdyn_name"_s, u"B"_s}}), Column, id);
        QVERIFY2(changed.ok(), why(changed).constData());
        QVERIFY(changed.value().has_value());
        QCOMPARE(changed.value()->oldMinutes, std::optional<int>(60));
        QCOMPARE(changed.value()->newMinutes, std::optional<int>(120));
        // Set for the first time: missing from OldValue.
        const auto first = ChangeHistoryReader::parseAuditDetails(detail({}, {{Column, 30}}), Column, id);
        QVERIFY(first.ok() && first.value().has_value());
        QCOMPARE(first.value()->oldMinutes, std::nullopt);
        // Another column only, or no change of values at all: not an entry, and not an error.
        const auto other = ChangeHistoryReader::parseAuditDetails(
            detail({{u"msdyn_name"_s, u"A"_s}}, {{u"msdyn_name"_s, u"B"_s}}), Column, id);
        QVERIFY(other.ok());
        QVERIFY(!other.value().has_value());
        const auto shared = ChangeHistoryReader::parseAuditDetails(
            detail({}, {}, u"#Microsoft.Dynamics.CRM.ShareAuditDetail"_s), Column, id);
        QVERIFY(shared.ok());
        QVERIFY(!shared.value().has_value());
        // Wrong shapes.
        const auto text = ChangeHistoryReader::parseAuditDetails(detail({{Column, u"60"_s}}, {}), Column, id);
        QVERIFY(!text.ok());
        QCOMPARE(text.error().kind, Error::Kind::BadReply);
        QVERIFY2(text.error().userMessage.contains(u"the change %1's OldValue msdyn_autocloseafterinactivity is not a "
                                                   u"whole number of minutes"_s.arg(id)),
                 qPrintable(text.error().userMessage));
        QVERIFY(!ChangeHistoryReader::parseAuditDetails("{\"value\":[]}", Column, id).ok());
        QVERIFY(!ChangeHistoryReader::parseAuditDetails("{\"AuditDetail\":{}}", Column, id).ok());
        QVERIFY(!ChangeHistoryReader::parseAuditDetails("{\"AuditDetail\":{\"@odata.type\":\"#Microsoft.Dynamics.CRM."
                                                        "AttributeAuditDetail\",\"NewValue\":[1]}}",
                                                        Column, id)
                     .ok());
    }

    void theAuditRequests()
    {
        const auto rows = ChangeHistoryReader::auditRowsPath({WorkstreamId, TimerSetting::Inactivity});
        QVERIFY(rows.ok());
        const QUrlQuery query(QUrl(u"https://x.example/"_s + rows.value()));
        QVERIFY(rows.value().startsWith(u"audits?"_s));
        QCOMPARE(query.queryItemValue(u"$filter"_s, QUrl::FullyDecoded),
                 u"_objectid_value eq %1 and (operation eq 1 or operation eq 2)"_s.arg(WorkstreamId));
        QCOMPARE(query.queryItemValue(u"$orderby"_s, QUrl::FullyDecoded), u"createdon desc"_s);
        QVERIFY(query.queryItemValue(u"$select"_s).contains(u"_userid_value"_s));
        QVERIFY(!ChangeHistoryReader::auditRowsPath({u"1 or 1 eq 1"_s, TimerSetting::Inactivity}).ok());
        QCOMPARE(ChangeHistoryReader::auditDetailsPath(WorkstreamId).value(),
                 u"audits(%1)/Microsoft.Dynamics.CRM.RetrieveAuditDetails"_s.arg(WorkstreamId));
        QVERIFY(!ChangeHistoryReader::auditDetailsPath(u"x)/y"_s).ok());
    }

    void changesOfOneSecondFollowTheirValues()
    {
        // The audit table's times have whole seconds; within one, the service's order is its own. 30 → 45 → 120 →
        // 180, the last three in one second, given in any order, come out newest first.
        const QDateTime t0(QDate(2026, 11, 30), QTime(10, 0), Qt::UTC);
        const auto entry = [](QDateTime when, std::optional<int> from, std::optional<int> to) {
            ChangeHistory::Entry e;
            e.when = when;
            e.oldMinutes = from;
            e.newMinutes = to;
            return e;
        };
        const ChangeHistory::Entry a = entry(t0, 30, 45), b = entry(t0.addSecs(5), 45, 120),
                                   c = entry(t0.addSecs(5), 120, 180), d = entry(t0.addSecs(5), 180, 200),
                                   e = entry(t0.addSecs(9), 200, std::nullopt);
        const QList<QList<ChangeHistory::Entry>> orders = {
            {a, b, c, d, e}, {c, e, b, a, d}, {d, c, b, e, a}, {b, d, c, a, e}};
        for (QList<ChangeHistory::Entry> entries : orders) {
            ChangeHistory::sortNewestFirst(entries);
            QCOMPARE(entries, (QList<ChangeHistory::Entry> {e, d, c, b, a}));
        }
        // No newer change to follow from: the head of the chain goes first.
        QList<ChangeHistory::Entry> alone = {b, d, c};
        ChangeHistory::sortNewestFirst(alone);
        QCOMPARE(alone, (QList<ChangeHistory::Entry> {d, c, b}));
    }
};

QTEST_GUILESS_MAIN(TestChangeHistory)
#include "tst_changehistory.moc"
