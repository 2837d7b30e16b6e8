#pragma once

#include "app/cli/Command.h"

#include <QCoreApplication>

namespace Cli {

// preview: the conversations that would auto-close at a time under the saved values with --set overrides, and how
// many per configuration, as the server filters them.
class PreviewCommand final : public Command
{
    Q_DECLARE_TR_FUNCTIONS(PreviewCommand)

public:
    explicit PreviewCommand(const GlobalOptions &global);
    QString description() const override;
    QList<OptionGroup> options() const override;
    int run(const Invocation &call, QTextStream &out, QTextStream &err) const override;

private:
    const GlobalOptions &m_global;
    QCommandLineOption m_set {QStringLiteral("set"), QString(), QStringLiteral("NAME_OR_ID=VALUE")};
    QCommandLineOption m_at {QStringLiteral("at"), QString(), QStringLiteral("TIME")};
    QCommandLineOption m_basis {QStringLiteral("basis"), QString(), QStringLiteral("BASIS"), QStringLiteral("created")};
    // The same option as export's -o (CliSnapshot::Options): --help shows this one's description, which names both.
    QCommandLineOption m_output {{QStringLiteral("o"), QStringLiteral("output")}, QString(), QStringLiteral("FILE")};
};

} // namespace Cli
