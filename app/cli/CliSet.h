#pragma once

#include "app/cli/CliSnapshot.h"

#include <QCommandLineOption>
#include <QCoreApplication>

namespace Cli {

// set: changes one value — a channel-state configuration's, or one of a workstream's two timers — checked against
// its column's range from the environment's metadata, shown and confirmed as apply does (--dry-run, --yes), and
// saved through EditSession with If-Match, into the audit log. One of the snapshot family for its options.
class SetCommand final : public CliSnapshot::SnapshotCommand
{
    Q_DECLARE_TR_FUNCTIONS(SetCommand)

public:
    explicit SetCommand(const GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<OptionGroup> options() const override;
    int run(const Invocation &call, QTextStream &out, QTextStream &err) const override;

private:
    QCommandLineOption m_setting {QStringLiteral("setting"), QString(), QStringLiteral("SETTING")};
};

} // namespace Cli
