#pragma once

#include "app/dataverse/DataverseClient.h"
#include "app/journal/EditJournal.h"
#include "models/Result.h"
#include "models/Snapshot.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class ApplyWizard;
class CompareWindow;
class ConfigTableModel;
class ConfigProxyModel;
class HistoryDialog;
class DurationDelegate;
class DurationLineEdit;
class PreviewPanel;
class QAction;
class QFrame;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QUndoStack;

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

// Environments other than the window's that a comparison can read (the application's profiles).
struct OtherEnvironments
{
    std::function<QStringList()> names;
    std::function<void(const QString &name, QObject *context, std::function<void(Result<Snapshot>)> done)> capture;
};

// The editor's window: one environment's channel-state configurations in a sortable, filterable table, edited in
// place with undo, saved with a confirmation and If-Match, conflicts resolved by the user, nothing typed ever lost.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    // client is not owned and must outlive the window.
    MainWindow(DataverseClient *client, const EnvironmentInfo &environment, QWidget *parent = nullptr);
    ~MainWindow() override;

    ConfigTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    QUndoStack *undoStack() const { return m_undo; }
    DurationDelegate *delegate() const { return m_delegate; }
    QAction *saveAction() const { return m_saveAction; }
    QAction *undoLastSaveAction() const { return m_undoLastSaveAction; }
    PreviewPanel *previewPanel() const { return m_preview; }

    // Snapshots (the Snapshots menu asks for the files; these do the rest). Errors are shown in the window.
    // Writes a snapshot of the saved values (CSV when path ends in .csv); snapshotExported reports the outcome.
    void exportSnapshot(const QString &path);
    // A compare window (shown, deleted on close): a snapshot file with this environment, or two files.
    CompareWindow *compareWithSnapshot(const QString &path);
    CompareWindow *compareSnapshots(const QString &leftPath, const QString &rightPath);
    // The apply wizard for a snapshot file (shown, deleted on close); null when the file is refused.
    ApplyWizard *applySnapshot(const QString &path);
    HistoryDialog *showHistory();
    // Another environment (left) with this one (right, live), offering to apply the left one here.
    void setOtherEnvironments(OtherEnvironments others);
    CompareWindow *compareWithEnvironment(const QString &name);

public Q_SLOTS:
    void refresh();
    void save();
    void undoLastSave();
    void discardAll();
    void revertSelected();
    void resetSelectedToDefault();
    void editSelected();

Q_SIGNALS:
    void loadFinished(bool ok);
    // Whether the signed-in user may change these records, once known.
    void permissionsKnown(bool canWrite);
    // A save (or an undo of one) has ended, conflicts included; ok when everything asked for was saved.
    void saveFinished(bool ok);
    // File → Switch Environment: the application shows the profiles and opens the chosen one.
    void switchEnvironmentRequested();
    void snapshotExported(bool ok, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct SavedValue
    {
        QString id;
        QString label;
        std::optional<int> before;
        std::optional<int> after;
        QString etag; // the version the save produced
    };
    void createActions();
    void createSnapshotMenu();
    // Reads a snapshot file, or says why not in a message box.
    std::optional<Snapshot> readSnapshot(const QString &path);
    // A compare window: the left side as readLeft gives it, the right side this environment read now.
    using ReadSide = std::function<void(QObject *context, std::function<void(Result<QList<ChannelStateConfig>>)>)>;
    CompareWindow *compareWithLive(const QString &leftLabel, const ReadSide &readLeft, const QString &applySource);
    ApplyWizard *openApplyWizard(const QList<ChannelStateConfig> &desired, const QString &source);
    QString auditUser() const;
    void logSave(const QList<MinutesChange> &changes, const QList<std::optional<int>> &before,
                 const QList<WriteResult> &results, const QString &source);
    QFrame *createBanner(const QString &objectName, const QString &style, QLabel **text, QPushButton **button);
    void firstLoad();
    void restoreJournal();
    void writeJournal();
    void send(const QList<PendingEdit> &edits);
    // refused: the records the server refused as changed; saving: every record of the save they interrupted.
    void resolveConflicts(const QStringList &refused, const QStringList &saving);
    DurationLineEdit *openEditor() const;
    void showLoadError(const Error &error);
    void showSaveError(const QString &text);
    void updateStatus();
    void updateActions();
    QString label(const QString &id) const;
    QStringList selectedIds() const;

    DataverseClient *m_client;
    EnvironmentInfo m_environment;
    EditJournal m_journal;
    ConfigTableModel *m_model;
    ConfigProxyModel *m_proxy;
    QTableView *m_view;
    DurationDelegate *m_delegate;
    QUndoStack *m_undo;
    PreviewPanel *m_preview;
    QLineEdit *m_filter;
    QFrame *m_errorBanner;
    QLabel *m_errorText;
    QPushButton *m_errorButton;
    QLabel *m_identityLabel = nullptr;
    QFrame *m_restoredBanner;
    QLabel *m_restoredText;
    QFrame *m_readOnlyBanner;
    QLabel *m_readOnlyText;
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
    QList<SavedValue> m_lastSave;
    OtherEnvironments m_others;
    QAction *m_compareEnvironmentAction = nullptr;
    QString m_organizationId; // from WhoAmI, for the audit log
    QString m_userId; // from WhoAmI
    bool m_loading = false;
    bool m_saving = false;
    bool m_loadedOnce = false;
    bool m_retrySave = false; // the error banner's button saves again instead of loading again
};
