#include "models/TimerSetting.h"

#include <QCoreApplication>
#include <QHashFunctions>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("TimerSettings", text);
}
} // namespace

namespace TimerSettings {

QString entitySet(TimerSetting setting)
{
    return setting == TimerSetting::ChannelState ? u"msdyn_occhannelstateconfigurations"_s : u"msdyn_liveworkstreams"_s;
}

QString table(TimerSetting setting)
{
    return setting == TimerSetting::ChannelState ? u"msdyn_occhannelstateconfiguration"_s : u"msdyn_liveworkstream"_s;
}

QString keyColumn(TimerSetting setting)
{
    return table(setting) + u"id"_s;
}

QString column(TimerSetting setting)
{
    switch (setting) {
    case TimerSetting::ChannelState:
        return u"msdyn_autocloseliveworkitemafter"_s;
    case TimerSetting::Inactivity:
        return u"msdyn_autocloseafterinactivity"_s;
    case TimerSetting::WrapUpBlock:
        return u"msdyn_blockcapacityforwrapup"_s;
    }
    return {};
}

bool allowsEmpty(TimerSetting setting)
{
    return setting != TimerSetting::Inactivity;
}

QString name(TimerSetting setting)
{
    switch (setting) {
    case TimerSetting::ChannelState:
        return u"channel-state"_s;
    case TimerSetting::Inactivity:
        return u"inactivity"_s;
    case TimerSetting::WrapUpBlock:
        return u"wrap-up-block"_s;
    }
    return {};
}

std::optional<TimerSetting> fromName(const QString &name)
{
    for (TimerSetting s : {TimerSetting::ChannelState, TimerSetting::Inactivity, TimerSetting::WrapUpBlock}) {
        if (TimerSettings::name(s) == name)
            return s;
    }
    return std::nullopt;
}

QString label(TimerSetting setting)
{
    switch (setting) {
    case TimerSetting::ChannelState:
        return tr("Auto-close after");
    case TimerSetting::Inactivity:
        return tr("Auto-close after inactivity");
    case TimerSetting::WrapUpBlock:
        return tr("Block capacity for wrap-up");
    }
    return {};
}

} // namespace TimerSettings

size_t qHash(const ValueRef &ref, size_t seed) noexcept
{
    return qHashMulti(seed, ref.id, int(ref.setting));
}
