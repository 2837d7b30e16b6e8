#include "app/sandbox/SandboxApi.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/SandboxStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
constexpr int MaxPageSize = 5000; // the Web API's cap and default (DESIGN.md §4)

// Dataverse's codes for the errors the sandbox returns.
const QString CodeBadQuery = u"0x80060888"_s;
const QString CodeResourceNotFound = u"0x8006088a"_s;
const QString CodeRecordNotFound = u"0x80040217"_s;

HttpHeaders commonHeaders()
{
    return {{"OData-Version", "4.0"},
            {"x-ms-service-request-id", QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1()}};
}

HttpResponse jsonResponse(int status, const QJsonObject &object, HttpHeaders extra = {})
{
    HttpResponse response;
    response.status = status;
    response.headers = commonHeaders();
    response.headers << std::pair<QByteArray, QByteArray>(
        "Content-Type",
        "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; "
        "charset=utf-8");
    response.headers << extra;
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse errorResponse(int status, const QString &code, const QString &message, HttpHeaders extra = {})
{
    QJsonObject error {{u"code"_s, code}, {u"message"_s, message}};
    return jsonResponse(status, QJsonObject {{u"error"_s, error}}, std::move(extra));
}

HttpResponse badQuery(const QString &message)
{
    return errorResponse(400, CodeBadQuery, message);
}

QString apiRoot(const QUrl &url, const QString &version)
{
    return url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash) +
        u"/api/data/"_s + version + u'/';
}

// The opaque paging token: only the sandbox reads it, clients pass it back verbatim inside @odata.nextLink.
QString encodeSkipToken(qint64 offset)
{
    const QByteArray plain = "offset=" + QByteArray::number(offset);
    return QString::fromLatin1(plain.toBase64(QByteArray::Base64UrlEncoding));
}

std::optional<qint64> decodeSkipToken(const QString &token)
{
    const auto decoded = QByteArray::fromBase64Encoding(token.toLatin1(), QByteArray::Base64UrlEncoding);
    if (!decoded || !decoded.decoded.startsWith("offset="))
        return std::nullopt;
    bool ok = false;
    const qint64 offset = decoded.decoded.mid(7).toLongLong(&ok);
    if (!ok || offset < 0)
        return std::nullopt;
    return offset;
}

QString propertyNotFound(const QString &name, const EntitySetDef &set)
{
    return u"Could not find a property named '%1' on type 'Microsoft.Dynamics.CRM.%2'."_s.arg(name, set.logicalName);
}

// "$select=a,b": every name must be a property of the set.
std::optional<HttpResponse> parseSelect(const QString &text, const EntitySetDef &set, QList<const ColumnDef *> &out)
{
    for (const QString &raw : text.split(u',')) {
        const QString name = raw.trimmed();
        const ColumnDef *column = set.columnByJsonName(name);
        if (!column)
            return badQuery(propertyNotFound(name, set));
        if (!out.contains(column))
            out << column;
    }
    return std::nullopt;
}

std::optional<HttpResponse> parseExpand(const QString &text, const EntitySetDef &set, SandboxStore::Query &query)
{
    static const QRegularExpression form(u"^\\s*(\\w+)\\s*(?:\\((.*)\\))?\\s*$"_s);
    const auto match = form.match(text);
    if (!match.hasMatch())
        return badQuery(u"The $expand option '%1' is not valid."_s.arg(text));
    const QString navigation = match.captured(1);
    const ColumnDef *lookup = set.column(navigation);
    if (!lookup || lookup->type != ColumnDef::Type::Lookup)
        return badQuery(propertyNotFound(navigation, set));
    query.expand = lookup;
    const EntitySetDef *target = EntitySchema::find(lookup->lookupEntitySet);
    const QString nested = match.captured(2).trimmed();
    if (nested.isEmpty())
        return std::nullopt;
    for (const QString &option : nested.split(u';')) {
        const QString trimmed = option.trimmed();
        if (!trimmed.startsWith(u"$select="_s))
            return badQuery(u"The nested option '%1' in $expand is not supported by autoclose-sandbox."_s.arg(trimmed));
        if (auto error = parseSelect(trimmed.mid(8), *target, query.expandSelect))
            return error;
    }
    return std::nullopt;
}

