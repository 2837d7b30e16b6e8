#include "ui/ApplyWizard.h"

#include "app/preview/ClosurePreview.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/Duration.h"
#include "ui/Palette.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QWizardPage>

#include <algorithm>

using namespace Qt::StringLiterals;

// A page whose Next/Finish button waits on a condition the wizard sets.
class GatedPage final : public QWizardPage
{
public:
    using QWizardPage::QWizardPage;
    std::function<bool()> complete;
    bool isComplete() const override { return complete ? complete() : true; }
    void update() { Q_EMIT completeChanged(); }
};

namespace {
enum ResultColumn { ResultText, ResultTable, ResultChannel, ResultStateOrSetting, ResultChange, ResultName };

QTableWidgetItem *item(const QString &text)
{
    auto *i = new QTableWidgetItem(text);
    i->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return i;
}

// Fits every column but the last to its contents; the last takes the rest of the width (resizing it explicitly
// would undo the stretch).
void fitColumns(QTableWidget *table)
{
    for (int column = 0; column + 1 < table->columnCount(); ++column)
        table->resizeColumnToContents(column);
}

QTableWidget *makeTable(const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return table;
}
} // namespace

ApplyWizard::ApplyWizard(const Target &target, const Snapshot &desired, const QString &source, QWidget *parent)
    : QWizard(parent)
    , m_target(target)
    , m_desired(desired)
    , m_source(source)
    , m_planPage(new GatedPage)
    , m_resultPage(new GatedPage)
    , m_planSummary(new QLabel)
    , m_planTable(makeTable({tr("Table"), tr("Channel"), tr("State or setting"), tr("Now"), tr("After"),
                             tr("Would close now"), tr("Would no longer close"), tr("Name")}))
    , m_warnings(new QLabel)
    , m_confirm(new QLineEdit)
    , m_planBusy(new QProgressBar)
    , m_resultSummary(new QLabel)
    , m_resultTable(
          makeTable({tr("Result"), tr("Table"), tr("Channel"), tr("State or setting"), tr("Change"), tr("Name")}))
    , m_resultBusy(new QProgressBar)
{
    setObjectName(u"applyWizard"_s);
    setWindowTitle(tr("Apply a snapshot to %1").arg(target.name));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);

    m_planPage->setTitle(tr("What would change in %1").arg(target.name));
    m_planPage->setSubTitle(source);
    m_planPage->setCommitPage(true);
    m_planPage->complete = [this] {
        return m_plan && !m_plan->isEmpty() && !refused() && m_rangesChecked && m_rangeProblem.isEmpty() &&
            (!m_target.production || m_confirm->text().trimmed() == m_target.name);
    };
    m_planSummary->setWordWrap(true);
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(u"color: %1;"_s.arg(Palette::css(Palette::Role::Error)));
    m_warnings->hide();
    m_planBusy->setRange(0, 0);
    m_confirm->setPlaceholderText(tr("Type %1 to confirm").arg(target.name));
    m_confirm->setVisible(target.production);
    m_confirm->setAccessibleName(tr("Environment name, to confirm"));
    connect(m_confirm, &QLineEdit::textChanged, m_planPage, &GatedPage::update);
    auto *planLayout = new QVBoxLayout(m_planPage);
    planLayout->addWidget(m_planSummary);
    planLayout->addWidget(m_planBusy);
    planLayout->addWidget(m_planTable, 1);
    planLayout->addWidget(m_warnings);
    if (target.production) {
        auto *production = new QLabel(
            tr("<b>%1 is a production environment.</b> Type its name to apply.").arg(target.name.toHtmlEscaped()));
        production->setStyleSheet(u"color: %1;"_s.arg(Palette::css(Palette::Role::Error)));
        planLayout->addWidget(production);
    }
    planLayout->addWidget(m_confirm);
    setButtonText(QWizard::CommitButton, tr("&Apply"));

    m_resultPage->setTitle(tr("Applying to %1").arg(target.name));
    m_resultPage->complete = [this] {
        return m_outcome.has_value() || !m_applying;
    };
    m_resultSummary->setWordWrap(true);
    m_resultSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resultBusy->setRange(0, 0);
    auto *resultLayout = new QVBoxLayout(m_resultPage);
    resultLayout->addWidget(m_resultBusy);
    resultLayout->addWidget(m_resultTable, 1);
    resultLayout->addWidget(m_resultSummary);

    setPage(PlanPage, m_planPage);
    setPage(ResultPage, m_resultPage);
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == ResultPage)
            apply();
    });
    resize(860, 520);
    readEnvironment();
}

