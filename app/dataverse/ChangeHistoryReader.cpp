#include "app/dataverse/ChangeHistoryReader.h"

#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/ODataQuery.h"
#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QPointer>
#include <QRegularExpression>
#include <QUrl>
#include <QUuid>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using ChangeHistory::AuditState;
using ChangeHistory::Entry;
using ChangeHistory::Page;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChangeHistoryReader", text);
}

Result<QJsonObject> objectOf(const QByteArray &body, const QString &what)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return ChangeHistoryReader::badReply(
            what, tr("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return ChangeHistoryReader::badReply(what, tr("not a JSON object"));
    return doc.object();
}

// A column's value in an OldValue or NewValue: missing or null is empty (docs/change-history.md); anything else must
// be a whole number of minutes. which: "change 2's OldValue", for the sentence.
Result<std::optional<int>> minutesIn(const QJsonObject &values, const QString &column, const QString &what,
                                     const QString &which)
{
    const QJsonValue v = values.value(column);
    if (v.isUndefined() || v.isNull())
        return std::optional<int>();
    const auto n = WebApiReply::exactInteger(v);
    if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
        return ChangeHistoryReader::badReply(what, tr("%1 %2 is not a whole number of minutes").arg(which, column));
    return std::optional<int>(int(*n));
}

// OldValue or NewValue: an object, or missing or null (no values). which: "change 2", for the sentence.
Result<QJsonObject> valuesOf(const QJsonObject &detail, const QString &side, const QString &what, const QString &which)
{
    const QJsonValue v = detail.value(side);
    if (v.isUndefined() || v.isNull())
        return QJsonObject();
    if (!v.isObject())
        return ChangeHistoryReader::badReply(what, tr("%1's %2 is not an object").arg(which, side));
    return v.toObject();
}

// An AttributeAuditDetail's old and new values of column; whether either names it.
struct DetailValues
{
    std::optional<int> oldMinutes;
    std::optional<int> newMinutes;
    bool touched = false;
};
Result<DetailValues> detailValues(const QJsonObject &detail, const QString &column, const QString &what,
                                  const QString &which)
{
    const auto oldValues = valuesOf(detail, u"OldValue"_s, what, which);
    if (!oldValues)
        return oldValues.error();
    const auto newValues = valuesOf(detail, u"NewValue"_s, what, which);
    if (!newValues)
        return newValues.error();
    const auto oldMinutes = minutesIn(oldValues.value(), column, what, tr("%1's OldValue").arg(which));
    if (!oldMinutes)
        return oldMinutes.error();
    const auto newMinutes = minutesIn(newValues.value(), column, what, tr("%1's NewValue").arg(which));
    if (!newMinutes)
        return newMinutes.error();
    return DetailValues {oldMinutes.value(), newMinutes.value(),
                         oldValues.value().contains(column) || newValues.value().contains(column)};
}

// A time with its zone ("2026-11-30T10:00:00Z"), in UTC; invalid otherwise.
QDateTime timeOf(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
        return {};
    return t.toUTC();
}

// A text member: missing or null is empty; anything but text is refused (false).
bool textOf(const QJsonObject &object, const QString &key, QString *out)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString())
        return false;
    *out = v.toString();
    return true;
}

// audit.operation: a number (1 to 4 known); missing is Unknown.
std::optional<ChangeHistory::Operation> operationOf(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return ChangeHistory::Operation::Unknown;
    const auto code = WebApiReply::exactInteger(value);
    if (!code)
        return std::nullopt;
    return *code >= 1 && *code <= 4 ? ChangeHistory::Operation(*code) : ChangeHistory::Operation::Unknown;
}

const QString AttributeAuditDetailType = u"#Microsoft.Dynamics.CRM.AttributeAuditDetail"_s;

