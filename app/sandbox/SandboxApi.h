#pragma once

#include "app/sandbox/AggregateHandler.h"
#include "app/sandbox/AuditHandler.h"
#include "app/sandbox/AuthHandler.h"
#include "app/sandbox/BatchHandler.h"
#include "app/sandbox/DiscoveryHandler.h"
#include "app/sandbox/FaultInjector.h"
#include "app/sandbox/MetadataHandler.h"
#include "app/sandbox/ReadHandler.h"
#include "app/sandbox/SandboxHttp.h"
#include "app/sandbox/SandboxUser.h"
#include "app/sandbox/WriteHandler.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <variant>

class SandboxStore;
struct EntitySetDef;

// The Dataverse Web API as the sandbox speaks it: the router that finds which handler answers a request (after
// authentication) and the replies of the faults it is told to inject. Independent of the socket, so the HTTP server
// stays a thin adapter; each area's handling lives in its own handler (docs/web-api.md).
class SandboxApi final
{
    Q_DISABLE_COPY_MOVE(SandboxApi)
public:
    // The store stays its owner's (LocalSandbox); the handlers read and write it.
    explicit SandboxApi(SandboxStore *store);

    // The demo application the token endpoint knows (shown by autoclose-sandbox --help).
    static constexpr const char *DemoClientId = AuthHandler::DemoClientId;
    static constexpr const char *DemoClientSecret = AuthHandler::DemoClientSecret;

    void addAcceptedToken(const QString &token) { m_auth.addAcceptedToken(token); }
    // Also accept JWTs signed (HS256) with this shared key, unexpired, whose audience is this org: what an OAuth
    // server configured with the same key issues (the tests' oidc-provider peer). Empty: none.
    void setTrustedJwtKey(const QByteArray &key) { m_auth.setTrustedJwtKey(key); }
    // How long tokens from the demo token endpoint stay valid.
    void setTokenLifetime(std::chrono::seconds lifetime) { m_auth.setTokenLifetime(lifetime); }
    // The signed-in user may read but not write (as an Omnichannel administrator without Write privilege).
    void setReadOnlyUser(bool readOnly);
    // The signed-in user lacks this privilege (RetrieveUserPrivileges leaves it out; requests needing it get 403).
    // A BadInput error when the sandbox knows no such privilege.
    Result<Done> withholdPrivilege(const QString &privilege) { return m_user.withhold(privilege); }
    // The Global Discovery Service's instances besides the sandbox itself (docs/discovery.md).
    void setOtherDiscoveryInstances(const QJsonArray &instances) { m_discovery.setOtherInstances(instances); }
    HttpResponse handle(const HttpRequest &request);
    // What the service answers when it fails in this way (429, 5xx, an expired token); see FaultInjector.
    HttpResponse faultResponse(const FaultInjector::Fault &fault, const HttpRequest &request) const;
    // A claims fault applies to a Web API request whose token is valid and does not carry the authentication
    // context (any valid token, when the fault is not satisfiable); other requests are answered as usual.
    bool claimsChallengeApplies(const FaultInjector::Fault &fault, const HttpRequest &request) const;

private:
    struct Target
    {
        const EntitySetDef *set = nullptr; // null: WhoAmI
        QString key; // empty: the collection
    };
    std::variant<Target, HttpResponse> parseResource(const QString &resource) const;
    HttpResponse route(const HttpRequest &request, const QString &resource);
    // Audit and metadata requests (AuditHandler, MetadataHandler); nothing when the resource is none of theirs.
    std::optional<HttpResponse> routeAudit(const HttpRequest &request, const QString &resource);
    // The 403 for a user who lacks the privilege; nothing when the privilege is empty or held.
    std::optional<HttpResponse> refused(const QString &privilege, const EntitySetDef &set) const;

    SandboxUser m_user; // before the handlers that keep a pointer to it
    AuthHandler m_auth;
    ReadHandler m_reads;
    AggregateHandler m_aggregates;
    MetadataHandler m_metadata;
    WriteHandler m_writes;
    BatchHandler m_batches;
    DiscoveryHandler m_discovery;
    AuditHandler m_audit;
    const SandboxStore *m_store;
};
