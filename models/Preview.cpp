#include "models/Preview.h"

#include <QCoreApplication>

PreviewScenario PreviewScenario::make(const QList<ChannelStateConfig> &saved,
                                      const QHash<QString, std::optional<int>> &edits, const QDateTime &at,
                                      ClosingRule::Basis basis)
{
    PreviewScenario scenario;
    scenario.saved = saved;
    scenario.edited = saved;
    for (ChannelStateConfig &config : scenario.edited) {
        if (const auto it = edits.constFind(config.id); it != edits.cend())
            config.minutes = *it;
    }
    scenario.at = at.toUTC();
    scenario.basis = basis;
    return scenario;
}

PreviewScenario PreviewScenario::make(const QList<ChannelStateConfig> &saved, const QList<Workstream> &workstreams,
                                      const QHash<ValueRef, std::optional<int>> &edits, const QDateTime &at,
                                      ClosingRule::Basis basis)
{
    QHash<QString, std::optional<int>> configurationEdits;
    for (auto it = edits.cbegin(); it != edits.cend(); ++it) {
        if (it.key().setting == TimerSetting::ChannelState)
            configurationEdits.insert(it.key().id, it.value());
    }
    PreviewScenario scenario = make(saved, configurationEdits, at, basis);
    scenario.savedWorkstreams = workstreams;
    scenario.editedWorkstreams = workstreams;
    for (Workstream &workstream : scenario.editedWorkstreams) {
        if (const auto it = edits.constFind(ValueRef {workstream.id, TimerSetting::Inactivity}); it != edits.cend())
            workstream.inactivityMinutes = *it;
        if (const auto it = edits.constFind(ValueRef {workstream.id, TimerSetting::WrapUpBlock}); it != edits.cend())
            workstream.wrapUpBlockMinutes = *it;
    }
    return scenario;
}

const Workstream &PreviewScenario::editedWorkstream(qsizetype index) const
{
    const Workstream &before = savedWorkstreams.at(index);
    if (index < editedWorkstreams.size() && editedWorkstreams.at(index).id == before.id)
        return editedWorkstreams.at(index);
    for (const Workstream &after : editedWorkstreams) {
        if (after.id == before.id)
            return after;
    }
    return before;
}

bool PreviewScenario::isWorkstreamEdited(const QString &id) const
{
    for (qsizetype i = 0; i < savedWorkstreams.size(); ++i) {
        if (savedWorkstreams.at(i).id == id) {
            const Workstream &after = editedWorkstream(i);
            return savedWorkstreams.at(i).inactivityMinutes != after.inactivityMinutes ||
                savedWorkstreams.at(i).wrapUpBlockMinutes != after.wrapUpBlockMinutes;
        }
    }
    return false;
}

bool PreviewScenario::hasEdits() const
{
    for (qsizetype i = 0; i < saved.size() && i < edited.size(); ++i) {
        if (saved.at(i).minutes != edited.at(i).minutes)
            return true;
    }
    for (const Workstream &workstream : savedWorkstreams) {
        if (isWorkstreamEdited(workstream.id))
            return true;
    }
    return false;
}

bool PreviewScenario::isEdited(const QString &id) const
{
    for (qsizetype i = 0; i < saved.size() && i < edited.size(); ++i) {
        if (saved.at(i).id == id)
            return saved.at(i).minutes != edited.at(i).minutes;
    }
    return false;
}

std::optional<PreviewRow> Preview::classify(const Conversation &conversation, const PreviewScenario &scenario)
{
    const auto underSaved =
        ClosingRule::evaluate(conversation, scenario.saved, scenario.savedWorkstreams, scenario.basis);
    const auto underEdited =
        ClosingRule::evaluate(conversation, scenario.edited, scenario.editedWorkstreams, scenario.basis);
    const bool savedCloses = underSaved && ClosingRule::isEligibleAt(*underSaved, scenario.at);
    const bool editedCloses = underEdited && ClosingRule::isEligibleAt(*underEdited, scenario.at);
    if (!savedCloses && !editedCloses)
        return std::nullopt;
    PreviewRow row;
    row.conversation = conversation;
    const ClosingRule::Verdict &verdict = editedCloses ? *underEdited : *underSaved;
    row.configurationId = verdict.configurationId;
    row.eligibleSince = verdict.eligibleSince;
    row.wrapUpFallback = verdict.wrapUpFallback;
    row.workstreamId = verdict.workstreamId;
    row.category = savedCloses && editedCloses ? PreviewRow::Category::ClosesUnderBoth
        : editedCloses                         ? PreviewRow::Category::NewlyCloses
                                               : PreviewRow::Category::NoLongerCloses;
    return row;
}

QString Preview::categoryLabel(PreviewRow::Category category)
{
    switch (category) {
    case PreviewRow::Category::ClosesUnderBoth:
        return QCoreApplication::translate("Preview", "Closes");
    case PreviewRow::Category::NewlyCloses:
        return QCoreApplication::translate("Preview", "Newly closes (your edit)");
    case PreviewRow::Category::NoLongerCloses:
        return QCoreApplication::translate("Preview", "No longer closes (your edit)");
    }
    return {};
}
