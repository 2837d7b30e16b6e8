#pragma once

#include "app/cli/Command.h"

#include <QCommandLineOption>
#include <QCoreApplication>

// autoclose-cli environments: the environments an account can reach, from the Global Discovery Service of its
// cloud (docs/discovery.md), so that a profile can be made from one without knowing its address.
namespace CliDiscovery {

class EnvironmentsCommand final : public Cli::Command
{
    Q_DECLARE_TR_FUNCTIONS(EnvironmentsCommand)

public:
    explicit EnvironmentsCommand(const Cli::GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;

private:
    const Cli::GlobalOptions &m_global;
    QCommandLineOption m_discoveryUrl {QStringLiteral("discovery-url"), QString(), QStringLiteral("URL")};
};

} // namespace CliDiscovery
