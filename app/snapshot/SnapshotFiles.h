#pragma once

#include "models/Result.h"
#include "models/Snapshot.h"

#include <QByteArray>
#include <QString>

// Snapshot files on disk. Every write is atomic (QSaveFile): a failed or interrupted write leaves no partial file
// and the previous file intact. Files hold environment data, so they are readable by the user only.
namespace SnapshotFiles {

// Reads and validates a snapshot; a file larger than Snapshot::MaxFileBytes is refused before it is read.
Result<Snapshot> read(const QString &path);

// Writes bytes to path atomically, mode 0600.
Result<Done> writeAtomically(const QString &path, const QByteArray &bytes);

// What the window and the CLI share: <per-user data>/AutoCloseEditor (AUTOCLOSE_DATA_DIR overrides it).
QString dataDirectory();
// <dataDirectory>/snapshots: where "before apply" snapshots go.
QString defaultDirectory();

// A file name for a snapshot of an environment taken at a time, e.g. before-apply-contoso.crm.dynamics.com-
// 20260501T080000.000Z.json.
QString fileName(const QString &prefix, const QString &environmentUrl, const QDateTime &at);

} // namespace SnapshotFiles
