#pragma once

#include "models/ChannelStateConfig.h"
#include "models/Result.h"

#include <QList>
#include <QStringList>

class QTextStream;

// autoclose-cli: the headless face of the product. Each command calls the same core the window uses.
namespace Cli {

// Documented in --help; pipelines depend on them.
enum ExitCode {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    AuthFailed = 3,
    NetworkFailed = 4,
    NotFound = 5,
    Conflict = 6,
    Throttled = 7,
    ServerFailed = 8,
    BadReply = 9,
};

ExitCode exitCodeFor(const Error &error);

// Runs the command line (arguments()[0] is the program) and returns the exit code.
int run(const QStringList &arguments, QTextStream &out, QTextStream &err);

QString formatTable(const QList<ChannelStateConfig> &configs);
QByteArray formatJson(const QList<ChannelStateConfig> &configs);

} // namespace Cli
