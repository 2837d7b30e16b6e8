#include "ui/SnapshotActions.h"

#include "app/common/PrivateFiles.h"
#include "app/session/EditSession.h"
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/ConfigTableModel.h"
#include "models/SnapshotDiff.h"
#include "models/WorkstreamTableModel.h"
#include "ui/ApplyWizard.h"
#include "ui/CompareWindow.h"
#include "ui/HistoryDialog.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>

using namespace Qt::StringLiterals;

SnapshotActions::SnapshotActions(QWidget *window, EditSession *session, ConfigTableModel *model,
                                 Environment environment)
    : QObject(window)
    , m_window(window)
    , m_session(session)
    , m_model(model)
    , m_environment(std::move(environment))
{ }

DataverseClient *SnapshotActions::client() const
{
    return m_session->client();
}

void SnapshotActions::addMenu(QMenu *menu)
{
    const auto lastFolder = [] {
        const QString dir = QSettings().value(u"snapshots/lastFolder"_s).toString();
        return dir.isEmpty() ? QDir::homePath() : dir;
    };
    const auto remember = [](const QString &path) {
        QSettings settings;
        settings.setValue(u"snapshots/lastFolder"_s, QFileInfo(path).absolutePath());
        PrivateFiles::syncPrivately(settings);
    };
    const QString filters = tr("Snapshots (*.json);;All files (*)");

    QAction *exportAction = menu->addAction(tr("&Export Snapshot…"));
    exportAction->setShortcut(QKeySequence(u"Ctrl+E"_s));
    exportAction->setToolTip(tr("Save the environment's values to a JSON snapshot or a CSV file (Ctrl+E)"));
    connect(exportAction, &QAction::triggered, this, [this, lastFolder, remember] {
        const QString suggested = QDir(lastFolder())
                                      .filePath(SnapshotFiles::fileName(u"snapshot"_s, client()->orgUrl().toString(),
                                                                        QDateTime::currentDateTimeUtc()));
        QString selected;
        const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Snapshot"), suggested,
                                                          tr("Snapshot (*.json);;CSV (*.csv)"), &selected);
        if (path.isEmpty())
            return;
        remember(path);
        QString target = path;
        if (QFileInfo(target).suffix().isEmpty())
            target += selected.contains(u"*.csv"_s) ? u".csv"_s : u".json"_s;
        exportSnapshot(target);
    });

    QAction *compareAction = menu->addAction(tr("&Compare With Snapshot…"));
    compareAction->setShortcut(QKeySequence(u"Ctrl+Shift+D"_s));
    compareAction->setToolTip(tr("What differs between a snapshot file and this environment (Ctrl+Shift+D)"));
    connect(compareAction, &QAction::triggered, this, [this, lastFolder, remember, filters] {
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Compare With Snapshot"), lastFolder(), filters);
        if (path.isEmpty())
            return;
        remember(path);
        compareWithSnapshot(path);
    });

    m_compareEnvironmentAction = menu->addAction(tr("Compare With E&nvironment…"));
    m_compareEnvironmentAction->setToolTip(tr("What differs between another environment and this one"));
    m_compareEnvironmentAction->setVisible(false); // until the application says which others there are
    connect(m_compareEnvironmentAction, &QAction::triggered, this, [this] {
        const QStringList names = m_others.names ? m_others.names() : QStringList();
        if (names.isEmpty()) {
            QMessageBox::information(m_window, tr("Compare With Environment"),
                                     tr("There is no other environment profile yet. Add one with File → Switch "
                                        "Environment."));
            return;
        }
        bool ok = false;
        const QString name =
            QInputDialog::getItem(m_window, tr("Compare With Environment"),
                                  tr("Compare %1 with:").arg(m_environment.name), names, 0, false, &ok);
        if (ok)
            compareWithEnvironment(name);
    });

    QAction *compareFilesAction = menu->addAction(tr("Compare &Two Snapshots…"));
    connect(compareFilesAction, &QAction::triggered, this, [this, lastFolder, remember, filters] {
        const QString left = QFileDialog::getOpenFileName(m_window, tr("Left Snapshot"), lastFolder(), filters);
        if (left.isEmpty())
            return;
        remember(left);
        const QString right = QFileDialog::getOpenFileName(m_window, tr("Right Snapshot"), lastFolder(), filters);
        if (right.isEmpty())
            return;
        compareSnapshots(left, right);
    });

    QAction *applyAction = menu->addAction(tr("&Apply Snapshot…"));
    applyAction->setToolTip(tr("Make this environment hold a snapshot's values, after showing what would change"));
    connect(applyAction, &QAction::triggered, this, [this, lastFolder, remember, filters] {
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Apply Snapshot"), lastFolder(), filters);
        if (path.isEmpty())
            return;
        remember(path);
        applySnapshot(path);
    });
    menu->addSeparator();
    QAction *historyAction = menu->addAction(tr("&History…"));
    historyAction->setShortcut(QKeySequence(u"Ctrl+H"_s));
    historyAction->setToolTip(tr("Every change applied from this computer (Ctrl+H)"));
    connect(historyAction, &QAction::triggered, this, &SnapshotActions::showHistory);
}

std::optional<Snapshot> SnapshotActions::readSnapshot(const QString &path)
{
    const auto snapshot = SnapshotFiles::read(path);
    if (snapshot)
        return snapshot.value();
    QMessageBox box(QMessageBox::Warning, tr("Cannot use this snapshot"), snapshot.error().userMessage, QMessageBox::Ok,
                    m_window);
    box.setInformativeText(tr("Nothing was changed."));
    box.exec();
    return std::nullopt;
}

