#include "app/sandbox/ReadHandler.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/PagingCookie.h"
#include "app/sandbox/QueryOptions.h"
#include "app/sandbox/SandboxStore.h"
#include "app/sandbox/SandboxUser.h"
#include "models/ChannelStateConfig.h"

#include <QJsonArray>
#include <QLocale>
#include <QStringList>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;
using QueryOptions::MaxPageSize;

namespace {
// Labels of the choice columns the sandbox serves (docs/dataverse-tables.md).
std::optional<QString> choiceLabel(const EntitySetDef &set, const QString &column, qint64 value)
{
    const bool conversation = set.logicalName == u"msdyn_ocliveworkitem"_s;
    if (set.logicalName == u"audit"_s) {
        // The audit table's choices (docs/change-history.md); only the actions the sandbox records are named.
        static const QStringList actions = {u"Unknown"_s, u"Create"_s, u"Update"_s};
        static const QStringList operations = {QString(), u"Create"_s, u"Update"_s, u"Delete"_s, u"Access"_s};
        if (column == u"action"_s)
            return value >= 0 && value < actions.size() ? std::optional(actions.at(value)) : std::nullopt;
        if (column == u"operation"_s)
            return value >= 1 && value < operations.size() ? std::optional(operations.at(value)) : std::nullopt;
    }
    if (column == u"msdyn_ocliveworkitemstate"_s)
        return conversationStateLabel(int(value));
    if (column == u"msdyn_streamsource"_s)
        return StreamSource::label(int(value));
    if (column == u"statecode"_s) {
        static const QStringList activity = {u"Open"_s, u"Closed"_s, u"Resolved"_s, u"Scheduled"_s};
        static const QStringList record = {u"Active"_s, u"Inactive"_s};
        const QStringList &labels = conversation ? activity : record;
        return value >= 0 && value < labels.size() ? std::optional(labels.at(value)) : std::nullopt;
    }
    if (column == u"statuscode"_s) {
        static const QStringList activity = {u"Open"_s,    u"Active"_s,   u"Waiting"_s,  u"Closed"_s,
                                             u"Wrap-up"_s, u"Resolved"_s, u"Scheduled"_s};
        static const QStringList record = {u"Active"_s, u"Inactive"_s};
        const QStringList &labels = conversation ? activity : record;
        return value >= 1 && value <= labels.size() ? std::optional(labels.at(value - 1)) : std::nullopt;
    }
    return std::nullopt;
}
} // namespace

ReadHandler::ReadHandler(SandboxStore *store, const SandboxUser *user)
    : m_store(store)
    , m_user(user)
{ }

HttpResponse ReadHandler::get(const HttpRequest &request, const EntitySetDef &set, const QString &key) const
{
    return key.isEmpty() ? collection(request, set) : record(request, set, key);
}

