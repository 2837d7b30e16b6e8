#pragma once

#include "models/ChannelStateConfig.h"
#include "models/TimerSetting.h"
#include "models/Workstream.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

struct Snapshot;

// Two sides compared value by value (docs/snapshots.md). Channel-state configurations are matched by id where both
// sides have it, otherwise by channel configuration name, stream source and state; workstreams by id, otherwise by
// name. When a key names more than one record (or workstream) on a side, they are shown as ambiguous, never paired by
// guess. A version 1 snapshot says nothing about workstreams: with one on either side, workstreams are not compared.
struct SnapshotDiff
{
    Q_DECLARE_TR_FUNCTIONS(SnapshotDiff)
public:
    enum class Kind {
        Same, // matched, same minutes
        Changed, // matched, different minutes
        OnlyLeft,
        OnlyRight,
        Ambiguous, // the natural key matches more than one record on one side
    };
    enum class MatchedBy {
        Nothing,
        Id,
        NaturalKey, // records: channel configuration, channel and state; workstreams: the name
    };
    struct Entry
    {
        Kind kind = Kind::Same;
        MatchedBy matchedBy = MatchedBy::Nothing;
        std::optional<ChannelStateConfig> left;
        std::optional<ChannelStateConfig> right;
        // The record either side describes, for labels and ordering.
        const ChannelStateConfig &record() const { return left ? *left : *right; }
    };
    // One value of a workstream: each workstream gives one entry per setting (Inactivity, WrapUpBlock), so a
    // workstream whose two timers both differ is two Changed lines.
    struct WorkstreamEntry
    {
        Kind kind = Kind::Same;
        MatchedBy matchedBy = MatchedBy::Nothing;
        TimerSetting setting = TimerSetting::Inactivity;
        std::optional<Workstream> left;
        std::optional<Workstream> right;
        const Workstream &workstream() const { return left ? *left : *right; }
        std::optional<int> leftMinutes() const;
        std::optional<int> rightMinutes() const;
    };
    QList<Entry> entries; // in channel/state order
    QList<WorkstreamEntry> workstreams; // by workstream name, then setting
    // Whether each side said what its workstreams hold: a version 1 snapshot does not.
    bool leftHasWorkstreams = true;
    bool rightHasWorkstreams = true;

    // The records only (workstreams are not compared: both sides are taken to say nothing about them).
    static SnapshotDiff compare(const QList<ChannelStateConfig> &left, const QList<ChannelStateConfig> &right);
    // Records and, when both snapshots hold them (version 2), workstreams.
    static SnapshotDiff compare(const Snapshot &left, const Snapshot &right);
    static QList<WorkstreamEntry> compareWorkstreams(const QList<Workstream> &left, const QList<Workstream> &right);

    bool workstreamsCompared() const { return leftHasWorkstreams && rightHasWorkstreams; }
    // Why workstreams were not compared, naming the sides; empty when they were.
    QString workstreamsNotCompared(const QString &leftLabel, const QString &rightLabel) const;

    qsizetype count(Kind kind) const; // records
    qsizetype workstreamCount(Kind kind) const; // workstream values
    bool hasDifferences() const; // anything but Same, records or workstream values
    static QString kindName(Kind kind); // "changed", "only-left", … (for JSON)
    static QString kindLabel(Kind kind); // for people
    // A value in minutes of a setting of a workstream.
    static std::optional<int> minutesOf(const Workstream &workstream, TimerSetting setting);
    // A value for people, as the window shows it (WorkstreamTableModel): an empty channel-state value is "Never", an
    // empty inactivity "Not set", an empty wrap-up block "Always block" (UNCONFIRMED, docs/dataverse-tables.md).
    static QString format(TimerSetting setting, std::optional<int> minutes);
    // What the product assumes of the workstreams' values (their unit, what an empty block means), said wherever they
    // are shown (docs/dataverse-tables.md).
    static QString workstreamUnitAssumption();
};

// What applying a desired set (a snapshot) to an environment would change: each value, old → new.
struct ApplyPlan
{
    Q_DECLARE_TR_FUNCTIONS(ApplyPlan)
public:
    struct Change
    {
        ChannelStateConfig current; // as the environment has it, with the ETag to send
        std::optional<int> minutes; // the new value
    };
    // One value of a workstream.
    struct WorkstreamChange
    {
        Workstream current; // as the environment has it, with the ETag to send
        TimerSetting setting = TimerSetting::Inactivity;
        std::optional<int> minutes; // the new value
    };
    QList<Change> changes;
    QList<WorkstreamChange> workstreamChanges;
    QList<ChannelStateConfig> notInEnvironment; // in the snapshot but matched to nothing live: cannot be created
    QList<SnapshotDiff::Entry> ambiguous; // refuse to apply while any is left
    // A workstream of the snapshot matched to nothing live: it cannot be created, and the file asked for its values,
    // so nothing is applied while any is left.
    QList<Workstream> workstreamsNotInEnvironment;
    QList<SnapshotDiff::WorkstreamEntry> ambiguousWorkstreams; // refuse to apply while any is left
    // The desired side is a version 1 snapshot: it says nothing about workstreams, which are left as they are.
    bool workstreamsLeftAlone = false;

    // left: what the environment should hold (the snapshot); right: what it holds now.
    static ApplyPlan from(const SnapshotDiff &desiredVersusLive);
    bool isEmpty() const { return changes.isEmpty() && workstreamChanges.isEmpty(); }
    qsizetype size() const { return changes.size() + workstreamChanges.size(); }

    // Every value the plan writes, in the order EditSession::apply sends them (and its results come back): the
    // records', then the workstreams'.
    struct Item
    {
        TimerSetting setting = TimerSetting::ChannelState;
        QString id;
        QString name; // the record's or workstream's msdyn_name
        QString etag;
        // For people:
        QString table; // "Channel state", "Workstream"
        QString channel; // "Live chat"; empty for a workstream of no known channel
        QString stateOrSetting; // a record's state ("Open"), a workstream value's setting ("Auto-close after …")
        QString where; // "Live chat · Open", "SMS support · Auto-close after inactivity"
        std::optional<int> before;
        std::optional<int> after;
    };
    QList<Item> items() const;

    // Why the plan cannot be applied about workstreams, one sentence each (a workstream matched to nothing live or
    // ambiguously, a required value emptied); empty when nothing stands in the way. Ambiguous records are reported
    // apart (ambiguous), as before workstreams were planned.
    QStringList workstreamRefusals() const;
    // The values outside [minimum, maximum] for a setting, one sentence each: the environment's metadata gives the
    // range (SnapshotOps::checkRanges).
    QStringList outOfRange(TimerSetting setting, qint64 minimum, qint64 maximum) const;
    // The settings the plan writes.
    QList<TimerSetting> settings() const;
};