void SnapshotActions::exportSnapshot(const QString &path)
{
    Q_EMIT busy(true);
    Q_EMIT status(tr("Reading %1 for the snapshot…").arg(m_environment.name), 0);
    SnapshotOps::capture(client(), this, [this, path](Result<Snapshot> snapshot) {
        Q_EMIT busy(false);
        if (!snapshot) {
            const QString message = tr("The snapshot was not written: %1").arg(snapshot.error().describe());
            Q_EMIT failed(message);
            Q_EMIT exported(false, message);
            return;
        }
        const bool csv = path.endsWith(u".csv"_s, Qt::CaseInsensitive);
        const auto written =
            SnapshotFiles::writeAtomically(path, csv ? snapshot.value().toCsv() : snapshot.value().toJson());
        if (!written) {
            QMessageBox::warning(m_window, tr("Export Snapshot"), written.error().userMessage);
            Q_EMIT exported(false, written.error().userMessage);
            return;
        }
        QString message = tr("Snapshot of %1 written to %2.").arg(m_environment.name, path);
        if (m_model->hasPendingEdits() || (m_workstreams && m_workstreams->hasPendingEdits()))
            message += u' ' + tr("It holds the saved values; your unsaved edits are not in it.");
        Q_EMIT status(message, 10000);
        Q_EMIT exported(true, message);
    });
}

CompareWindow *SnapshotActions::compareWithSnapshot(const QString &path)
{
    const auto snapshot = readSnapshot(path);
    if (!snapshot)
        return nullptr;
    const Snapshot desired = *snapshot;
    return compareWithLive(
        QFileInfo(path).fileName(), [desired](QObject *, std::function<void(Result<Snapshot>)> done) { done(desired); },
        u"apply "_s + path);
}

CompareWindow *SnapshotActions::compareWithEnvironment(const QString &name)
{
    if (!m_others.capture)
        return nullptr;
    const auto capture = m_others.capture;
    return compareWithLive(
        tr("%1 (live)").arg(name),
        [capture, name](QObject *context, std::function<void(Result<Snapshot>)> done) {
            capture(name, context, std::move(done));
        },
        tr("apply the values of %1").arg(name));
}

CompareWindow *SnapshotActions::compareWithLive(const QString &leftLabel, const ReadSide &readLeft,
                                                const QString &applySource)
{
    auto *window = new CompareWindow(m_window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setBusy(tr("Reading %1…").arg(leftLabel.toHtmlEscaped()));
    window->show();
    QPointer<CompareWindow> guard(window);
    readLeft(window, [this, guard, leftLabel, applySource](Result<Snapshot> left) {
        if (!guard)
            return;
        if (!left) {
            guard->setFailed(
                tr("Could not read %1: %2").arg(leftLabel.toHtmlEscaped(), left.error().describe().toHtmlEscaped()));
            return;
        }
        guard->setBusy(tr("Reading %1…").arg(m_environment.name.toHtmlEscaped()));
        const Snapshot desired = left.value();
        SnapshotOps::capture(client(), guard, [this, guard, leftLabel, desired, applySource](Result<Snapshot> live) {
            if (!guard)
                return;
            if (!live) {
                guard->setFailed(tr("Could not read %1: %2")
                                     .arg(m_environment.name.toHtmlEscaped(), live.error().describe().toHtmlEscaped()));
                return;
            }
            guard->setComparison(SnapshotDiff::compare(desired, live.value()), leftLabel,
                                 tr("%1 (live)").arg(m_environment.name));
            if (!nothingWritable())
                guard->offerApply(tr("&Apply %1 to %2…").arg(leftLabel, m_environment.name));
            connect(guard, &CompareWindow::applyRequested, this,
                    [this, desired, applySource] { openApplyWizard(desired, applySource); });
        });
    });
    return window;
}

void SnapshotActions::setOtherEnvironments(OtherEnvironments others)
{
    m_others = std::move(others);
    m_compareEnvironmentAction->setVisible(bool(m_others.capture));
}

CompareWindow *SnapshotActions::compareSnapshots(const QString &leftPath, const QString &rightPath)
{
    const auto left = readSnapshot(leftPath);
    if (!left)
        return nullptr;
    const auto right = readSnapshot(rightPath);
    if (!right)
        return nullptr;
    auto *window = new CompareWindow(m_window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setComparison(SnapshotDiff::compare(*left, *right), QFileInfo(leftPath).fileName(),
                          QFileInfo(rightPath).fileName());
    window->show();
    return window;
}

ApplyWizard *SnapshotActions::applySnapshot(const QString &path)
{
    const auto snapshot = readSnapshot(path);
    if (!snapshot)
        return nullptr;
    return openApplyWizard(*snapshot, u"apply "_s + path);
}

ApplyWizard *SnapshotActions::openApplyWizard(const Snapshot &desired, const QString &source)
{
    if (nothingWritable()) {
        QMessageBox::information(m_window, tr("Apply Snapshot"),
                                 tr("You can view but not change these records in %1.").arg(m_environment.name));
        return nullptr;
    }
    // One table may be writable and the other not: the plan says so if it would change the other.
    ApplyWizard::Target target {m_environment.name, m_environment.production, m_session};
    target.channelStatesReadOnly = m_model->isReadOnly();
    target.workstreamsReadOnly = !m_workstreams || m_workstreams->isReadOnly();
    auto *wizard = new ApplyWizard(target, desired, source, m_window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &ApplyWizard::applyFinished, this, &SnapshotActions::applied);
    wizard->show();
    return wizard;
}

bool SnapshotActions::nothingWritable() const
{
    return m_model->isReadOnly() && (!m_workstreams || m_workstreams->isReadOnly());
}

HistoryDialog *SnapshotActions::showHistory()
{
    auto *dialog = new HistoryDialog(client()->orgUrl().toString(), AuditLog::defaultPath(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}
