#include "app/auth/SignInSession.h"

#include "app/auth/SecretStore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSignIn, "autoclose.signin")

namespace {
Error needsInteraction(const QString &message)
{
    Error e;
    e.kind = Error::Kind::Auth;
    e.serviceCode = SignInSession::interactionRequiredCode();
    e.userMessage = message;
    return e;
}
} // namespace

SignInSession::SignInSession(const Profile &profile, SecretStore *secrets, QNetworkAccessManager *network,
                             QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_secrets(secrets)
    , m_network(network)
    , m_tokens(profile, network)
{ }

SignInSession::~SignInSession()
{
    cancel();
}

void SignInSession::acquireSilently(QObject *context, TokenCallback done)
{
    // A minute's margin: a token about to expire is renewed before a request carries it.
    if (!m_accessToken.isEmpty() && QDateTime::currentDateTimeUtc().addSecs(60) < m_expiresAt)
        return done(m_accessToken);
    renew(context, std::move(done));
}

void SignInSession::renew(QObject *context, TokenCallback done)
{
    QPointer<QObject> guard(context);
    switch (m_profile.method) {
    case AuthMethod::Demo:
        return done(needsInteraction(tr("The Demo environment needs no sign-in.")));
    case AuthMethod::EnvToken: {
        const QString token = qEnvironmentVariable(m_profile.tokenEnv.toLocal8Bit().constData()).trimmed();
        if (token.isEmpty()) {
            Error e;
            e.kind = Error::Kind::Auth;
            e.userMessage = tr("The environment variable %1 is not set or empty; it should hold an access token "
                               "for %2.")
                                .arg(m_profile.tokenEnv, m_profile.orgUrl.toString());
            return done(e);
        }
        m_accessToken = token;
        m_expiresAt = QDateTime::currentDateTimeUtc().addYears(1); // unknown: used until the service refuses it
        const QJsonObject claims = OAuth::unverifiedClaims(token);
        m_account = claims.value(u"upn"_s).toString(claims.value(u"preferred_username"_s).toString());
        Q_EMIT signedInChanged();
        return done(token);
    }
    case AuthMethod::ClientSecret:
        return fromClientSecret(context, std::move(done), {});
    case AuthMethod::Browser:
    case AuthMethod::DeviceCode:
        return fromRefreshToken(context, std::move(done));
    }
}

void SignInSession::fromClientSecret(QObject *context, TokenCallback done, const QByteArray &claims)
{
    QPointer<QObject> guard(context);
    const auto issued = [this, guard, done](Result<OAuth::Tokens> tokens) {
        if (!guard)
            return;
        if (!tokens)
            return done(tokens.error());
        m_account = tr("application %1").arg(m_profile.clientId);
        accept(tokens.value(), guard, done);
    };
    m_secrets->read(m_profile.clientSecretKey(), this,
                    [this, guard, done, issued, claims](Result<std::optional<QString>> secret) {
                        if (!guard)
                            return;
                        if (!secret)
                            return done(secret.error());
                        if (!secret.value() || secret.value()->isEmpty()) {
                            Error e;
                            e.kind = Error::Kind::Auth;
                            e.userMessage = tr("No client secret is stored for the profile \"%1\". Store it in the "
                                               "profile manager, or with: autoclose-cli profiles add \"%1\" … "
                                               "--client-secret-stdin.")
                                                .arg(m_profile.name);
                            return done(e);
                        }
                        m_tokens.clientCredentials(*secret.value(), this, issued, claims);
                    });
}

void SignInSession::fromRefreshToken(QObject *context, TokenCallback done)
{
    QPointer<QObject> guard(context);
    const auto withToken = [this, guard, done](const QString &refreshToken) {
        m_tokens.refresh(refreshToken, this, [this, guard, done](Result<OAuth::Tokens> tokens) {
            if (!guard)
                return;
            if (!tokens) {
                Error e = tokens.error();
                // The OAuth error code only ("invalid_grant", "AADSTS70043"): never a value sent or received.
                qCInfo(lcSignIn) << "refresh refused:" << e.serviceCode;
                if (e.kind == Error::Kind::Auth)
                    e.serviceCode = interactionRequiredCode() + u" ("_s + e.serviceCode + u')';
                return done(e);
            }
            accept(tokens.value(), guard, done);
        });
    };
    if (!m_unsavedRefreshToken.isEmpty())
        return withToken(m_unsavedRefreshToken);
    m_secrets->read(
        m_profile.refreshTokenKey(), this, [this, guard, done, withToken](Result<std::optional<QString>> stored) {
            if (!guard)
                return;
            if (!stored) {
                Error e = needsInteraction(stored.error().userMessage);
                e.serviceMessage = stored.error().serviceMessage;
                return done(e);
            }
            if (!stored.value() || stored.value()->isEmpty())
                return done(
                    needsInteraction(tr("Not signed in to \"%1\" yet: sign in to continue.").arg(m_profile.name)));
            withToken(*stored.value());
        });
}

void SignInSession::accept(const OAuth::Tokens &tokens, QObject *context, TokenCallback done)
{
    QPointer<QObject> guard(context);
    m_accessToken = tokens.accessToken;
    m_expiresAt = tokens.expiresAt;
    if (!tokens.account.isEmpty())
        m_account = tokens.account;
    Q_EMIT signedInChanged();
    if (tokens.refreshToken.isEmpty())
        return done(m_accessToken);
    // Rotation: the new refresh token always replaces the old one, which the service may no longer accept.
    m_secrets->write(m_profile.refreshTokenKey(), tokens.refreshToken, this,
                     [this, guard, done, refreshToken = tokens.refreshToken](Result<Done> written) {
                         if (!written) {
                             m_unsavedRefreshToken = refreshToken; // this run only
                             Q_EMIT secretsNotKept(written.error().userMessage);
                         } else {
                             m_unsavedRefreshToken.clear();
                         }
                         if (guard)
                             done(m_accessToken);
                     });
}

void SignInSession::signInInteractively(QObject *context, TokenCallback done, const QByteArray &challengeClaims)
{
    cancel();
    QPointer<QObject> guard(context);
    const auto finished = [this, guard, done](const Result<OAuth::Tokens> &tokens) {
        if (m_flow)
            m_flow->deleteLater();
        if (!guard)
            return;
        if (!tokens)
            return done(tokens.error());
        accept(tokens.value(), guard, done);
    };
    if (m_profile.method == AuthMethod::Browser) {
        auto *flow = new OAuth::BrowserFlow(m_profile, m_network, this);
        flow->setChallengeClaims(challengeClaims);
        m_flow = flow;
        connect(flow, &OAuth::BrowserFlow::browserUrlReady, this, &SignInSession::browserUrlReady);
        connect(flow, &OAuth::BrowserFlow::finished, this, finished);
        flow->start();
    } else if (m_profile.method == AuthMethod::DeviceCode) {
        auto *flow = new OAuth::DeviceCodeFlow(m_profile, m_network, this);
        flow->setChallengeClaims(challengeClaims);
        m_flow = flow;
        connect(flow, &OAuth::DeviceCodeFlow::codeReady, this, &SignInSession::deviceCodeReady);
        connect(flow, &OAuth::DeviceCodeFlow::finished, this, finished);
        flow->start();
    } else if (m_profile.method == AuthMethod::ClientSecret) {
        // Nothing to ask the user: the secret is the sign-in.
        fromClientSecret(context, std::move(done), challengeClaims);
    } else {
        renew(context, std::move(done));
    }
}

void SignInSession::answerChallenge(const AuthChallenge::Claims &challenge, QObject *context, TokenCallback done)
{
    // The claims' names only: what they ask for is the policy's business, and never goes to a log.
    qCInfo(lcSignIn) << "claims challenge for a" << authMethodName(m_profile.method)
                     << "profile:" << challenge.names.join(u", "_s);
    // The service no longer takes the token in memory (docs/sign-in.md: clear it).
    m_accessToken.clear();
    m_expiresAt = {};
    const QString names = challenge.names.join(u", "_s);
    switch (m_profile.method) {
    case AuthMethod::ClientSecret:
        return fromClientSecret(context, std::move(done), challenge.json);
    case AuthMethod::Browser:
    case AuthMethod::DeviceCode:
        if (m_interaction)
            return m_interaction(challenge, std::move(done));
        return done(needsInteraction(AuthChallenge::signInAgainSentence() + u' ' +
                                     tr("Sign in to \"%1\" again; the new sign-in asks for what the policy "
                                        "requires (%2).")
                                         .arg(m_profile.name, names)));
    case AuthMethod::Demo:
        return done(needsInteraction(tr("The Demo environment needs no sign-in.")));
    case AuthMethod::EnvToken:
        break;
    }
    Error e;
    e.kind = Error::Kind::Auth;
    e.httpStatus = 401;
    e.serviceCode = u"insufficient_claims"_s;
    e.userMessage = AuthChallenge::signInAgainSentence() + u' ' +
        tr("The access token in the environment variable %1 cannot be renewed here: get a new access token for %2 "
           "that satisfies the policy (it asks for %3), put it in %1 and try again.")
            .arg(m_profile.tokenEnv, m_profile.orgUrl.toString(), names);
    done(e);
}

void SignInSession::cancel()
{
    if (auto *browser = qobject_cast<OAuth::BrowserFlow *>(m_flow.data()))
        browser->cancel();
    else if (auto *device = qobject_cast<OAuth::DeviceCodeFlow *>(m_flow.data()))
        device->cancel();
}

void SignInSession::signOut(QObject *context, std::function<void(Result<Done>)> done)
{
    cancel();
    m_accessToken.clear();
    m_expiresAt = {};
    m_unsavedRefreshToken.clear();
    m_account.clear();
    Q_EMIT signedInChanged();
    if (m_profile.method != AuthMethod::Browser && m_profile.method != AuthMethod::DeviceCode)
        return done(Done {});
    m_secrets->remove(m_profile.refreshTokenKey(), context, std::move(done));
}

std::function<void(std::function<void(Result<QString>)>)> SignInSession::refresher()
{
    QPointer<SignInSession> self(this);
    return [self](std::function<void(Result<QString>)> done) {
        if (!self) {
            Error e;
            e.kind = Error::Kind::Auth;
            e.userMessage = tr("The sign-in has ended; sign in again.");
            return done(e);
        }
        self->renew(self, std::move(done));
    };
}

std::function<void(const AuthChallenge::Claims &, std::function<void(Result<QString>)>)>
SignInSession::challengeAnswerer()
{
    QPointer<SignInSession> self(this);
    return [self](const AuthChallenge::Claims &challenge, std::function<void(Result<QString>)> done) {
        if (!self) {
            Error e;
            e.kind = Error::Kind::Auth;
            e.userMessage = tr("The sign-in has ended; sign in again.");
            return done(e);
        }
        self->answerChallenge(challenge, self, std::move(done));
    };
}
