#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QString>

#include <chrono>

class SandboxStore;

// Authentication: which bearer tokens the sandbox accepts, the demo token endpoint that issues them, and the 401
// whose WWW-Authenticate header tells a client where to sign in (docs/web-api.md).
class AuthHandler final
{
    Q_DISABLE_COPY_MOVE(AuthHandler)
public:
    explicit AuthHandler(const SandboxStore *store);

    // The demo application the token endpoint knows (shown by autoclose-sandbox --help).
    static constexpr const char *DemoClientId = "5b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d";
    static constexpr const char *DemoClientSecret = "autoclose-demo-secret";

    void addAcceptedToken(const QString &token) { m_tokens.insert(token); }
    void setTrustedJwtKey(const QByteArray &key) { m_jwtKey = key; }
    void setTokenLifetime(std::chrono::seconds lifetime) { m_tokenLifetime = lifetime; }

    // The request carries a bearer token the sandbox accepts.
    bool authorized(const HttpRequest &request) const;
    // 401 with the challenge, as Dataverse answers a request without a valid token.
    HttpResponse unauthorized(const HttpRequest &request) const;
    // 401 with the challenge of an expired token.
    HttpResponse expired(const HttpRequest &request) const;
    // POST <tenant>/oauth2/v2.0/token: the client credentials grant, for the demo application only.
    HttpResponse issueToken(const HttpRequest &request, const QString &tenant);

private:
    bool trustedJwt(const QString &token, const QUrl &requestUrl) const;

    const SandboxStore *m_store;
    QSet<QString> m_tokens; // static tokens: accepted for as long as the sandbox runs
    QHash<QString, QDateTime> m_issued; // from the token endpoint: accepted until they expire
    std::chrono::seconds m_tokenLifetime {3600};
    QByteArray m_jwtKey;
};
