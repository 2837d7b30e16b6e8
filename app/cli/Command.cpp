#include "app/cli/Command.h"

#include <QCoreApplication>

#include <utility>

Cli::GlobalOptions::GlobalOptions()
{
    // (QCoreApplication::translate, not tr: lupdate would file tr() here under "Cli::GlobalOptions".)
    help.setDescription(QCoreApplication::translate("Cli", "Show this help."));
    version.setDescription(QCoreApplication::translate("Cli", "Show the version."));
    url.setDescription(QCoreApplication::translate(
        "Cli", "The environment, e.g. https://contoso.crm.dynamics.com (http only for 127.0.0.1)."));
    accessTokenEnv.setDescription(
        QCoreApplication::translate("Cli", "Name of the environment variable that holds the access token."));
    format.setDescription(
        QCoreApplication::translate("Cli", "Output format: table (default), json, or (preview) csv."));
    timeout.setDescription(
        QCoreApplication::translate("Cli",
                                    "Seconds each request may take before it counts as failed (default 60), and the "
                                    "Demo environment's start (default 30)."));
    profile.setDescription(QCoreApplication::translate(
        "CliAuth", "The profile to use (see 'profiles list'); default: the last one used."));
    demoDataDir.setDescription(QCoreApplication::translate(
        "Cli",
        "The Demo environment's data directory (default: the editor's, so the CLI and the window show the same "
        "data)."));
    cloud.setDescription(QCoreApplication::translate(
        "Cli",
        "commercial, gcc, gcc-high, dod, china or custom (profiles add: default from the URL, else "
        "commercial; environments: default the profile's, else commercial)."));
}

QList<Cli::OptionGroup> Cli::GlobalOptions::environment() const
{
    return {{profile}, {url}, {accessTokenEnv}, {timeout}, {demoDataDir}};
}

Cli::Command::Command(QString name)
    : m_name(std::move(name))
{ }

Cli::Command::~Command() = default;

QString Cli::Command::refusal(const QCommandLineOption &) const
{
    return {};
}

bool Cli::Command::takes(const QString &optionName) const
{
    for (const OptionGroup &group : options())
        for (const QCommandLineOption &option : group)
            if (hasName(option, optionName))
                return true;
    return false;
}

bool Cli::hasName(const QCommandLineOption &option, const QString &name)
{
    return option.names().contains(name);
}
