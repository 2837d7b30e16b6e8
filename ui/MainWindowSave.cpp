// MainWindow's saving: the confirmation before a save or an undo of one, and what the edit session reports while it
// saves (progress, saved values, failures, conflicts decided in a dialog).
#include "ui/MainWindow.h"

#include "app/common/PrivateFiles.h"
#include "models/ChannelGridModel.h"
#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "models/WorkstreamTableModel.h"
#include "ui/Actions.h"
#include "ui/Banner.h"
#include "ui/ChangeHistoryDialog.h"
#include "ui/ConfigProxyModel.h"
#include "ui/ConflictDialog.h"
#include "ui/DurationDelegate.h"
#include "ui/EditCommands.h"
#include "ui/OverviewGrid.h"
#include "ui/PreviewPanel.h"
#include "ui/RecoveryMessage.h"
#include "ui/SaveConfirmDialog.h"
#include "ui/WorkstreamsView.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

void MainWindow::save()
{
    if (m_session->isSaving() || m_loading || (m_model->isReadOnly() && m_workstreams->isReadOnly()))
        return;
    // Take what is being typed first, or keep the editor open and say why when it cannot be taken.
    if (const auto [editor, delegate] = openEditor(); editor) {
        if (!editor->value().ok()) {
            editor->insistOnHint();
            return;
        }
        Q_EMIT delegate->commitData(editor);
        Q_EMIT delegate->closeEditor(editor, QAbstractItemDelegate::NoHint);
    }
    QList<PendingEdit> edits;
    if (!m_model->isReadOnly())
        edits << m_model->pendingEdits();
    if (!m_workstreams->isReadOnly())
        edits << m_workstreams->pendingEdits();
    if (edits.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to save: no value was edited."), 5000);
        return;
    }
    std::optional<QList<ClosurePreview::Impact>> impacts;
    if (m_preview->isCurrent())
        impacts = m_preview->impacts();
    SaveConfirmDialog dialog(SaveConfirmDialog::forSave(*m_model, *m_workstreams, edits, impacts, m_environment.name),
                             m_environment.production, m_environment.name, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_session->saveEdits(edits);
}

void MainWindow::undoLastSave()
{
    const QList<EditSession::SavedValue> &lastSave = m_session->lastSave();
    if (lastSave.isEmpty() || m_session->isSaving() || m_loading ||
        (m_model->isReadOnly() && m_workstreams->isReadOnly()))
        return;
    SaveConfirmDialog dialog(SaveConfirmDialog::forUndo(*m_model, *m_workstreams, lastSave, m_environment.name),
                             m_environment.production, m_environment.name, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_session->undoLastSave();
}

void MainWindow::connectSession()
{
    connect(m_session, &EditSession::savingChanged, this, [this](bool saving) {
        m_busy->setVisible(saving || m_loading);
        updateActions();
        updateStatus();
    });
    connect(m_session, &EditSession::saveStarted, this, [this](int count) {
        m_retrySave = false;
        statusBar()->showMessage(tr("Saving %n change(s)…", nullptr, count));
    });
    connect(m_session, &EditSession::changesSaved, this, [this](int count) {
        // Saved values are no longer edits: undoing them is "Undo last save", which writes to the server.
        m_undo->clear();
        m_errorBanner->hide();
        statusBar()->showMessage(tr("Saved %n change(s) to %1.", nullptr, count).arg(m_environment.name), 10000);
    });
    connect(m_session, &EditSession::saveFailed, this, &MainWindow::showSaveError);
    connect(m_session, &EditSession::saveFinished, this, &MainWindow::saveFinished);
    connect(m_session, &EditSession::notice, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(m_session, &EditSession::journalFailed, this, [this](const QString &message) {
        m_retrySave = false;
        m_errorBanner->showMessage(
            tr("<b>Your unsaved edits are not protected against a crash.</b> %1").arg(message.toHtmlEscaped()));
    });
    connect(m_session, &EditSession::editRequested, this, [this](const QString &id, TimerSetting setting) {
        if (setting != TimerSetting::ChannelState) {
            setView(View::Workstreams);
            m_workstreamsView->editValue(ValueRef {id, setting});
            return;
        }
        // In the overview when the record has a cell there; in the details otherwise.
        QModelIndex index = m_overview->fromGrid(m_grid->indexOf(id));
        if (view() == View::Details || !index.isValid()) {
            setView(View::Details);
            index = m_proxy->mapFromSource(m_model->index(m_model->rowOf(id), ConfigTableModel::AutoClose));
        }
        currentView()->setCurrentIndex(index);
        currentView()->edit(index);
    });
    m_session->setResolver(
        [this](const EditSession::Conflict &conflict) { return ConflictDialog::ask(conflict, this); });

    connect(m_snapshots, &SnapshotActions::busy, m_busy, &QWidget::setVisible);
    connect(m_snapshots, &SnapshotActions::status, statusBar(), &QStatusBar::showMessage);
    connect(m_snapshots, &SnapshotActions::failed, this, &MainWindow::showSaveError);
    connect(m_snapshots, &SnapshotActions::applied, this, [this] {
        // What the apply changed is now on the server: load it (pending edits stay, flagged where it changed
        // under them).
        if (!m_loading && !m_session->isSaving())
            refresh();
    });
}

void MainWindow::showSaveError(const QString &text)
{
    m_retrySave = true;
    m_errorBanner->button()->setText(tr("&Try Again"));
    m_errorBanner->showMessage(tr("<b>Not saved.</b> %1 Your edits are kept; try again when the problem is solved.")
                                   .arg(text.toHtmlEscaped()));
}
