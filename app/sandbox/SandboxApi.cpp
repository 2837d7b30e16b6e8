#include "app/sandbox/SandboxApi.h"

#include "app/sandbox/BatchMessage.h"
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/sandbox/ODataFilter.h"
#include "app/sandbox/SandboxStore.h"
#include "models/ChannelStateConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QStringList>
#include <QUrlQuery>
#include <QUuid>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
constexpr int MaxPageSize = 5000; // the Web API's cap and default (docs/web-api.md)

// Dataverse's codes for the errors the sandbox returns.
const QString CodeBadQuery = u"0x80060888"_s;
const QString CodeResourceNotFound = u"0x8006088a"_s;
const QString CodeRecordNotFound = u"0x80040217"_s;
const QString CodeConcurrency = u"0x80060882"_s;
const QString CodeDuplicate = u"0x80040237"_s;
const QString CodePayload = u"0x80048d19"_s; // "Error identified in Payload provided by the user"
const QString CodeOutOfRange = u"0x80044331"_s; // a value outside the column's range

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

QString undeclaredProperty(const QString &name, const EntitySetDef &set)
{
    return u"The property '%1' does not exist on type 'Microsoft.Dynamics.CRM.%2'. Make sure to only use property "
           u"names that are defined by the type."_s.arg(name, set.logicalName);
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
// Which annotations "Prefer: odata.include-annotations=…" asks for; "*" asks for all.
struct AnnotationRequest
{
    bool formatted = false;
    bool lookups = false;
    QByteArray applied; // the preference as echoed in Preference-Applied
};

AnnotationRequest requestedAnnotations(const QByteArray &prefer)
{
    AnnotationRequest request;
    for (const QByteArray &part : prefer.split(',')) {
        const QByteArray p = part.trimmed();
        if (!p.startsWith("odata.include-annotations="))
            continue;
        const QByteArray value = p.mid(26);
        const QByteArray names = QByteArray(value).replace('"', "");
        request.formatted = names.contains('*') || names.contains("OData.Community.Display.V1.FormattedValue");
        request.lookups = names.contains('*') || names.contains("Microsoft.Dynamics.CRM.");
        request.applied = p;
    }
    return request;
}

// Labels of the choice columns the sandbox serves (docs/dataverse-tables.md).
std::optional<QString> choiceLabel(const EntitySetDef &set, const QString &column, qint64 value)
{
    const bool conversation = set.logicalName == u"msdyn_ocliveworkitem"_s;
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
    // where to sign in from the org URL alone (docs/web-api.md). The body is empty, as it is from the service.
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

bool SandboxApi::authorized(const HttpRequest &request) const
{
    const QByteArray authorization = request.header("Authorization");
    if (authorization.size() <= 7 || authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) != 0)
        return false;
    const QString token = QString::fromUtf8(authorization.mid(7).trimmed());
    if (m_tokens.contains(token))
        return true;
    const auto issued = m_issued.constFind(token);
    if (issued != m_issued.cend())
        return QDateTime::currentDateTimeUtc() < issued.value();
    return trustedJwt(token, request.url);
}

bool SandboxApi::trustedJwt(const QString &token, const QUrl &requestUrl) const
{
    if (m_jwtKey.isEmpty())
        return false;
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return false;
    const auto decode = [](const QByteArray &part) {
        return QByteArray::fromBase64Encoding(part,
                                              QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    };
    const auto header = decode(parts.at(0));
    const auto payload = decode(parts.at(1));
    const auto signature = decode(parts.at(2));
    if (!header || !payload || !signature)
        return false;
    if (QJsonDocument::fromJson(*header).object().value(u"alg"_s).toString() != u"HS256"_s)
        return false;
    const QByteArray expected =
        QMessageAuthenticationCode::hash(parts.at(0) + '.' + parts.at(1), m_jwtKey, QCryptographicHash::Sha256);
    // Constant time: the comparison says nothing about how much of a forged signature was right.
    if (expected.size() != signature.decoded.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        difference |= static_cast<unsigned char>(expected.at(i) ^ signature.decoded.at(i));
    if (difference != 0)
        return false;
    const QJsonObject claims = QJsonDocument::fromJson(*payload).object();
    const qint64 exp = claims.value(u"exp"_s).toInteger();
    if (exp <= QDateTime::currentSecsSinceEpoch())
        return false;
    const QString org =
        requestUrl.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    const QJsonValue aud = claims.value(u"aud"_s);
    const auto matches = [&org](const QJsonValue &v) {
        QString a = v.toString();
        while (a.endsWith(u'/'))
            a.chop(1);
        return a == org;
    };
    if (aud.isArray()) {
        const QJsonArray audiences = aud.toArray();
        return std::any_of(audiences.begin(), audiences.end(), matches);
    }
    return matches(aud);
}

HttpResponse SandboxApi::issueToken(const HttpRequest &request, const QString &tenant)
{
    // The Microsoft identity platform's client credentials grant, for the demo application only. Errors come in
    // the identity platform's shape, with the AADSTS codes a client must handle.
    const auto oauthError = [](int status, const QString &error, int code, const QString &description) {
        return jsonResponse(status,
                            QJsonObject {{u"error"_s, error},
                                         {u"error_description"_s, u"AADSTS%1: %2"_s.arg(code).arg(description)},
                                         {u"error_codes"_s, QJsonArray {code}}});
    };
    if (request.method != "POST")
        return errorResponse(405, CodeBadQuery, u"The token endpoint takes POST."_s, {{"Allow", "POST"}});
    if (tenant != m_store->identity().tenantId && tenant != u"organizations"_s)
        return oauthError(400, u"invalid_request"_s, 90002,
                          u"Tenant '%1' not found. Use the tenant id from the WWW-Authenticate header."_s.arg(tenant));
    const QUrlQuery form(QString::fromUtf8(request.body));
    const QString grant = form.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded);
    if (grant != u"client_credentials"_s)
        return oauthError(400, u"unsupported_grant_type"_s, 70003,
                          u"The app requested an unsupported grant type '%1'; the sandbox issues client_credentials "
                          u"tokens only."_s.arg(grant));
    if (form.queryItemValue(u"client_id"_s, QUrl::FullyDecoded) != QLatin1String(DemoClientId))
        return oauthError(400, u"unauthorized_client"_s, 700016,
                          u"Application with identifier '%1' was not found in the directory."_s.arg(
                              form.queryItemValue(u"client_id"_s, QUrl::FullyDecoded)));
    if (form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded) != QLatin1String(DemoClientSecret))
        return oauthError(401, u"invalid_client"_s, 7000215, u"Invalid client secret provided."_s);
    if (!form.queryItemValue(u"scope"_s, QUrl::FullyDecoded).endsWith(u"/.default"_s))
        return oauthError(400, u"invalid_scope"_s, 1002012,
                          u"The provided value for scope is not valid. Client credential flows must have a scope "
                          u"value with /.default suffixed to the resource identifier."_s);

    const QString token = LocalSandbox::generateToken();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Expired tokens are forgotten as new ones are issued, so the table stays small.
    m_issued.removeIf([&now](const auto &entry) { return entry.value() <= now; });
    m_issued.insert(token, now.addSecs(m_tokenLifetime.count()));
    return jsonResponse(200,
                        QJsonObject {{u"token_type"_s, u"Bearer"_s},
                                     {u"expires_in"_s, qint64(m_tokenLifetime.count())},
                                     {u"ext_expires_in"_s, qint64(m_tokenLifetime.count())},
                                     {u"access_token"_s, token}});
}

HttpResponse SandboxApi::handle(const HttpRequest &request)
{
    static const QRegularExpression tokenPath(u"^/([^/]+)/oauth2/v2.0/token$"_s);
    if (const auto t = tokenPath.match(request.url.path(QUrl::FullyDecoded)); t.hasMatch())
        return issueToken(request, t.captured(1));

    static const QRegularExpression apiPath(u"^/api/data/(v9\\.[012])/(.+)$"_s);
    const auto match = apiPath.match(request.url.path(QUrl::FullyDecoded));
    if (!match.hasMatch())
        return errorResponse(404, CodeResourceNotFound,
                             u"Resource not found for the segment '%1'."_s.arg(request.url.path()));

    if (!authorized(request))
        return unauthorized(request);

    static const QRegularExpression metadata(
        u"^EntityDefinitions\\(LogicalName='(\\w+)'\\)/Attributes\\(LogicalName='(\\w+)'\\)"
        u"(/Microsoft\\.Dynamics\\.CRM\\.IntegerAttributeMetadata)?$"_s);
    if (const auto m = metadata.match(match.captured(2)); m.hasMatch()) {
        if (request.method != "GET")
            return errorResponse(405, CodeBadQuery, u"Metadata is read-only in autoclose-sandbox."_s,
                                 {{"Allow", "GET"}});
        return attributeMetadata(request, m.captured(1), m.captured(2), m.hasCaptured(3));
    }

    if (match.captured(2) == u"$batch"_s) {
        if (request.method != "POST")
            return errorResponse(405, CodeBadQuery, u"$batch takes POST."_s, {{"Allow", "POST"}});
        return batch(request);
    }

    // GET <set>/$count: the number of rows as plain text, capped like $count=true.
    static const QRegularExpression countPath(u"^(\\w+)/\\$count$"_s);
    if (const auto c = countPath.match(match.captured(2)); c.hasMatch() && request.method == "GET") {
        const EntitySetDef *set = EntitySchema::find(c.captured(1));
        if (!set)
            return errorResponse(404, CodeResourceNotFound,
                                 u"Resource not found for the segment '%1'."_s.arg(c.captured(1)));
        const auto total = m_store->count(*set);
        if (!total)
            return errorResponse(500, {}, total.error().describe());
        HttpResponse response;
        response.headers = commonHeaders();
        response.headers << std::pair<QByteArray, QByteArray>("Content-Type", "text/plain; charset=utf-8");
        response.body = QByteArray::number(std::min<qint64>(total.value(), MaxPageSize));
        return response;
    }

    // systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges: what the signed-in user may do.
    static const QRegularExpression privilegesPath(
        u"^systemusers\\(([^)]+)\\)/Microsoft\\.Dynamics\\.CRM\\.RetrieveUserPrivileges(?:\\(\\))?$"_s);
    if (const auto p = privilegesPath.match(match.captured(2)); p.hasMatch() && request.method == "GET")
        return userPrivileges(request, p.captured(1));

    const auto target = parseResource(match.captured(2));
    if (const auto *error = std::get_if<HttpResponse>(&target))
        return *error;
    const Target &t = std::get<Target>(target);
    if (request.method == "GET")
        return t.set ? getEntitySet(request, *t.set, t.key) : whoAmI(request);
    if (request.method == "PATCH" && t.set && !t.key.isEmpty())
        return patch(request, *t.set, t.key);
    return errorResponse(
        405, CodeBadQuery,
        u"The requested resource does not support http method '%1'."_s.arg(QString::fromLatin1(request.method)),
        {{"Allow", t.set && !t.key.isEmpty() ? "GET, PATCH" : "GET"}});
}

std::variant<SandboxApi::Target, HttpResponse> SandboxApi::parseResource(const QString &resource) const
{
    if (resource == u"WhoAmI"_s || resource == u"WhoAmI()"_s)
        return Target {};

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
    return Target {set, key};
}

// The query options both reads and "return=representation" writes understand: $select and $expand.
std::optional<HttpResponse> SandboxApi::parseShape(const QUrlQuery &params, const EntitySetDef &set,
                                                   SandboxStore::Query &query) const
{
    for (const auto &[name, value] : params.queryItems(QUrl::FullyDecoded)) {
        if (name == u"$select"_s) {
            if (auto error = parseSelect(value, set, query.select))
                return error;
        } else if (name == u"$expand"_s) {
            if (auto error = parseExpand(value, set, query))
                return error;
        }
    }
    return std::nullopt;
}

HttpResponse SandboxApi::getEntitySet(const HttpRequest &request, const EntitySetDef &set, const QString &key) const
{
    SandboxStore::Query query;
    std::optional<qint64> top;
    bool count = false;
    const QUrlQuery params(request.url);
    if (params.hasQueryItem(u"$apply"_s) && key.isEmpty())
        return apply(request, set, params.queryItemValue(u"$apply"_s, QUrl::FullyDecoded));
    if (auto error = parseShape(params, set, query))
        return *error;
    for (const auto &[name, value] : params.queryItems(QUrl::FullyDecoded)) {
        if (name == u"$select"_s || name == u"$expand"_s)
            continue;
        if (!key.isEmpty() && name.startsWith(u'$'))
            return badQuery(u"The query option '%1' cannot be used when retrieving a single record."_s.arg(name));
        if (name == u"$top"_s) {
            bool ok = false;
            top = value.toLongLong(&ok);
            if (!ok || *top < 0)
                return badQuery(u"Invalid value '%1' for $top: a whole number of 0 or more is expected."_s.arg(value));
        } else if (name == u"$skiptoken"_s) {
            const auto offset = decodeSkipToken(value);
            if (!offset)
                return badQuery(u"The $skiptoken is not valid; follow @odata.nextLink as given."_s);
            query.offset = *offset;
        } else if (name == u"$filter"_s) {
            auto where = ODataFilter::toSql(value, set, QDateTime::currentDateTimeUtc());
            if (!where)
                return badQuery(where.error().userMessage);
            query.where = std::move(where).value();
        } else if (name == u"$orderby"_s) {
            for (const QString &part : value.split(u',')) {
                const QStringList words = part.simplified().split(u' ');
                const ColumnDef *column = set.columnByJsonName(words.value(0));
                if (!column)
                    return badQuery(propertyNotFound(words.value(0), set));
                const QString direction = words.value(1, u"asc"_s).toLower();
                if (words.size() > 2 || (direction != u"asc"_s && direction != u"desc"_s))
                    return badQuery(u"Invalid $orderby '%1': use <property> asc or <property> desc."_s.arg(part));
                query.orderBy << column->name + (direction == u"desc"_s ? u" DESC"_s : u" ASC"_s);
            }
        } else if (name == u"$count"_s) {
            if (value != u"true"_s && value != u"false"_s)
                return badQuery(u"Invalid value '%1' for $count: use true or false."_s.arg(value));
            count = value == u"true"_s;
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
            return recordNotFound(set, key);
        QJsonObject object = *row.value();
        const AnnotationRequest annotations = requestedAnnotations(request.header("Prefer"));
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
        object.insert(u"@odata.context"_s, QString(context + u"/$entity"_s));
        HttpHeaders headers {{"ETag", etag}};
        if (!annotations.applied.isEmpty())
            headers << std::pair<QByteArray, QByteArray>("Preference-Applied", annotations.applied);
        return jsonResponse(200, object, headers);
    }

    const auto preferred = preferredPageSize(request.header("Prefer"));
    const qint64 pageSize = preferred.value_or(MaxPageSize);
    qint64 limit = pageSize;
    if (top)
        limit = std::max<qint64>(0, std::min(limit, *top - query.offset));
    query.limit = limit + 1; // one more than the page tells whether another page follows
    const AnnotationRequest annotations = requestedAnnotations(request.header("Prefer"));
    // A plain page (no $expand, no annotations) is written as text straight from the database; building a
    // QJsonObject per row would take longer than the query. Both ways give the same JSON.
    const bool plain = !query.expand && !annotations.formatted && !annotations.lookups;
    QJsonArray value;
    QByteArray plainRows;
    qsizetype rowsRead = 0;
    if (plain) {
        const auto read = m_store->writeList(set, query, limit, &plainRows);
        if (!read)
            return errorResponse(500, {}, read.error().describe());
        rowsRead = read.value();
    } else {
        const auto rows = m_store->list(set, query);
        if (!rows)
            return errorResponse(500, {}, rows.error().describe());
        rowsRead = rows.value().size();
        for (qsizetype i = 0; i < std::min<qsizetype>(rows.value().size(), limit); ++i) {
            QJsonObject row = rows.value().at(i);
            annotate(row, set, annotations.formatted, annotations.lookups);
            value.append(row);
        }
    }
    QJsonObject body {{u"@odata.context"_s, context}, {u"value"_s, value}};
    if (count) {
        const auto total = m_store->count(set, query.where);
        if (!total)
            return errorResponse(500, {}, total.error().describe());
        // The Web API counts at most 5000 rows (docs/web-api.md) and says when there were more. UNCONFIRMED: the
        // exact values of the totalrecordcount annotations when $count is used without FetchXML.
        const qint64 capped = std::min<qint64>(total.value(), MaxPageSize);
        body.insert(u"@odata.count"_s, capped);
        body.insert(u"@Microsoft.Dynamics.CRM.totalrecordcount"_s, capped);
        body.insert(u"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"_s, total.value() > MaxPageSize);
    }
    const bool more = rowsRead > limit && (!top || query.offset + limit < *top);
    if (more) {
        QUrl next = request.url;
        QUrlQuery nextQuery(next);
        nextQuery.removeAllQueryItems(u"$skiptoken"_s);
        nextQuery.addQueryItem(u"$skiptoken"_s, encodeSkipToken(query.offset + limit));
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
    HttpResponse response = jsonResponse(200, body, extra);
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

namespace {
// Splits "a/b(c/d)/e" at the slashes outside parentheses and quotes.
QStringList splitTransformations(const QString &text)
{
    QStringList parts;
    int depth = 0;
    bool quoted = false;
    QString current;
    for (const QChar c : text) {
        if (c == u'\'')
            quoted = !quoted;
        else if (!quoted && c == u'(')
            ++depth;
        else if (!quoted && c == u')')
            --depth;
        if (c == u'/' && depth == 0 && !quoted) {
            parts << current;
            current.clear();
        } else {
            current += c;
        }
    }
    parts << current;
    return parts;
}
} // namespace

HttpResponse SandboxApi::apply(const HttpRequest &request, const EntitySetDef &set,
                               const QString &transformations) const
{
    // Dataverse aggregates at most 50,000 rows (docs/web-api.md).
    constexpr qint64 AggregateLimit = 50000;
    SqlCondition where;
    QList<const ColumnDef *> groupBy;
    QString alias;
    static const QRegularExpression groupByForm(
        u"^groupby\\(\\(([^()]*)\\)(?:\\s*,\\s*aggregate\\(\\s*\\$count\\s+as\\s+(\\w+)\\s*\\))?\\)$"_s);
    static const QRegularExpression aggregateForm(u"^aggregate\\(\\s*\\$count\\s+as\\s+(\\w+)\\s*\\)$"_s);
    for (const QString &raw : splitTransformations(transformations)) {
        const QString step = raw.trimmed();
        if (step.startsWith(u"filter("_s) && step.endsWith(u')')) {
            auto condition = ODataFilter::toSql(step.mid(7).chopped(1), set, QDateTime::currentDateTimeUtc());
            if (!condition)
                return badQuery(condition.error().userMessage);
            where.sql = where.sql.isEmpty() ? condition.value().sql
                                            : u"("_s + where.sql + u" AND "_s + condition.value().sql + u')';
            where.binds += condition.value().binds;
        } else if (const auto g = groupByForm.match(step); g.hasMatch()) {
            for (const QString &name : g.captured(1).split(u',')) {
                const ColumnDef *column = set.columnByJsonName(name.trimmed());
                if (!column)
                    return badQuery(propertyNotFound(name.trimmed(), set));
                groupBy << column;
            }
            alias = g.captured(2);
        } else if (const auto a = aggregateForm.match(step); a.hasMatch()) {
            alias = a.captured(1);
        } else {
            return badQuery(u"The $apply transformation '%1' is not supported by autoclose-sandbox: use filter(…), "
                            u"groupby((…),aggregate($count as …)) or aggregate($count as …)."_s.arg(step));
        }
    }
    const auto total = m_store->count(set, where);
    if (!total)
        return errorResponse(500, {}, total.error().describe());
    if (total.value() > AggregateLimit)
        return errorResponse(400, u"0x8004e023"_s,
                             u"AggregateQueryRecordLimit exceeded. Cannot perform this operation."_s);
    // Without groupby the count just made is the answer; reading the rows again would double the cost.
    const auto rows = groupBy.isEmpty() && !alias.isEmpty()
        ? Result<QList<QJsonObject>>(QList<QJsonObject> {QJsonObject {{alias, total.value()}}})
        : m_store->groupCount(set, where, groupBy, alias.isEmpty() ? u"count"_s : alias);
    if (!rows)
        return errorResponse(500, {}, rows.error().describe());
    QJsonArray value;
    for (QJsonObject row : rows.value()) {
        if (alias.isEmpty())
            row.remove(u"count"_s); // groupby without aggregate lists the distinct values only
        value.append(row);
    }
    const QString version = request.url.path().section(u'/', 3, 3);
    return jsonResponse(
        200,
        QJsonObject {{u"@odata.context"_s, QString(apiRoot(request.url, version) + u"$metadata#"_s + set.entitySet)},
                     {u"value"_s, value}});
}

HttpResponse SandboxApi::attributeMetadata(const HttpRequest &request, const QString &entity, const QString &attribute,
                                           bool integerCast) const
{
    const EntitySetDef *set = nullptr;
    for (const EntitySetDef &candidate : EntitySchema::all()) {
        if (candidate.logicalName == entity)
            set = &candidate;
    }
    const ColumnDef *column = set ? set->column(attribute) : nullptr;
    if (!column)
        return errorResponse(
            404, CodeRecordNotFound,
            u"Could not find an attribute with LogicalName '%1' on entity '%2'."_s.arg(attribute, entity));
    if (integerCast && column->type != ColumnDef::Type::Int)
        return badQuery(u"The attribute '%1' is not an IntegerAttributeMetadata."_s.arg(attribute));
    const QString version = request.url.path().section(u'/', 3, 3);
    QJsonObject body {
        {u"@odata.context"_s,
         QString(apiRoot(request.url, version) + u"$metadata#EntityDefinitions('"_s + entity +
                 u"')/Attributes/Microsoft.Dynamics.CRM.IntegerAttributeMetadata/$entity"_s)},
        {u"LogicalName"_s, attribute},
        {u"MetadataId"_s,
         QUuid::createUuidV5(QUuid(), QString(entity + u'.' + attribute)).toString(QUuid::WithoutBraces)},
    };
    if (column->type == ColumnDef::Type::Int) {
        body.insert(u"MinValue"_s, column->minValue);
        body.insert(u"MaxValue"_s, column->maxValue);
    }
    // $select narrows the reply to the named properties (MetadataId always comes along).
    const QString select = QUrlQuery(request.url).queryItemValue(u"$select"_s, QUrl::FullyDecoded);
    if (!select.isEmpty()) {
        QJsonObject narrowed {{u"@odata.context"_s, body.value(u"@odata.context"_s)},
                              {u"MetadataId"_s, body.value(u"MetadataId"_s)}};
        for (const QString &name : select.split(u',')) {
            if (!body.contains(name.trimmed()))
                return badQuery(u"Could not find a property named '%1' on type "
                                u"'Microsoft.Dynamics.CRM.IntegerAttributeMetadata'."_s.arg(name.trimmed()));
            narrowed.insert(name.trimmed(), body.value(name.trimmed()));
        }
        body = narrowed;
    }
    return jsonResponse(200, body);
}

void SandboxApi::annotate(QJsonObject &row, const EntitySetDef &set, bool formatted, bool lookups) const
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
            const EntitySetDef *target = EntitySchema::find(c.lookupEntitySet);
            if (lookups && target) {
                row.insert(name + u"@Microsoft.Dynamics.CRM.lookuplogicalname"_s, target->logicalName);
                row.insert(name + u"@Microsoft.Dynamics.CRM.associatednavigationproperty"_s, c.name);
            }
            if (formatted && target) {
                // A lookup's label is the primary name of the record it points to.
                SandboxStore::Query nameOnly;
                if (const ColumnDef *primary = target->column(u"msdyn_name"_s))
                    nameOnly.select << primary;
                const auto linked = m_store->get(*target, value.toString(), nameOnly);
                if (linked && linked.value())
                    row.insert(name + Formatted, linked.value()->value(u"msdyn_name"_s));
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

HttpRequest SandboxApi::innerRequest(const HttpRequest &batch, HttpRequest inner) const
{
    // Inner URLs may be absolute, a path from the organization root ("/api/data/v9.2/…") or relative to the Web
    // API root ("msdyn_x(…)"); all are served by this sandbox, whatever host they name.
    const QString path = inner.url.path();
    QUrl url = batch.url;
    if (path.startsWith(u'/'))
        url.setPath(path);
    else
        url.setPath(batch.url.path().section(u'/', 0, 3) + u'/' + path);
    url.setQuery(inner.url.query(QUrl::FullyEncoded), QUrl::StrictMode);
    inner.url = url;
    // The batch's credentials cover its parts.
    if (inner.header("Authorization").isEmpty())
        inner.headers.append({"Authorization", batch.header("Authorization")});
    return inner;
}

HttpResponse SandboxApi::batch(const HttpRequest &request)
{
    constexpr qsizetype MaxRequests = 1000; // docs/web-api.md
    const QByteArray boundary = BatchMessage::boundaryOf(request.header("Content-Type"));
    if (!request.header("Content-Type").startsWith("multipart/mixed") || boundary.isEmpty())
        return badQuery(u"A $batch request needs Content-Type: multipart/mixed; boundary=…"_s);
    const auto items = BatchMessage::parse(request.body, boundary);
    if (!items)
        return badQuery(items.error().userMessage);
    qsizetype requests = 0;
    for (const BatchMessage::Item &item : items.value())
        requests += item.parts.size();
    if (requests > MaxRequests)
        return badQuery(u"A $batch holds at most %1 requests; this one has %2."_s.arg(MaxRequests).arg(requests));

    const bool continueOnError = request.header("Prefer").contains("odata.continue-on-error");
    const QByteArray responseBoundary = "batchresponse_" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    QByteArray body;
    int status = 200;
    for (const BatchMessage::Item &item : items.value()) {
        body += "--" + responseBoundary + "\r\n";
        if (!item.changeSet) {
            const HttpResponse response = handle(innerRequest(request, item.parts.constFirst().request));
            body += BatchMessage::responsePart(response);
            if (response.status >= 400 && !continueOnError) {
                // Without odata.continue-on-error the batch stops at the first failure and takes its status.
                status = response.status;
                break;
            }
            continue;
        }
        // A change set commits as a whole or not at all; a failure answers for the whole set.
        if (auto begun = m_store->savepoint(u"changeset"_s); !begun)
            return errorResponse(500, {}, begun.error().describe());
        const QByteArray changeBoundary = "changesetresponse_" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        QByteArray changes;
        std::optional<std::pair<HttpResponse, QByteArray>> failure;
        for (const BatchMessage::Part &part : item.parts) {
            const HttpResponse response = handle(innerRequest(request, part.request));
            if (response.status >= 400) {
                failure = std::pair(response, part.contentId);
                break;
            }
            changes += "--" + changeBoundary + "\r\n" + BatchMessage::responsePart(response, part.contentId);
        }
        if (failure) {
            m_store->rollbackTo(u"changeset"_s);
            body += BatchMessage::responsePart(failure->first, failure->second);
            if (!continueOnError) {
                status = failure->first.status;
                break;
            }
            continue;
        }
        if (auto released = m_store->release(u"changeset"_s); !released) {
            m_store->rollbackTo(u"changeset"_s);
            return errorResponse(500, {}, released.error().describe());
        }
        body += "Content-Type: multipart/mixed; boundary=" + changeBoundary + "\r\n\r\n" + changes + "--" +
            changeBoundary + "--\r\n";
    }
    body += "--" + responseBoundary + "--\r\n";

    HttpResponse response;
    response.status = status;
    response.headers = commonHeaders();
    response.headers << std::pair<QByteArray, QByteArray>("Content-Type",
                                                          "multipart/mixed; boundary=" + responseBoundary);
    if (continueOnError)
        response.headers << std::pair<QByteArray, QByteArray>("Preference-Applied", "odata.continue-on-error");
    response.body = body;
    return response;
}

HttpResponse SandboxApi::faultResponse(const FaultInjector::Fault &fault, const HttpRequest &request) const
{
    using Kind = FaultInjector::Kind;
    switch (fault.kind) {
    case Kind::Status400:
        return badQuery(u"The query is not supported here (refused by --faults)."_s);
    case Kind::Status429:
        // Service protection, as documented: the error code of the limit hit and Retry-After in seconds.
        return errorResponse(429, u"0x80072322"_s,
                             u"Number of requests exceeded the limit of 6000 over time window of 300 seconds."_s,
                             {{"Retry-After", QByteArray::number(fault.retryAfterSeconds)}});
    case Kind::Status500:
        return errorResponse(500, u"0x80040216"_s, u"An unexpected error occurred."_s);
    case Kind::Status502:
        return errorResponse(502, {}, u"Bad Gateway"_s);
    case Kind::Status503:
        return errorResponse(503, {}, u"The service is temporarily unavailable."_s);
    case Kind::Expired: {
        HttpResponse response = unauthorized(request);
        for (auto &[name, value] : response.headers) {
            if (name == "WWW-Authenticate")
                value.replace("Bearer ",
                              "Bearer error=\"invalid_token\", error_description=\"The access token "
                              "expired\", ");
        }
        return response;
    }
    case Kind::Reset:
    case Kind::Truncate:
    case Kind::Slow:
    case Kind::Hold:
        break;
    }
    return errorResponse(500, {}, u"Unexpected fault."_s);
}

HttpResponse SandboxApi::userPrivileges(const HttpRequest &request, const QString &userId) const
{
    const SandboxStore::Identity identity = m_store->identity();
    if (QUuid::fromString(userId) != QUuid::fromString(identity.userId))
        return errorResponse(404, CodeRecordNotFound, u"systemuser With Id = %1 Does Not Exist"_s.arg(userId));
    QJsonArray privileges;
    for (const EntitySetDef &set : EntitySchema::all()) {
        QStringList names {u"prvRead"_s + set.logicalName};
        if (!m_readOnlyUser)
            names << u"prvWrite"_s + set.logicalName;
        for (const QString &name : names) {
            privileges.append(QJsonObject {
                {u"Depth"_s, u"Global"_s},
                {u"PrivilegeId"_s, QUuid::createUuidV5(QUuid(), name).toString(QUuid::WithoutBraces)},
                {u"BusinessUnitId"_s, identity.businessUnitId},
                {u"PrivilegeName"_s, name},
            });
        }
    }
    const QString version = request.url.path().section(u'/', 3, 3);
    return jsonResponse(200,
                        QJsonObject {{u"@odata.context"_s,
                                      QString(apiRoot(request.url, version) +
                                              u"$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse"_s)},
                                     {u"RolePrivileges"_s, privileges}});
}

HttpResponse SandboxApi::recordNotFound(const EntitySetDef &set, const QString &key) const
{
    return errorResponse(404, CodeRecordNotFound, u"%1 With Id = %2 Does Not Exist"_s.arg(set.logicalName, key));
}

HttpResponse SandboxApi::patch(const HttpRequest &request, const EntitySetDef &set, const QString &key) const
{
    if (m_readOnlyUser) {
        // What Dataverse answers a user whose roles lack the write privilege (e.g. Omnichannel administrator).
        return errorResponse(403, u"0x80040220"_s,
                             u"Principal user (Id=%1, type=8) is missing prvWrite%2 privilege."_s.arg(
                                 m_store->identity().userId, set.logicalName));
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return errorResponse(
            400, CodePayload,
            u"The request body is not a JSON object: %1 at byte %2."_s
                .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString() : u"another JSON value"_s)
                .arg(parseError.offset));
    const QJsonObject body = doc.object();
    QVariantHash values;
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString name = it.key();
        const QJsonValue value = it.value();
        if (name.startsWith(u"@odata."_s))
            continue;
        if (name.endsWith(u"@odata.bind"_s)) {
            // Lookups are set by reference: "nav@odata.bind": "/entityset(guid)".
            const ColumnDef *lookup = set.column(name.chopped(11));
            static const QRegularExpression reference(u"^/?(\\w+)\\(([^)]*)\\)$"_s);
            const auto match = reference.match(value.toString());
            const QUuid id = match.hasMatch() ? QUuid::fromString(match.captured(2)) : QUuid();
            if (!lookup || lookup->type != ColumnDef::Type::Lookup)
                return errorResponse(400, CodeBadQuery, undeclaredProperty(name.chopped(11), set));
            if (!value.isString() || id.isNull() || match.captured(1) != lookup->lookupEntitySet)
                return errorResponse(
                    400, CodePayload,
                    u"%1 must be a reference such as \"/%2(<guid>)\"."_s.arg(name, lookup->lookupEntitySet));
            values.insert(lookup->name, id.toString(QUuid::WithoutBraces));
            continue;
        }
        const ColumnDef *column = set.columnByJsonName(name);
        if (!column)
            return errorResponse(400, CodeBadQuery, undeclaredProperty(name, set));
        if (column->name == set.key) {
            if (value.toString().toLower() != key)
                return errorResponse(400, CodePayload,
                                     u"The key %1 in the body differs from the key in the URL."_s.arg(name));
            continue;
        }
        if (column->readOnly || column->type == ColumnDef::Type::Lookup)
            return errorResponse(400, CodePayload,
                                 column->type == ColumnDef::Type::Lookup
                                     ? u"%1 cannot be set directly; use %2@odata.bind."_s.arg(name, column->name)
                                     : u"%1 is set by the service and cannot be written."_s.arg(name));
        const auto stored = EntitySchema::storedValue(set, *column, value);
        if (!stored)
            return errorResponse(400, stored.error().serviceCode, stored.error().userMessage);
        values.insert(column->name, stored.value());
    }

    SandboxStore::WriteConditions conditions;
    const QByteArray ifMatch = request.header("If-Match").trimmed();
    conditions.ifMatch = ifMatch == "null" ? QString() : QString::fromUtf8(ifMatch);
    conditions.ifNoneMatchAny = request.header("If-None-Match").trimmed() == "*";
    const auto outcome = m_store->upsert(set, key, values, conditions);
    if (!outcome)
        return errorResponse(500, {}, outcome.error().describe());
    switch (outcome.value()) {
    case SandboxStore::WriteOutcome::NotFound:
        return recordNotFound(set, key);
    case SandboxStore::WriteOutcome::Stale:
        return errorResponse(412, CodeConcurrency,
                             u"The version of the existing record doesn't match the RowVersion property provided."_s);
    case SandboxStore::WriteOutcome::Exists:
        return errorResponse(412, CodeDuplicate, u"A record with matching key values already exists."_s);
    case SandboxStore::WriteOutcome::Updated:
    case SandboxStore::WriteOutcome::Created:
        break;
    }

    const QString version = request.url.path().section(u'/', 3, 3);
    const QByteArray entityId = QString(apiRoot(request.url, version) + set.entitySet + u'(' + key + u')').toUtf8();
    if (request.header("Prefer").contains("return=representation")) {
        SandboxStore::Query query;
        if (auto error = parseShape(QUrlQuery(request.url), set, query))
            return *error;
        const auto row = m_store->get(set, key, query);
        if (!row || !row.value())
            return errorResponse(500, {}, u"The record was written but could not be read back."_s);
        QJsonObject object = *row.value();
        object.insert(u"@odata.context"_s,
                      QString(apiRoot(request.url, version) + u"$metadata#"_s + set.entitySet + u"/$entity"_s));
        return jsonResponse(200, object,
                            {{"Preference-Applied", "return=representation"},
                             {"OData-EntityId", entityId},
                             {"ETag", object.value(u"@odata.etag"_s).toString().toUtf8()}});
    }
    HttpResponse noContent;
    noContent.status = 204;
    noContent.headers = commonHeaders();
    noContent.headers << std::pair<QByteArray, QByteArray>("OData-EntityId", entityId);
    return noContent;
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
