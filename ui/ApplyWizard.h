#pragma once

#include "app/dataverse/DataverseClient.h"
#include "app/session/EditSession.h"
#include "models/Snapshot.h"
#include "models/SnapshotDiff.h"

#include <QWizard>

#include <optional>

class QLabel;
class QLineEdit;
class QProgressBar;
class QTableWidget;
class GatedPage;

// Applying a snapshot to the window's environment: the environment is read again, the plan (each value of both
// tables, the channel-state records' and the workstreams', old → new) shown with what the new channel-state values
// would close right now, each value checked against the range the environment's metadata gives, and only then, on
// the user's word (the environment's name for a production one), applied the way the CLI applies it: a "before apply"
// snapshot first, one all-or-nothing batch with If-Match, a result per value, an entry per value in the audit log.
class ApplyWizard final : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApplyWizard)
public:
    struct Target
    {
        QString name; // the environment, as the user calls it
        bool production = false;
        EditSession *session = nullptr; // not owned; saves the plan and writes the audit log
        // The user's security role lacks the Write privilege on the table: a plan that would change it is refused.
        bool channelStatesReadOnly = false;
        bool workstreamsReadOnly = false;
    };
    ApplyWizard(const Target &target, const Snapshot &desired, const QString &source, QWidget *parent = nullptr);

    enum PageId { PlanPage, ResultPage };
    // The plan table's columns (the result table has Result first, then Table to Change and Name).
    enum PlanColumn { Table, Channel, StateOrSetting, Now, After, NewlyCloses, NoLongerCloses, Name, PlanColumns };
    // The plan is shown and its values were checked against the environment's ranges.
    bool planReady() const { return m_plan.has_value() && m_rangesChecked; }
    const std::optional<ApplyPlan> &plan() const { return m_plan; }
    QTableWidget *planTable() const { return m_planTable; }
    QLabel *planSummary() const { return m_planSummary; }
    // Why the plan cannot be applied (ambiguity, a workstream not found, a table the user may not write, a value out of
    // range), and notes.
    QLabel *planWarnings() const { return m_warnings; }
    QLineEdit *confirmation() const { return m_confirm; }
    QTableWidget *resultTable() const { return m_resultTable; }
    QLabel *resultSummary() const { return m_resultSummary; }
    bool impactCounted() const { return m_impactCounted; }
    const std::optional<EditSession::Outcome> &outcome() const { return m_outcome; }

Q_SIGNALS:
    void planShown();
    void impactShown();
    // The apply has ended (saved or not); the window reloads.
    void applyFinished(bool allSaved);

private:
    void readEnvironment();
    void showPlan(const Snapshot &live);
    void checkRanges();
    void showWarnings();
    // The tables the plan would change that the user may not write, a sentence each.
    QStringList writeRefusals() const;
    // Whether nothing of the plan may be applied, before anything is sent: ambiguity, a workstream not found, a table
    // the user may not write.
    bool refused() const;
    void countImpact(const Snapshot &live);
    void apply();
    void showOutcome(const Result<EditSession::Outcome> &outcome);

    Target m_target;
    Snapshot m_desired;
    QString m_source;
    std::optional<Snapshot> m_live;
    std::optional<ApplyPlan> m_plan;
    std::optional<EditSession::Outcome> m_outcome;
    bool m_rangesChecked = false;
    QString m_rangeProblem; // the values outside the environment's ranges, or why they could not be read
    bool m_impactCounted = false;
    bool m_applying = false;
    GatedPage *m_planPage;
    GatedPage *m_resultPage;
    QLabel *m_planSummary;
    QTableWidget *m_planTable;
    QLabel *m_warnings;
    QLineEdit *m_confirm;
    QProgressBar *m_planBusy;
    QLabel *m_resultSummary;
    QTableWidget *m_resultTable;
    QProgressBar *m_resultBusy;
};
