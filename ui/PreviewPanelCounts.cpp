// PreviewPanel's counts: the table of what each configuration's edits would close, the summary line above it, and
// the notes on when the job next runs. Apart from PreviewPanel.cpp, which is long enough.
#include "ui/PreviewPanel.h"

#include "app/preview/ExactCount.h"
#include "models/ConfigTableModel.h"
#include "models/Duration.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QUuid>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {
QString countText(qint64 count, bool capped)
{
    return capped ? QCoreApplication::translate("PreviewPanel", "%1+").arg(QLocale().toString(count))
                  : QLocale().toString(count);
}

// A count for a plural form (%n takes an int).
int clampedCount(qint64 count)
{
    return int(std::min<qint64>(count, INT_MAX));
}

// A part of a configuration's conversations in the counts table: the workstreams named, or the rest.
QString partLabel(const ClosurePreview::Part &part, const PreviewScenario &scenario)
{
    if (part.others)
        return PreviewPanel::tr("no workstream, or another");
    QStringList names;
    for (const QString &id : part.workstreamIds) {
        const auto named = std::find_if(scenario.editedWorkstreams.begin(), scenario.editedWorkstreams.end(),
                                        [&id](const Workstream &w) { return QUuid::fromString(w.id) == QUuid(id); });
        names << (named != scenario.editedWorkstreams.end() ? named->name : id);
    }
    return names.join(u", "_s);
}

QString partTooltip(const ClosurePreview::Part &part, bool waiting)
{
    if (part.others)
        return PreviewPanel::tr("Conversations on no workstream, on one that was not read, or on one whose values are "
                                "the configuration's: timed by the configuration's value.");
    return waiting ? PreviewPanel::tr("Timed by the workstream's “auto-close after inactivity” (read as minutes, "
                                      "UNCONFIRMED), instead of the configuration's value.")
                   : PreviewPanel::tr("Timed by the workstream's “block capacity for wrap-up”, longer than the "
                                      "configuration's value.");
}
// A workstream's timer of setting (Inactivity or WrapUpBlock).
std::optional<int> timerOf(const Workstream &w, TimerSetting setting)
{
    return setting == TimerSetting::Inactivity ? w.inactivityMinutes : w.wrapUpBlockMinutes;
}
} // namespace

