#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QUrl>

#include <chrono>
#include <utility>
#include <variant>

#include "app/sandbox/FaultInjector.h"
#include "app/sandbox/SandboxStore.h"

#include <QUrlQuery>

#include <optional>

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QByteArray method;
    QUrl url; // absolute: scheme, the Host the client used, path and query
    HttpHeaders headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
};

struct HttpResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
};

// The Dataverse Web API as the sandbox speaks it: routing, authorization, query options and the documented reply
// and error shapes (docs/web-api.md). Independent of the socket, so the HTTP server stays a thin adapter.
class SandboxApi final
{
    Q_DISABLE_COPY_MOVE(SandboxApi)
public:
    explicit SandboxApi(SandboxStore *store);

    // The demo application the token endpoint knows (shown by autoclose-sandbox --help).
    static constexpr const char *DemoClientId = "5b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d";
    static constexpr const char *DemoClientSecret = "autoclose-demo-secret";

    void addAcceptedToken(const QString &token) { m_tokens.insert(token); }
    // Also accept JWTs signed (HS256) with this shared key, unexpired, whose audience is this org: what an OAuth
    // server configured with the same key issues (the tests' oidc-provider peer). Empty: none.
    void setTrustedJwtKey(const QByteArray &key) { m_jwtKey = key; }
    // How long tokens from the demo token endpoint stay valid.
    void setTokenLifetime(std::chrono::seconds lifetime) { m_tokenLifetime = lifetime; }
    // The signed-in user may read but not write (as an Omnichannel administrator without Write privilege).
    void setReadOnlyUser(bool readOnly) { m_readOnlyUser = readOnly; }
    HttpResponse handle(const HttpRequest &request);
    // What the service answers when it fails in this way (429, 5xx, an expired token); see FaultInjector.
    HttpResponse faultResponse(const FaultInjector::Fault &fault, const HttpRequest &request) const;

private:
    struct Target
    {
        const EntitySetDef *set = nullptr; // null: WhoAmI
        QString key; // empty: the collection
    };
    std::variant<Target, HttpResponse> parseResource(const QString &resource) const;
    HttpResponse getEntitySet(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;
    HttpResponse patch(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;
    HttpResponse apply(const HttpRequest &request, const EntitySetDef &set, const QString &transformations) const;
    HttpResponse attributeMetadata(const HttpRequest &request, const QString &entity, const QString &attribute,
                                   bool integerCast) const;
    void annotate(QJsonObject &row, const EntitySetDef &set, bool formatted, bool lookups) const;
    HttpResponse batch(const HttpRequest &request);
    HttpRequest innerRequest(const HttpRequest &batch, HttpRequest inner) const;
    HttpResponse userPrivileges(const HttpRequest &request, const QString &userId) const;
    HttpResponse recordNotFound(const EntitySetDef &set, const QString &key) const;
    std::optional<HttpResponse> parseShape(const QUrlQuery &params, const EntitySetDef &set,
                                           SandboxStore::Query &query) const;
    HttpResponse whoAmI(const HttpRequest &request) const;
    HttpResponse unauthorized(const HttpRequest &request) const;
    HttpResponse issueToken(const HttpRequest &request, const QString &tenant);
    bool authorized(const HttpRequest &request) const;
    bool trustedJwt(const QString &token, const QUrl &requestUrl) const;

    SandboxStore *m_store;
    QSet<QString> m_tokens; // static tokens: accepted for as long as the sandbox runs
    QHash<QString, QDateTime> m_issued; // from the token endpoint: accepted until they expire
    std::chrono::seconds m_tokenLifetime {3600};
    bool m_readOnlyUser = false;
    QByteArray m_jwtKey;
};