Result<Entry> entryOf(const QJsonValue &value, const QString &column, qsizetype index)
{
    const QString what = tr("change history");
    const QString which = tr("change %1").arg(index + 1);
    if (!value.isObject())
        return ChangeHistoryReader::badReply(what, tr("%1 is not an object").arg(which));
    const QJsonObject detail = value.toObject();
    // RetrieveAttributeChangeHistory returns AttributeAuditDetail only (docs/change-history.md).
    const QJsonValue type = detail.value(u"@odata.type"_s);
    if (!type.isUndefined() && type.toString() != AttributeAuditDetailType)
        return ChangeHistoryReader::badReply(
            what,
            tr("%1 is a %2, not an AttributeAuditDetail")
                .arg(which, type.isString() ? type.toString() : tr("value of no type")));
    const auto values = detailValues(detail, column, what, which);
    if (!values)
        return values.error();
    Entry entry;
    entry.oldMinutes = values.value().oldMinutes;
    entry.newMinutes = values.value().newMinutes;

    // Who and when: the audit record, which the Web API leaves out (docs/change-history.md); taken when present.
    const QJsonValue recordValue = detail.value(u"AuditRecord"_s);
    if (recordValue.isUndefined() || recordValue.isNull())
        return entry;
    if (!recordValue.isObject())
        return ChangeHistoryReader::badReply(what, tr("%1's AuditRecord is not an object").arg(which));
    const QJsonObject record = recordValue.toObject();
    entry.when = timeOf(record.value(u"createdon"_s));
    if (!entry.when.isValid())
        return ChangeHistoryReader::badReply(what, tr("%1's createdon is not a time with its zone").arg(which));
    if (!textOf(record, u"_userid_value"_s, &entry.userId) ||
        !textOf(record, u"_userid_value@OData.Community.Display.V1.FormattedValue"_s, &entry.userName) ||
        !textOf(record, u"auditid"_s, &entry.auditId))
        return ChangeHistoryReader::badReply(what, tr("%1's user or audit id is not text").arg(which));
    const auto operation = operationOf(record.value(u"operation"_s));
    if (!operation)
        return ChangeHistoryReader::badReply(what, tr("%1's operation is not a number").arg(which));
    entry.operation = *operation;
    return entry;
}

// The service's names for this value, for the sentences.
QString tableWhat(TimerSetting setting)
{
    return tr("table %1 definition").arg(TimerSettings::table(setting));
}

QString columnWhat(TimerSetting setting)
{
    return tr("column %1 definition").arg(TimerSettings::column(setting));
}

QString encoded(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}
} // namespace

ChangeHistoryReader::ChangeHistoryReader(DataverseClient *client)
    : m_client(client)
{ }

Error ChangeHistoryReader::badReply(const QString &what, const QString &detail)
{
    Error e;
    e.kind = Error::Kind::BadReply;
    e.userMessage = tr("The environment's %1 reply is not what the Web API documents (%2), so none of it is shown. "
                       "Try again; if it persists, report it with the details below.")
                        .arg(what, detail);
    return e;
}

QString ChangeHistoryReader::organizationPath()
{
    return u"organizations?$select=isauditenabled"_s;
}

QString ChangeHistoryReader::tablePath(TimerSetting setting)
{
    return u"EntityDefinitions(LogicalName='%1')?$select=IsAuditEnabled"_s.arg(TimerSettings::table(setting));
}

QString ChangeHistoryReader::columnPath(TimerSetting setting)
{
    return u"EntityDefinitions(LogicalName='%1')/Attributes(LogicalName='%2')?$select=IsAuditEnabled"_s.arg(
        TimerSettings::table(setting), TimerSettings::column(setting));
}

Result<QString> ChangeHistoryReader::pagePath(const ValueRef &ref, int pageNumber, int pageSize)
{
    const QUuid id = QUuid::fromString(ref.id);
    if (id.isNull())
        return Error::badInput(tr("'%1' is not a record id (a GUID).").arg(ref.id));
    if (pageNumber < 1 || pageSize < 1 || pageSize > MaxPageSize)
        return Error::badInput(tr("Pages are numbered from 1 and hold 1 to %1 changes.").arg(MaxPageSize));
    const QString target =
        u"{'@odata.id':'%1(%2)'}"_s.arg(TimerSettings::entitySet(ref.setting), id.toString(QUuid::WithoutBraces));
    const QString column = u"'%1'"_s.arg(TimerSettings::column(ref.setting));
    const QString paging =
        u"{\"PageNumber\":%1,\"Count\":%2,\"ReturnTotalRecordCount\":true}"_s.arg(pageNumber).arg(pageSize);
    return u"RetrieveAttributeChangeHistory(Target=@t,AttributeLogicalName=@a,PagingInfo=@p)?@t=%1&@a=%2&@p=%3"_s.arg(
        encoded(target), encoded(column), encoded(paging));
}

