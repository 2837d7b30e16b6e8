#include "models/MicrosoftDefaults.h"

#include "models/ChannelStateConfig.h"
#include "models/Duration.h"

#include <QCoreApplication>

namespace {
constexpr int Hours2 = 2 * Duration::MinutesPerHour;
constexpr int Day1 = Duration::MinutesPerDay;
constexpr int Days30 = 30 * Duration::MinutesPerDay;

bool isMessagingChannel(int source)
{
    switch (source) {
    case StreamSource::Sms:
    case StreamSource::Teams:
    case StreamSource::Facebook:
    case StreamSource::WhatsApp:
    case StreamSource::Line:
    case StreamSource::WeChat:
    case StreamSource::Twitter:
    case StreamSource::AppleMessages:
    case StreamSource::GoogleBusinessMessages:
        return true;
    default:
        return false;
    }
}
} // namespace

std::optional<DefaultValue> MicrosoftDefaults::lookup(std::optional<int> streamSource, int state)
{
    if (!streamSource)
        return std::nullopt;
    const int source = *streamSource;
    const auto st = static_cast<ConversationState>(state);

    if (source == StreamSource::LiveChat) {
        switch (st) {
        case ConversationState::Open:
            return DefaultValue {20, {}};
        case ConversationState::Active:
            return DefaultValue {std::nullopt, {}};
        case ConversationState::WrapUp:
            return DefaultValue {15, {}};
        default:
            return std::nullopt;
        }
    }
    if (source == StreamSource::Voice || source == StreamSource::VoiceCall) {
        switch (st) {
        case ConversationState::Open:
            return DefaultValue {Days30, {}};
        case ConversationState::Active:
            return DefaultValue {Hours2, QCoreApplication::translate("MicrosoftDefaults", "Moves to Wrap-up.")};
        case ConversationState::WrapUp:
            return DefaultValue {Day1, {}};
        default:
            return std::nullopt;
        }
    }
    if (isMessagingChannel(source)) {
        switch (st) {
        case ConversationState::Open:
        case ConversationState::Active:
            return DefaultValue {Days30, {}};
        case ConversationState::WrapUp:
            return DefaultValue {Day1, {}};
        default:
            return std::nullopt;
        }
    }
    return std::nullopt;
}

QString MicrosoftDefaults::caveat(std::optional<int> streamSource, int state)
{
    if (static_cast<ConversationState>(state) != ConversationState::Waiting)
        return {};
    if (streamSource && (isMessagingChannel(*streamSource) || *streamSource == StreamSource::LiveChat))
        return QCoreApplication::translate("MicrosoftDefaults",
                                           "Waiting conversations of persistent chat, SMS, social channels and Teams "
                                           "close after the workstream's \"auto-close after inactivity\" instead.");
    return {};
}
