#pragma once

#include "models/ChannelStateConfig.h"
#include "models/Result.h"
#include "models/TimerSetting.h"
#include "models/Workstream.h"

#include <QList>
#include <QStringList>

class QTextStream;

// autoclose-cli: the headless face of the product. Each command calls the same core the window uses.
namespace Cli {

// The same for every command, documented in --help, the README and the man page; pipelines depend on them.
enum ExitCode {
    Ok = 0,
    Differences = 1, // diff found differences
    Usage = 2, // a wrong command line or bad input (a value, a file)
    AuthFailed = 3, // sign-in missing or refused (401/403)
    ServiceFailed = 4, // the environment or the network failed: no reply, 404, 429 past the wait, 5xx, a bad reply
    Conflict = 5, // someone changed the record meanwhile (412): nothing was overwritten
    HistoryUnavailable = 6, // history: auditing is off (environment, table or column), so there is no history to show
};

ExitCode exitCodeFor(const Error &error);

// Prints "autoclose-cli: <what went wrong>" (with the technical details) and returns the error's exit code.
int fail(QTextStream &err, const Error &error);
// Prints a usage error and where the help is, and returns Usage.
int usage(QTextStream &err, const QString &message);
// Reports an environment that could not be opened: what the command line got wrong as a usage error, else as fail.
int openFailed(QTextStream &err, const Error &error);

// Text columns padded to their widest cell, two spaces apart, a header row first.
QString formatColumns(const QStringList &headers, const QList<QStringList> &rows);

// The configuration a command line names: its id, or its name where that is unique (else a BadInput error listing
// the candidates).
Result<QString> resolveConfiguration(const QList<ChannelStateConfig> &configs, const QString &nameOrId);

// The value a command line names, in either table: a channel-state configuration (its id or unique name) or a
// workstream (its id or unique name). setting says which table is meant (ChannelState: the configurations; Inactivity
// or WrapUpBlock: the workstreams, and which timer) and settles a name both tables have; not given, both are searched
// and a workstream's value is its Inactivity. An unknown or ambiguous name, or a setting that does not fit the record,
// is a BadInput error that says what to give instead.
Result<ValueRef> resolveValue(const QList<ChannelStateConfig> &configs, const QList<Workstream> &workstreams,
                              const QString &nameOrId, std::optional<TimerSetting> setting);
// --setting's value: channel-state, inactivity or wrap-up-block.
Result<std::optional<TimerSetting>> parseSetting(const QString &value);

// Runs the command line (arguments()[0] is the program) and returns the exit code.
int run(const QStringList &arguments, QTextStream &out, QTextStream &err);

QString formatTable(const QList<ChannelStateConfig> &configs);
QByteArray formatJson(const QList<ChannelStateConfig> &configs);
// The workstreams with both timers in human units (an empty inactivity is "not set", an empty block "always block"),
// and as JSON: {"workstreams": [{id, name, channel, inactivityMinutes, wrapUpBlockMinutes, modifiedOn, etag}]}.
QString formatWorkstreamsTable(const QList<Workstream> &workstreams);
QByteArray formatWorkstreamsJson(const QList<Workstream> &workstreams);

} // namespace Cli
