#pragma once

#include "models/ChannelStateConfig.h"
#include "models/Conversation.h"
#include "models/Workstream.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

// The auto-close rule of docs/closing-rule.md as pure functions: when a conversation becomes eligible to be closed by a
// channel-state configuration, and by when the periodic job would close it. No I/O, so every case is tested alone.
namespace ClosingRule {

// What the timer counts from. The docs conflict (docs/closing-rule.md), so both are offered and the product says which.
enum class Basis {
    Created, // createdon; in Wrap-up, msdyn_wrapupinitiatedon (the documented Web API behaviour; the default)
    Modified, // msdyn_modifiedon, else modifiedon (the 2024 admin article)
};
QString basisName(Basis basis); // "created" / "modified", as the CLI and files spell it
std::optional<Basis> basisFromName(const QString &name);

// The msdyn_ocliveworkitemstate a conversation's statuscode corresponds to: 1→Open, 2→Active, 3→Waiting,
// 5→Wrap-up. Closed, Resolved and Scheduled (and anything else) never match a configuration.
std::optional<int> configurationState(int statusCode);
// The statuscode of conversations that a configuration's state applies to.
int statusCodeOf(int configurationState);

// The time the timer runs from for this conversation, or nothing when it is unknown. A Wrap-up conversation without
// msdyn_wrapupinitiatedon falls back to createdon under the created basis (wrapUpFallback says so).
struct Start
{
    QDateTime time;
    bool wrapUpFallback = false;
};
std::optional<Start> timerStart(const Conversation &conversation, Basis basis);

// Whether configuration applies to conversation: the same state, and a channel of the conversation equal to the
// configuration's stream source (UNCONFIRMED mapping, docs/closing-rule.md).
bool matches(const Conversation &conversation, const ChannelStateConfig &configuration);

// The workstream's two timers (docs/closing-rule.md, "Other things that close a conversation"):
//
// Whether, on this channel, a Waiting conversation's workstream's "auto-close after inactivity" replaces the
// configuration's value: persistent chat (live chat stands for it, having no stream source of its own), SMS, social
// channels and Teams, as MicrosoftDefaults::caveat names them.
bool inactivityGoverns(std::optional<int> streamSource);
// Whether, on this channel, a Wrap-up conversation's workstream's "block capacity for wrap-up" wins over a shorter
// configuration value: live chat, the channel the Web API article says it of (other channels UNCONFIRMED: not
// applied, so the preview errs towards showing a conversation at risk).
bool wrapUpBlockApplies(std::optional<int> streamSource);
// Whether the configuration's conversations are timed by their workstream: one of the two above for its state.
bool dependsOnWorkstream(const ChannelStateConfig &configuration);
// The minutes after which the configuration closes a conversation of workstream (nullptr: none known):
// - Waiting, where the inactivity governs: the workstream's inactivity minutes; an empty inactivity (the column is
//   required, so only in odd data) leaves the configuration's value;
// - Wrap-up, where the block applies: the longer of the configuration's value and the block; no block (empty or 0)
//   leaves the configuration's value, and a configuration that never closes stays never (UNCONFIRMED);
// - otherwise, or for a workstream of another channel than the configuration's: the configuration's value.
std::optional<int> effectiveMinutes(const ChannelStateConfig &configuration, const Workstream *workstream);
// The conversation's workstream among workstreams (ids compared as GUIDs), or nullptr: it has none, or one not among
// them. Such a conversation is judged by the configuration alone.
const Workstream *workstreamOf(const Conversation &conversation, const QList<Workstream> &workstreams);

// When the configuration (with minutes: empty = never) makes the conversation eligible. 0 minutes: eligible from
// the timer's start, so closed at the next run of the job.
std::optional<QDateTime> eligibleFrom(const Conversation &conversation, std::optional<int> minutes, Basis basis);

// The configuration that closes the conversation first, among those that match, with its time; nothing when none
// ever does. When several match, the earliest deadline wins: the preview errs towards showing a conversation at risk.
// With workstreams, a configuration's value is replaced or lengthened by the conversation's workstream's
// (effectiveMinutes); without, every conversation is judged by the configurations alone.
struct Verdict
{
    QString configurationId;
    QDateTime eligibleSince;
    bool wrapUpFallback = false;
    QString workstreamId; // the workstream whose value timed it, when that is not the configuration's own
};
std::optional<Verdict> evaluate(const Conversation &conversation, const QList<ChannelStateConfig> &configurations,
                                Basis basis);
std::optional<Verdict> evaluate(const Conversation &conversation, const QList<ChannelStateConfig> &configurations,
                                const QList<Workstream> &workstreams, Basis basis);

// Whether the conversation is eligible at time at (eligible ≤ at: exactly at the deadline counts).
bool isEligibleAt(const Verdict &verdict, const QDateTime &at);
// The latest time the job closes it: the job runs every interval, so at most one interval after eligibility.
QDateTime closesBy(const QDateTime &eligibleSince, int jobIntervalMinutes);

// The cutoff for a query done by the server: a conversation whose timer started at or before it is eligible at at.
// Empty for "never".
std::optional<QDateTime> cutoff(const QDateTime &at, std::optional<int> minutes);

} // namespace ClosingRule