// odata.maxpagesize from the Prefer header, which may carry several comma-separated preferences.
std::optional<int> preferredPageSize(const QByteArray &prefer)
{
    for (const QByteArray &part : prefer.split(',')) {
        const QByteArray p = part.trimmed();
        if (p.startsWith("odata.maxpagesize=")) {
            bool ok = false;
            const int n = p.mid(18).trimmed().toInt(&ok);
            if (ok && n > 0)
                return std::min(n, MaxPageSize);
        }
    }
    return std::nullopt;
}
} // namespace

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

SandboxApi::SandboxApi(SandboxStore *store)
    : m_store(store)
{ }

HttpResponse SandboxApi::unauthorized(const HttpRequest &request) const
{
    // As Dataverse answers: the tenant's authorize endpoint and the org as resource, so that a client can discover
    // where to sign in from the org URL alone (DESIGN.md §4). The body is empty, as it is from the service.
    HttpResponse response;
    response.status = 401;
    response.headers = commonHeaders();
    const QString org =
        request.url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash) +
        u'/';
    const QString challenge = u"Bearer authorization_uri=https://login.microsoftonline.com/%1/oauth2/authorize, "
                              u"resource_id=%2"_s.arg(m_store->identity().tenantId, org);
    response.headers << std::pair<QByteArray, QByteArray>("WWW-Authenticate", challenge.toUtf8());
    return response;
}

HttpResponse SandboxApi::handle(const HttpRequest &request) const
{
    static const QRegularExpression apiPath(u"^/api/data/(v9\\.[012])/(.+)$"_s);
    const auto match = apiPath.match(request.url.path(QUrl::FullyDecoded));
    if (!match.hasMatch())
        return errorResponse(404, CodeResourceNotFound,
                             u"Resource not found for the segment '%1'."_s.arg(request.url.path()));

    const QByteArray authorization = request.header("Authorization");
    const bool bearer = authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0;
    if (!bearer || !m_tokens.contains(QString::fromUtf8(authorization.mid(7).trimmed())))
        return unauthorized(request);

    if (request.method != "GET")
        return errorResponse(
            405, CodeBadQuery,
            u"The requested resource does not support http method '%1'."_s.arg(QString::fromLatin1(request.method)),
            {{"Allow", "GET"}});
    return handleGet(request, match.captured(2));
}

HttpResponse SandboxApi::handleGet(const HttpRequest &request, const QString &resource) const
{
    if (resource == u"WhoAmI"_s || resource == u"WhoAmI()"_s)
        return whoAmI(request);

    static const QRegularExpression segment(u"^(\\w+)(?:\\((.*)\\))?$"_s);
    const auto match = segment.match(resource);
    const EntitySetDef *set = match.hasMatch() ? EntitySchema::find(match.captured(1)) : nullptr;
    if (!set)
        return errorResponse(
            404, CodeResourceNotFound,
            u"Resource not found for the segment '%1'."_s.arg(match.hasMatch() ? match.captured(1) : resource));
    QString key;
    if (match.hasCaptured(2)) {
        const QUuid id = QUuid::fromString(match.captured(2));
        if (id.isNull())
            return badQuery(u"Bad Request - Error in query syntax: '%1' is not a valid key."_s.arg(match.captured(2)));
        key = id.toString(QUuid::WithoutBraces);
    }
    return getEntitySet(request, *set, key);
}

