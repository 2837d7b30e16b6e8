#pragma once

#include "app/auth/AuthChallenge.h"
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
    // Signs the user in again for a claims challenge met in the middle of work, with the challenge's claims (the
    // window shows its sign-in dialog, the CLI prints the address or the code), and calls done with the new token.
    using Interaction = std::function<void(const AuthChallenge::Claims &challenge, TokenCallback done)>;

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
    // Browser or device code, as the profile says; progress through browserUrlReady / deviceCodeReady. With
    // challengeClaims (AuthChallenge::Claims::json), the sign-in asks for them.
    void signInInteractively(QObject *context, TokenCallback done, const QByteArray &challengeClaims = {});
    // A new token carrying what a claims challenge asks for (docs/sign-in.md, "Conditional Access and claims
    // challenges"): a client secret asks for it at once; browser and device code sign in again through the
    // interaction (without one, the error's serviceCode is "interaction_required"); a token from an environment
    // variable cannot be renewed, so that is an error saying what to do.
    void answerChallenge(const AuthChallenge::Claims &challenge, QObject *context, TokenCallback done);
    void setInteraction(Interaction interaction) { m_interaction = std::move(interaction); }
    void cancel();
    // Forgets the access token and removes the stored refresh token (the client secret stays with the profile).
    void signOut(QObject *context, std::function<void(Result<Done>)> done);

    // The session's sign-in, for WebApiTransport's one refresh on 401.
    std::function<void(std::function<void(Result<QString>)>)> refresher();
    // The session's answer to a claims challenge, for WebApiTransport's one answer per token.
    std::function<void(const AuthChallenge::Claims &, std::function<void(Result<QString>)>)> challengeAnswerer();

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
    void fromClientSecret(QObject *context, TokenCallback done, const QByteArray &claims);

    Profile m_profile;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_network;
    OAuth::TokenClient m_tokens;
    QString m_accessToken;
    QDateTime m_expiresAt;
    QString m_account;
    QString m_unsavedRefreshToken; // kept in memory only when the keychain refused it
    QPointer<QObject> m_flow;
    Interaction m_interaction;
};