void ApplyWizard::readEnvironment()
{
    m_planSummary->setText(tr("Reading the current values of %1…").arg(m_target.name.toHtmlEscaped()));
    SnapshotOps::capture(m_target.session->client(), this, [this](Result<Snapshot> live) {
        m_planBusy->hide();
        if (!live) {
            m_planSummary->setText(tr("Could not read %1, so nothing can be applied: %2")
                                       .arg(m_target.name.toHtmlEscaped(), live.error().describe().toHtmlEscaped()));
            return;
        }
        m_live = live.value();
        showPlan(live.value());
    });
}

void ApplyWizard::showPlan(const Snapshot &live)
{
    m_plan = ApplyPlan::from(SnapshotDiff::compare(m_desired, live));
    const QList<ApplyPlan::Item> items = m_plan->items(); // the records' values first, as countImpact expects
    m_planTable->setRowCount(int(items.size()));
    for (int row = 0; row < items.size(); ++row) {
        const ApplyPlan::Item &c = items.at(row);
        m_planTable->setItem(row, Table, item(c.table));
        m_planTable->setItem(row, Channel, item(c.channel));
        m_planTable->setItem(row, StateOrSetting, item(c.stateOrSetting));
        m_planTable->setItem(row, Now, item(SnapshotDiff::format(c.setting, c.before)));
        m_planTable->setItem(row, After, item(SnapshotDiff::format(c.setting, c.after)));
        const bool counted = c.setting == TimerSetting::ChannelState;
        for (const int column : {int(NewlyCloses), int(NoLongerCloses)}) {
            QTableWidgetItem *impact = item(counted ? tr("counting…") : tr("not counted"));
            if (!counted)
                impact->setToolTip(tr("The closure preview counts what the channel-state values close; it does not "
                                      "count what a workstream's values change."));
            m_planTable->setItem(row, column, impact);
        }
        m_planTable->setItem(row, Name, item(c.name));
    }
    fitColumns(m_planTable);
    if (m_plan->isEmpty() && !refused())
        m_planSummary->setText(
            tr("%1 already holds these values: nothing to apply.").arg(m_target.name.toHtmlEscaped()));
    else
        m_planSummary->setText(tr("%n value(s) would change. Each is saved only if nobody changed it since it was "
                                  "read; all of them or none. A snapshot of %1 as it is now is kept first.",
                                  nullptr, int(m_plan->size()))
                                   .arg(m_target.name.toHtmlEscaped()));
    if (!m_plan->workstreamChanges.isEmpty())
        m_planSummary->setText(m_planSummary->text() + u"<br>"_s +
                               SnapshotDiff::workstreamUnitAssumption().toHtmlEscaped());
    if (m_plan->workstreamsLeftAlone)
        m_planSummary->setText(m_planSummary->text() + u"<br>"_s +
                               tr("This is a version 1 snapshot: it says nothing about workstreams, so those of %1 "
                                  "are left as they are.")
                                   .arg(m_target.name.toHtmlEscaped()));
    showWarnings();
    checkRanges();
    Q_EMIT planShown();
    if (!m_plan->changes.isEmpty())
        countImpact(live);
}

void ApplyWizard::checkRanges()
{
    // Nothing is to be sent while the plan is refused anyway; an empty plan needs no range.
    if (m_plan->isEmpty() || refused()) {
        m_rangesChecked = true;
        m_planPage->update();
        return;
    }
    SnapshotOps::checkRanges(m_target.session->client(), *m_plan, this, [this](Result<Done> inRange) {
        m_rangesChecked = true;
        if (!inRange)
            m_rangeProblem = inRange.error().describe();
        showWarnings();
    });
}