Result<bool> ChangeHistoryReader::parseOrganization(const QByteArray &body)
{
    const QString what = tr("organization");
    const auto root = objectOf(body, what);
    if (!root)
        return root.error();
    const QJsonValue rows = root.value().value(u"value"_s);
    if (!rows.isArray() || rows.toArray().size() != 1 || !rows.toArray().first().isObject())
        return ChangeHistoryReader::badReply(what, tr("not one organization row"));
    const QJsonValue enabled = rows.toArray().first().toObject().value(u"isauditenabled"_s);
    if (!enabled.isBool())
        return ChangeHistoryReader::badReply(what, tr("isauditenabled is not true or false"));
    return enabled.toBool();
}

Result<ChangeHistoryReader::AuditFlag> ChangeHistoryReader::parseAuditFlag(const QByteArray &body, const QString &what)
{
    const auto root = objectOf(body, what);
    if (!root)
        return root.error();
    // A BooleanManagedProperty: Value, and CanBeChanged (docs/change-history.md).
    const QJsonValue property = root.value().value(u"IsAuditEnabled"_s);
    if (!property.isObject())
        return ChangeHistoryReader::badReply(what, tr("IsAuditEnabled is not a managed property"));
    const QJsonValue value = property.toObject().value(u"Value"_s);
    const QJsonValue canBeChanged = property.toObject().value(u"CanBeChanged"_s);
    if (!value.isBool() || !(canBeChanged.isUndefined() || canBeChanged.isBool()))
        return ChangeHistoryReader::badReply(what, tr("IsAuditEnabled's Value or CanBeChanged is not true or false"));
    return AuditFlag {value.toBool(), canBeChanged.toBool(true)};
}

Result<Page> ChangeHistoryReader::parsePage(const QByteArray &body, const QString &column, int pageNumber, int pageSize)
{
    const QString what = tr("change history");
    const auto root = objectOf(body, what);
    if (!root)
        return root.error();
    const QJsonValue collectionValue = root.value().value(u"AuditDetailCollection"_s);
    if (!collectionValue.isObject())
        return ChangeHistoryReader::badReply(what, tr("no AuditDetailCollection object"));
    const QJsonObject collection = collectionValue.toObject();
    const QJsonValue details = collection.value(u"AuditDetails"_s);
    if (!details.isArray())
        return ChangeHistoryReader::badReply(what, tr("AuditDetails is not a list"));
    Page page;
    page.pageNumber = pageNumber;
    page.pageSize = pageSize;
    const QJsonValue more = collection.value(u"MoreRecords"_s);
    if (!more.isUndefined() && !more.isBool())
        return ChangeHistoryReader::badReply(what, tr("MoreRecords is not true or false"));
    page.moreRecords = more.toBool(false);
    const QJsonValue total = collection.value(u"TotalRecordCount"_s);
    if (!total.isUndefined() && !total.isNull()) {
        const auto count = WebApiReply::exactInteger(total);
        if (!count || *count < -1)
            return ChangeHistoryReader::badReply(what, tr("TotalRecordCount is not a count"));
        if (*count >= 0) // -1: not counted
            page.totalRecordCount = *count;
    }
    const QJsonValue cookie = collection.value(u"PagingCookie"_s);
    if (!cookie.isUndefined() && !cookie.isNull() && !cookie.isString())
        return ChangeHistoryReader::badReply(what, tr("PagingCookie is not text"));
    page.pagingCookie = cookie.toString();
    const QJsonArray list = details.toArray();
    if (list.size() > pageSize)
        return ChangeHistoryReader::badReply(what, tr("%1 changes on a page of %2").arg(list.size()).arg(pageSize));
    for (qsizetype i = 0; i < list.size(); ++i) {
        auto entry = entryOf(list.at(i), column, i);
        if (!entry)
            return entry.error();
        page.entries << std::move(entry).value();
    }
    // Newest first, as the service returns them (docs/change-history.md); kept so within the page when every entry
    // says when it was made.
    if (page.entriesWithoutAuditRecord() == 0)
        ChangeHistory::sortNewestFirst(page.entries);
    return page;
}

