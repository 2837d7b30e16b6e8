#pragma once

#include "app/cli/CliEnvironment.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <functional>

class QTextStream;

// autoclose-cli's snapshot commands: export, diff, set and apply. They call the same operations as the window
// (SnapshotOps, SnapshotDiff, ApplyPlan).
namespace CliSnapshot {

struct Options
{
    QCommandLineOption output {{QStringLiteral("o"), QStringLiteral("output")}, QString(), QStringLiteral("FILE")};
    QCommandLineOption dryRun {QStringLiteral("dry-run")};
    QCommandLineOption yes {QStringLiteral("yes")};
    Options(); // fills in the descriptions (translated)
    QList<QCommandLineOption> all() const;
};

bool isSnapshotCommand(const QString &command); // export, diff, set, apply

using Cli::OpenLive;

// positional[0] is the command; format is --format's value (already checked against the command).
int run(const QCommandLineParser &parser, const Options &options, const QStringList &positional, const QString &format,
        const OpenLive &openLive, QTextStream &out, QTextStream &err);

} // namespace CliSnapshot
