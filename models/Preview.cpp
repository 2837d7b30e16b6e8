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
    const auto underSaved = ClosingRule::evaluate(conversation, scenario.saved, scenario.basis);
    const auto underEdited = ClosingRule::evaluate(conversation, scenario.edited, scenario.basis);
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