Result<QString> ChangeHistoryReader::auditRowsPath(const ValueRef &ref)
{
    const QUuid id = QUuid::fromString(ref.id);
    if (id.isNull())
        return Error::badInput(tr("'%1' is not a record id (a GUID).").arg(ref.id));
    // Creates and updates only: the events that set values (docs/change-history.md).
    return ODataQuery(u"audits"_s)
        .select({u"auditid"_s, u"createdon"_s, u"operation"_s, u"action"_s, u"_userid_value"_s})
        .filter(
            u"_objectid_value eq %1 and (operation eq 1 or operation eq 2)"_s.arg(id.toString(QUuid::WithoutBraces)))
        .orderBy(u"createdon desc"_s)
        .toString();
}

Result<QString> ChangeHistoryReader::auditDetailsPath(const QString &auditId)
{
    const QUuid id = QUuid::fromString(auditId);
    if (id.isNull())
        return Error::badInput(tr("'%1' is not an audit record id (a GUID).").arg(auditId));
    return u"audits(%1)/Microsoft.Dynamics.CRM.RetrieveAuditDetails"_s.arg(id.toString(QUuid::WithoutBraces));
}

Result<QString> ChangeHistoryReader::currentValuePath(const ValueRef &ref)
{
    const QUuid id = QUuid::fromString(ref.id);
    if (id.isNull())
        return Error::badInput(tr("'%1' is not a record id (a GUID).").arg(ref.id));
    return u"%1(%2)?$select=%3"_s.arg(TimerSettings::entitySet(ref.setting), id.toString(QUuid::WithoutBraces),
                                      TimerSettings::column(ref.setting));
}

Result<std::optional<int>> ChangeHistoryReader::parseCurrentValue(const QByteArray &body, const QString &column)
{
    const QString what = tr("record");
    const auto root = objectOf(body, what);
    if (!root)
        return root.error();
    return minutesIn(root.value(), column, what, tr("its"));
}

Result<ChangeHistoryReader::AuditRows> ChangeHistoryReader::parseAuditRows(const QByteArray &body)
{
    const QString what = tr("audit table");
    if (const auto root = objectOf(body, what); !root)
        return root.error();
    const auto page = WebApiReply::parseCollection(body);
    if (!page)
        return ChangeHistoryReader::badReply(what, page.error().userMessage);
    AuditRows rows;
    rows.nextLink = page.value().nextLink;
    for (qsizetype i = 0; i < page.value().rows.size(); ++i) {
        const QJsonObject &row = page.value().rows.at(i);
        const QString which = tr("row %1").arg(i + 1);
        AuditRow audit;
        if (!textOf(row, u"auditid"_s, &audit.auditId) || QUuid::fromString(audit.auditId).isNull())
            return ChangeHistoryReader::badReply(what, tr("%1's auditid is not an id").arg(which));
        audit.when = timeOf(row.value(u"createdon"_s));
        if (!audit.when.isValid())
            return ChangeHistoryReader::badReply(what, tr("%1's createdon is not a time with its zone").arg(which));
        if (!textOf(row, u"_userid_value"_s, &audit.userId) ||
            !textOf(row, u"_userid_value@OData.Community.Display.V1.FormattedValue"_s, &audit.userName))
            return ChangeHistoryReader::badReply(what, tr("%1's user is not text").arg(which));
        const auto operation = operationOf(row.value(u"operation"_s));
        if (!operation)
            return ChangeHistoryReader::badReply(what, tr("%1's operation is not a number").arg(which));
        audit.operation = *operation;
        rows.rows << audit;
    }
    return rows;
}

Result<std::optional<ChangeHistoryReader::Values>>
ChangeHistoryReader::parseAuditDetails(const QByteArray &body, const QString &column, const QString &auditId)
{
    const QString what = tr("audit details");
    const auto root = objectOf(body, what);
    if (!root)
        return root.error();
    const QJsonValue detail = root.value().value(u"AuditDetail"_s);
    if (!detail.isObject())
        return ChangeHistoryReader::badReply(what, tr("no AuditDetail object for %1").arg(auditId));
    // Other kinds of detail (sharing, relationships, roles) change no values (docs/change-history.md).
    const QJsonValue type = detail.toObject().value(u"@odata.type"_s);
    if (!type.isString())
        return ChangeHistoryReader::badReply(what, tr("the AuditDetail of %1 has no type").arg(auditId));
    if (type.toString() != AttributeAuditDetailType)
        return std::optional<Values>();
    const auto values = detailValues(detail.toObject(), column, what, tr("the change %1").arg(auditId));
    if (!values)
        return values.error();
    if (!values.value().touched)
        return std::optional<Values>();
    return std::optional<Values>(Values {values.value().oldMinutes, values.value().newMinutes});
}

