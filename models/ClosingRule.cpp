#include "models/ClosingRule.h"

#include "models/MicrosoftDefaults.h"

#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int StatusOpen = 1;
constexpr int StatusActive = 2;
constexpr int StatusWaiting = 3;
constexpr int StatusWrapUp = 5;
} // namespace

QString ClosingRule::basisName(Basis basis)
{
    return basis == Basis::Created ? u"created"_s : u"modified"_s;
}

std::optional<ClosingRule::Basis> ClosingRule::basisFromName(const QString &name)
{
    if (name == u"created"_s)
        return Basis::Created;
    if (name == u"modified"_s)
        return Basis::Modified;
    return std::nullopt;
}

std::optional<int> ClosingRule::configurationState(int statusCode)
{
    switch (statusCode) {
    case StatusOpen:
        return int(ConversationState::Open);
    case StatusActive:
        return int(ConversationState::Active);
    case StatusWaiting:
        return int(ConversationState::Waiting);
    case StatusWrapUp:
        return int(ConversationState::WrapUp);
    default:
        return std::nullopt; // Closed, Resolved, Scheduled: never auto-closed
    }
}

int ClosingRule::statusCodeOf(int configurationState)
{
    switch (ConversationState(configurationState)) {
    case ConversationState::Open:
        return StatusOpen;
    case ConversationState::Active:
        return StatusActive;
    case ConversationState::Waiting:
        return StatusWaiting;
    case ConversationState::WrapUp:
        return StatusWrapUp;
    case ConversationState::Closed:
        break;
    }
    return 4; // Closed: matches no live conversation
}

std::optional<ClosingRule::Start> ClosingRule::timerStart(const Conversation &conversation, Basis basis)
{
    if (basis == Basis::Modified) {
        if (!conversation.modifiedOn.isValid())
            return std::nullopt;
        return Start {conversation.modifiedOn, false};
    }
    if (conversation.statusCode == StatusWrapUp) {
        if (conversation.wrapUpInitiatedOn.isValid())
            return Start {conversation.wrapUpInitiatedOn, false};
        if (conversation.createdOn.isValid())
            return Start {conversation.createdOn, true};
        return std::nullopt;
    }
    if (!conversation.createdOn.isValid())
        return std::nullopt;
    return Start {conversation.createdOn, false};
}

bool ClosingRule::matches(const Conversation &conversation, const ChannelStateConfig &configuration)
{
    const auto state = configurationState(conversation.statusCode);
    return state && *state == configuration.state && configuration.streamSource &&
        conversation.channels.contains(*configuration.streamSource);
}

std::optional<QDateTime> ClosingRule::eligibleFrom(const Conversation &conversation, std::optional<int> minutes,
                                                   Basis basis)
{
    if (!minutes)
        return std::nullopt;
    const auto start = timerStart(conversation, basis);
    if (!start)
        return std::nullopt;
    return start->time.addSecs(qint64(*minutes) * 60);
}

bool ClosingRule::inactivityGoverns(std::optional<int> streamSource)
{
    // The channels whose Waiting row says the workstream decides (docs/closing-rule.md).
    return !MicrosoftDefaults::caveat(streamSource, int(ConversationState::Waiting)).isEmpty();
}

bool ClosingRule::wrapUpBlockApplies(std::optional<int> streamSource)
{
    // The Web API article states the block's precedence in its section on live chat's Wrap-up (docs/closing-rule.md).
    return streamSource == StreamSource::LiveChat;
}

bool ClosingRule::dependsOnWorkstream(const ChannelStateConfig &configuration)
{
    switch (ConversationState(configuration.state)) {
    case ConversationState::Waiting:
        return inactivityGoverns(configuration.streamSource);
    case ConversationState::WrapUp:
        return wrapUpBlockApplies(configuration.streamSource);
    default:
        return false;
    }
}

std::optional<int> ClosingRule::effectiveMinutes(const ChannelStateConfig &configuration, const Workstream *workstream)
{
    if (!workstream || !configuration.streamSource || workstream->streamSource != configuration.streamSource ||
        !dependsOnWorkstream(configuration))
        return configuration.minutes;
    if (ConversationState(configuration.state) == ConversationState::Waiting)
        return workstream->inactivityMinutes ? workstream->inactivityMinutes : configuration.minutes;
    // Wrap-up: the block wins when it is longer; nothing is longer than never.
    if (!configuration.minutes || !workstream->wrapUpBlockMinutes)
        return configuration.minutes;
    return std::max(*configuration.minutes, *workstream->wrapUpBlockMinutes);
}

const Workstream *ClosingRule::workstreamOf(const Conversation &conversation, const QList<Workstream> &workstreams)
{
    if (conversation.workstreamId.isEmpty() || workstreams.isEmpty())
        return nullptr;
    const QUuid id = QUuid::fromString(conversation.workstreamId);
    if (id.isNull())
        return nullptr;
    for (const Workstream &workstream : workstreams) {
        if (QUuid::fromString(workstream.id) == id)
            return &workstream;
    }
    return nullptr;
}

std::optional<ClosingRule::Verdict> ClosingRule::evaluate(const Conversation &conversation,
                                                          const QList<ChannelStateConfig> &configurations, Basis basis)
{
    return evaluate(conversation, configurations, {}, basis);
}

std::optional<ClosingRule::Verdict> ClosingRule::evaluate(const Conversation &conversation,
                                                          const QList<ChannelStateConfig> &configurations,
                                                          const QList<Workstream> &workstreams, Basis basis)
{
    std::optional<Verdict> best;
    const auto start = timerStart(conversation, basis);
    const Workstream *workstream = workstreamOf(conversation, workstreams);
    for (const ChannelStateConfig &configuration : configurations) {
        if (!matches(conversation, configuration))
            continue;
        const std::optional<int> minutes = effectiveMinutes(configuration, workstream);
        const auto eligible = eligibleFrom(conversation, minutes, basis);
        if (!eligible)
            continue;
        if (!best || *eligible < best->eligibleSince) {
            best = Verdict {configuration.id, *eligible, start && start->wrapUpFallback,
                            workstream && minutes != configuration.minutes ? workstream->id : QString()};
        }
    }
    return best;
}

bool ClosingRule::isEligibleAt(const Verdict &verdict, const QDateTime &at)
{
    return verdict.eligibleSince <= at;
}

QDateTime ClosingRule::closesBy(const QDateTime &eligibleSince, int jobIntervalMinutes)
{
    return eligibleSince.addSecs(qint64(std::max(0, jobIntervalMinutes)) * 60);
}

std::optional<QDateTime> ClosingRule::cutoff(const QDateTime &at, std::optional<int> minutes)
{
    if (!minutes)
        return std::nullopt;
    return at.addSecs(-qint64(*minutes) * 60);
}
