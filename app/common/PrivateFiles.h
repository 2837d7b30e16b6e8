#pragma once

#include <QString>

class QSettings;

// The folders and files the product keeps environment data in (journal, audit log, before-apply snapshots, logs,
// profiles, the Demo's database) are the user's alone, whatever the umask says: on POSIX folders 0700 and files 0600,
// on Windows an ACL for the user alone (Platform::restrictToOwner).
namespace PrivateFiles {
// Creates dir (and its parents) if needed and makes dir itself readable by the user only. False if it cannot be
// created.
bool makeDirectory(const QString &dir);
// Makes an existing file readable and writable by the user only. False if it cannot.
bool restrictFile(const QString &path);
// Writes settings to its file and makes that file readable by the user only (QSettings follows the umask). False
// if either fails.
bool syncPrivately(QSettings &settings);
// Creates an empty file readable by the user only, unless it exists: so that a library that creates the file later
// (SQLite, which gives its journal files the database's mode) starts from private permissions.
bool createPrivately(const QString &path);
} // namespace PrivateFiles
