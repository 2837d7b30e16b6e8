#include "ui/MainWindow.h"

#include "app/common/PrivateFiles.h"
#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "ui/Banner.h"
#include "ui/ConfigProxyModel.h"
#include "ui/ConflictDialog.h"
#include "ui/DurationDelegate.h"
#include "ui/EditCommands.h"
#include "ui/PreviewPanel.h"
#include "ui/RecoveryMessage.h"
#include "ui/SaveConfirmDialog.h"

#include <QAction>
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
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcUi, "autoclose.ui", QtInfoMsg)

MainWindow::MainWindow(DataverseClient *client, const EnvironmentInfo &environment, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_environment(environment)
    , m_model(new ConfigTableModel(this))
    , m_session(new EditSession(client, {environment.account, {}}, this))
    , m_proxy(new ConfigProxyModel(this))
    , m_view(new QTableView)
    , m_undo(new QUndoStack(this))
    , m_preview(new PreviewPanel(client, m_model))
    , m_snapshots(new SnapshotActions(this, m_session, m_model, {environment.name, environment.production}))
    , m_filter(new QLineEdit)
    , m_countLabel(new QLabel)
    , m_pendingLabel(new QLabel)
    , m_busy(new QProgressBar)
{
    m_session->attach(
        m_model,
        EditJournal(environment.key.isEmpty() ? client->orgUrl().toString() : environment.key,
                    environment.journalDir.isEmpty() ? EditJournal::defaultDirectory() : environment.journalDir));
    setWindowTitle(tr("%1[*] — Auto-Close Editor").arg(environment.name));
    resize(1040, 680);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConfigTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // the filter box searches every column

    m_delegate = new DurationDelegate(
        m_model,
        [this](const QModelIndex &index, std::optional<int> minutes) {
            EditCommands::set(m_undo, m_model, index.data(ConfigTableModel::IdRole).toString(), minutes);
        },
        this);
    connect(m_delegate, &DurationDelegate::refused, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });

    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(ConfigTableModel::AutoClose, m_delegate);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConfigTableModel::Channel, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setAccessibleName(tr("Auto-close configurations"));
    m_view->setAccessibleDescription(tr("One row per channel and conversation state. Press F2 or Enter to edit a "
                                        "row's auto-close value."));
    // Enter or a double-click anywhere on a row edits its value, the one editable column.
    connect(m_view, &QAbstractItemView::activated, this, &MainWindow::editSelected);

    m_filter->setPlaceholderText(tr("Filter by channel, state or value (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filter, &QLineEdit::textChanged, this, &MainWindow::updateStatus);

    // Errors stay on screen, with what to do and a retry, until the next attempt succeeds.
    m_errorBanner = new Banner(Banner::Kind::Error, u"errorBanner"_s);
    m_errorBanner->button()->setText(tr("&Retry"));
    connect(m_errorBanner, &Banner::clicked, this, [this] { m_retrySave ? save() : refresh(); });
    m_restoredBanner = new Banner(Banner::Kind::Notice, u"restoredBanner"_s);
    m_restoredBanner->button()->setText(tr("&Discard them"));
    connect(m_restoredBanner, &Banner::clicked, this, [this] {
        discardAll();
        m_restoredBanner->hide();
    });
    m_readOnlyBanner = new Banner(Banner::Kind::ReadOnly, u"readOnlyBanner"_s);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    if (environment.production) {
        auto *banner = new Banner(Banner::Kind::Production, u"productionBanner"_s);
        banner->showMessage(tr("<b>PRODUCTION</b> — %1. Changes here affect live customer conversations.")
                                .arg(environment.name.toHtmlEscaped()));
        layout->addWidget(banner);
    }
    if (environment.demo) {
        auto *demoNotice = new QLabel(tr("<b>Demo environment</b> — a local sandbox with sample data, running on this "
                                         "computer. Nothing here reaches a real Dynamics 365 organization."));
        demoNotice->setWordWrap(true);
        demoNotice->setObjectName(u"demoNotice"_s);
        layout->addWidget(demoNotice);
    }
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_restoredBanner);
    layout->addWidget(m_readOnlyBanner);
    layout->addWidget(m_filter);
    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(u"tablePreviewSplitter"_s);
    split->addWidget(m_view);
    split->addWidget(m_preview);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    setCentralWidget(central);

    createActions();

    m_busy->setRange(0, 0); // busy indicator: the length of a load is not known up front
    m_busy->setMaximumWidth(120);
    m_busy->setAccessibleName(tr("Working"));
    m_busy->hide();
    m_identityLabel = new QLabel(tr("%1 · %2").arg(environment.name, m_client->orgUrl().toString()), this);
    m_identityLabel->setObjectName(u"identityLabel"_s);
    statusBar()->addWidget(m_identityLabel);
    // "Signed in as <user> at <org>", the user confirmed by the environment itself; the ids go in the audit log.
    m_client->whoAmI(this, [this](Result<WebApiReply::Identity> who) {
        if (!who)
            return;
        m_session->setIdentity(who.value().organizationId, who.value().userId);
        if (m_environment.demo)
            return;
        const QString user = m_environment.account.isEmpty() ? who.value().userId : m_environment.account;
        m_identityLabel->setText(
            tr("Signed in as %1 at %2 (%3)").arg(user, m_client->orgUrl().host(), m_environment.name));
    });
    statusBar()->addPermanentWidget(m_pendingLabel);
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_countLabel);

    connect(m_client->transport(), &WebApiTransport::throttled, this, [this](int seconds) {
        statusBar()->showMessage(tr("The environment is limiting requests; retrying in %1 s…").arg(seconds),
                                 seconds * 1000);
    });
    connect(m_client->transport(), &WebApiTransport::retrying, this,
            [this](int, std::chrono::milliseconds delay, const QString &reason) {
                statusBar()->showMessage(tr("%1; trying again…").arg(reason), int(delay.count()) + 1000);
            });
    // The preview, when it is for now, tells which edits would close conversations at the job's next run: a risk
    // shown beside the value like the others.
    connect(m_preview, &PreviewPanel::updated, this,
            [this](bool ok) { m_model->setRiskNotes(ok ? m_preview->nextRunNotes() : QHash<QString, QString>()); });
    connect(m_model, &ConfigTableModel::pendingChanged, this, [this] {
        m_model->setRiskNotes({}); // until the preview has counted the new values
        updateActions();
        updateStatus();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_undo, &QUndoStack::cleanChanged, this, &MainWindow::updateActions);
    connectSession();

    QSettings settings;
    restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray());
    restoreState(settings.value(u"mainWindow/state"_s).toByteArray());
    updateActions();
}

