#pragma once

#include "models/Result.h"

#include <QString>

// The application's log: every Qt message also appended to <dir>/<name>.log, readable by the user only, rotated when
// it grows past a size (name.log.1 … name.log.N kept). Secrets never reach it: bearer tokens, OAuth tokens,
// client secrets and the passwords in proxy URLs are masked before a line is written, whatever logged them.
namespace LogFile {
struct Options
{
    qint64 maxBytes = 1024 * 1024;
    int keep = 3;
};
// Installs the message handler (the previous one still gets warnings and worse). Returns the log file's path.
Result<QString> install(const QString &dir, const QString &name, Options options);
inline Result<QString> install(const QString &dir, const QString &name)
{
    return install(dir, name, Options {});
}
// Stops writing to the file; messages go to the previous handler only.
void uninstall();
// <per-user application data>/logs (Qt 6.4 has no state location).
QString defaultDirectory();
// The message as it may be written: secrets replaced by ***.
QString redact(const QString &message);
} // namespace LogFile
