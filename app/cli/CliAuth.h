#pragma once

#include "app/auth/Profile.h"
#include "app/cli/Command.h"
#include "app/dataverse/WebApiReply.h"
#include "models/Result.h"

#include <QCommandLineOption>
#include <QCoreApplication>

#include <memory>
#include <optional>

class WebApiTransport;
class QNetworkAccessManager;
class QTextStream;
class SecretStore;
class SignInSession;

// autoclose-cli's sign-in: login, logout and whoami, and the session the data commands run under with --profile.
// Secrets come from the keychain, or from stdin when they are being stored.
namespace CliAuth {

// login, logout and whoami: a profile's sign-in (whoami with --url: whose the access token is).
class SignInCommand final : public Cli::Command
{
    Q_DECLARE_TR_FUNCTIONS(SignInCommand)

public:
    enum class Verb { Login, Logout, WhoAmI };
    SignInCommand(Verb verb, const Cli::GlobalOptions &global);
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    QString refusal(const QCommandLineOption &option) const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;

private:
    const Verb m_verb;
    const Cli::GlobalOptions &m_global;
};

// The profile of that name, or nothing after saying on err which profiles there are.
std::optional<Profile> findProfile(const ProfileStore &store, const QString &name, QTextStream &err);

// The secret store the CLI uses: the keychain, or the plaintext file after the user's opt-in (with a warning on
// stderr every run).
std::unique_ptr<SecretStore> makeSecretStore(QTextStream &err);

// A signed-in session for --profile NAME (silent only: a pipeline cannot answer a browser). Errors name the
// command that fixes them.
Result<std::unique_ptr<SignInSession>> signedInSession(const QString &profileName, SecretStore *secrets,
                                                       QNetworkAccessManager *network, QString *token,
                                                       QTextStream &err);

// Prints an interactive sign-in's browser address or device code on err, as login does.
void showSignInPrompts(SignInSession &session, QTextStream &err);

// A claims challenge met by a command (docs/sign-in.md, "Conditional Access and claims challenges"): the session and
// the client's transport answer it; a browser or device-code profile signs in again interactively, its address or
// code on err after the sentence that says why (showSignInPrompts prints them), and the command goes on.
void answerChallenges(SignInSession &session, WebApiTransport *transport, QTextStream &err);
// Sets the CLI's proxy rules on network (NetworkProxy::apply): the profile's own proxy when one is given, else the
// environment's and the system's; a proxy's 407 is answered from its URL, then from the keychain, never by asking.
// A bad proxy URL is a BadInput error naming it; nothing may be sent then.
Result<Done> useProxy(QNetworkAccessManager *network, const Profile *profile, SecretStore *secrets);

// What whoami prints: user at where, the profile's name (when one is used) and the ids WhoAmI answered.
void writeIdentity(QTextStream &out, const QString &user, const QString &where, const QString &profileName,
                   const WebApiReply::Identity &who);

} // namespace CliAuth