bool ChangeHistoryReader::isPrivilegeRefusal(const Error &error)
{
    return error.httpStatus == 403;
}

QString ChangeHistoryReader::privilegeNamed(const Error &error)
{
    static const QRegularExpression privilege(u"\\bprv\\w+"_s);
    return privilege.match(error.serviceMessage).captured(0);
}

void ChangeHistoryReader::check(const ValueRef &ref, QObject *context,
                                std::function<void(Result<AuditState>)> done) const
{
    struct Pending
    {
        int left = 4;
        AuditState state;
        std::optional<Error> error;
        std::function<void(Result<AuditState>)> done;
        void finish()
        {
            if (--left > 0)
                return;
            if (error)
                done(*error);
            else
                done(state);
        }
        void fail(const Error &e)
        {
            if (!error)
                error = e;
        }
    };
    auto pending = std::make_shared<Pending>();
    pending->state.setting = ref.setting;
    pending->done = std::move(done);
    const TimerSetting setting = ref.setting;

    m_client->get(organizationPath(), context, [pending](Result<QByteArray> body) {
        const auto on = body ? parseOrganization(body.value()) : Result<bool>(body.error());
        if (on)
            pending->state.organization = on.value();
        else
            pending->fail(on.error());
        pending->finish();
    });
    m_client->get(tablePath(setting), context, [pending, setting](Result<QByteArray> body) {
        const auto flag = body ? parseAuditFlag(body.value(), tableWhat(setting)) : Result<AuditFlag>(body.error());
        if (flag) {
            pending->state.table = flag.value().enabled;
            pending->state.tableCanBeChanged = flag.value().canBeChanged;
        } else {
            pending->fail(flag.error());
        }
        pending->finish();
    });
    m_client->get(columnPath(setting), context, [pending, setting](Result<QByteArray> body) {
        const auto flag = body ? parseAuditFlag(body.value(), columnWhat(setting)) : Result<AuditFlag>(body.error());
        if (flag) {
            pending->state.column = flag.value().enabled;
            pending->state.columnCanBeChanged = flag.value().canBeChanged;
        } else {
            pending->fail(flag.error());
        }
        pending->finish();
    });
    m_client->fetchPrivileges(context, [pending](Result<QSet<QString>> names) {
        if (names) {
            for (const char *privilege : {ChangeHistory::ReadSummaryPrivilege, ChangeHistory::ReadHistoryPrivilege})
                if (!names.value().contains(QLatin1String(privilege)))
                    pending->state.missingPrivileges << QString::fromLatin1(privilege);
        } else {
            pending->fail(names.error());
        }
        pending->finish();
    });
}

void ChangeHistoryReader::read(const ValueRef &ref, int pageNumber, int pageSize, QObject *context,
                               std::function<void(Result<Reading>)> done) const
{
    QPointer<QObject> guard(context);
    check(ref, context,
          [reader = *this, ref, pageNumber, pageSize, guard, done = std::move(done)](Result<AuditState> state) {
              if (!state) {
                  done(state.error());
                  return;
              }
              if (!state.value().available()) {
                  done(Reading {state.value(), {}});
                  return;
              }
              if (!guard)
                  return;
              reader.fetchPage(
                  ref, pageNumber, pageSize, guard, [state = state.value(), done](Result<Page> page) mutable {
                      if (page) {
                          done(Reading {state, std::move(page).value()});
                      } else if (isPrivilegeRefusal(page.error())) {
                          // The privileges read said yes, the service says no: believe the service.
                          const QString named = privilegeNamed(page.error());
                          state.missingPrivileges = {
                              named.isEmpty() ? QString::fromLatin1(ChangeHistory::ReadHistoryPrivilege) : named};
                          done(Reading {state, {}});
                      } else {
                          done(page.error());
                      }
                  });
          });
}
