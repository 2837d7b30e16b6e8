#pragma once

#include "app/cli/CliEnvironment.h"
#include "app/cli/Command.h"

#include <QCommandLineOption>
#include <QCoreApplication>

class QTextStream;
struct Snapshot;

// autoclose-cli's snapshot commands: export, diff (CliDiff.h), set (CliSet.h) and apply. They call the same operations
// as the window (SnapshotOps::capture, SnapshotDiff, ApplyPlan) and write through EditSession, as the window does.
namespace CliSnapshot {

// The options of the snapshot family: -o (export), --dry-run and --yes (set, apply).
struct Options
{
    QCommandLineOption output {{QStringLiteral("o"), QStringLiteral("output")}, QString(), QStringLiteral("FILE")};
    QCommandLineOption dryRun {QStringLiteral("dry-run")};
    QCommandLineOption yes {QStringLiteral("yes")};
    Options(); // fills in the descriptions (translated)
};

using Cli::OpenLive;

// What the environment holds now, as a snapshot.
Result<Snapshot> capture(Cli::Environment &env);

// What export, diff, set and apply share: the environment they name, and -o, --dry-run and --yes as a family.
class SnapshotCommand : public Cli::Command
{
public:
    QList<Cli::OptionGroup> familyOptions() const override;

protected:
    SnapshotCommand(QString name, const Cli::GlobalOptions &global);

    const Cli::GlobalOptions &m_global;
    const Options m_options;
};

// export: a snapshot of the environment, to standard output or written whole to a file.
class ExportCommand final : public SnapshotCommand
{
    Q_DECLARE_TR_FUNCTIONS(ExportCommand)

public:
    explicit ExportCommand(const Cli::GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;
};

// apply: makes the environment hold a snapshot file's values, in one all-or-nothing batch.
class ApplyCommand final : public SnapshotCommand
{
    Q_DECLARE_TR_FUNCTIONS(ApplyCommand)

public:
    explicit ApplyCommand(const Cli::GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;
};

} // namespace CliSnapshot