HttpResponse ReadHandler::record(const HttpRequest &request, const EntitySetDef &set, const QString &key) const
{
    auto options = QueryOptions::parseRead(QUrlQuery(request.url), set, /*singleRecord=*/true, {});
    if (const auto *refused = std::get_if<HttpResponse>(&options))
        return *refused;
    const auto row = m_store->get(set, key, std::get<QueryOptions::Read>(options).query);
    if (!row)
        return error(500, {}, row.error().describe());
    if (!row.value())
        return recordNotFound(set, key);
    QJsonObject object = *row.value();
    const QueryOptions::Annotations annotations = QueryOptions::requestedAnnotations(request.header("Prefer"));
    annotate(object, set, annotations.formatted, annotations.lookups);
    const QByteArray etag = object.value(u"@odata.etag"_s).toString().toUtf8();
    // A conditional read: the client's copy is current (docs/web-api.md; "null" means no condition).
    const QByteArray ifNoneMatch = request.header("If-None-Match").trimmed();
    if (!ifNoneMatch.isEmpty() && ifNoneMatch != "null" && (ifNoneMatch == etag || ifNoneMatch == "*")) {
        HttpResponse notModified;
        notModified.status = 304;
        notModified.headers = commonHeaders();
        notModified.headers << std::pair<QByteArray, QByteArray>("ETag", etag);
        return notModified;
    }
    object.insert(u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#"_s + set.entitySet + u"/$entity"_s));
    HttpHeaders headers;
    if (!etag.isEmpty()) // a table without versions (audit) has none
        headers << std::pair<QByteArray, QByteArray>("ETag", etag);
    if (!annotations.applied.isEmpty())
        headers << std::pair<QByteArray, QByteArray>("Preference-Applied", annotations.applied);
    return json(200, object, headers);
}

HttpResponse ReadHandler::collection(const HttpRequest &request, const EntitySetDef &set) const
{
    auto options =
        QueryOptions::parseRead(QUrlQuery(request.url), set, /*singleRecord=*/false, m_store->pagingSecret());
    if (const auto *refused = std::get_if<HttpResponse>(&options))
        return *refused;
    QueryOptions::Read &read = std::get<QueryOptions::Read>(options);
    SandboxStore::Query &query = read.query;

    const auto preferred = QueryOptions::preferredPageSize(request.header("Prefer"));
    const qint64 pageSize = preferred.value_or(MaxPageSize);
    qint64 limit = pageSize;
    if (read.top)
        limit = std::max<qint64>(0, std::min(limit, *read.top - read.delivered));
    query.limit = limit + 1; // one more than the page tells whether another page follows
    const QueryOptions::Annotations annotations = QueryOptions::requestedAnnotations(request.header("Prefer"));
    // A plain page (no $expand, no annotations) is written as text straight from the database; building a
    // QJsonObject per row would take longer than the query. Both ways give the same JSON.
    const bool plain = !query.expand && !annotations.formatted && !annotations.lookups;
    QJsonArray value;
    QByteArray plainRows;
    qsizetype rowsRead = 0;
    QVariantList lastKey; // the last row's on this page: where the next starts
    if (plain) {
        const auto written = m_store->writeList(set, query, limit, &plainRows, &lastKey);
        if (!written)
            return error(500, {}, written.error().describe());
        rowsRead = written.value();
    } else {
        QList<QVariantList> keys;
        const auto rows = m_store->list(set, query, &keys);
        if (!rows)
            return error(500, {}, rows.error().describe());
        rowsRead = rows.value().size();
        if (limit > 0 && limit <= keys.size())
            lastKey = keys.at(limit - 1);
        for (qsizetype i = 0; i < std::min<qsizetype>(rows.value().size(), limit); ++i) {
            QJsonObject row = rows.value().at(i);
            annotate(row, set, annotations.formatted, annotations.lookups);
            value.append(row);
        }
    }
    QJsonObject body {{u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#"_s + set.entitySet)},
                      {u"value"_s, value}};
    if (read.count) {
        const auto total = m_store->count(set, query.where);
        if (!total)
            return error(500, {}, total.error().describe());
        // The Web API counts at most 5000 rows (docs/web-api.md) and says when there were more. UNCONFIRMED: the
        // exact values of the totalrecordcount annotations when $count is used without FetchXML.
        const qint64 capped = std::min<qint64>(total.value(), MaxPageSize);
        body.insert(u"@odata.count"_s, capped);
        body.insert(u"@Microsoft.Dynamics.CRM.totalrecordcount"_s, capped);
        body.insert(u"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"_s, total.value() > MaxPageSize);
    }
    const bool more = rowsRead > limit && (!read.top || read.delivered + limit < *read.top);
    if (more && !lastKey.isEmpty()) {
        // A paging cookie, as Dataverse's nextLink carries one: the next page starts after this page's last row.
        const PagingCookie cookie {lastKey, read.delivered + limit};
        QUrl next = request.url;
        QUrlQuery nextQuery(next);
        nextQuery.removeAllQueryItems(u"$skiptoken"_s);
        nextQuery.addQueryItem(u"$skiptoken"_s, cookie.encode(m_store->pagingSecret(), read.cookieScope));
        next.setQuery(nextQuery);
        body.insert(u"@odata.nextLink"_s, next.toString(QUrl::FullyEncoded));
    }
    // Several applied preferences go in one header, comma-separated, as the client sent them.
    QByteArrayList applied;
    if (preferred)
        applied << "odata.maxpagesize=" + QByteArray::number(*preferred);
    if (!annotations.applied.isEmpty())
        applied << annotations.applied;
    HttpHeaders extra;
    if (!applied.isEmpty())
        extra << std::pair<QByteArray, QByteArray>("Preference-Applied", applied.join(','));
    HttpResponse response = json(200, body, extra);
    if (plain) {
        // "value" sorts last, so the document ends with "value":[]}: the rows go between the brackets.
        Q_ASSERT(response.body.endsWith("\"value\":[]}"));
        response.body.chop(2);
        response.body.reserve(response.body.size() + plainRows.size() + 2);
        response.body += plainRows;
        response.body += "]}";
    }
    return response;
}

HttpResponse ReadHandler::count(const EntitySetDef &set) const
{
    const auto total = m_store->count(set);
    if (!total)
        return error(500, {}, total.error().describe());
    HttpResponse response;
    response.headers = commonHeaders();
    response.headers << std::pair<QByteArray, QByteArray>("Content-Type", "text/plain; charset=utf-8");
    response.body = QByteArray::number(std::min<qint64>(total.value(), MaxPageSize));
    return response;
}

void ReadHandler::annotate(QJsonObject &row, const EntitySetDef &set, bool formatted, bool lookups) const
{
    if (!formatted && !lookups)
        return; // nothing asked for: the row as stored
    static const QString Formatted = u"@OData.Community.Display.V1.FormattedValue"_s;
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    for (const ColumnDef &c : set.columns) {
        const QString name = c.jsonName();
        const QJsonValue value = row.value(name);
        if (value.isUndefined() || value.isNull())
            continue;
        if (c.type == ColumnDef::Type::Lookup) {
            // A lookup to any table (the audit's objectid) points where the row's objecttypecode says.
            const EntitySetDef *target = c.lookupEntitySet.isEmpty()
                ? EntitySchema::findByLogicalName(row.value(u"objecttypecode"_s).toString())
                : EntitySchema::find(c.lookupEntitySet);
            if (lookups && target) {
                row.insert(name + u"@Microsoft.Dynamics.CRM.lookuplogicalname"_s, target->logicalName);
                // The audit table's lookups have no navigation property annotation (docs/change-history.md).
                if (set.logicalName != u"audit"_s)
                    row.insert(name + u"@Microsoft.Dynamics.CRM.associatednavigationproperty"_s, c.name);
            }
            if (formatted && target && !target->primaryName.isEmpty()) {
                // A lookup's label is the primary name of the record it points to.
                SandboxStore::Query nameOnly;
                if (const ColumnDef *primary = target->column(target->primaryName))
                    nameOnly.select << primary;
                const auto linked = m_store->get(*target, value.toString(), nameOnly);
                if (linked && linked.value())
                    row.insert(name + Formatted, linked.value()->value(target->primaryName));
            }
            continue;
        }
        if (!formatted)
            continue;
        if (c.type == ColumnDef::Type::Int) {
            const auto label = choiceLabel(set, c.name, value.toInteger());
            row.insert(name + Formatted, label ? *label : english.toString(value.toInteger()));
        } else if (c.type == ColumnDef::Type::DateTime) {
            const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODate);
            row.insert(name + Formatted, english.toString(t, u"M/d/yyyy h:mm AP"_s));
        } else if (c.name == u"msdyn_channel"_s) {
            QStringList labels;
            for (const QString &code : value.toString().split(u',', Qt::SkipEmptyParts))
                labels << StreamSource::label(code.trimmed().toInt());
            row.insert(name + Formatted, labels.join(u"; "_s));
        }
    }
}

HttpResponse ReadHandler::whoAmI(const HttpRequest &request) const
{
    const SandboxStore::Identity id = m_store->identity();
    return json(
        200,
        QJsonObject {
            {u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"_s)},
            {u"BusinessUnitId"_s, id.businessUnitId},
            {u"UserId"_s, id.userId},
            {u"OrganizationId"_s, id.organizationId},
        });
}

HttpResponse ReadHandler::userPrivileges(const HttpRequest &request, const QString &userId) const
{
    const SandboxStore::Identity identity = m_store->identity();
    if (QUuid::fromString(userId) != QUuid::fromString(identity.userId))
        return error(404, CodeRecordNotFound, u"systemuser With Id = %1 Does Not Exist"_s.arg(userId));
    QJsonArray privileges;
    for (const QString &name : m_user->privileges()) {
        privileges.append(QJsonObject {
            {u"Depth"_s, u"Global"_s},
            {u"PrivilegeId"_s, SandboxUser::privilegeId(name)},
            {u"BusinessUnitId"_s, identity.businessUnitId},
            {u"PrivilegeName"_s, name},
        });
    }
    return json(
        200,
        QJsonObject {{u"@odata.context"_s,
                      QString(apiRoot(request) + u"$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse"_s)},
                     {u"RolePrivileges"_s, privileges}});
}
