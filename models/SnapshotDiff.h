#pragma once

#include "models/ChannelStateConfig.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

// Two sets of configurations compared record by record (docs/snapshots.md): matched by id where both sides have it,
// otherwise by channel configuration name, stream source and state. When that key names more than one record on a
// side, the records are shown as ambiguous, never paired by guess.
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
    enum class MatchedBy { Nothing, Id, NaturalKey };
    struct Entry
    {
        Kind kind = Kind::Same;
        MatchedBy matchedBy = MatchedBy::Nothing;
        std::optional<ChannelStateConfig> left;
        std::optional<ChannelStateConfig> right;
        // The record either side describes, for labels and ordering.
        const ChannelStateConfig &record() const { return left ? *left : *right; }
    };

    QList<Entry> entries; // in channel/state order

    static SnapshotDiff compare(const QList<ChannelStateConfig> &left, const QList<ChannelStateConfig> &right);

    qsizetype count(Kind kind) const;
    bool hasDifferences() const; // anything but Same
    static QString kindName(Kind kind); // "changed", "only-left", … (for JSON)
    static QString kindLabel(Kind kind); // for people
};

// What applying a desired set (a snapshot) to an environment would change: each record, old → new.
struct ApplyPlan
{
    Q_DECLARE_TR_FUNCTIONS(ApplyPlan)
public:
    struct Change
    {
        ChannelStateConfig current; // as the environment has it, with the ETag to send
        std::optional<int> minutes; // the new value
    };
    QList<Change> changes;
    QList<ChannelStateConfig> notInEnvironment; // in the snapshot but matched to nothing live: cannot be created
    QList<SnapshotDiff::Entry> ambiguous; // refuse to apply while any is left

    // left: what the environment should hold (the snapshot); right: what it holds now.
    static ApplyPlan from(const SnapshotDiff &desiredVersusLive);
    bool isEmpty() const { return changes.isEmpty(); }
};