QStringList ApplyWizard::writeRefusals() const
{
    QStringList refusals;
    if (!m_plan)
        return refusals;
    // As the window's read-only banner says it (MainWindow::firstLoad).
    if (m_target.channelStatesReadOnly && !m_plan->changes.isEmpty())
        refusals << tr("You can view the channel-state values of %1 but not change them: your security role lacks the "
                       "Write privilege on Channel State Configuration records. Ask an administrator for a role that "
                       "has it, or apply a snapshot without channel-state changes.")
                        .arg(m_target.name);
    if (m_target.workstreamsReadOnly && !m_plan->workstreamChanges.isEmpty())
        refusals << tr("You can view the workstreams' timers of %1 but not change them: your security role lacks the "
                       "Write privilege on Work Stream records. Ask an administrator for a role that has it, or apply "
                       "a snapshot without workstream changes.")
                        .arg(m_target.name);
    return refusals;
}

bool ApplyWizard::refused() const
{
    return m_plan &&
        (!m_plan->ambiguous.isEmpty() || !m_plan->workstreamRefusals().isEmpty() || !writeRefusals().isEmpty());
}

void ApplyWizard::showWarnings()
{
    QStringList warnings;
    if (!m_plan->ambiguous.isEmpty()) {
        QStringList names;
        for (const SnapshotDiff::Entry &e : m_plan->ambiguous)
            names << u"%1 (%2 · %3)"_s.arg(e.record().name, e.record().channelLabel(),
                                           conversationStateLabel(e.record().state));
        warnings << tr("Nothing can be applied: these records cannot be matched with certainty, because they share "
                       "a channel configuration, channel and state with another and no id matches: %1.")
                        .arg(names.join(u"; "_s).toHtmlEscaped());
    }
    const QStringList refusals = m_plan->workstreamRefusals() + writeRefusals();
    if (!refusals.isEmpty())
        warnings << tr("Nothing can be applied:") + u"<br>"_s + refusals.join(u"<br>"_s).toHtmlEscaped();
    if (!m_rangeProblem.isEmpty())
        warnings << m_rangeProblem.toHtmlEscaped().replace(u"\n"_s, u"<br>"_s);
    if (!m_plan->notInEnvironment.isEmpty()) {
        QStringList names;
        for (const ChannelStateConfig &c : m_plan->notInEnvironment)
            names << c.name;
        warnings << tr("Left out, because %1 has no such record (records are never created): %2.")
                        .arg(m_target.name.toHtmlEscaped(), names.join(u"; "_s).toHtmlEscaped());
    }
    m_warnings->setText(warnings.join(u"<br>"_s));
    m_warnings->setVisible(!warnings.isEmpty());
    m_planPage->update();
}

void ApplyWizard::countImpact(const Snapshot &live)
{
    // Both tables' planned values: Waiting and Wrap-up conversations are judged by their workstream's timers too.
    QHash<ValueRef, std::optional<int>> edits;
    for (const ApplyPlan::Change &c : m_plan->changes)
        edits.insert(ValueRef {c.current.id, TimerSetting::ChannelState}, c.minutes);
    for (const ApplyPlan::WorkstreamChange &c : m_plan->workstreamChanges)
        edits.insert(ValueRef {c.current.id, c.setting}, c.minutes);
    const PreviewScenario scenario = PreviewScenario::make(
        live.records, live.workstreams, edits, QDateTime::currentDateTimeUtc(), ClosingRule::Basis::Created);
    ClosurePreview::countImpact(
        m_target.session->client(), scenario, this, [this](Result<QList<ClosurePreview::Impact>> impacts) {
            m_impactCounted = true;
            for (int row = 0; row < m_plan->changes.size(); ++row) { // the first rows: the records' values
                const QString id = m_plan->changes.at(row).current.id;
                QString newly = tr("unknown");
                QString noLonger = tr("unknown");
                if (impacts) {
                    for (const ClosurePreview::Impact &impact : impacts.value()) {
                        if (impact.configurationId != id)
                            continue;
                        newly = impact.capped ? tr("more than %1").arg(impact.newlyCloses)
                                              : QString::number(impact.newlyCloses);
                        noLonger = QString::number(impact.noLongerCloses);
                    }
                }
                m_planTable->item(row, NewlyCloses)->setText(newly);
                m_planTable->item(row, NoLongerCloses)->setText(noLonger);
            }
            if (!impacts)
                m_planTable->setToolTip(tr("The closure preview failed: %1").arg(impacts.error().describe()));
            else
                m_planTable->setToolTip(tr("Conversations the new value would close at the next run of the closing "
                                           "job (timer from creation; wrap-up start in Wrap-up)."));
            fitColumns(m_planTable);
            Q_EMIT impactShown();
        });
}

