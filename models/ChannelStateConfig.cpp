#include "models/ChannelStateConfig.h"

#include <QCoreApplication>

#include <tuple>

using namespace Qt::StringLiterals;

QString StreamSource::label(int code)
{
    switch (code) {
    case LiveChat:
        return QCoreApplication::translate("StreamSource", "Live chat");
    case Sms:
        return QCoreApplication::translate("StreamSource", "SMS");
    case Facebook:
        return QCoreApplication::translate("StreamSource", "Facebook");
    case Teams:
        return QCoreApplication::translate("StreamSource", "Microsoft Teams");
    case WhatsApp:
        return QCoreApplication::translate("StreamSource", "WhatsApp");
    case Line:
        return QCoreApplication::translate("StreamSource", "LINE");
    case WeChat:
        return QCoreApplication::translate("StreamSource", "WeChat");
    case EntityRecords:
        return QCoreApplication::translate("StreamSource", "Entity records");
    case Twitter:
        return QCoreApplication::translate("StreamSource", "Twitter");
    case Custom:
        return QCoreApplication::translate("StreamSource", "Custom");
    case Voice:
        return QCoreApplication::translate("StreamSource", "Voice");
    case Video:
        return QCoreApplication::translate("StreamSource", "Video");
    case CoBrowse:
        return QCoreApplication::translate("StreamSource", "Co-browse");
    case ScreenSharing:
        return QCoreApplication::translate("StreamSource", "Screen sharing");
    case VoiceCall:
        return QCoreApplication::translate("StreamSource", "Voice call");
    case AppleMessages:
        return QCoreApplication::translate("StreamSource", "Apple Messages for Business");
    case GoogleBusinessMessages:
        return QCoreApplication::translate("StreamSource", "Google's Business Messages");
    }
    return QCoreApplication::translate("StreamSource", "Channel %1").arg(code);
}

QString conversationStateLabel(int stateCode)
{
    switch (static_cast<ConversationState>(stateCode)) {
    case ConversationState::Open:
        return QCoreApplication::translate("ConversationState", "Open");
    case ConversationState::Active:
        return QCoreApplication::translate("ConversationState", "Active");
    case ConversationState::Waiting:
        return QCoreApplication::translate("ConversationState", "Waiting");
    case ConversationState::Closed:
        return QCoreApplication::translate("ConversationState", "Closed");
    case ConversationState::WrapUp:
        return QCoreApplication::translate("ConversationState", "Wrap-up");
    }
    return QCoreApplication::translate("ConversationState", "State %1").arg(stateCode);
}

QString ChannelStateConfig::channelLabel() const
{
    if (streamSource)
        return StreamSource::label(*streamSource);
    if (!channelName.isEmpty())
        return channelName;
    return QCoreApplication::translate("ChannelStateConfig", "Unknown channel");
}

bool channelStateOrder(const ChannelStateConfig &a, const ChannelStateConfig &b)
{
    // Records whose channel is unknown sort last; the id breaks every remaining tie so the order is total.
    const auto key = [](const ChannelStateConfig &c) {
        return std::make_tuple(!c.streamSource.has_value(), c.streamSource.value_or(0), c.channelName, c.state, c.name,
                               c.id);
    };
    return key(a) < key(b);
}
