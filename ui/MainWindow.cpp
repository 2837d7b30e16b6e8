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

Q_LOGGING_CATEGORY(lcUi, "autoclose.ui", QtInfoMsg)

namespace {
// The button where a table's headers meet selects everything: a screen reader should say so.
void nameCornerButton(QTableView *view)
{
    for (auto *button : view->findChildren<QAbstractButton *>(Qt::FindDirectChildrenOnly)) {
        if (button->inherits("QTableCornerButton")) {
            button->setAccessibleName(QApplication::translate("MainWindow", "Select all"));
            button->setAccessibleDescription(QApplication::translate("MainWindow", "Selects every cell"));
        }
    }
}
} // namespace

MainWindow::MainWindow(DataverseClient *client, const EnvironmentInfo &environment, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_environment(environment)
    , m_model(new ConfigTableModel(this))
    , m_workstreams(new WorkstreamTableModel(this))
    , m_session(new EditSession(client, {environment.account, {}}, this))
    , m_proxy(new ConfigProxyModel(this))
    , m_grid(new ChannelGridModel(m_model, this))
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
    // The workstreams' timers are saved, journalled and undone with the channel-state values, in the same batch.
    m_session->addTable(m_workstreams, [this](QObject *context, std::function<void(std::optional<Error>)> done) {
        m_client->fetchWorkstreams(context, [this, done](Result<QList<Workstream>> workstreams) {
            if (!workstreams) {
                done(workstreams.error());
                return;
            }
            m_workstreams->reset(std::move(workstreams).value());
            done(std::nullopt);
        });
    });
    setWindowTitle(tr("%1[*] — Auto-Close Editor").arg(environment.name));
    resize(1180, 760);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConfigTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // the filter box searches every column

    // Both views edit with the same editor and validation, and every accepted value goes on the undo stack.
    const auto commit = [this](const QModelIndex &index, std::optional<int> minutes) {
        EditCommands::set(m_undo, m_model, index.data(ConfigTableModel::IdRole).toString(), minutes);
    };
    m_delegate = new DurationDelegate(m_model, commit, this);
    m_gridDelegate = new GridCellDelegate(m_model, commit, this);
    for (DurationDelegate *delegate : {m_delegate, static_cast<DurationDelegate *>(m_gridDelegate)}) {
        connect(delegate, &DurationDelegate::refused, this,
                [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    }
    m_overview = new OverviewGrid(m_grid, m_gridDelegate);
    m_snapshots->setWorkstreamModel(m_workstreams);
    m_workstreamsView = new WorkstreamsView(m_workstreams, [this](const ValueRef &ref, std::optional<int> minutes) {
        EditCommands::setValue(m_undo, m_workstreams, ref, minutes);
    });
    connect(m_workstreamsView, &WorkstreamsView::refused, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_workstreamsView, &WorkstreamsView::selectionChanged, this, &MainWindow::updateActions);
    nameCornerButton(m_overview);
    connect(m_overview, &QAbstractItemView::activated, this, &MainWindow::editSelected);

    m_view->setObjectName(u"detailsView"_s);
    nameCornerButton(m_view);
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
    m_view->setAccessibleName(tr("Auto-close details"));
    m_view->setAccessibleDescription(tr("One row per channel and conversation state. Press F2 or Enter to edit a "
                                        "row's auto-close value."));
    // Enter or a double-click anywhere on a row edits its value, the one editable column.
    connect(m_view, &QAbstractItemView::activated, this, &MainWindow::editSelected);

    m_filter->setObjectName(u"filter"_s);
    m_filter->setPlaceholderText(tr("Filter by channel, state or value (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setAccessibleDescription(tr("Shows only the rows whose channel, state or value contains the text"));
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
    m_hintBanner = new Banner(Banner::Kind::Notice, u"hintBanner"_s);
    m_hintBanner->button()->setText(tr("&Got It"));
    m_hintBanner->button()->setToolTip(tr("Hide this hint; it is not shown again"));
    connect(m_hintBanner, &Banner::clicked, this, [this] {
        m_hintBanner->hide();
        QSettings().setValue(u"hints/firstRunDismissed"_s, true);
    });

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
    layout->addWidget(m_hintBanner);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_restoredBanner);
    layout->addWidget(m_readOnlyBanner);

    // The overview: the grid, and a line saying what its marks mean.
    auto *overviewPage = new QWidget;
    auto *overviewLayout = new QVBoxLayout(overviewPage);
    overviewLayout->setContentsMargins(0, 0, 0, 0);
    overviewLayout->addWidget(m_overview, 1);
    m_legend = new QLabel(tr("Under a value: <b>edited</b> (not saved yet) · <b>default …</b> (Microsoft's "
                             "differs) · <b>not saved</b> · <b>no record</b>. A warning sign: a risky value. Hover "
                             "over a cell for more."));
    m_legend->setObjectName(u"overviewLegend"_s);
    m_legend->setWordWrap(true);
    m_legend->setForegroundRole(QPalette::PlaceholderText);
    overviewLayout->addWidget(m_legend);
    // The details: every record as a row, with its status, sortable and filterable.
    auto *detailsPage = new QWidget;
    auto *detailsLayout = new QVBoxLayout(detailsPage);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_filter);
    detailsLayout->addWidget(m_view, 1);
    m_views = new QStackedWidget;
    m_views->setObjectName(u"views"_s);
    m_views->addWidget(overviewPage);
    m_views->addWidget(detailsPage);
    m_views->addWidget(m_workstreamsView);

    m_split = new QSplitter(Qt::Vertical);
    m_split->setObjectName(u"tablePreviewSplitter"_s);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(m_views);
    m_split->addWidget(m_preview);
    m_split->setStretchFactor(0, 0); // a taller window gives its room to the preview
    m_split->setStretchFactor(1, 1);
    layout->addWidget(m_split, 1);
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
    connect(m_preview, &PreviewPanel::listExported, this,
            [this](bool, qint64, const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(m_preview, &PreviewPanel::updated, this, [this](bool ok) {
        const QHash<ValueRef, QString> notes = ok ? m_preview->nextRunNotes() : QHash<ValueRef, QString>();
        m_model->setRiskNotes(notes);
        m_workstreams->setRiskNotes(notes);
    });
    connect(m_model, &ConfigTableModel::pendingChanged, this, [this] {
        // Until the preview has counted the new values (a workstream's conversations are timed by both tables).
        m_model->setRiskNotes({});
        m_workstreams->setRiskNotes({});
        updateActions();
        updateStatus();
    });
    // The preview judges Waiting and Wrap-up conversations by their workstream's timers, the edited ones too.
    const auto previewWorkstreams = [this] {
        m_preview->setWorkstreams(m_workstreams->workstreams(), m_workstreams->editedWorkstreams());
    };
    connect(m_workstreams, &QAbstractItemModel::modelReset, this, previewWorkstreams);
    connect(m_workstreams, &WorkstreamTableModel::pendingChanged, this, [this, previewWorkstreams] {
        m_model->setRiskNotes({});
        m_workstreams->setRiskNotes({});
        previewWorkstreams();
        updateActions();
        updateStatus();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        syncSelection(false);
        updateActions();
    });
    connect(m_overview->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        syncSelection(true);
        updateActions();
    });
    connect(m_overview->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        if (m_overview->selectionModel()->selectedIndexes().isEmpty())
            syncSelection(true);
        updateActions();
    });
    connect(m_undo, &QUndoStack::cleanChanged, this, &MainWindow::updateActions);
    connectSession();

    QSettings settings;
    restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray());
    restoreState(settings.value(u"mainWindow/state"_s).toByteArray());
    m_splitRestored = m_split->restoreState(settings.value(u"mainWindow/splitter"_s).toByteArray());
    m_preview->restoreSettings(settings);
    const QString savedView = settings.value(u"mainWindow/view"_s).toString();
    setView(savedView == u"details"_s           ? View::Details
                : savedView == u"workstreams"_s ? View::Workstreams
                                                : View::Overview);
    showFirstRunHint();
    updateActions();
}

MainWindow::~MainWindow()
{
    // An editor still open must not commit into a window that is going away.
    if (const auto [editor, delegate] = openEditor(); editor)
        Q_EMIT delegate->closeEditor(editor, QAbstractItemDelegate::RevertModelCache);
    m_delegate->disconnect(this);
    m_gridDelegate->disconnect(this);
    // The undo stack, a child, is deleted after this class's part of the window is gone, and says so (cleanChanged)
    // on its way out: nothing here may hear it.
    m_undo->disconnect(this);
    m_session->disconnect(this);
}

void MainWindow::createActions()
{
    using Actions::setToolTip;
    using Actions::themed;
    m_refreshAction = new QAction(themed(u"view-refresh"_s, QStyle::SP_BrowserReload), tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    setToolTip(m_refreshAction, tr("Load the configurations again; your unsaved edits stay"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    m_saveAction = new QAction(themed(u"document-save"_s, QStyle::SP_DialogSaveButton), tr("&Save…"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    setToolTip(m_saveAction, tr("Review and save your edits to the environment"));
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);

    m_undoLastSaveAction =
        new QAction(themed(u"document-revert"_s, QStyle::SP_DialogResetButton), tr("Undo &Last Save…"), this);
    m_undoLastSaveAction->setToolTip(tr("Put back the values your last save replaced"));
    connect(m_undoLastSaveAction, &QAction::triggered, this, &MainWindow::undoLastSave);

    // The Edit menu's Undo and Redo say what they undo ("Undo Set Live chat · Open to 3 min"); the toolbar's keep
    // one short text, so the buttons after them never move, and say the rest in their tooltips.
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setIcon(themed(u"edit-undo"_s, QStyle::SP_ArrowBack));
    undo->setShortcuts(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setIcon(themed(u"edit-redo"_s, QStyle::SP_ArrowForward));
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(u"Ctrl+Shift+Z"_s)))
        redoKeys << QKeySequence(u"Ctrl+Shift+Z"_s);
    redo->setShortcuts(redoKeys);
    auto *undoButton = new QAction(undo->icon(), tr("Undo"), this);
    undoButton->setObjectName(u"toolBarUndo"_s);
    auto *redoButton = new QAction(redo->icon(), tr("Redo"), this);
    redoButton->setObjectName(u"toolBarRedo"_s);
    connect(undoButton, &QAction::triggered, m_undo, &QUndoStack::undo);
    connect(redoButton, &QAction::triggered, m_undo, &QUndoStack::redo);
    const auto updateUndoButtons = [this, undo, redo, undoButton, redoButton] {
        undoButton->setEnabled(m_undo->canUndo());
        redoButton->setEnabled(m_undo->canRedo());
        setToolTip(undoButton, m_undo->canUndo() ? tr("Undo %1").arg(m_undo->undoText()) : tr("Nothing to undo"),
                   undo->shortcut());
        setToolTip(redoButton, m_undo->canRedo() ? tr("Redo %1").arg(m_undo->redoText()) : tr("Nothing to redo"),
                   redo->shortcut());
    };
    connect(m_undo, &QUndoStack::indexChanged, this, updateUndoButtons);
    connect(m_undo, &QUndoStack::cleanChanged, this, updateUndoButtons);
    updateUndoButtons();

    m_editAction = new QAction(themed(u"document-edit"_s, QStyle::SP_FileDialogDetailedView), tr("&Edit Value"), this);
    m_editAction->setShortcut(Qt::Key_F2);
    setToolTip(m_editAction, tr("Edit the selected value"));
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editSelected);
    m_resetAction = new QAction(themed(u"edit-clear"_s, QStyle::SP_DialogResetButton), tr("Reset to &Default"), this);
    m_resetAction->setShortcut(QKeySequence(u"Ctrl+D"_s));
    setToolTip(m_resetAction, tr("Set the selected values to Microsoft's documented default"));
    connect(m_resetAction, &QAction::triggered, this, &MainWindow::resetSelectedToDefault);
    m_revertAction =
        new QAction(themed(u"edit-undo-symbolic"_s, QStyle::SP_DialogDiscardButton), tr("Re&vert Edit"), this);
    m_revertAction->setShortcut(QKeySequence(u"Ctrl+R"_s));
    setToolTip(m_revertAction, tr("Drop the unsaved edits of the selected values"));
    connect(m_revertAction, &QAction::triggered, this, &MainWindow::revertSelected);
    m_changeHistoryAction =
        new QAction(themed(u"document-open-recent"_s, QStyle::SP_FileDialogInfoView), tr("Change &History…"), this);
    m_changeHistoryAction->setObjectName(u"changeHistoryAction"_s);
    m_changeHistoryAction->setShortcut(QKeySequence(u"Ctrl+Shift+H"_s));
    setToolTip(m_changeHistoryAction, tr("Who changed the selected value in the environment, and when"));
    connect(m_changeHistoryAction, &QAction::triggered, this, &MainWindow::showChangeHistory);
    m_discardAction =
        new QAction(themed(u"edit-delete"_s, QStyle::SP_DialogDiscardButton), tr("Discard &All Edits"), this);
    m_discardAction->setToolTip(tr("Drop every unsaved edit (undoable)"));
    connect(m_discardAction, &QAction::triggered, this, &MainWindow::discardAll);

    auto *findAction = new QAction(themed(u"edit-find"_s, QStyle::SP_FileDialogContentsView), tr("&Find"), this);
    findAction->setShortcut(QKeySequence::Find);
    setToolTip(findAction, tr("Filter the details list"));
    connect(findAction, &QAction::triggered, this, [this] {
        QLineEdit *filter = m_filter;
        if (view() == View::Workstreams)
            filter = m_workstreamsView->filter();
        else
            setView(View::Details); // the filter belongs to the list
        filter->setFocus(Qt::ShortcutFocusReason);
        filter->selectAll();
    });
    auto *quitAction = new QAction(themed(u"application-exit"_s, QStyle::SP_DialogCloseButton), tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    auto *switchAction =
        new QAction(themed(u"network-server"_s, QStyle::SP_DriveNetIcon), tr("Switch &Environment…"), this);
    switchAction->setShortcut(QKeySequence(u"Ctrl+Shift+E"_s));
    setToolTip(switchAction, tr("Open another environment"));
    connect(switchAction, &QAction::triggered, this, &MainWindow::switchEnvironmentRequested);

    // The two views, as a pair of exclusive toggles.
    auto *views = new QActionGroup(this);
    m_overviewAction = new QAction(themed(u"view-grid"_s, QStyle::SP_FileDialogListView), tr("&Overview"), views);
    m_overviewAction->setObjectName(u"overviewAction"_s);
    m_overviewAction->setCheckable(true);
    m_overviewAction->setShortcut(QKeySequence(u"Ctrl+1"_s));
    setToolTip(m_overviewAction, tr("One row per channel, one column per state"));
    m_detailsAction =
        new QAction(themed(u"view-list-details"_s, QStyle::SP_FileDialogDetailedView), tr("&Details"), views);
    m_detailsAction->setObjectName(u"detailsAction"_s);
    m_detailsAction->setCheckable(true);
    m_detailsAction->setShortcut(QKeySequence(u"Ctrl+2"_s));
    setToolTip(m_detailsAction, tr("Every record as a row, with when it was modified and its status"));
    m_workstreamsAction =
        new QAction(themed(u"view-list-tree"_s, QStyle::SP_FileDialogContentsView), tr("&Workstreams"), views);
    m_workstreamsAction->setObjectName(u"workstreamsAction"_s);
    m_workstreamsAction->setCheckable(true);
    m_workstreamsAction->setShortcut(QKeySequence(u"Ctrl+3"_s));
    setToolTip(m_workstreamsAction, tr("Each workstream's auto-close after inactivity and block capacity for wrap-up"));
    connect(m_workstreamsAction, &QAction::triggered, this, [this] { setView(View::Workstreams); });
    connect(m_overviewAction, &QAction::triggered, this, [this] { setView(View::Overview); });
    connect(m_detailsAction, &QAction::triggered, this, [this] { setView(View::Details); });

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(switchAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_saveAction);
    fileMenu->addAction(m_undoLastSaveAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_refreshAction);
    fileMenu->addAction(m_preview->exportAction());
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
    editMenu->addAction(m_changeHistoryAction);
    editMenu->addSeparator();
    editMenu->addAction(findAction);
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(m_overviewAction);
    viewMenu->addAction(m_detailsAction);
    viewMenu->addAction(m_workstreamsAction);

    m_view->addActions({m_editAction, m_resetAction, m_revertAction, m_changeHistoryAction});
    m_overview->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_overview->addActions({m_editAction, m_resetAction, m_revertAction, m_changeHistoryAction});
    m_workstreamsView->table()->addActions({m_editAction, m_revertAction, m_changeHistoryAction});

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(u"mainToolBar"_s);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_saveAction);
    toolBar->addAction(undoButton);
    toolBar->addAction(redoButton);
    toolBar->addSeparator();
    toolBar->addAction(m_resetAction);
    toolBar->addAction(m_revertAction);
    toolBar->addSeparator();
    toolBar->addAction(m_refreshAction);
    toolBar->addSeparator();
    toolBar->addAction(m_overviewAction);
    toolBar->addAction(m_detailsAction);
    toolBar->addAction(m_workstreamsAction);
    m_snapshots->addMenu(menuBar()->addMenu(tr("S&napshots")));
}

void MainWindow::showFirstRunHint()
{
    // On the Demo environment, until the user says they have seen it: what to try first.
    if (!m_environment.demo || QSettings().value(u"hints/firstRunDismissed"_s).toBool())
        return;
    m_hintBanner->showMessage(tr("<b>Try it:</b> pick a value in the grid and type a new one (say, 5 min) — the "
                                 "preview below shows which conversations it would close. Nothing is saved until "
                                 "you press Save."));
}

void MainWindow::resetSelectedToDefault()
{
    if (view() == View::Workstreams) {
        statusBar()->showMessage(tr("Microsoft documents no default for the workstreams' timers."), 8000);
        return;
    }
    if (!m_model->isReadOnly() && !EditCommands::resetToDefault(m_undo, m_model, selectedIds()))
        statusBar()->showMessage(tr("Microsoft documents no default for the selected rows."), 8000);
}

void MainWindow::revertSelected()
{
    if (view() == View::Workstreams)
        EditCommands::revertValues(m_undo, m_workstreams, m_workstreamsView->selectedValues());
    else
        EditCommands::revert(m_undo, m_model, selectedIds());
}

void MainWindow::discardAll()
{
    EditCommands::discardAll(m_undo, {m_model, m_workstreams});
}

QList<PendingEdit> MainWindow::allPendingEdits() const
{
    return m_model->pendingEdits() + m_workstreams->pendingEdits();
}

bool MainWindow::anyPendingEdits() const
{
    return m_model->hasPendingEdits() || m_workstreams->hasPendingEdits();
}

void MainWindow::updateStatus()
{
    // The overview shows every record; the details list what its filter lets through.
    if (view() == View::Workstreams) {
        const int total = m_workstreams->rowCount();
        const int shown = m_workstreamsView->shownRows();
        m_countLabel->setText(shown == total ? tr("%n workstream(s)", nullptr, total)
                                             : tr("%1 of %2 workstreams").arg(shown).arg(total));
    } else {
        const int total = m_model->rowCount();
        const int shown = view() == View::Overview ? total : m_proxy->rowCount();
        m_countLabel->setText(shown == total ? tr("%n configuration(s)", nullptr, total)
                                             : tr("%1 of %2 configurations").arg(shown).arg(total));
    }
    const int pending = int(allPendingEdits().size());
    m_pendingLabel->setText(pending > 0 ? tr("%n unsaved edit(s)", nullptr, pending) : QString());
}

void MainWindow::updateActions()
{
    const bool idle = !m_loading && !m_session->isSaving();
    const bool workstreams = view() == View::Workstreams;
    // The view's table decides what the edit actions may do; saving takes what either table may write.
    const bool writable = workstreams ? !m_workstreams->isReadOnly() : !m_model->isReadOnly();
    const bool anyWritable = !m_model->isReadOnly() || !m_workstreams->isReadOnly();
    const bool pending = anyPendingEdits();
    // What a save would send: the edits of the tables the user may write.
    const bool savable = (!m_model->isReadOnly() && m_model->hasPendingEdits()) ||
        (!m_workstreams->isReadOnly() && m_workstreams->hasPendingEdits());
    const bool viewPending = workstreams ? m_workstreams->hasPendingEdits() : m_model->hasPendingEdits();
    const bool selection = workstreams ? !m_workstreamsView->selectedValues().isEmpty() : !selectedIds().isEmpty();
    m_refreshAction->setEnabled(idle);
    m_saveAction->setEnabled(idle && savable);
    m_discardAction->setEnabled(pending);
    m_revertAction->setEnabled(viewPending && selection);
    m_resetAction->setEnabled(writable && selection && !workstreams);
    m_editAction->setEnabled(writable && selection);
    m_changeHistoryAction->setEnabled(selection);
    m_undoLastSaveAction->setEnabled(idle && anyWritable && !m_session->lastSave().isEmpty());
    m_undoLastSaveAction->setText(m_session->lastSave().isEmpty() ? tr("Undo &Last Save…")
                                                                  : tr("Undo &Last Save (%n change(s))…", nullptr,
                                                                       int(m_session->lastSave().size())));
    setWindowModified(pending);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (anyPendingEdits()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved edits"),
            tr("%n edit(s) are not saved. They are kept on this computer and come back the next time you open %1.",
               nullptr, int(allPendingEdits().size()))
                .arg(m_environment.name),
            QMessageBox::Close | QMessageBox::Cancel, QMessageBox::Close);
        if (answer != QMessageBox::Close) {
            event->ignore();
            return;
        }
    }
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/state"_s, saveState());
    settings.setValue(u"mainWindow/splitter"_s, m_split->saveState());
    settings.setValue(u"mainWindow/view"_s,
                      view() == View::Details           ? u"details"_s
                          : view() == View::Workstreams ? u"workstreams"_s
                                                        : u"overview"_s);
    m_preview->saveSettings(settings);
    PrivateFiles::syncPrivately(settings); // it names the last snapshot folder
}

ChangeHistoryDialog *MainWindow::changeHistory()
{
    if (!m_changeHistory)
        m_changeHistory = new ChangeHistoryDialog(m_client, this);
    return m_changeHistory;
}

void MainWindow::showChangeHistory()
{
    if (view() == View::Workstreams) {
        const QList<ValueRef> values = m_workstreamsView->selectedValues();
        const std::optional<ValueRef> ref = values.isEmpty() ? m_workstreamsView->currentValue() : values.first();
        if (!ref)
            return;
        const Workstream *workstream = m_workstreams->workstream(ref->id);
        changeHistory()->showFor(*ref, workstream ? workstream->name : ref->id);
        return;
    }
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    changeHistory()->showFor(ValueRef {ids.first(), TimerSetting::ChannelState}, m_model->label(ids.first()));
}
