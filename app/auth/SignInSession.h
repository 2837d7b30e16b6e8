#pragma once

#include "app/auth/OAuth.h"
#include "app/auth/Profile.h"
#include "models/Result.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;
class SecretStore;

// One profile's sign-in: access tokens in memory only; the refresh token (rotated on every use) and the client
// secret in the SecretStore. The one path every request's token comes from, in the window and in the CLI.
class SignInSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInSession)
public:
    using TokenCallback = std::function<void(Result<QString>)>;

    SignInSession(const Profile &profile, SecretStore *secrets, QNetworkAccessManager *network,
                  QObject *parent = nullptr);
    ~SignInSession() override;

    const Profile &profile() const { return m_profile; }
    QString account() const { return m_account; } // the user, when the sign-in said; else empty
    bool signedIn() const { return !m_accessToken.isEmpty(); }

    // A token without asking the user: the one in memory while valid, the environment variable, the client secret,
    // or the stored refresh token. When only an interactive sign-in can help, the error's serviceCode is
    // "interaction_required".
    void acquireSilently(QObject *context, TokenCallback done);
    // The same, skipping the token in memory (the service answered 401 to it).
    void renew(QObject *context, TokenCallback done);
    // Browser or device code, as the profile says; progress through browserUrlReady / deviceCodeReady.
    void signInInteractively(QObject *context, TokenCallback done);
    void cancel();
    // Forgets the access token and removes the stored refresh token (the client secret stays with the profile).
    void signOut(QObject *context, std::function<void(Result<Done>)> done);

    // The session's sign-in, for WebApiTransport's one refresh on 401.
    std::function<void(std::function<void(Result<QString>)>)> refresher();

    static QString interactionRequiredCode() { return QStringLiteral("interaction_required"); }

Q_SIGNALS:
    void browserUrlReady(const QUrl &url);
    void deviceCodeReady(const OAuth::DeviceCodeFlow::Code &code);
    // The sign-in worked but its refresh token could not be kept (no keychain): the next run signs in again.
    void secretsNotKept(const QString &message);
    void signedInChanged();

private:
    void accept(const OAuth::Tokens &tokens, QObject *context, TokenCallback done);
    void fromRefreshToken(QObject *context, TokenCallback done);

    Profile m_profile;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_network;
    OAuth::TokenClient m_tokens;
    QString m_accessToken;
    QDateTime m_expiresAt;
    QString m_account;
    QString m_unsavedRefreshToken; // kept in memory only when the keychain refused it
    QPointer<QObject> m_flow;
};
