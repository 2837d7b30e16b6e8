#pragma once

#include "app/cli/Command.h"

#include <QCommandLineOption>
#include <QCoreApplication>

// autoclose-cli's profile commands: profiles list, add, remove and plaintext-secrets, on the profiles the window
// shares.
namespace CliProfiles {

// The options of profiles add besides --url: how the profile signs in, and whether it is production.
struct AddOptions
{
    QCommandLineOption auth {QStringLiteral("auth"), QString(), QStringLiteral("METHOD")};
    QCommandLineOption tenant {QStringLiteral("tenant"), QString(), QStringLiteral("T")};
    QCommandLineOption authority {QStringLiteral("authority"), QString(), QStringLiteral("URL")};
    QCommandLineOption clientId {QStringLiteral("client-id"), QString(), QStringLiteral("C")};
    QCommandLineOption clientSecretStdin {QStringLiteral("client-secret-stdin")};
    QCommandLineOption tokenEnv {QStringLiteral("token-env"), QString(), QStringLiteral("VAR")};
    QCommandLineOption production {QStringLiteral("production")};
    QCommandLineOption proxy {QStringLiteral("proxy"), QString(), QStringLiteral("URL|none")};
    AddOptions(); // fills in the descriptions (translated)
};

// profiles list: the saved environments, the last used marked, as a table or as JSON.
class ProfilesList final : public Cli::Command
{
    Q_DECLARE_TR_FUNCTIONS(ProfilesList)

public:
    explicit ProfilesList(const Cli::GlobalOptions &global);
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;

private:
    const Cli::GlobalOptions &m_global;
};

// profiles add: saves a profile, its client secret (read from standard input) first into the keychain.
class ProfilesAdd final : public Cli::Command
{
    Q_DECLARE_TR_FUNCTIONS(ProfilesAdd)

public:
    explicit ProfilesAdd(const Cli::GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;

private:
    const Cli::GlobalOptions &m_global;
    const AddOptions m_options;
};

// profiles remove: removes a profile and its stored sign-in.
class ProfilesRemove final : public Cli::Command
{
    Q_DECLARE_TR_FUNCTIONS(ProfilesRemove)

public:
    ProfilesRemove();
    QString syntax() const override;
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;
};

// profiles plaintext-secrets: opts in to (or out of) keeping secrets in a 0600 file where no keychain exists.
class ProfilesPlaintextSecrets final : public Cli::Command
{
    Q_DECLARE_TR_FUNCTIONS(ProfilesPlaintextSecrets)

public:
    ProfilesPlaintextSecrets();
    QString syntax() const override;
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;
};

} // namespace CliProfiles
