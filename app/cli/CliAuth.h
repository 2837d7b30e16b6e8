#pragma once

#include "app/auth/Profile.h"
#include "app/cli/Command.h"
#include "app/dataverse/WebApiReply.h"
#include "models/Result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <memory>

class QNetworkAccessManager;
class QTextStream;
class SecretStore;
class SignInSession;

// autoclose-cli's sign-in: the profile commands (profiles, login, logout, whoami) and the session the data
// commands run under with --profile. Secrets come from the keychain, or from stdin when they are being stored.
namespace CliAuth {

struct Options
{
    QCommandLineOption auth {QStringLiteral("auth"), QString(), QStringLiteral("METHOD")};
    QCommandLineOption tenant {QStringLiteral("tenant"), QString(), QStringLiteral("T")};
    QCommandLineOption authority {QStringLiteral("authority"), QString(), QStringLiteral("URL")};
    QCommandLineOption clientId {QStringLiteral("client-id"), QString(), QStringLiteral("C")};
    QCommandLineOption clientSecretStdin {QStringLiteral("client-secret-stdin")};
    QCommandLineOption tokenEnv {QStringLiteral("token-env"), QString(), QStringLiteral("VAR")};
    QCommandLineOption production {QStringLiteral("production")};
    Options(); // fills in the descriptions (translated)
    QList<QCommandLineOption> all() const;
};

bool isAuthCommand(const QString &command); // profiles, login, logout, whoami

// Runs profiles / login / logout / whoami. positional[0] is the command.
int run(const QCommandLineParser &parser, const Options &options, const Cli::GlobalOptions &global,
        const QStringList &positional, QTextStream &out, QTextStream &err);

// The secret store the CLI uses: the keychain, or the plaintext file after the user's opt-in (with a warning on
// stderr every run).
std::unique_ptr<SecretStore> makeSecretStore(QTextStream &err);

// A signed-in session for --profile NAME (silent only: a pipeline cannot answer a browser). Errors name the
// command that fixes them.
Result<std::unique_ptr<SignInSession>> signedInSession(const QString &profileName, SecretStore *secrets,
                                                       QNetworkAccessManager *network, QString *token,
                                                       QTextStream &err);

// What whoami prints: user at where, the profile's name (when one is used) and the ids WhoAmI answered.
void writeIdentity(QTextStream &out, const QString &user, const QString &where, const QString &profileName,
                   const WebApiReply::Identity &who);

} // namespace CliAuth
