#include "app/dataverse/ChangeHistoryReader.h"

#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/OrgUrl.h"
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

Error badReply(const QString &what, const QString &detail)
{
    Error e;
    e.kind = Error::Kind::BadReply;
    e.userMessage = tr("The environment's %1 reply is not what the Web API documents (%2), so none of it is shown. "
                       "Try again; if it persists, report it with the details below.")
                        .arg(what, detail);
    return e;
}

Result<QJsonObject> objectOf(const QByteArray &body, const QString &what)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return badReply(what, tr("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return badReply(what, tr("not a JSON object"));
    return doc.object();
}

// A column's value in an OldValue or NewValue: missing or null is empty (docs/change-history.md); anything else must
// be a whole number of minutes.
Result<std::optional<int>> minutesIn(const QJsonObject &values, const QString &column, const QString &side,
                                     qsizetype index)
{
    const QJsonValue v = values.value(column);
    if (v.isUndefined() || v.isNull())
        return std::optional<int>();
    const auto n = WebApiReply::exactInteger(v);
    if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
        return badReply(tr("change history"),
                        tr("change %1's %2 %3 is not a whole number of minutes").arg(index + 1).arg(side, column));
    return std::optional<int>(int(*n));
}

// OldValue or NewValue: an object, or missing or null (no values).
Result<QJsonObject> valuesOf(const QJsonObject &detail, const QString &side, qsizetype index)
{
    const QJsonValue v = detail.value(side);
    if (v.isUndefined() || v.isNull())
        return QJsonObject();
    if (!v.isObject())
        return badReply(tr("change history"), tr("change %1's %2 is not an object").arg(index + 1).arg(side));
    return v.toObject();
}

Result<Entry> entryOf(const QJsonValue &value, const QString &column, qsizetype index)
{
    const QString what = tr("change history");
    if (!value.isObject())
        return badReply(what, tr("change %1 is not an object").arg(index + 1));
    const QJsonObject detail = value.toObject();
    // RetrieveAttributeChangeHistory returns AttributeAuditDetail only (docs/change-history.md).
    const QJsonValue type = detail.value(u"@odata.type"_s);
    if (!type.isUndefined() && type.toString() != u"#Microsoft.Dynamics.CRM.AttributeAuditDetail"_s)
        return badReply(what,
                        tr("change %1 is a %2, not an AttributeAuditDetail")
                            .arg(index + 1)
                            .arg(type.isString() ? type.toString() : tr("value of no type")));
    Entry entry;
    const auto oldValues = valuesOf(detail, u"OldValue"_s, index);
    if (!oldValues)
        return oldValues.error();
    const auto newValues = valuesOf(detail, u"NewValue"_s, index);
    if (!newValues)
        return newValues.error();
    const auto oldMinutes = minutesIn(oldValues.value(), column, u"OldValue"_s, index);
    if (!oldMinutes)
        return oldMinutes.error();
    const auto newMinutes = minutesIn(newValues.value(), column, u"NewValue"_s, index);
    if (!newMinutes)
        return newMinutes.error();
    entry.oldMinutes = oldMinutes.value();
    entry.newMinutes = newMinutes.value();

    // Who and when: the audit record, which Microsoft documents the Web API may leave out (docs/change-history.md).
    const QJsonValue recordValue = detail.value(u"AuditRecord"_s);
    if (recordValue.isUndefined() || recordValue.isNull())
        return entry;
    if (!recordValue.isObject())
        return badReply(what, tr("change %1's AuditRecord is not an object").arg(index + 1));
    const QJsonObject record = recordValue.toObject();
    const QJsonValue createdOn = record.value(u"createdon"_s);
    entry.when = QDateTime::fromString(createdOn.toString(), Qt::ISODateWithMs);
    if (!createdOn.isString() || !entry.when.isValid() || entry.when.timeSpec() == Qt::LocalTime)
        return badReply(what, tr("change %1's createdon is not a time with its zone").arg(index + 1));
    entry.when = entry.when.toUTC();
    const auto text = [&](const QString &key, QString *out) {
        const QJsonValue v = record.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isString())
            return false;
        *out = v.toString();
        return true;
    };
    if (!text(u"_userid_value"_s, &entry.userId) ||
        !text(u"_userid_value@OData.Community.Display.V1.FormattedValue"_s, &entry.userName) ||
        !text(u"auditid"_s, &entry.auditId))
        return badReply(what, tr("change %1's user or audit id is not text").arg(index + 1));
    const QJsonValue operation = record.value(u"operation"_s);
    if (!operation.isUndefined() && !operation.isNull()) {
        const auto code = WebApiReply::exactInteger(operation);
        if (!code)
            return badReply(what, tr("change %1's operation is not a number").arg(index + 1));
        if (*code >= 1 && *code <= 4)
            entry.operation = ChangeHistory::Operation(*code);
    }
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
        return badReply(what, tr("not one organization row"));
    const QJsonValue enabled = rows.toArray().first().toObject().value(u"isauditenabled"_s);
    if (!enabled.isBool())
        return badReply(what, tr("isauditenabled is not true or false"));
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
        return badReply(what, tr("IsAuditEnabled is not a managed property"));
    const QJsonValue value = property.toObject().value(u"Value"_s);
    const QJsonValue canBeChanged = property.toObject().value(u"CanBeChanged"_s);
    if (!value.isBool() || !(canBeChanged.isUndefined() || canBeChanged.isBool()))
        return badReply(what, tr("IsAuditEnabled's Value or CanBeChanged is not true or false"));
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
        return badReply(what, tr("no AuditDetailCollection object"));
    const QJsonObject collection = collectionValue.toObject();
    const QJsonValue details = collection.value(u"AuditDetails"_s);
    if (!details.isArray())
        return badReply(what, tr("AuditDetails is not a list"));
    Page page;
    page.pageNumber = pageNumber;
    page.pageSize = pageSize;
    const QJsonValue more = collection.value(u"MoreRecords"_s);
    if (!more.isUndefined() && !more.isBool())
        return badReply(what, tr("MoreRecords is not true or false"));
    page.moreRecords = more.toBool(false);
    const QJsonValue total = collection.value(u"TotalRecordCount"_s);
    if (!total.isUndefined() && !total.isNull()) {
        const auto count = WebApiReply::exactInteger(total);
        if (!count || *count < -1)
            return badReply(what, tr("TotalRecordCount is not a count"));
        if (*count >= 0) // -1: not counted
            page.totalRecordCount = *count;
    }
    const QJsonValue cookie = collection.value(u"PagingCookie"_s);
    if (!cookie.isUndefined() && !cookie.isNull() && !cookie.isString())
        return badReply(what, tr("PagingCookie is not text"));
    page.pagingCookie = cookie.toString();
    const QJsonArray list = details.toArray();
    if (list.size() > pageSize)
        return badReply(what, tr("%1 changes on a page of %2").arg(list.size()).arg(pageSize));
    for (qsizetype i = 0; i < list.size(); ++i) {
        auto entry = entryOf(list.at(i), column, i);
        if (!entry)
            return entry.error();
        page.entries << std::move(entry).value();
    }
    // Newest first, as the service returns them (docs/change-history.md); kept so within the page when every entry
    // says when it was made.
    if (page.entriesWithoutAuditRecord() == 0)
        std::stable_sort(page.entries.begin(), page.entries.end(),
                         [](const Entry &a, const Entry &b) { return a.when > b.when; });
    return page;
}