void PreviewPanel::showCounts(const PreviewScenario &scenario)
{
    qint64 both = 0;
    qint64 newly = 0;
    qint64 noLonger = 0;
    bool capped = false;
    m_counts->setRowCount(0);
    // The edited configurations first (their own value, or a workstream's that times their conversations): they are
    // what the user is deciding about.
    const auto affected = [](const ClosurePreview::Impact &impact) {
        return impact.edited || impact.workstreamEdited;
    };
    QList<ClosurePreview::Impact> shown = m_impacts;
    std::stable_sort(shown.begin(), shown.end(),
                     [&affected](const auto &a, const auto &b) { return affected(a) && !affected(b); });
    const auto addRow = [this](const QString &label, const QString &tooltip, std::optional<int> saved,
                               std::optional<int> edited, bool editedBold, qint64 closes, qint64 newlyCount,
                               qint64 noLongerCount, bool isCapped) {
        const int row = m_counts->rowCount();
        m_counts->insertRow(row);
        const auto cell = [this, row, &tooltip](int column, const QString &text, bool bold = false) {
            auto *item = new QTableWidgetItem(text);
            if (column >= 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (bold) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            if (!tooltip.isEmpty())
                item->setToolTip(tooltip);
            m_counts->setItem(row, column, item);
        };
        cell(0, label);
        cell(1, Duration::format(saved));
        cell(2, Duration::format(edited), editedBold);
        cell(3, countText(closes, isCapped));
        cell(4, newlyCount ? u"+"_s + countText(newlyCount, isCapped) : u"0"_s, newlyCount > 0);
        cell(5, noLongerCount ? u"−"_s + countText(noLongerCount, isCapped) : u"0"_s);
    };
    for (const ClosurePreview::Impact &impact : shown) {
        both += impact.closesUnderBoth;
        newly += impact.newlyCloses;
        noLonger += impact.noLongerCloses;
        capped = capped || impact.capped;
        if (!affected(impact) && impact.closesUnderBoth == 0)
            continue; // nothing to see: saves rows for what matters
        const ChannelStateConfig *config = m_configs->config(impact.configurationId);
        const bool waiting = config && config->state == int(ConversationState::Waiting);
        // A configuration whose conversations are timed by their workstream: its row, then one per part.
        const QString tooltip = impact.parts.isEmpty() ? QString()
            : waiting ? tr("Waiting conversations of this channel close after their workstream's “auto-close after "
                           "inactivity”; the rows below count them per workstream.")
                      : tr("Wrap-up conversations of this channel wait for their workstream's “block capacity for "
                           "wrap-up” when it is longer; the rows below count them per workstream.");
        addRow(config ? config->channelLabel() + u" · " + conversationStateLabel(config->state)
                      : impact.configurationId,
               tooltip, impact.savedMinutes, impact.editedMinutes, impact.edited, impact.closesUnderBoth,
               impact.newlyCloses, impact.noLongerCloses, impact.capped);
        for (const ClosurePreview::Impact::PartCount &part : impact.parts) {
            if (part.closesUnderBoth == 0 && part.newlyCloses == 0 && part.noLongerCloses == 0 &&
                part.part.savedMinutes == part.part.editedMinutes)
                continue;
            addRow(u"    ↳ "_s + partLabel(part.part, scenario), partTooltip(part.part, waiting),
                   part.part.savedMinutes, part.part.editedMinutes, part.part.savedMinutes != part.part.editedMinutes,
                   part.closesUnderBoth, part.newlyCloses, part.noLongerCloses, part.capped);
        }
    }
    const QString when = QLocale().toString(scenario.at.toLocalTime(), QLocale::ShortFormat);
    // The plural follows the number; the text shows it formatted ("1,234", or "50,000+" at the aggregate limit).
    QString text = tr("By %1: <b>%2</b> conversation(s) close either way", nullptr, clampedCount(both))
                       .arg(when, countText(both, capped));
    if (newly > 0)
        text += tr(", <b>%1 more</b> because of your edits").arg(countText(newly, capped));
    if (noLonger > 0)
        text += tr(", %1 fewer because of your edits").arg(countText(noLonger, capped));
    // A count is capped only where even splitting could not count it (ExactCount): say so where the "+" is read.
    m_summary->setText(text + u'.' + (capped ? u' ' + ExactCount::cappedReason().toHtmlEscaped() : QString()));
    fitCounts();
}

void PreviewPanel::fitCounts()
{
    // The first counts widen the table to its columns (taken from the chart and the list alike), unless the user
    // has sized the panes or their sizes were restored.
    if (m_splitSettled || !m_split->isVisible())
        return;
    m_splitSettled = true;
    QList<int> sizes = m_split->sizes();
    const int wanted = m_counts->horizontalHeader()->length() + m_counts->verticalScrollBar()->sizeHint().width() +
        2 * m_counts->frameWidth();
    const int more = std::min(wanted - sizes.at(0), sizes.at(1) + sizes.at(2) - 2 * 300);
    if (more <= 0)
        return;
    sizes[0] += more;
    sizes[1] -= more / 2;
    sizes[2] -= more - more / 2;
    m_split->setSizes(sizes);
}

QHash<ValueRef, QString> PreviewPanel::nextRunNotes() const
{
    if (!isNow())
        return {};
    QHash<ValueRef, qint64> closing;
    for (const ClosurePreview::Impact &impact : m_impacts) {
        // An edited configuration: what its edit (with the workstreams' edits) would close.
        if (impact.edited && impact.newlyCloses > 0)
            closing[ValueRef {impact.configurationId, TimerSetting::ChannelState}] += impact.newlyCloses;
        const ChannelStateConfig *config = m_configs->config(impact.configurationId);
        if (!impact.workstreamEdited || !config)
            continue;
        // An edited workstream timer: what it would close of the conversations it decides (docs/closing-rule.md), a
        // Waiting one's inactivity, a Wrap-up one's block.
        const TimerSetting setting = config->state == int(ConversationState::Waiting) ? TimerSetting::Inactivity
            : config->state == int(ConversationState::WrapUp)                         ? TimerSetting::WrapUpBlock
                                                                                      : TimerSetting::ChannelState;
        if (setting == TimerSetting::ChannelState)
            continue;
        for (const ClosurePreview::Impact::PartCount &part : impact.parts) {
            if (part.part.others || !part.part.workstreamEdited || part.newlyCloses <= 0)
                continue;
            // A part holds the workstreams whose effective minutes (the configuration's and theirs together) are the
            // same before and after the edits: its count is theirs together. Each of them whose own timer was
            // edited is told it; one that only shares the part was not edited and is told nothing.
            for (const QString &id : part.part.workstreamIds) {
                const auto byId = [&id](const Workstream &w) {
                    return QUuid::fromString(w.id) == QUuid(id);
                };
                const auto edited = std::find_if(m_editedWorkstreams.begin(), m_editedWorkstreams.end(), byId);
                const auto saved = std::find_if(m_savedWorkstreams.begin(), m_savedWorkstreams.end(), byId);
                if (edited == m_editedWorkstreams.end() || saved == m_savedWorkstreams.end() ||
                    timerOf(*edited, setting) == timerOf(*saved, setting))
                    continue;
                closing[ValueRef {edited->id, setting}] += part.newlyCloses;
            }
        }
    }
    QHash<ValueRef, QString> notes;
    for (auto it = closing.cbegin(); it != closing.cend(); ++it)
        notes.insert(it.key(),
                     tr("%n conversation(s) would close at the next run of the closing job (closure preview).", nullptr,
                        clampedCount(it.value())));
    return notes;
}