MainWindow::~MainWindow()
{
    // An editor still open must not commit into a window that is going away.
    if (auto *editor = openEditor())
        Q_EMIT m_delegate->closeEditor(editor, QAbstractItemDelegate::RevertModelCache);
    m_delegate->disconnect(this);
    // The undo stack, a child, is deleted after this class's part of the window is gone, and says so (cleanChanged)
    // on its way out: nothing here may hear it.
    m_undo->disconnect(this);
    m_session->disconnect(this);
}

void MainWindow::createActions()
{
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Load the configurations again; your unsaved edits stay (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    m_saveAction = new QAction(tr("&Save…"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setToolTip(tr("Review and save your edits to the environment (Ctrl+S)"));
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);

    m_undoLastSaveAction = new QAction(tr("Undo &Last Save…"), this);
    m_undoLastSaveAction->setToolTip(tr("Put back the values your last save replaced"));
    connect(m_undoLastSaveAction, &QAction::triggered, this, &MainWindow::undoLastSave);

    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(u"Ctrl+Shift+Z"_s)))
        redoKeys << QKeySequence(u"Ctrl+Shift+Z"_s);
    redo->setShortcuts(redoKeys);

    m_editAction = new QAction(tr("&Edit Value"), this);
    m_editAction->setShortcut(Qt::Key_F2);
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editSelected);
    m_resetAction = new QAction(tr("Reset to &Default"), this);
    m_resetAction->setShortcut(QKeySequence(u"Ctrl+D"_s));
    m_resetAction->setToolTip(tr("Set the selected rows to Microsoft's documented default (Ctrl+D)"));
    connect(m_resetAction, &QAction::triggered, this, &MainWindow::resetSelectedToDefault);
    m_revertAction = new QAction(tr("Re&vert Edit"), this);
    m_revertAction->setShortcut(QKeySequence(u"Ctrl+R"_s));
    m_revertAction->setToolTip(tr("Drop the unsaved edits of the selected rows (Ctrl+R)"));
    connect(m_revertAction, &QAction::triggered, this, &MainWindow::revertSelected);
    m_discardAction = new QAction(tr("Discard &All Edits"), this);
    m_discardAction->setToolTip(tr("Drop every unsaved edit (undoable)"));
    connect(m_discardAction, &QAction::triggered, this, &MainWindow::discardAll);

    auto *findAction = new QAction(tr("&Find"), this);
    findAction->setShortcut(QKeySequence::Find);
    connect(findAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    auto *quitAction = new QAction(tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    auto *switchAction = new QAction(tr("Switch &Environment…"), this);
    switchAction->setShortcut(QKeySequence(u"Ctrl+Shift+E"_s));
    connect(switchAction, &QAction::triggered, this, &MainWindow::switchEnvironmentRequested);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(switchAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_saveAction);
    fileMenu->addAction(m_undoLastSaveAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_refreshAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quitAction);
    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    editMenu->addAction(undo);
    editMenu->addAction(redo);
    editMenu->addSeparator();
    editMenu->addAction(m_editAction);
    editMenu->addAction(m_resetAction);
    editMenu->addAction(m_revertAction);
    editMenu->addAction(m_discardAction);
    editMenu->addSeparator();
    editMenu->addAction(findAction);

    m_view->addActions({m_editAction, m_resetAction, m_revertAction});

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(u"mainToolBar"_s);
    toolBar->addAction(m_saveAction);
    toolBar->addAction(undo);
    toolBar->addAction(redo);
    toolBar->addSeparator();
    toolBar->addAction(m_resetAction);
    toolBar->addAction(m_revertAction);
    toolBar->addSeparator();
    toolBar->addAction(m_refreshAction);
    m_snapshots->addMenu(menuBar()->addMenu(tr("S&napshots")));
}

DurationLineEdit *MainWindow::openEditor() const
{
    // A closed editor lingers hidden until it is deleted.
    for (auto *editor : m_view->viewport()->findChildren<DurationLineEdit *>()) {
        if (editor->isVisible())
            return editor;
    }
    return nullptr;
}

QStringList MainWindow::selectedIds() const
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids << index.data(ConfigTableModel::IdRole).toString();
    if (ids.isEmpty() && m_view->currentIndex().isValid())
        ids << m_view->currentIndex().data(ConfigTableModel::IdRole).toString();
    return ids;
}

