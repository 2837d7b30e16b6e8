#pragma once

#include "app/cli/Command.h"

#include <QCommandLineOption>
#include <QCoreApplication>

namespace Cli {

// list: every channel-state auto-close configuration of the environment, or with --workstreams every workstream with
// its two timers, as a table or as JSON.
class ListCommand final : public Command
{
    Q_DECLARE_TR_FUNCTIONS(ListCommand)

public:
    explicit ListCommand(const GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<OptionGroup> options() const override;
    int run(const Invocation &call, QTextStream &out, QTextStream &err) const override;

private:
    const GlobalOptions &m_global;
    QCommandLineOption m_workstreams {QStringLiteral("workstreams")};
};

} // namespace Cli
