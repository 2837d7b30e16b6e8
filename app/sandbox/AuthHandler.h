#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

class SandboxStore;

// Authentication: which bearer tokens the sandbox accepts, the demo token endpoint that issues them, and the 401
// whose WWW-Authenticate header tells a client where to sign in (docs/web-api.md), or which claims a new token must
// carry (a claims challenge, docs/sign-in.md).
class AuthHandler final
{
    Q_DISABLE_COPY_MOVE(AuthHandler)
public:
    explicit AuthHandler(const SandboxStore *store);

    // The demo application the token endpoint knows (shown by autoclose-sandbox --help).
    static constexpr const char *DemoClientId = "5b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d";
    static constexpr const char *DemoClientSecret = "autoclose-demo-secret";
    // What the claims fault asks for: the Conditional Access authentication context c1, as Microsoft's claims-
    // challenge guide shows it. A token carries it when its "acrs" claim (an array) holds "c1".
    static constexpr const char *AuthContext = "c1";
    static constexpr const char *ChallengeClaims = R"({"access_token":{"acrs":{"essential":true,"value":"c1"}}})";

    void addAcceptedToken(const QString &token) { m_tokens.insert(token); }
    void setTrustedJwtKey(const QByteArray &key) { m_jwtKey = key; }
    void setTokenLifetime(std::chrono::seconds lifetime) { m_tokenLifetime = lifetime; }

    // The request carries a bearer token the sandbox accepts.
    bool authorized(const HttpRequest &request) const;
    // 401 with the challenge, as Dataverse answers a request without a valid token.
    HttpResponse unauthorized(const HttpRequest &request) const;
    // 401 with the challenge of an expired token.
    HttpResponse expired(const HttpRequest &request) const;
    // 401 with a claims challenge for ChallengeClaims, in the shape docs/sign-in.md describes.
    HttpResponse claimsChallenge() const;
    // The request's token is one the sandbox accepts and carries the authentication context: a signed JWT whose
    // acrs claim holds it, or a token from the demo token endpoint issued for a claims request that asked for it.
    // Static tokens (--token) carry none.
    bool carriesAuthContext(const HttpRequest &request, const QString &context) const;
    // POST <tenant>/oauth2/v2.0/token: the client credentials grant, for the demo application only.
    HttpResponse issueToken(const HttpRequest &request, const QString &tenant);

private:
    // The claims of a JWT signed with the trusted key, unexpired, for this org; nothing otherwise.
    std::optional<QJsonObject> trustedJwt(const QString &token, const QUrl &requestUrl) const;
    static QString bearerToken(const HttpRequest &request);

    struct Issued
    {
        QDateTime expires;
        QStringList authContexts; // the acrs its claims request asked for
    };
    const SandboxStore *m_store;
    QSet<QString> m_tokens; // static tokens: accepted for as long as the sandbox runs
    QHash<QString, Issued> m_issued; // from the token endpoint: accepted until they expire
    std::chrono::seconds m_tokenLifetime {3600};
    QByteArray m_jwtKey;
};
