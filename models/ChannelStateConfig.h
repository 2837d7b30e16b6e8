#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

// Codes of the msdyn_ocliveworkitemstate choice (docs/dataverse-tables.md).
enum class ConversationState { Open = 0, Active = 1, Waiting = 2, Closed = 3, WrapUp = 4 };

// Codes of the global choice msdyn_streamsource that the product names (docs/dataverse-tables.md).
namespace StreamSource {
constexpr int LiveChat = 192360000;
constexpr int Sms = 192340000;
constexpr int Facebook = 192330000;
constexpr int Teams = 19241000; // 8 digits, as Microsoft publishes it
constexpr int WhatsApp = 192300000;
constexpr int Line = 192310000;
constexpr int WeChat = 192320000;
constexpr int EntityRecords = 192350000;
constexpr int Twitter = 192350001;
constexpr int Custom = 192350002;
constexpr int Voice = 192370000;
constexpr int Video = 192380000;
constexpr int CoBrowse = 192390000;
constexpr int ScreenSharing = 192400000;
constexpr int VoiceCall = 192440000;
constexpr int AppleMessages = 192450000;
constexpr int GoogleBusinessMessages = 192450001;

// "Live chat", "SMS", …; "Channel <code>" for a code we do not know.
QString label(int code);
} // namespace StreamSource

QString conversationStateLabel(int stateCode);

// One msdyn_occhannelstateconfiguration record: how long a conversation of one channel may stay in one state.
struct ChannelStateConfig
{
    QString id; // msdyn_occhannelstateconfigurationid
    QString name;
    QString channelConfigId; // _msdyn_occhannelconfigurationid_value
    QString channelName; // the channel configuration's msdyn_name, when it was read
    std::optional<int> streamSource; // the channel configuration's msdyn_streamsource, when it was read
    int state = 0; // msdyn_ocliveworkitemstate code
    std::optional<int> minutes; // msdyn_autocloseliveworkitemafter; empty = never auto-close
    QString etag; // @odata.etag, W/"<versionnumber>"
    QDateTime modifiedOn;

    QString channelLabel() const;
    friend bool operator==(const ChannelStateConfig &, const ChannelStateConfig &) = default;
};

// The order snapshots and listings use: channel, then state, then name.
bool channelStateOrder(const ChannelStateConfig &a, const ChannelStateConfig &b);
