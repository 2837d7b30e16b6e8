#pragma once

#include "app/preview/ClosurePreview.h"
#include "app/preview/ParallelReader.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <memory>

class ConfigTableModel;
class QAction;
class DataverseClient;
class EligibilityChart;
class PreviewListModel;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;
class QSplitter;
class QTableView;
class QTableWidget;
class QTimer;

// Under the table: which live conversations the saved values and the pending edits would close, counted and listed
// by the server, updated (debounced) as the user edits. One line of controls (time, timer basis, job interval, and
// what the preview assumes, a click away), the summary, then side by side: the counts per configuration, a chart of
// what becomes eligible over time per channel (saved values beside the edits), and the conversations themselves.
class PreviewPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewPanel)
public:
    PreviewPanel(DataverseClient *client, ConfigTableModel *configs, QWidget *parent = nullptr);
    ~PreviewPanel() override;

    PreviewListModel *listModel() const { return m_list; }
    QTableView *listView() const { return m_listView; }
    QTableWidget *countsTable() const { return m_counts; }
    EligibilityChart *chart() const { return m_chart; }
    QSplitter *splitter() const { return m_split; }
    QComboBox *timeChoice() const { return m_when; }
    QComboBox *basisChoice() const { return m_basis; }
    QSpinBox *intervalChoice() const { return m_interval; }
    QDateTimeEdit *customTime() const { return m_custom; }
    QPushButton *assumptionsButton() const { return m_assumptionsButton; }
    QLabel *summary() const { return m_summary; }
    // What the preview could not take into account (the workstreams, when they cannot be read); empty otherwise.
    QLabel *notice() const { return m_notice; }
    // The progress bar and its Cancel, shown while a count or a read of the list has taken more than a second.
    QWidget *progress() const { return m_progress; }
    QPushButton *cancelButton() const { return m_cancel; }
    // Shown while the list has stopped (a page could not be read, or Cancel): reads it again from there.
    QPushButton *listAgainButton() const { return m_listAgain; }
    // "Export list…": the button beside the summary, and the action (Ctrl+Shift+L) for the window's menu.
    QPushButton *exportButton() const { return m_exportButton; }
    QAction *exportAction() const { return m_exportAction; }
    // The export's reader, for tests that need small pages; the default otherwise.
    void setExportReaderOptions(const std::optional<ParallelReader::Options> &options) { m_exportOptions = options; }
    // The last counts, and whether they match the current edits and settings.
    const QList<ClosurePreview::Impact> &impacts() const { return m_impacts; }
    // When the preview is for now: per edited value, how many conversations the edit would close at the closing
    // job's next run, as a risk note for the tables (a channel-state value's; a workstream's inactivity for its Waiting
    // conversations, its wrap-up block for its Wrap-up ones); empty otherwise.
    QHash<ValueRef, QString> nextRunNotes() const;
    bool isCurrent() const { return m_current; }
    // Whether the preview is for now (rather than a later time).
    bool isNow() const;
    // "https://<org>/main.aspx?pagetype=entityrecord&etn=msdyn_ocliveworkitem&id=<activityid>"
    QUrl recordUrl(const QString &activityId) const;
    // Everything the preview assumes, for the "What this assumes" dialog (rich text).
    QString assumptionsText() const;

    // The workstreams as saved and with the user's edits (the same records, in the same order): they time Waiting
    // conversations of persistent chat, SMS, social channels and Teams, and Wrap-up chats (docs/closing-rule.md). The
    // window calls this whenever their values or edits change; the preview recounts as for an edit of a value. Until
    // it is called, the panel reads the saved workstreams itself (again when the configurations are read again) and
    // uses them as both.
    void setWorkstreams(const QList<Workstream> &saved, const QList<Workstream> &edited);

    // The time choice, custom time, timer basis, job interval and the splitter's sizes, under "preview/". Restoring
    // skips what is missing or unreadable, keeping the defaults.
    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

public Q_SLOTS:
    // Recomputes soon (edits come in bursts); now() recomputes at once.
    void schedule();
    void update();
    // Opens the dialog with everything the preview assumes.
    void showAssumptions();
    // Drops every count and read in flight; Recount starts again.
    void cancel();
    // Reads the list again after a page could not be read or Cancel stopped it, from where it stopped.
    void listAgain();
    // Asks where, then exports the whole list (exportListTo).
    void exportList();
    // Writes the whole list of the current preview to path (CSV, or JSON for a .json name) with a progress dialog;
    // the file is whole or absent. listExported follows.
    void exportListTo(const QString &path);

Q_SIGNALS:
    // Counts (and the first page of the list) are in for the current edits and settings.
    void updated(bool ok);
    // The chart's figures are in (ok) or could not be counted.
    void timelineUpdated(bool ok);
    // An export ended: written (ok), or failed or cancelled with no file written; rows written, and what to tell.
    void listExported(bool ok, qint64 rows, const QString &message);

private:
    QDateTime previewTime(const QDateTime &now) const;
    // The counts, chart and list of one run, once its workstreams are known.
    void start(const QList<Workstream> &saved, const QList<Workstream> &edited);
    void showCounts(const PreviewScenario &scenario);
    void openSelected();
    void choosePoint(int index);
    void fitCounts();
    void setUpExport(); // PreviewPanelExport.cpp
    // Shows the progress bar once something has been in flight for a second, hides it when nothing is.
    void refreshProgress();

    DataverseClient *m_client;
    ConfigTableModel *m_configs;
    PreviewListModel *m_list;
    QTableView *m_listView;
    QTableWidget *m_counts;
    EligibilityChart *m_chart;
    QSplitter *m_split;
    QComboBox *m_when;
    QDateTimeEdit *m_custom;
    QComboBox *m_basis;
    QSpinBox *m_interval;
    QPushButton *m_assumptionsButton;
    QLabel *m_summary;
    QLabel *m_notice;
    QWidget *m_progress;
    QLabel *m_progressLabel;
    QProgressBar *m_progressBar;
    QPushButton *m_cancel;
    QPushButton *m_listAgain;
    QTimer *m_progressDelay; // quick reads show no progress bar: it would only flash
    QPushButton *m_exportButton;
    QAction *m_exportAction;
    bool m_exporting = false; // one export at a time
    std::optional<ParallelReader::Options> m_exportOptions;
    QTimer *m_debounce;
    QPointer<QObject> m_generation; // every callback of one preview run is tied to it; replaced on each run
    std::shared_ptr<const ClosurePreview::Lister> m_lister; // the list's, while it reads its pages
    // What of the current run is still being counted (the list's reads are the list model's).
    bool m_countingImpact = false;
    bool m_readingWorkstreams = false;
    bool m_countingTimeline = false;
    bool m_countsCancelled = false; // Cancel stopped this run's counts: List again is not offered
    QList<ClosurePreview::Impact> m_impacts;
    // The workstreams: given by the window (setWorkstreams), else read here once per reading of the configurations.
    bool m_workstreamsGiven = false;
    std::optional<QList<Workstream>> m_workstreamsRead;
    QString m_workstreamsError; // why they could not be read, when they could not
    QList<Workstream> m_savedWorkstreams;
    QList<Workstream> m_editedWorkstreams;
    QString m_pendingExport; // an export asked for while the workstreams were being read
    bool m_current = false;
    bool m_splitSettled = false; // the panes' sizes came from the user or the settings: kept as they are
};
