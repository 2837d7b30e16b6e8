#pragma once

#include "models/ChannelStateConfig.h"
#include "models/TimerSetting.h"

#include <QList>
#include <QString>

#include <optional>

// Values that are allowed but probably a mistake. They are flagged beside the value and in the save confirmation,
// never blocked: an admin may have a reason.
struct EditRisk
{
    enum class Kind {
        Zero, // 0: what it means is not documented; treated as "at the next run of the closing job"
        VeryShortOpen, // under 5 minutes in Open
        LiveChatActive, // live chat conversations with an agent, which Microsoft never closes by default
        FarFromDefault, // a tenth of Microsoft's default or less, or ten times it or more
        VeryShortInactivity, // a workstream's auto-close after inactivity under 5 minutes
    };
    Kind kind;
    QString message;
};

namespace EditRisks {
constexpr int ShortOpenMinutes = 5;
constexpr int ShortInactivityMinutes = 5;
constexpr int FarFromDefaultFactor = 10;

// What is risky about giving config the value minutes (empty: never). Empty when nothing is.
QList<EditRisk> assess(const ChannelStateConfig &config, std::optional<int> minutes);
// What is risky about giving a workstream's timer (Inactivity or WrapUpBlock) the value minutes.
QList<EditRisk> assessWorkstream(TimerSetting setting, std::optional<int> minutes);
// The messages, one per line.
QString describe(const QList<EditRisk> &risks);
} // namespace EditRisks