bool ChangeHistoryReader::isPrivilegeRefusal(const Error &error)
{
    return error.httpStatus == 403;
}

QString ChangeHistoryReader::privilegeNamed(const Error &error)
{
    static const QRegularExpression privilege(u"\\bprv[A-Za-z]+"_s);
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
        if (names)
            pending->state.privilege = names.value().contains(QString::fromLatin1(ChangeHistory::ReadHistoryPrivilege));
        else
            pending->fail(names.error());
        pending->finish();
    });
}

void ChangeHistoryReader::fetchPage(const ValueRef &ref, int pageNumber, int pageSize, QObject *context,
                                    std::function<void(Result<Page>)> done) const
{
    const auto path = pagePath(ref, pageNumber, pageSize);
    if (!path) {
        done(path.error());
        return;
    }
    WebApiTransport::Call call;
    call.url = OrgUrl::webApiRoot(m_client->orgUrl()).resolved(QUrl(path.value()));
    // The user's name is the lookup's formatted value (docs/change-history.md).
    call.headers = {{"Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""}};
    const QString column = TimerSettings::column(ref.setting);
    m_client->transport()->send(
        call, context, [done = std::move(done), column, pageNumber, pageSize](Result<WebApiTransport::Reply> reply) {
            if (!reply) {
                Error e = reply.error();
                if (isPrivilegeRefusal(e))
                    e.userMessage = ChangeHistory::missingPrivilegeSentence(privilegeNamed(e));
                done(e);
                return;
            }
            done(parsePage(reply.value().body, column, pageNumber, pageSize));
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
              reader.fetchPage(ref, pageNumber, pageSize, guard,
                               [state = state.value(), done](Result<Page> page) mutable {
                                   if (page) {
                                       done(Reading {state, std::move(page).value()});
                                   } else if (isPrivilegeRefusal(page.error())) {
                                       // The privileges read said yes, the service says no: believe the service.
                                       state.privilege = false;
                                       state.missingPrivilege = privilegeNamed(page.error());
                                       done(Reading {state, {}});
                                   } else {
                                       done(page.error());
                                   }
                               });
          });
}
