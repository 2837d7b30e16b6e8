#pragma once

#include "app/auth/Profile.h"
#include "models/Result.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QTcpServer;
class QTcpSocket;

// The Microsoft identity platform's OAuth 2.0 endpoints, spoken on QNetworkAccessManager (Qt 6.4's QtNetworkAuth
// has no PKCE or device flow and swallows token errors). Every failure comes back as an Error whose userMessage
// says what happened and what to do; the AADSTS code, when there is one, is in serviceCode.
namespace OAuth {

struct Endpoints
{
    QUrl authorize;
    QUrl token;
    QUrl deviceCode;
};
Endpoints endpointsFor(const Profile &profile);

// "<org>/user_impersonation offline_access openid profile" for a user; "<org>/.default" for an application.
QString userScopes(const QUrl &org);
QString applicationScope(const QUrl &org);
// The same for the profile's resource (Profile::resource: the environment, or the discovery service).
QString userScopes(const Profile &profile);
QString applicationScope(const Profile &profile);

// The claims parameter of a public client's requests (docs/sign-in.md, "Conditional Access and claims challenges"):
// the client's capability to answer claims challenges, {"access_token":{"xms_cc":{"values":["cp1"]}}}, merged into a
// challenge's claims request when there is one (compact JSON, as a challenge's claims are).
QByteArray claimsParameter(const QByteArray &challenge = {});

struct Tokens
{
    QString accessToken;
    QString refreshToken; // empty when none was issued
    QDateTime expiresAt; // UTC
    QString account; // the signed-in user (preferred_username or name of the id token), when known
};

// A token endpoint reply (or its failure) as Tokens or an Error; errors carry the AADSTS code and a sentence.
Result<Tokens> parseTokenReply(int httpStatus, const QByteArray &body, const QDateTime &now);
// The sentence for an OAuth error ("invalid_grant", …) with the AADSTS code Entra puts in its description.
QString sentenceFor(const QString &error, const QString &aadsts, const QString &description);
// The claims of a JWT's payload, read without checking its signature (for display only, never for trust).
QJsonObject unverifiedClaims(const QString &jwt);

QByteArray randomUrlSafe(int bytes); // base64url, no padding
QByteArray pkceChallenge(const QByteArray &verifier); // S256

// POSTs a form to the token endpoint; the one place tokens come from.
class TokenClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenClient)
public:
    using Callback = std::function<void(Result<Tokens>)>;
    TokenClient(const Profile &profile, QNetworkAccessManager *network, QObject *parent = nullptr);

    // Declares the client's capability (claimsParameter()).
    void refresh(const QString &refreshToken, QObject *context, Callback done);
    // With claims: a challenge's claims request, sent as it came (an application declares no capability).
    void clientCredentials(const QString &secret, QObject *context, Callback done, const QByteArray &claims = {});
    // claims: the claims parameter, sent when not empty.
    void redeemCode(const QString &code, const QByteArray &verifier, const QUrl &redirectUri, QObject *context,
                    Callback done, const QByteArray &claims = {});
    // Any grant: the form's fields besides client_id, sent as they are (percent-encoded here).
    using Form = QList<std::pair<QString, QString>>;
    void post(Form form, QObject *context, Callback done);

    const Profile &profile() const { return m_profile; }
    QNetworkAccessManager *network() const { return m_network; }

private:
    Profile m_profile;
    QNetworkAccessManager *m_network;
};

// Device code (RFC 8628): asks for a code, then polls until the user has approved it elsewhere, declined, or the
// code expired. authorization_pending keeps polling; slow_down adds 5 s to the interval.
class DeviceCodeFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceCodeFlow)
public:
    struct Code
    {
        QString userCode;
        QUrl verificationUri;
        QUrl verificationUriComplete; // may be empty
        QDateTime expiresAt;
        int intervalSeconds = 5;
        QString message; // Entra's own instruction, when given
    };

    DeviceCodeFlow(const Profile &profile, QNetworkAccessManager *network, QObject *parent = nullptr);
    // A claims challenge to answer (AuthChallenge::Claims::json): the device code and token requests carry it with
    // the client's capability (claimsParameter). Before start().
    void setChallengeClaims(const QByteArray &claims) { m_challengeClaims = claims; }
    void start();
    void cancel();
    int intervalSeconds() const { return m_code.intervalSeconds; }

Q_SIGNALS:
    void codeReady(const OAuth::DeviceCodeFlow::Code &code);
    void finished(const Result<OAuth::Tokens> &result);

private:
    void poll();
    void finish(const Result<Tokens> &result);

    TokenClient m_tokens;
    QByteArray m_challengeClaims;
    QString m_deviceCode;
    Code m_code;
    QTimer m_timer;
    bool m_done = false;
};

// Authorization code + PKCE (S256) in the system browser: a listener bound to 127.0.0.1 only receives the
// redirect (http://localhost:<port>/, the port being ignored by Entra), checks state, and redeems the code.
// The caller opens browserUrl (the window with QDesktopServices, the CLI by printing it).
class BrowserFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserFlow)
public:
    BrowserFlow(const Profile &profile, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~BrowserFlow() override;
    void setTimeout(std::chrono::seconds timeout) { m_timeout = timeout; }
    // A claims challenge to answer (AuthChallenge::Claims::json): the authorize URL and the code's redemption carry
    // it with the client's capability (claimsParameter). Before start().
    void setChallengeClaims(const QByteArray &claims) { m_challengeClaims = claims; }
    void start();
    void cancel();
    QUrl redirectUri() const { return m_redirectUri; }

Q_SIGNALS:
    void browserUrlReady(const QUrl &url);
    void finished(const Result<OAuth::Tokens> &result);

private:
    void onConnection();
    void handleRequest(QTcpSocket *socket, const QByteArray &head);
    void finish(const Result<Tokens> &result);

    TokenClient m_tokens;
    QByteArray m_challengeClaims;
    QTcpServer *m_server = nullptr;
    QByteArray m_verifier;
    QString m_state;
    QUrl m_redirectUri;
    QTimer m_timer;
    std::chrono::seconds m_timeout {300};
    bool m_done = false;
};

// The tenant from the WWW-Authenticate header Dataverse sends with a 401 to an unauthenticated request
// (authorization_uri=https://login.microsoftonline.com/<tenant>/oauth2/authorize).
void discoverTenant(const QUrl &org, QNetworkAccessManager *network, QObject *context,
                    std::function<void(Result<QString>)> done);
Result<QString> tenantFromChallenge(const QByteArray &wwwAuthenticate);

} // namespace OAuth
