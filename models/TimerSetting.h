#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

// The settings that close a conversation after a time, and where each is stored (docs/dataverse-tables.md,
// docs/closing-rule.md). A value the product edits is one of these on one record: the table and column it is written
// to follow from the setting.
enum class TimerSetting {
    ChannelState, // msdyn_occhannelstateconfiguration.msdyn_autocloseliveworkitemafter; empty = never
    Inactivity, // msdyn_liveworkstream.msdyn_autocloseafterinactivity; required
    WrapUpBlock, // msdyn_liveworkstream.msdyn_blockcapacityforwrapup
};

namespace TimerSettings {
QString entitySet(TimerSetting setting); // "msdyn_occhannelstateconfigurations", "msdyn_liveworkstreams"
QString table(TimerSetting setting); // the table's logical name
QString keyColumn(TimerSetting setting); // its primary key column
QString column(TimerSetting setting); // the column holding the value
// Whether the column may be empty ("never"): the channel-state value may, a workstream's inactivity is required.
bool allowsEmpty(TimerSetting setting);
// The name files and the CLI use: "channel-state", "inactivity", "wrap-up-block".
QString name(TimerSetting setting);
std::optional<TimerSetting> fromName(const QString &name);
// For people: "Auto-close after", "Auto-close after inactivity", "Block capacity for wrap-up".
QString label(TimerSetting setting);
} // namespace TimerSettings

// One value the product edits: a setting of one record.
struct ValueRef
{
    QString id; // the record's primary key
    TimerSetting setting = TimerSetting::ChannelState;

    friend bool operator==(const ValueRef &, const ValueRef &) = default;
};
size_t qHash(const ValueRef &ref, size_t seed = 0) noexcept;