void MainWindow::refresh()
{
    if (m_loading || m_session->isSaving())
        return;
    m_loading = true;
    updateActions();
    m_busy->show();
    m_countLabel->setText(tr("Loading…"));
    m_client->fetchConfigurations(this, [this](Result<QList<ChannelStateConfig>> configs) {
        m_loading = false;
        m_busy->hide();
        if (!configs) {
            qCWarning(lcUi).noquote() << "load failed:" << configs.error().describe();
            showLoadError(configs.error());
            updateStatus();
            updateActions();
            Q_EMIT loadFinished(false);
            return;
        }
        m_errorBanner->hide();
        qCInfo(lcUi) << "loaded" << configs.value().size() << "configurations from" << m_client->orgUrl().host();
        const QList<PendingEdit> gone = m_model->reset(std::move(configs).value());
        if (!gone.isEmpty()) {
            statusBar()->showMessage(tr("%n unsaved edit(s) dropped: the record no longer exists in the environment.",
                                        nullptr, int(gone.size())),
                                     15000);
        }
        if (!m_loadedOnce) {
            m_loadedOnce = true;
            firstLoad();
        }
        int changed = 0;
        for (const PendingEdit &edit : m_model->pendingEdits())
            changed += m_model->status(edit.id) == ConfigTableModel::RowStatus::ServerChanged ? 1 : 0;
        if (changed > 0) {
            statusBar()->showMessage(tr("%n of your unsaved edits were changed on the server meanwhile; saving "
                                        "them will ask which value to keep.",
                                        nullptr, changed),
                                     15000);
        }
        updateStatus();
        updateActions();
        Q_EMIT loadFinished(true);
    });
}

void MainWindow::firstLoad()
{
    showRecovery(m_session->recoverJournal());
    m_client->fetchCanWriteConfigurations(this, [this](Result<bool> canWrite) {
        // When the privilege cannot be read, editing stays on: the save itself will say if it is refused.
        const bool writable = !canWrite.ok() || canWrite.value();
        m_model->setReadOnly(!writable);
        if (!writable) {
            m_readOnlyBanner->showMessage(
                tr("<b>You can view these values but not change them.</b> Your security role lacks the Write "
                   "privilege on Channel State Configuration records. Ask an administrator for a role that has "
                   "it (the Omnichannel Administrator role does not)."));
        }
        updateActions();
        Q_EMIT permissionsKnown(writable);
    });
    m_client->fetchMinutesRange(this, [this](Result<WebApiReply::ColumnRange> range) {
        if (range)
            m_delegate->setRange(Duration::Range {range.value().minValue, range.value().maxValue});
    });
}

void MainWindow::showRecovery(const EditSession::Recovery &recovery)
{
    if (!recovery.any())
        return;
    // With nothing restored the banner's button only dismisses it (discarding nothing).
    m_restoredBanner->button()->setText(recovery.restored > 0 ? tr("&Discard them") : tr("&Dismiss"));
    m_restoredBanner->showMessage(RecoveryMessage::text(recovery, m_session->journalPath()));
}

