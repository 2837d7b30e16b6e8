#pragma once

#include "models/ChannelStateConfig.h"
#include "models/Result.h"
#include "models/TimerSetting.h"
#include "models/Workstream.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

// A configuration snapshot (docs/snapshots.md): the auto-close values of one environment at one time, as a file for
// people and for git. resources/schema/snapshot.schema.json describes the JSON form. Version 2 holds the channel-state
// configurations and the workstreams; a version 1 file holds the configurations only and says nothing about the
// workstreams (it is still read, and applying it leaves them as they are).
struct Snapshot
{
    Q_DECLARE_TR_FUNCTIONS(Snapshot)
public:
    static constexpr int SchemaVersion = 2; // what an export writes
    static constexpr int FirstSchemaVersion = 1; // the oldest version read
    // Larger files are refused before they are parsed: an environment has a few hundred of these records, whose
    // snapshot is well under 1 MB.
    static constexpr qint64 MaxFileBytes = 8 * 1024 * 1024;

    QString environmentUrl;
    QString organizationId;
    QDateTime exportedAt;
    QString toolVersion;
    // In channel/state order once normalized; etag carries the versionnumber (W/"<versionnumber>").
    QList<ChannelStateConfig> records;
    // By name, then id, once normalized; etag as for records. Empty in a version 1 file, which says nothing about them.
    QList<Workstream> workstreams;
    // The version the snapshot was read as (a capture is the current one); toJson writes that version's layout, so a
    // version 1 file read and written again still says nothing about workstreams.
    int schemaVersion = SchemaVersion;

    // Whether the snapshot says what the workstreams hold (version 2 and later).
    bool hasWorkstreams() const { return schemaVersion >= 2; }

    // The values a snapshot file may hold for a setting: the column's range on its reference page
    // (docs/dataverse-tables.md): 0 to 2147483647 minutes, and 0 to 43200 for the wrap-up block. An environment's
    // metadata may narrow them; applying checks that range too (SnapshotOps::checkRanges).
    struct Range
    {
        int minimum = 0;
        int maximum = 0;
    };
    static Range fileRange(TimerSetting setting);
    // The order of workstreams in a file: by name, then id.
    static bool workstreamOrder(const Workstream &a, const Workstream &b);

    // Sorts the records and workstreams into the stable order of every export.
    void normalize();

    // Sorted keys, two-space indentation, UTF-8, a final newline; exportedAt stands on a line of its own, so two
    // exports of unchanged data differ in that line only.
    QByteArray toJson() const;
    // A header row, then one line per value: each record's, then each workstream's two (the "setting" column says
    // which, docs/snapshots.md); RFC 4180 quoting.
    QByteArray toCsv() const;

    // Validates everything before returning anything: a problem names the record or workstream (position and name) and
    // the field. An unknown schema version is refused; version 1 is read with no workstreams. source names the file in
    // messages.
    static Result<Snapshot> fromJson(const QByteArray &json, const QString &source);

    // The versionnumber in an ETag W/"<n>", if it holds one.
    static std::optional<qint64> versionNumber(const QString &etag);
};
