#include "models/EditRisks.h"

#include "models/Duration.h"
#include "models/MicrosoftDefaults.h"

#include <QCoreApplication>
#include <QStringList>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("EditRisks", text);
}
} // namespace

QList<EditRisk> EditRisks::assess(const ChannelStateConfig &config, std::optional<int> minutes)
{
    QList<EditRisk> risks;
    if (!minutes)
        return risks;
    const int value = *minutes;
    const auto state = ConversationState(config.state);
    if (value == 0) {
        // docs/dataverse-tables.md: UNCONFIRMED what 0 means; the product assumes "at the next job run" and says so.
        risks << EditRisk {EditRisk::Kind::Zero,
                           tr("0 minutes: conversations in this state may close at the next run of the closing job "
                              "(Microsoft does not document what 0 means; this tool assumes that).")};
    } else if (state == ConversationState::Open && value < ShortOpenMinutes) {
        risks << EditRisk {
            EditRisk::Kind::VeryShortOpen,
            tr("Under %1 minutes in Open: customers still waiting for an agent may be cut off.").arg(ShortOpenMinutes)};
    }
    if (state == ConversationState::Active && config.streamSource == StreamSource::LiveChat) {
        risks << EditRisk {EditRisk::Kind::LiveChatActive,
                           tr("Live chat conversations in Active are talking to an agent; Microsoft's default never "
                              "closes them.")};
    }
    const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
    if (value > 0 && def && def->minutes && *def->minutes > 0) {
        const qint64 d = *def->minutes;
        if (qint64(value) * FarFromDefaultFactor <= d || qint64(value) >= d * FarFromDefaultFactor) {
            risks << EditRisk {EditRisk::Kind::FarFromDefault,
                               tr("Far from Microsoft's default of %1.").arg(Duration::format(*def->minutes))};
        }
    }
    return risks;
}

QList<EditRisk> EditRisks::assessWorkstream(TimerSetting setting, std::optional<int> minutes)
{
    QList<EditRisk> risks;
    if (!minutes || setting != TimerSetting::Inactivity)
        return risks; // a short wrap-up block only gives the agent's capacity back sooner
    if (*minutes == 0) {
        // docs/closing-rule.md: what 0 means is not documented; the product assumes "at the next job run".
        risks << EditRisk {EditRisk::Kind::Zero,
                           tr("0 minutes: Waiting conversations of this workstream may close at the next run of the "
                              "closing job (Microsoft does not document what 0 means; this tool assumes that).")};
    } else if (*minutes < ShortInactivityMinutes) {
        risks << EditRisk {EditRisk::Kind::VeryShortInactivity,
                           tr("Under %1 minutes of inactivity: customers who take a moment to reply may find their "
                              "conversation closed.")
                               .arg(ShortInactivityMinutes)};
    }
    return risks;
}

QString EditRisks::describe(const QList<EditRisk> &risks)
{
    QStringList lines;
    for (const EditRisk &risk : risks)
        lines << risk.message;
    return lines.join(QLatin1Char('\n'));
}
