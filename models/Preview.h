#pragma once

#include "models/ChannelStateConfig.h"
#include "models/ClosingRule.h"
#include "models/Conversation.h"
#include "models/TimerSetting.h"
#include "models/Workstream.h"

#include <QDateTime>
#include <QHash>
#include <QList>

#include <optional>

// What the closure preview compares: the configurations and workstreams as saved and as they would be with the user's
// edits, at one moment, under one timer basis. The workstreams time Waiting and Wrap-up conversations of some channels
// (ClosingRule::effectiveMinutes); with none, every conversation is judged by the configurations alone.
struct PreviewScenario
{
    QList<ChannelStateConfig> saved; // the server's values
    QList<ChannelStateConfig> edited; // the same records with the pending values applied
    QList<Workstream> savedWorkstreams; // the workstreams read
    QList<Workstream> editedWorkstreams; // the same records, in the same order, with the pending values applied
    QDateTime at; // UTC
    ClosingRule::Basis basis = ClosingRule::Basis::Created;
    int jobIntervalMinutes = 5; // how often the closing job runs (about 5 minutes, per the 2024 article)

    // saved with edits (id → minutes; empty minutes = never) applied.
    static PreviewScenario make(const QList<ChannelStateConfig> &saved, const QHash<QString, std::optional<int>> &edits,
                                const QDateTime &at, ClosingRule::Basis basis);
    // saved and workstreams with edits of either table applied (a setting of a record → its value).
    static PreviewScenario make(const QList<ChannelStateConfig> &saved, const QList<Workstream> &workstreams,
                                const QHash<ValueRef, std::optional<int>> &edits, const QDateTime &at,
                                ClosingRule::Basis basis);
    bool isEdited(const QString &id) const; // a configuration's value
    bool isWorkstreamEdited(const QString &id) const; // either timer of a workstream
    // The edited workstream of the saved one at index (the same record), or the saved one.
    const Workstream &editedWorkstream(qsizetype index) const;
    // Whether any value differs between the saved and the edited side.
    bool hasEdits() const;
};

// One conversation in the preview, and what the edits change for it.
struct PreviewRow
{
    enum class Category {
        ClosesUnderBoth, // eligible at the preview's time with the saved values and with the edits
        NewlyCloses, // eligible only because of the edits
        NoLongerCloses, // eligible with the saved values, no longer with the edits
    };
    Conversation conversation;
    QString configurationId; // the configuration that closes it first
    Category category = Category::ClosesUnderBoth;
    QDateTime eligibleSince; // with the edits; for NoLongerCloses, with the saved values
    bool wrapUpFallback = false; // a Wrap-up conversation timed from createdon, its wrap-up start being unknown
    QString workstreamId; // the workstream whose value timed it, when not the configuration's own
};

namespace Preview {
// Where the conversation stands at the scenario's time; nothing when it closes under neither.
std::optional<PreviewRow> classify(const Conversation &conversation, const PreviewScenario &scenario);
QString categoryLabel(PreviewRow::Category category);
} // namespace Preview