void MainWindow::editSelected()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || m_model->isReadOnly())
        return;
    const QModelIndex value = current.siblingAtColumn(ConfigTableModel::AutoClose);
    m_view->setCurrentIndex(value);
    m_view->edit(value);
}

void MainWindow::resetSelectedToDefault()
{
    if (!m_model->isReadOnly() && !EditCommands::resetToDefault(m_undo, m_model, selectedIds()))
        statusBar()->showMessage(tr("Microsoft documents no default for the selected rows."), 8000);
}

void MainWindow::revertSelected()
{
    EditCommands::revert(m_undo, m_model, selectedIds());
}

void MainWindow::discardAll()
{
    EditCommands::discardAll(m_undo, m_model);
}

void MainWindow::save()
{
    if (m_session->isSaving() || m_loading || m_model->isReadOnly())
        return;
    // Take what is being typed first, or keep the editor open and say why when it cannot be taken.
    if (auto *editor = openEditor()) {
        if (!editor->value().ok()) {
            editor->insistOnHint();
            return;
        }
        Q_EMIT m_delegate->commitData(editor);
        Q_EMIT m_delegate->closeEditor(editor, QAbstractItemDelegate::NoHint);
    }
    const QList<PendingEdit> edits = m_model->pendingEdits();
    if (edits.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to save: no value was edited."), 5000);
        return;
    }
    std::optional<QList<ClosurePreview::Impact>> impacts;
    if (m_preview->isCurrent())
        impacts = m_preview->impacts();
    SaveConfirmDialog dialog(SaveConfirmDialog::forSave(*m_model, edits, impacts, m_environment.name),
                             m_environment.production, m_environment.name, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_session->saveEdits(edits);
}

void MainWindow::undoLastSave()
{
    const QList<EditSession::SavedValue> &lastSave = m_session->lastSave();
    if (lastSave.isEmpty() || m_session->isSaving() || m_loading || m_model->isReadOnly())
        return;
    SaveConfirmDialog dialog(SaveConfirmDialog::forUndo(*m_model, lastSave, m_environment.name),
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
    connect(m_session, &EditSession::editRequested, this, [this](const QString &id) {
        const int row = m_model->rowOf(id);
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, ConfigTableModel::AutoClose));
        m_view->setCurrentIndex(index);
        m_view->edit(index);
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

void MainWindow::showLoadError(const Error &error)
{
    m_retrySave = false;
    m_errorBanner->button()->setText(tr("&Retry"));
    m_errorBanner->showMessage(tr("Could not load the configurations. %1").arg(error.describe().toHtmlEscaped()));
}

void MainWindow::showSaveError(const QString &text)
{
    m_retrySave = true;
    m_errorBanner->button()->setText(tr("&Try Again"));
    m_errorBanner->showMessage(tr("<b>Not saved.</b> %1 Your edits are kept; try again when the problem is solved.")
                                   .arg(text.toHtmlEscaped()));
}

void MainWindow::updateStatus()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_countLabel->setText(shown == total ? tr("%n configuration(s)", nullptr, total)
                                         : tr("%1 of %2 configurations").arg(shown).arg(total));
    const int pending = int(m_model->pendingEdits().size());
    m_pendingLabel->setText(pending > 0 ? tr("%n unsaved edit(s)", nullptr, pending) : QString());
}

void MainWindow::updateActions()
{
    const bool idle = !m_loading && !m_session->isSaving();
    const bool writable = !m_model->isReadOnly();
    const bool pending = m_model->hasPendingEdits();
    const bool selection = !selectedIds().isEmpty();
    m_refreshAction->setEnabled(idle);
    m_saveAction->setEnabled(idle && writable && pending);
    m_discardAction->setEnabled(pending);
    m_revertAction->setEnabled(pending && selection);
    m_resetAction->setEnabled(writable && selection);
    m_editAction->setEnabled(writable && selection);
    m_undoLastSaveAction->setEnabled(idle && writable && !m_session->lastSave().isEmpty());
    m_undoLastSaveAction->setText(m_session->lastSave().isEmpty() ? tr("Undo &Last Save…")
                                                                  : tr("Undo &Last Save (%n change(s))…", nullptr,
                                                                       int(m_session->lastSave().size())));
    setWindowModified(pending);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_model->hasPendingEdits()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved edits"),
            tr("%n edit(s) are not saved. They are kept on this computer and come back the next time you open %1.",
               nullptr, int(m_model->pendingEdits().size()))
                .arg(m_environment.name),
            QMessageBox::Close | QMessageBox::Cancel, QMessageBox::Close);
        if (answer != QMessageBox::Close) {
            event->ignore();
            return;
        }
    }
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/state"_s, saveState());
    PrivateFiles::syncPrivately(settings); // it names the last snapshot folder
    QMainWindow::closeEvent(event);
}
