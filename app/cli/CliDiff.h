#pragma once

#include "app/cli/CliSnapshot.h"

#include <QCoreApplication>

namespace CliSnapshot {

// diff: compares two sides, each a snapshot file, live or profile:NAME, record by record; exit 1 when they differ.
class DiffCommand final : public SnapshotCommand
{
    Q_DECLARE_TR_FUNCTIONS(DiffCommand)

public:
    explicit DiffCommand(const Cli::GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<Cli::OptionGroup> options() const override;
    int run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const override;
};

} // namespace CliSnapshot
