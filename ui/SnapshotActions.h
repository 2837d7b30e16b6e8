#pragma once

#include "models/ChannelStateConfig.h"
#include "models/Result.h"
#include "models/Snapshot.h"

#include <QObject>

#include <functional>
#include <optional>

class ApplyWizard;
class CompareWindow;
class ConfigTableModel;
class WorkstreamTableModel;
class DataverseClient;
class EditSession;
class HistoryDialog;
class QAction;
class QMenu;
class QWidget;

// Environments other than the window's that a comparison can read (the application's profiles).
struct OtherEnvironments
{
    std::function<QStringList()> names;
    std::function<void(const QString &name, QObject *context, std::function<void(Result<Snapshot>)> done)> capture;
};

// The window's Snapshots menu and what its actions do: export the environment (channel states and workstreams),
// compare it with a snapshot file or another environment, compare two files, apply a snapshot through the apply
// wizard, and show the history. The
// Snapshots menu asks for the files; these functions do the rest, and show their errors over the window.
class SnapshotActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotActions)
public:
    struct Environment
    {
        QString name;
        bool production = false;
    };
    // None is owned; all outlive these actions. window is where dialogs open.
    SnapshotActions(QWidget *window, EditSession *session, ConfigTableModel *model, Environment environment);
    // The window's other table of values, whose unsaved edits an export also leaves out.
    void setWorkstreamModel(WorkstreamTableModel *model) { m_workstreams = model; }

    // Adds the Snapshots menu to the window's menu bar.
    void addMenu(QMenu *menu);

    // Writes a snapshot of the saved values (CSV when path ends in .csv); exported reports the outcome.
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

Q_SIGNALS:
    void exported(bool ok, const QString &message);
    // Reading the environment for an export has begun (true) or ended.
    void busy(bool busy);
    // For the status bar, for timeout milliseconds (0: until the next message).
    void status(const QString &message, int timeout);
    // The export could not read the environment: shown in the window's error banner.
    void failed(const QString &message);
    // An apply has ended: what it changed is on the server.
    void applied();

private:
    // Reads a snapshot file, or says why not in a message box.
    std::optional<Snapshot> readSnapshot(const QString &path);
    // A compare window: the left side as readLeft gives it, the right side this environment read now.
    using ReadSide = std::function<void(QObject *context, std::function<void(Result<Snapshot>)>)>;
    CompareWindow *compareWithLive(const QString &leftLabel, const ReadSide &readLeft, const QString &applySource);
    ApplyWizard *openApplyWizard(const Snapshot &desired, const QString &source);
    // Whether the user may change neither table's values (the Write privilege on both is missing).
    bool nothingWritable() const;
    DataverseClient *client() const;

    QWidget *m_window;
    EditSession *m_session;
    ConfigTableModel *m_model;
    WorkstreamTableModel *m_workstreams = nullptr;
    Environment m_environment;
    OtherEnvironments m_others;
    QAction *m_compareEnvironmentAction = nullptr;
};