void ApplyWizard::apply()
{
    if (m_applying || m_outcome || !m_plan || !m_live)
        return;
    m_applying = true;
    m_resultPage->update();
    m_resultSummary->setText(tr("Saving %n change(s)…", nullptr, int(m_plan->size())));
    m_target.session->apply(*m_plan, *m_live, m_source, this,
                            [this](Result<EditSession::Outcome> outcome) { showOutcome(outcome); });
}

void ApplyWizard::showOutcome(const Result<EditSession::Outcome> &outcome)
{
    m_applying = false;
    m_resultBusy->hide();
    if (!outcome) {
        m_resultSummary->setText(outcome.error().describe().toHtmlEscaped());
        m_resultPage->update();
        Q_EMIT applyFinished(false);
        return;
    }
    m_outcome = outcome.value();
    const EditSession::Outcome &o = *m_outcome;
    const QList<ApplyPlan::Item> items = m_plan->items(); // in the order of the results
    m_resultTable->setRowCount(int(std::min(o.results.size(), items.size())));
    for (int row = 0; row < m_resultTable->rowCount(); ++row) {
        const WriteResult &r = o.results.at(row);
        const ApplyPlan::Item &c = items.at(row);
        QString result;
        switch (r.outcome) {
        case WriteResult::Outcome::Saved:
            result = r.confirmedByReading ? tr("Saved (its reply was lost; read back to confirm)") : tr("Saved");
            break;
        case WriteResult::Outcome::Failed:
            result = tr("Failed: %1").arg(r.error.userMessage);
            break;
        case WriteResult::Outcome::NotSaved:
            result = r.error.userMessage.isEmpty() ? tr("Not saved") : tr("Not saved: %1").arg(r.error.userMessage);
            break;
        }
        m_resultTable->setItem(row, ResultText, item(result));
        m_resultTable->setItem(row, ResultTable, item(c.table));
        m_resultTable->setItem(row, ResultChannel, item(c.channel));
        m_resultTable->setItem(row, ResultStateOrSetting, item(c.stateOrSetting));
        m_resultTable->setItem(
            row, ResultChange,
            item(SnapshotDiff::format(c.setting, c.before) + u" → " + SnapshotDiff::format(c.setting, c.after)));
        m_resultTable->setItem(row, ResultName, item(c.name));
    }
    fitColumns(m_resultTable);
    QString text = o.allSaved()
        ? tr("All %n change(s) were saved.", nullptr, int(o.results.size()))
        : tr("Nothing was overwritten: saved %1 of %2. Run the apply again once the reason above is dealt with; values "
             "already applied are not sent again.")
              .arg(o.count(WriteResult::Outcome::Saved))
              .arg(o.results.size());
    text +=
        u"<br>"_s + tr("%1 as it was before: %2").arg(m_target.name.toHtmlEscaped(), o.beforeSnapshot.toHtmlEscaped());
    if (!o.auditProblem.isEmpty())
        text += u"<br>"_s + o.auditProblem.toHtmlEscaped();
    m_resultSummary->setText(text);
    m_resultPage->update();
    Q_EMIT applyFinished(o.allSaved());
}