HttpResponse SandboxApi::getEntitySet(const HttpRequest &request, const EntitySetDef &set, const QString &key) const
{
    SandboxStore::Query query;
    std::optional<qint64> top;
    const QUrlQuery params(request.url);
    for (const auto &[name, rawValue] : params.queryItems(QUrl::FullyDecoded)) {
        const QString &value = rawValue;
        if (name == u"$select"_s) {
            if (auto error = parseSelect(value, set, query.select))
                return *error;
        } else if (name == u"$expand"_s) {
            if (auto error = parseExpand(value, set, query))
                return *error;
        } else if (name == u"$top"_s && key.isEmpty()) {
            bool ok = false;
            top = value.toLongLong(&ok);
            if (!ok || *top < 0)
                return badQuery(u"Invalid value '%1' for $top: a whole number of 0 or more is expected."_s.arg(value));
        } else if (name == u"$skiptoken"_s && key.isEmpty()) {
            const auto offset = decodeSkipToken(value);
            if (!offset)
                return badQuery(u"The $skiptoken is not valid; follow @odata.nextLink as given."_s);
            query.offset = *offset;
        } else if (name.startsWith(u'$')) {
            return badQuery(u"The query option '%1' is not supported by autoclose-sandbox yet."_s.arg(name));
        }
    }

    const QString version = request.url.path().section(u'/', 3, 3);
    const QString context = apiRoot(request.url, version) + u"$metadata#"_s + set.entitySet;

    if (!key.isEmpty()) {
        const auto row = m_store->get(set, key, query);
        if (!row)
            return errorResponse(500, {}, row.error().describe());
        if (!row.value())
            return errorResponse(404, CodeRecordNotFound,
                                 u"%1 With Id = %2 Does Not Exist"_s.arg(set.logicalName, key));
        QJsonObject object = *row.value();
        const QByteArray etag = object.value(u"@odata.etag"_s).toString().toUtf8();
        object.insert(u"@odata.context"_s, QString(context + u"/$entity"_s));
        return jsonResponse(200, object, {{"ETag", etag}});
    }

    const auto preferred = preferredPageSize(request.header("Prefer"));
    const qint64 pageSize = preferred.value_or(MaxPageSize);
    qint64 limit = pageSize;
    if (top)
        limit = std::max<qint64>(0, std::min(limit, *top - query.offset));
    query.limit = limit + 1; // one more than the page tells whether another page follows
    const auto rows = m_store->list(set, query);
    if (!rows)
        return errorResponse(500, {}, rows.error().describe());

    QJsonArray value;
    for (qsizetype i = 0; i < std::min<qsizetype>(rows.value().size(), limit); ++i)
        value.append(rows.value().at(i));
    QJsonObject body {{u"@odata.context"_s, context}, {u"value"_s, value}};
    const bool more = rows.value().size() > limit && (!top || query.offset + limit < *top);
    if (more) {
        QUrl next = request.url;
        QUrlQuery nextQuery(next);
        nextQuery.removeAllQueryItems(u"$skiptoken"_s);
        nextQuery.addQueryItem(u"$skiptoken"_s, encodeSkipToken(query.offset + limit));
        next.setQuery(nextQuery);
        body.insert(u"@odata.nextLink"_s, next.toString(QUrl::FullyEncoded));
    }
    HttpHeaders extra;
    if (preferred)
        extra << std::pair<QByteArray, QByteArray>("Preference-Applied",
                                                   "odata.maxpagesize=" + QByteArray::number(*preferred));
    return jsonResponse(200, body, extra);
}

HttpResponse SandboxApi::whoAmI(const HttpRequest &request) const
{
    const SandboxStore::Identity id = m_store->identity();
    const QString version = request.url.path().section(u'/', 3, 3);
    return jsonResponse(
        200,
        QJsonObject {
            {u"@odata.context"_s,
             QString(apiRoot(request.url, version) + u"$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"_s)},
            {u"BusinessUnitId"_s, id.businessUnitId},
            {u"UserId"_s, id.userId},
            {u"OrganizationId"_s, id.organizationId},
        });
}
