#pragma once

#include "app/dataverse/DataverseClient.h"
#include "app/session/EditSession.h"
#include "models/Result.h"
#include "ui/SnapshotActions.h"

#include <QMainWindow>

#include <functional>

class Banner;
class ChangeHistoryDialog;
class ChannelGridModel;
class ConfigTableModel;
class ConfigProxyModel;
class DurationDelegate;
class DurationLineEdit;
class GridCellDelegate;
class OverviewGrid;
class PreviewPanel;
class QAction;
class QActionGroup;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QTableView;
class QUndoStack;
class WorkstreamTableModel;
class WorkstreamsView;

// Which environment a window edits, and how carefully.
struct EnvironmentInfo
{
    QString name;
    QString key; // names the environment stably across runs, for its journal; empty: the org URL
    bool demo = false; // the built-in Demo environment
    bool production = false; // a persistent banner, and saving asks for the environment's name
    QString journalDir; // where pending edits are kept; empty: EditJournal::defaultDirectory()
    QString account; // who signed in, when the sign-in said; the status bar asks WhoAmI otherwise
};

// The editor's window: one environment's channel-state configurations, in two views of one model and one
// selection: the overview (a grid of channels × states, OverviewGrid) and the details (a sortable, filterable list),
// and its workstreams' timers in a third view (WorkstreamsView), edited in place with undo, with the closure preview
// under them. It lays out and wires; the edit session saves
// (with If-Match, conflicts decided in a dialog, the journal kept so that nothing typed is lost) and SnapshotActions
// does the Snapshots menu.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    // client is not owned and must outlive the window.
    MainWindow(DataverseClient *client, const EnvironmentInfo &environment, QWidget *parent = nullptr);
    ~MainWindow() override;

    enum class View { Overview, Details, Workstreams };

    ConfigTableModel *model() const { return m_model; }
    WorkstreamTableModel *workstreamModel() const { return m_workstreams; }
    WorkstreamsView *workstreamsView() const { return m_workstreamsView; }
    OverviewGrid *overview() const { return m_overview; }
    QTableView *detailsView() const { return m_view; }
    View view() const;
    // The view in use, overview or details: the one the edit actions act on.
    QTableView *currentView() const;
    QUndoStack *undoStack() const { return m_undo; }
    DurationDelegate *delegate() const { return m_delegate; }
    QAction *saveAction() const { return m_saveAction; }
    QAction *undoLastSaveAction() const { return m_undoLastSaveAction; }
    PreviewPanel *previewPanel() const { return m_preview; }
    EditSession *session() const { return m_session; }
    SnapshotActions *snapshots() const { return m_snapshots; }
    // The environment's history of a value (Edit → Change History…), made the first time it is asked for; other
    // views of values open it with ChangeHistoryDialog::showFor.
    ChangeHistoryDialog *changeHistory();
    QAction *changeHistoryAction() const { return m_changeHistoryAction; }

public Q_SLOTS:
    void refresh();
    void save();
    void undoLastSave();
    void discardAll();
    void revertSelected();
    void resetSelectedToDefault();
    void editSelected();
    // The change history of the selected value (the first, when several are selected).
    void showChangeHistory();
    void setView(MainWindow::View view);

Q_SIGNALS:
    void loadFinished(bool ok);
    // The workstreams were read (or could not be: ok false, the configurations are shown all the same).
    void workstreamsLoaded(bool ok);
    // Whether the signed-in user may change these records, once known.
    void permissionsKnown(bool canWrite);
    // A save (or an undo of one) has ended, conflicts included; ok when everything asked for was saved.
    void saveFinished(bool ok);
    // File → Switch Environment: the application shows the profiles and opens the chosen one.
    void switchEnvironmentRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void connectSession();
    void firstLoad();
    void showRecovery(const EditSession::Recovery &recovery);
    // The value editor now open, in either view, and the delegate it belongs to.
    std::pair<DurationLineEdit *, DurationDelegate *> openEditor() const;
    void syncSelection(bool fromOverview);
    void showFirstRunHint();
    void fitOverview();
    void saveSettings();
    void showLoadError(const Error &error);
    // Reads the workstreams into their table; then done(ok).
    void loadWorkstreams(std::function<void(bool ok)> done);
    // Every pending edit, of both tables, channel-state values first.
    QList<PendingEdit> allPendingEdits() const;
    bool anyPendingEdits() const;
    void showSaveError(const QString &text);
    void updateStatus();
    void updateActions();
    QStringList selectedIds() const;

    DataverseClient *m_client;
    EnvironmentInfo m_environment;
    ConfigTableModel *m_model;
    WorkstreamTableModel *m_workstreams;
    EditSession *m_session;
    ConfigProxyModel *m_proxy;
    ChannelGridModel *m_grid;
    QTableView *m_view;
    DurationDelegate *m_delegate;
    GridCellDelegate *m_gridDelegate;
    OverviewGrid *m_overview;
    WorkstreamsView *m_workstreamsView;
    QStackedWidget *m_views;
    QSplitter *m_split;
    QUndoStack *m_undo;
    PreviewPanel *m_preview;
    SnapshotActions *m_snapshots;
    QLineEdit *m_filter;
    Banner *m_errorBanner;
    Banner *m_restoredBanner;
    Banner *m_readOnlyBanner;
    Banner *m_hintBanner;
    QLabel *m_identityLabel = nullptr;
    QLabel *m_legend;
    QLabel *m_countLabel;
    QLabel *m_pendingLabel;
    QProgressBar *m_busy;
    QAction *m_refreshAction;
    QAction *m_saveAction;
    QAction *m_undoLastSaveAction;
    QAction *m_discardAction;
    QAction *m_revertAction;
    QAction *m_resetAction;
    QAction *m_editAction;
    QAction *m_changeHistoryAction;
    ChangeHistoryDialog *m_changeHistory = nullptr;
    QAction *m_overviewAction;
    QAction *m_detailsAction;
    QAction *m_workstreamsAction;
    bool m_loading = false;
    bool m_workstreamsReadOnly = false;
    bool m_loadedOnce = false;
    bool m_retrySave = false; // the error banner's button saves again instead of loading again
    bool m_syncingSelection = false;
    bool m_splitRestored = false; // the user's splitter position, from the last run
};
