#include "app/sandbox/SandboxApi.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/SandboxStore.h"

#include <QRegularExpression>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

SandboxApi::SandboxApi(SandboxStore *store)
    : m_auth(store)
    , m_reads(store, &m_user)
    , m_aggregates(store)
    , m_metadata(store)
    , m_writes(store)
    , m_batches(store, [this](const HttpRequest &inner) { return handle(inner); })
    , m_discovery(store)
    , m_audit(store, &m_user, &m_reads)
    , m_store(store)
{ }

void SandboxApi::setReadOnlyUser(bool readOnly)
{
    m_user.setReadOnly(readOnly);
    m_discovery.setUserIsAdmin(!readOnly);
}

std::optional<HttpResponse> SandboxApi::refused(const QString &privilege, const EntitySetDef &set) const
{
    if (privilege.isEmpty() || m_user.has(privilege))
        return std::nullopt;
    return SandboxUser::refusal(m_store->identity().userId, privilege, set);
}

std::optional<HttpResponse> SandboxApi::routeAudit(const HttpRequest &request, const QString &resource)
{
    static const QRegularExpression entity(u"^EntityDefinitions\\(LogicalName='(\\w+)'\\)$"_s);
    static const QRegularExpression functions(
        u"^(?:Microsoft\\.Dynamics\\.CRM\\.)?(RetrieveRecordChangeHistory|RetrieveAttributeChangeHistory)\\((.*)\\)$"_s);
    static const QRegularExpression details(
        u"^audits\\(([^)]*)\\)/Microsoft\\.Dynamics\\.CRM\\.RetrieveAuditDetails(?:\\(\\))?$"_s);
    static const QRegularExpression organizations(u"^organizations(?:\\(([^)]*)\\))?$"_s);
    enum class Kind { Entity, Functions, Details, Organizations };
    const std::pair<const QRegularExpression *, Kind> routes[] = {{&entity, Kind::Entity},
                                                                  {&functions, Kind::Functions},
                                                                  {&details, Kind::Details},
                                                                  {&organizations, Kind::Organizations}};
    for (const auto &[pattern, kind] : routes) {
        const auto m = pattern->match(resource);
        if (!m.hasMatch())
            continue;
        if (request.method != "GET")
            return error(
                405, CodeBadQuery,
                u"The requested resource does not support http method '%1'."_s.arg(QString::fromLatin1(request.method)),
                {{"Allow", "GET"}});
        switch (kind) {
        case Kind::Entity:
            return m_metadata.entityMetadata(request, m.captured(1));
        case Kind::Functions:
            return m_audit.changeHistory(request, m.captured(1), m.captured(2));
        case Kind::Details:
            return m_audit.auditDetails(request, m.captured(1));
        case Kind::Organizations:
            return m_audit.organizations(request, m.captured(1));
        }
    }
    return std::nullopt;
}

HttpResponse SandboxApi::handle(const HttpRequest &request)
{
    static const QRegularExpression tokenPath(u"^/([^/]+)/oauth2/v2.0/token$"_s);
    if (const auto t = tokenPath.match(request.url.path(QUrl::FullyDecoded)); t.hasMatch())
        return m_auth.issueToken(request, t.captured(1));

    // The Global Discovery Service, signed in like the Web API (docs/discovery.md).
    if (request.url.path(QUrl::FullyDecoded) == u"/api/discovery/v2.0/Instances"_s) {
        if (!m_auth.authorized(request))
            return m_auth.unauthorized(request);
        return m_discovery.instances(request);
    }

    static const QRegularExpression apiPath(u"^/api/data/(v9\\.[012])/(.+)$"_s);
    const auto match = apiPath.match(request.url.path(QUrl::FullyDecoded));
    if (!match.hasMatch())
        return resourceNotFound(request.url.path());

    if (!m_auth.authorized(request))
        return m_auth.unauthorized(request);
    return route(request, match.captured(2));
}

