#pragma once

#include "models/ChannelStateConfig.h"
#include "models/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

// A configuration snapshot (docs/snapshots.md): the auto-close values of one environment at one time, as a file for
// people and for git. resources/schema/snapshot.schema.json describes the JSON form.
struct Snapshot
{
    Q_DECLARE_TR_FUNCTIONS(Snapshot)
public:
    static constexpr int SchemaVersion = 1;
    // Larger files are refused before they are parsed: an environment has a few hundred of these records, whose
    // snapshot is well under 1 MB.
    static constexpr qint64 MaxFileBytes = 8 * 1024 * 1024;

    QString environmentUrl;
    QString organizationId;
    QDateTime exportedAt;
    QString toolVersion;
    // In channel/state order once normalized; etag carries the versionnumber (W/"<versionnumber>").
    QList<ChannelStateConfig> records;

    // Sorts the records into the stable order of every export.
    void normalize();

    // Sorted keys, two-space indentation, UTF-8, a final newline; exportedAt stands on a line of its own, so two
    // exports of unchanged data differ in that line only.
    QByteArray toJson() const;
    // A header row, then one line per record; RFC 4180 quoting.
    QByteArray toCsv() const;

    // Validates everything before returning anything: a problem names the record (position and name) and the field.
    // An unknown schema version is refused. source names the file in messages.
    static Result<Snapshot> fromJson(const QByteArray &json, const QString &source);

    // The versionnumber in an ETag W/"<n>", if it holds one.
    static std::optional<qint64> versionNumber(const QString &etag);
};