// resource: the path after /api/data/<version>/.
HttpResponse SandboxApi::route(const HttpRequest &request, const QString &resource)
{
    static const QRegularExpression metadata(
        u"^EntityDefinitions\\(LogicalName='(\\w+)'\\)/Attributes\\(LogicalName='(\\w+)'\\)"
        u"(/Microsoft\\.Dynamics\\.CRM\\.IntegerAttributeMetadata)?$"_s);
    if (const auto m = metadata.match(resource); m.hasMatch()) {
        if (request.method != "GET")
            return error(405, CodeBadQuery, u"Metadata is read-only in autoclose-sandbox."_s, {{"Allow", "GET"}});
        return m_metadata.attributeMetadata(request, m.captured(1), m.captured(2), m.hasCaptured(3));
    }

    if (auto answered = routeAudit(request, resource))
        return *answered;

    if (resource == u"$batch"_s) {
        if (request.method != "POST")
            return error(405, CodeBadQuery, u"$batch takes POST."_s, {{"Allow", "POST"}});
        return m_batches.batch(request);
    }

    static const QRegularExpression countPath(u"^(\\w+)/\\$count$"_s);
    if (const auto c = countPath.match(resource); c.hasMatch() && request.method == "GET") {
        const EntitySetDef *set = EntitySchema::find(c.captured(1));
        if (!set)
            return resourceNotFound(c.captured(1));
        if (auto refusal = refused(SandboxUser::readPrivilege(*set), *set))
            return *refusal;
        return m_reads.count(*set);
    }

    static const QRegularExpression privilegesPath(
        u"^systemusers\\(([^)]+)\\)/Microsoft\\.Dynamics\\.CRM\\.RetrieveUserPrivileges(?:\\(\\))?$"_s);
    if (const auto p = privilegesPath.match(resource); p.hasMatch() && request.method == "GET")
        return m_reads.userPrivileges(request, p.captured(1));

    const auto target = parseResource(resource);
    if (const auto *refused = std::get_if<HttpResponse>(&target))
        return *refused;
    const Target &t = std::get<Target>(target);
    if (request.method == "GET") {
        if (!t.set)
            return m_reads.whoAmI(request);
        if (auto refusal = refused(SandboxUser::readPrivilege(*t.set), *t.set))
            return *refusal;
        const QUrlQuery params(request.url);
        if (t.key.isEmpty() && params.hasQueryItem(u"$apply"_s))
            return m_aggregates.apply(request, *t.set, params.queryItemValue(u"$apply"_s, QUrl::FullyDecoded));
        return m_reads.get(request, *t.set, t.key);
    }
    const bool writable = t.set && !t.key.isEmpty() && t.set->writable;
    if (request.method == "PATCH" && writable) {
        if (auto refusal = refused(SandboxUser::writePrivilege(*t.set), *t.set))
            return *refusal;
        return m_writes.patch(request, *t.set, t.key);
    }
    return error(
        405, CodeBadQuery,
        u"The requested resource does not support http method '%1'."_s.arg(QString::fromLatin1(request.method)),
        {{"Allow", writable ? "GET, PATCH" : "GET"}});
}

std::variant<SandboxApi::Target, HttpResponse> SandboxApi::parseResource(const QString &resource) const
{
    if (resource == u"WhoAmI"_s || resource == u"WhoAmI()"_s)
        return Target {};

    static const QRegularExpression segment(u"^(\\w+)(?:\\((.*)\\))?$"_s);
    const auto match = segment.match(resource);
    const EntitySetDef *set = match.hasMatch() ? EntitySchema::find(match.captured(1)) : nullptr;
    if (!set)
        return resourceNotFound(match.hasMatch() ? match.captured(1) : resource);
    QString key;
    if (match.hasCaptured(2)) {
        const QUuid id = QUuid::fromString(match.captured(2));
        if (id.isNull())
            return badQuery(u"Bad Request - Error in query syntax: '%1' is not a valid key."_s.arg(match.captured(2)));
        key = id.toString(QUuid::WithoutBraces);
    }
    return Target {set, key};
}

bool SandboxApi::claimsChallengeApplies(const FaultInjector::Fault &fault, const HttpRequest &request) const
{
    static const QRegularExpression apiPath(u"^/api/data/v9\\.[012]/"_s);
    if (!apiPath.match(request.url.path(QUrl::FullyDecoded)).hasMatch() || !m_auth.authorized(request))
        return false;
    return !fault.satisfiable || !m_auth.carriesAuthContext(request, QString::fromLatin1(AuthHandler::AuthContext));
}

HttpResponse SandboxApi::faultResponse(const FaultInjector::Fault &fault, const HttpRequest &request) const
{
    using Kind = FaultInjector::Kind;
    switch (fault.kind) {
    case Kind::Status400:
        return badQuery(u"The query is not supported here (refused by --faults)."_s);
    case Kind::Status429:
        // Service protection, as documented: the error code of the limit hit and Retry-After in seconds.
        return error(429, u"0x80072322"_s,
                     u"Number of requests exceeded the limit of 6000 over time window of 300 seconds."_s,
                     {{"Retry-After", QByteArray::number(fault.retryAfterSeconds)}});
    case Kind::Status500:
        return error(500, u"0x80040216"_s, u"An unexpected error occurred."_s);
    case Kind::Status502:
        return error(502, {}, u"Bad Gateway"_s);
    case Kind::Status503:
        return error(503, {}, u"The service is temporarily unavailable."_s);
    case Kind::Expired:
        return m_auth.expired(request);
    case Kind::Claims:
        return m_auth.claimsChallenge();
    case Kind::Reset:
    case Kind::Truncate:
    case Kind::Slow:
    case Kind::Hold:
    case Kind::Loop:
        break;
    }
    return error(500, {}, u"Unexpected fault."_s);
}
