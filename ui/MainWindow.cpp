#include "ui/MainWindow.h"

#include "app/common/PrivateFiles.h"
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "models/EditRisks.h"
#include "models/MicrosoftDefaults.h"
#include "ui/ApplyWizard.h"
#include "ui/CompareWindow.h"
#include "ui/ConfigProxyModel.h"
#include "ui/ConflictDialog.h"
#include "ui/DurationDelegate.h"
#include "ui/EditCommands.h"
#include "ui/HistoryDialog.h"
#include "ui/PreviewPanel.h"
#include "ui/SaveConfirmDialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <climits>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcUi, "autoclose.ui", QtInfoMsg)

namespace {
const QString ErrorStyle = u"QFrame { background: #fde7e9; color: #a80000; } QLabel { color: #a80000; }"_s;
const QString NoticeStyle = u"QFrame { background: #fff4ce; color: #4d3800; } QLabel { color: #4d3800; }"_s;
const QString ProductionStyle = u"QFrame { background: #a80000; } QLabel { color: white; }"_s;
} // namespace

MainWindow::MainWindow(DataverseClient *client, const EnvironmentInfo &environment, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_environment(environment)
    , m_journal(environment.key.isEmpty() ? client->orgUrl().toString() : environment.key,
                environment.journalDir.isEmpty() ? EditJournal::defaultDirectory() : environment.journalDir)
    , m_model(new ConfigTableModel(this))
    , m_proxy(new ConfigProxyModel(this))
    , m_view(new QTableView)
    , m_undo(new QUndoStack(this))
    , m_preview(new PreviewPanel(client, m_model))
    , m_filter(new QLineEdit)
    , m_countLabel(new QLabel)
    , m_pendingLabel(new QLabel)
    , m_busy(new QProgressBar)
{
    setWindowTitle(tr("%1[*] — Auto-Close Editor").arg(environment.name));
    resize(1040, 680);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConfigTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // the filter box searches every column

    m_delegate = new DurationDelegate(
        m_model,
        [this](const QModelIndex &index, std::optional<int> minutes) {
            const QString id = index.data(ConfigTableModel::IdRole).toString();
            const auto current = m_model->pending(id);
            const ChannelStateConfig *config = m_model->config(id);
            if (!config || (current ? current->minutes : config->minutes) == minutes)
                return; // nothing changes: nothing to undo
            m_undo->push(new PendingEditCommand(m_model, id, PendingEditCommand::Kind::Set, minutes,
                                                tr("Set %1 to %2").arg(label(id), Duration::format(minutes))));
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
    m_errorBanner = createBanner(u"errorBanner"_s, ErrorStyle, &m_errorText, &m_errorButton);
    m_errorButton->setText(tr("&Retry"));
    connect(m_errorButton, &QPushButton::clicked, this, [this] { m_retrySave ? save() : refresh(); });
    QPushButton *discardRestored = nullptr;
    m_restoredBanner = createBanner(u"restoredBanner"_s, NoticeStyle, &m_restoredText, &discardRestored);
    discardRestored->setText(tr("&Discard them"));
    connect(discardRestored, &QPushButton::clicked, this, [this] {
        discardAll();
        m_restoredBanner->hide();
    });
    m_readOnlyBanner = createBanner(u"readOnlyBanner"_s, NoticeStyle, &m_readOnlyText, nullptr);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    if (environment.production) {
        QLabel *text = nullptr;
        QFrame *banner = createBanner(u"productionBanner"_s, ProductionStyle, &text, nullptr);
        text->setText(tr("<b>PRODUCTION</b> — %1. Changes here affect live customer conversations.")
                          .arg(environment.name.toHtmlEscaped()));
        banner->show();
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
        m_organizationId = who.value().organizationId;
        m_userId = who.value().userId;
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
    connect(m_preview, &PreviewPanel::updated, this, [this](bool ok) {
        QHash<QString, QString> notes;
        if (ok && m_preview->isNow()) {
            for (const ClosurePreview::Impact &impact : m_preview->impacts()) {
                if (impact.edited && impact.newlyCloses > 0)
                    notes.insert(impact.configurationId,
                                 tr("%n conversation(s) would close at the next run of the closing job (closure "
                                    "preview).",
                                    nullptr, int(std::min<qint64>(impact.newlyCloses, INT_MAX))));
            }
        }
        m_model->setRiskNotes(notes);
    });
    connect(m_model, &ConfigTableModel::pendingChanged, this, [this] {
        m_model->setRiskNotes({}); // until the preview has counted the new values
        writeJournal();
        updateActions();
        updateStatus();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_undo, &QUndoStack::cleanChanged, this, &MainWindow::updateActions);

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
}

QFrame *MainWindow::createBanner(const QString &objectName, const QString &style, QLabel **text, QPushButton **button)
{
    auto *banner = new QFrame;
    banner->setObjectName(objectName);
    banner->setFrameShape(QFrame::StyledPanel);
    banner->setStyleSheet(style);
    *text = new QLabel;
    (*text)->setWordWrap(true);
    (*text)->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bannerLayout = new QHBoxLayout(banner);
    bannerLayout->addWidget(*text, 1);
    if (button) {
        *button = new QPushButton;
        bannerLayout->addWidget(*button);
    }
    banner->hide();
    return banner;
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
    createSnapshotMenu();
}

void MainWindow::createSnapshotMenu()
{
    QMenu *menu = menuBar()->addMenu(tr("S&napshots"));
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
                                      .filePath(SnapshotFiles::fileName(u"snapshot"_s, m_client->orgUrl().toString(),
                                                                        QDateTime::currentDateTimeUtc()));
        QString selected;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Snapshot"), suggested,
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
        const QString path = QFileDialog::getOpenFileName(this, tr("Compare With Snapshot"), lastFolder(), filters);
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
            QMessageBox::information(this, tr("Compare With Environment"),
                                     tr("There is no other environment profile yet. Add one with File → Switch "
                                        "Environment."));
            return;
        }
        bool ok = false;
        const QString name = QInputDialog::getItem(
            this, tr("Compare With Environment"), tr("Compare %1 with:").arg(m_environment.name), names, 0, false, &ok);
        if (ok)
            compareWithEnvironment(name);
    });

    QAction *compareFilesAction = menu->addAction(tr("Compare &Two Snapshots…"));
    connect(compareFilesAction, &QAction::triggered, this, [this, lastFolder, remember, filters] {
        const QString left = QFileDialog::getOpenFileName(this, tr("Left Snapshot"), lastFolder(), filters);
        if (left.isEmpty())
            return;
        remember(left);
        const QString right = QFileDialog::getOpenFileName(this, tr("Right Snapshot"), lastFolder(), filters);
        if (right.isEmpty())
            return;
        compareSnapshots(left, right);
    });

    QAction *applyAction = menu->addAction(tr("&Apply Snapshot…"));
    applyAction->setToolTip(tr("Make this environment hold a snapshot's values, after showing what would change"));
    connect(applyAction, &QAction::triggered, this, [this, lastFolder, remember, filters] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Apply Snapshot"), lastFolder(), filters);
        if (path.isEmpty())
            return;
        remember(path);
        applySnapshot(path);
    });
    menu->addSeparator();
    QAction *historyAction = menu->addAction(tr("&History…"));
    historyAction->setShortcut(QKeySequence(u"Ctrl+H"_s));
    historyAction->setToolTip(tr("Every change applied from this computer (Ctrl+H)"));
    connect(historyAction, &QAction::triggered, this, &MainWindow::showHistory);
}

std::optional<Snapshot> MainWindow::readSnapshot(const QString &path)
{
    const auto snapshot = SnapshotFiles::read(path);
    if (snapshot)
        return snapshot.value();
    QMessageBox box(QMessageBox::Warning, tr("Cannot use this snapshot"), snapshot.error().userMessage, QMessageBox::Ok,
                    this);
    box.setInformativeText(tr("Nothing was changed."));
    box.exec();
    return std::nullopt;
}

void MainWindow::exportSnapshot(const QString &path)
{
    m_busy->show();
    statusBar()->showMessage(tr("Reading %1 for the snapshot…").arg(m_environment.name));
    SnapshotOps::capture(m_client, this, [this, path](Result<Snapshot> snapshot) {
        m_busy->hide();
        if (!snapshot) {
            const QString message = tr("The snapshot was not written: %1").arg(snapshot.error().describe());
            showSaveError(message);
            Q_EMIT snapshotExported(false, message);
            return;
        }
        const bool csv = path.endsWith(u".csv"_s, Qt::CaseInsensitive);
        const auto written =
            SnapshotFiles::writeAtomically(path, csv ? snapshot.value().toCsv() : snapshot.value().toJson());
        if (!written) {
            QMessageBox::warning(this, tr("Export Snapshot"), written.error().userMessage);
            Q_EMIT snapshotExported(false, written.error().userMessage);
            return;
        }
        QString message = tr("Snapshot of %1 written to %2.").arg(m_environment.name, path);
        if (m_model->hasPendingEdits())
            message += u' ' + tr("It holds the saved values; your unsaved edits are not in it.");
        statusBar()->showMessage(message, 10000);
        Q_EMIT snapshotExported(true, message);
    });
}

CompareWindow *MainWindow::compareWithSnapshot(const QString &path)
{
    const auto snapshot = readSnapshot(path);
    if (!snapshot)
        return nullptr;
    const QList<ChannelStateConfig> records = snapshot->records;
    return compareWithLive(
        QFileInfo(path).fileName(),
        [records](QObject *, std::function<void(Result<QList<ChannelStateConfig>>)> done) { done(records); },
        u"apply "_s + path);
}

CompareWindow *MainWindow::compareWithEnvironment(const QString &name)
{
    if (!m_others.capture)
        return nullptr;
    const auto capture = m_others.capture;
    return compareWithLive(
        tr("%1 (live)").arg(name),
        [capture, name](QObject *context, std::function<void(Result<QList<ChannelStateConfig>>)> done) {
            capture(name, context, [done](Result<Snapshot> snapshot) {
                done(snapshot ? Result<QList<ChannelStateConfig>>(snapshot.value().records)
                              : Result<QList<ChannelStateConfig>>(snapshot.error()));
            });
        },
        tr("apply the values of %1").arg(name));
}

CompareWindow *MainWindow::compareWithLive(const QString &leftLabel, const ReadSide &readLeft,
                                           const QString &applySource)
{
    auto *window = new CompareWindow(this);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setBusy(tr("Reading %1…").arg(leftLabel.toHtmlEscaped()));
    window->show();
    QPointer<CompareWindow> guard(window);
    readLeft(window, [this, guard, leftLabel, applySource](Result<QList<ChannelStateConfig>> left) {
        if (!guard)
            return;
        if (!left) {
            guard->setFailed(
                tr("Could not read %1: %2").arg(leftLabel.toHtmlEscaped(), left.error().describe().toHtmlEscaped()));
            return;
        }
        guard->setBusy(tr("Reading %1…").arg(m_environment.name.toHtmlEscaped()));
        const QList<ChannelStateConfig> desired = left.value();
        SnapshotOps::capture(m_client, guard, [this, guard, leftLabel, desired, applySource](Result<Snapshot> live) {
            if (!guard)
                return;
            if (!live) {
                guard->setFailed(tr("Could not read %1: %2")
                                     .arg(m_environment.name.toHtmlEscaped(), live.error().describe().toHtmlEscaped()));
                return;
            }
            guard->setComparison(desired, leftLabel, live.value().records, tr("%1 (live)").arg(m_environment.name));
            if (!m_model->isReadOnly())
                guard->offerApply(tr("&Apply %1 to %2…").arg(leftLabel, m_environment.name));
            connect(guard, &CompareWindow::applyRequested, this,
                    [this, desired, applySource] { openApplyWizard(desired, applySource); });
        });
    });
    return window;
}

void MainWindow::setOtherEnvironments(OtherEnvironments others)
{
    m_others = std::move(others);
    m_compareEnvironmentAction->setVisible(bool(m_others.capture));
}

CompareWindow *MainWindow::compareSnapshots(const QString &leftPath, const QString &rightPath)
{
    const auto left = readSnapshot(leftPath);
    if (!left)
        return nullptr;
    const auto right = readSnapshot(rightPath);
    if (!right)
        return nullptr;
    auto *window = new CompareWindow(this);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setComparison(left->records, QFileInfo(leftPath).fileName(), right->records,
                          QFileInfo(rightPath).fileName());
    window->show();
    return window;
}

ApplyWizard *MainWindow::applySnapshot(const QString &path)
{
    const auto snapshot = readSnapshot(path);
    if (!snapshot)
        return nullptr;
    return openApplyWizard(snapshot->records, u"apply "_s + path);
}

ApplyWizard *MainWindow::openApplyWizard(const QList<ChannelStateConfig> &desired, const QString &source)
{
    if (m_model->isReadOnly()) {
        QMessageBox::information(this, tr("Apply Snapshot"),
                                 tr("You can view but not change these records in %1.").arg(m_environment.name));
        return nullptr;
    }
    auto *wizard =
        new ApplyWizard({m_client, m_environment.name, m_environment.production, auditUser()}, desired, source, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &ApplyWizard::applyFinished, this, [this] {
        // What the apply changed is now on the server: load it (pending edits stay, flagged where it changed
        // under them).
        if (!m_loading && !m_saving)
            refresh();
    });
    wizard->show();
    return wizard;
}

HistoryDialog *MainWindow::showHistory()
{
    auto *dialog = new HistoryDialog(m_client->orgUrl().toString(), AuditLog::defaultPath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

QString MainWindow::auditUser() const
{
    return m_environment.account.isEmpty() ? m_userId : m_environment.account;
}

void MainWindow::logSave(const QList<MinutesChange> &changes, const QList<std::optional<int>> &before,
                         const QList<WriteResult> &results, const QString &source)
{
    const auto logged = AuditLog().append(SnapshotOps::auditEntries(
        changes, before, results, m_client->orgUrl().toString(), m_organizationId, auditUser(), source, QString()));
    if (!logged)
        statusBar()->showMessage(logged.error().userMessage, 10000);
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

QString MainWindow::label(const QString &id) const
{
    const ChannelStateConfig *config = m_model->config(id);
    return config ? tr("%1 · %2").arg(config->channelLabel(), conversationStateLabel(config->state)) : id;
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
    if (m_loading || m_saving)
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
    restoreJournal();
    m_client->fetchCanWriteConfigurations(this, [this](Result<bool> canWrite) {
        // When the privilege cannot be read, editing stays on: the save itself will say if it is refused.
        const bool writable = !canWrite.ok() || canWrite.value();
        m_model->setReadOnly(!writable);
        if (!writable) {
            m_readOnlyText->setText(
                tr("<b>You can view these values but not change them.</b> Your security role lacks the Write "
                   "privilege on Channel State Configuration records. Ask an administrator for a role that has "
                   "it (the Omnichannel Administrator role does not)."));
            m_readOnlyBanner->show();
        }
        updateActions();
        Q_EMIT permissionsKnown(writable);
    });
    m_client->fetchMinutesRange(this, [this](Result<WebApiReply::ColumnRange> range) {
        if (range)
            m_delegate->setRange(Duration::Range {range.value().minValue, range.value().maxValue});
    });
}

void MainWindow::restoreJournal()
{
    QStringList wasSaving;
    const auto saved = m_journal.read(&wasSaving);
    if (!saved) {
        m_restoredText->setText(tr("%1 The file is kept at %2; nothing was restored.")
                                    .arg(saved.error().userMessage.toHtmlEscaped(), m_journal.path().toHtmlEscaped()));
        m_restoredBanner->show();
        return;
    }
    if (saved.value().isEmpty())
        return;
    // An edit whose value the server now holds over a newer version needs no saving: the app was closed (or killed)
    // while saving it, after the server had acted, or someone set the same value meanwhile. It is shown as saved,
    // not as an edit that would then be reported as a conflict with itself; the journal says which it was.
    QList<PendingEdit> restore;
    QStringList onServer; // saved by the interrupted save
    QStringList sameOnServer; // set to the same value by someone else
    QList<MinutesChange> changes; // for the audit log, which the interrupted save never reached
    QList<std::optional<int>> before;
    QList<WriteResult> results;
    for (const PendingEdit &edit : saved.value()) {
        const ChannelStateConfig *config = m_model->config(edit.id);
        if (config && config->etag != edit.baseEtag && config->minutes == edit.minutes) {
            m_model->markStatus(edit.id, ConfigTableModel::RowStatus::Saved,
                                tr("The server already holds this value from your last session."));
            if (!wasSaving.contains(edit.id)) {
                sameOnServer << label(edit.id);
                continue;
            }
            onServer << label(edit.id);
            changes << MinutesChange {edit.id, config->name, edit.baseEtag, edit.minutes};
            before << edit.baseMinutes;
            WriteResult result;
            result.id = edit.id;
            result.outcome = WriteResult::Outcome::Saved;
            result.etag = config->etag;
            result.minutes = config->minutes;
            result.confirmedByReading = true;
            results << result;
        } else {
            restore << edit;
        }
    }
    const QList<PendingEdit> gone = m_model->restorePending(restore);
    const int restored = int(restore.size() - gone.size());
    int changed = 0;
    int notArrived = 0; // being saved when the app closed, and the server still holds the version they were typed over
    for (const PendingEdit &edit : restore) {
        const ConfigTableModel::RowStatus status = m_model->status(edit.id);
        changed += status == ConfigTableModel::RowStatus::ServerChanged ? 1 : 0;
        notArrived += status == ConfigTableModel::RowStatus::Pending && wasSaving.contains(edit.id) ? 1 : 0;
    }
    QStringList text;
    if (restored > 0)
        text << tr("<b>%n unsaved edit(s) from your last session were restored.</b> Review them, then save "
                   "(Ctrl+S) or discard them.",
                   nullptr, restored);
    if (notArrived > 0)
        text << tr("%n of them were being saved when the app closed; that save did not reach the server.", nullptr,
                   notArrived);
    if (changed > 0)
        text << tr("%n of them changed on the server since you typed them; saving will ask which value to keep.",
                   nullptr, changed);
    if (!onServer.isEmpty())
        text << tr("<b>%n edit(s) you were saving when the app closed reached the server</b> and are saved: %1.",
                   nullptr, int(onServer.size()))
                    .arg(onServer.join(u", "_s).toHtmlEscaped());
    if (!sameOnServer.isEmpty())
        text << tr("%n edit(s) from your last session need no saving: someone set the same value meanwhile: %1.",
                   nullptr, int(sameOnServer.size()))
                    .arg(sameOnServer.join(u", "_s).toHtmlEscaped());
    if (!gone.isEmpty())
        text << tr("%n could not be restored: the record no longer exists.", nullptr, int(gone.size()));
    m_restoredText->setText(text.join(u' '));
    // With nothing restored the banner's button only dismisses it (discarding nothing).
    if (auto *button = m_restoredBanner->findChild<QPushButton *>())
        button->setText(restored > 0 ? tr("&Discard them") : tr("&Dismiss"));
    m_restoredBanner->show();
    if (!onServer.isEmpty() || !sameOnServer.isEmpty())
        writeJournal(); // the journal now holds only what is still unsaved
    if (!onServer.isEmpty())
        logSave(changes, before, results, u"editor (found saved at the next start)"_s);
}

void MainWindow::writeJournal()
{
    if (!m_loadedOnce)
        return; // before the first load there is nothing of the user's to keep, and the journal must not be lost
    QStringList saving;
    for (const PendingEdit &edit : m_model->pendingEdits())
        if (m_model->status(edit.id) == ConfigTableModel::RowStatus::Saving)
            saving << edit.id;
    if (auto written = m_journal.write(m_model->pendingEdits(), saving); !written) {
        m_retrySave = false;
        m_errorText->setText(tr("<b>Your unsaved edits are not protected against a crash.</b> %1")
                                 .arg(written.error().userMessage.toHtmlEscaped()));
        m_errorBanner->show();
    }
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
    if (m_model->isReadOnly())
        return;
    QList<std::pair<QString, std::optional<int>>> resets;
    for (const QString &id : selectedIds()) {
        const ChannelStateConfig *config = m_model->config(id);
        const auto def = config ? MicrosoftDefaults::lookup(config->streamSource, config->state) : std::nullopt;
        if (def)
            resets.append({id, def->minutes});
    }
    if (resets.isEmpty()) {
        statusBar()->showMessage(tr("Microsoft documents no default for the selected rows."), 8000);
        return;
    }
    if (resets.size() > 1)
        m_undo->beginMacro(tr("Reset %n rows to default", nullptr, int(resets.size())));
    for (const auto &[id, minutes] : resets) {
        m_undo->push(new PendingEditCommand(m_model, id, PendingEditCommand::Kind::Set, minutes,
                                            tr("Reset %1 to default (%2)").arg(label(id), Duration::format(minutes))));
    }
    if (resets.size() > 1)
        m_undo->endMacro();
}

void MainWindow::revertSelected()
{
    QStringList ids;
    for (const QString &id : selectedIds()) {
        if (m_model->pending(id))
            ids << id;
    }
    if (ids.isEmpty())
        return;
    if (ids.size() > 1)
        m_undo->beginMacro(tr("Revert %n edits", nullptr, int(ids.size())));
    for (const QString &id : ids)
        m_undo->push(
            new PendingEditCommand(m_model, id, PendingEditCommand::Kind::Revert, {}, tr("Revert %1").arg(label(id))));
    if (ids.size() > 1)
        m_undo->endMacro();
}

void MainWindow::discardAll()
{
    const QList<PendingEdit> edits = m_model->pendingEdits();
    if (edits.isEmpty())
        return;
    m_undo->beginMacro(tr("Discard %n edit(s)", nullptr, int(edits.size())));
    for (const PendingEdit &edit : edits)
        m_undo->push(new PendingEditCommand(m_model, edit.id, PendingEditCommand::Kind::Revert, {},
                                            tr("Revert %1").arg(label(edit.id))));
    m_undo->endMacro();
}

void MainWindow::save()
{
    if (m_saving || m_loading || m_model->isReadOnly())
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
    // The preview's impact, when it is current: how many conversations each edit closes or spares right now.
    QHash<QString, ClosurePreview::Impact> impacts;
    if (m_preview->isCurrent()) {
        for (const ClosurePreview::Impact &impact : m_preview->impacts())
            impacts.insert(impact.configurationId, impact);
    }
    qint64 newly = 0;
    qint64 spared = 0;
    QList<SaveConfirmDialog::Row> rows;
    for (const PendingEdit &edit : edits) {
        const ChannelStateConfig *config = m_model->config(edit.id);
        QString note = EditRisks::describe(EditRisks::assess(*config, edit.minutes));
        if (const auto impact = impacts.constFind(edit.id); impact != impacts.cend()) {
            newly += impact->newlyCloses;
            spared += impact->noLongerCloses;
            const QString count = impact->newlyCloses > 0
                ? tr("%1 more conversations would close at the preview's time.").arg(impact->newlyCloses)
                : (impact->noLongerCloses > 0
                       ? tr("%1 fewer conversations would close at the preview's time.").arg(impact->noLongerCloses)
                       : QString());
            if (!count.isEmpty())
                note = note.isEmpty() ? count : count + u'\n' + note;
        }
        if (edit.baseEtag != config->etag)
            note = tr("Changed on the server meanwhile (now %1): you will be asked which to keep.")
                       .arg(Duration::format(config->minutes)) +
                (note.isEmpty() ? QString() : u'\n' + note);
        rows << SaveConfirmDialog::Row {config->channelLabel(), conversationStateLabel(config->state),
                                        Duration::format(edit.baseMinutes), Duration::format(edit.minutes), note};
    }
    QString intro = tr("These values will be written to <b>%1</b>, all or none. Each is checked against the version "
                       "you edited, so a colleague's change made meanwhile is never overwritten.")
                        .arg(m_environment.name.toHtmlEscaped());
    if (m_preview->isCurrent())
        intro += u"<br>"_s +
            tr("Closure preview: <b>%1</b> more conversations would close, %2 fewer.").arg(newly).arg(spared);
    else
        intro += u"<br>"_s + tr("The closure preview is not up to date; its counts are not shown.");
    SaveConfirmDialog dialog(tr("Save %n change(s)", nullptr, int(edits.size())), intro, rows, m_environment.production,
                             m_environment.name, tr("&Save"), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    send(edits);
}

void MainWindow::send(const QList<PendingEdit> &edits)
{
    m_saving = true;
    m_retrySave = false;
    updateActions();
    m_busy->show();
    statusBar()->showMessage(tr("Saving %n change(s)…", nullptr, int(edits.size())));
    QList<MinutesChange> changes;
    QList<std::optional<int>> before;
    for (const PendingEdit &edit : edits) {
        const ChannelStateConfig *config = m_model->config(edit.id);
        changes << MinutesChange {edit.id, config ? config->name : edit.id, edit.baseEtag, edit.minutes};
        before << edit.baseMinutes;
        m_model->markSaving(edit.id);
    }
    writeJournal(); // a save under way, should the app not live to see its reply
    m_client->saveMinutes(
        changes, DataverseClient::WriteMode::Batch, this,
        [this, edits, changes, before](const QList<WriteResult> &results) {
            m_saving = false;
            // Whatever happens below, no save is under way any more.
            const auto journalAfter = qScopeGuard([this] { writeJournal(); });
            logSave(changes, before, results, u"editor"_s);
            m_busy->hide();
            QList<SavedValue> saved;
            QStringList conflicts;
            QString failure;
            for (qsizetype i = 0; i < results.size() && i < edits.size(); ++i) {
                const WriteResult &result = results.at(i);
                const PendingEdit &edit = edits.at(i);
                if (result.outcome == WriteResult::Outcome::Saved) {
                    saved << SavedValue {edit.id, label(edit.id), edit.baseMinutes, result.minutes, result.etag};
                    m_model->markSaved(edit.id, result.etag, result.minutes);
                } else if (result.error.kind == Error::Kind::Conflict) {
                    conflicts << edit.id;
                    m_model->markStatus(edit.id, ConfigTableModel::RowStatus::Conflict, result.error.describe());
                } else {
                    m_model->markStatus(edit.id, ConfigTableModel::RowStatus::Failed, result.error.describe());
                    if (failure.isEmpty())
                        failure = result.error.describe();
                }
            }
            qCInfo(lcUi) << "save to" << m_client->orgUrl().host() << ":" << saved.size() << "saved,"
                         << conflicts.size() << "conflicts," << (failure.isEmpty() ? "no other failure" : "failed:")
                         << failure;
            if (!saved.isEmpty()) {
                // Saved values are no longer edits: undoing them is "Undo last save", which writes to the server.
                m_undo->clear();
                m_lastSave = saved;
                m_errorBanner->hide();
                statusBar()->showMessage(
                    tr("Saved %n change(s) to %1.", nullptr, int(saved.size())).arg(m_environment.name), 10000);
            }
            updateActions();
            updateStatus();
            if (!conflicts.isEmpty()) {
                QStringList ids;
                for (const PendingEdit &edit : edits)
                    ids << edit.id;
                resolveConflicts(conflicts, ids);
                return;
            }
            if (!failure.isEmpty())
                showSaveError(failure);
            Q_EMIT saveFinished(failure.isEmpty());
        });
}

void MainWindow::resolveConflicts(const QStringList &refused, const QStringList &saving)
{
    // Read what the server holds now; every edit made over an older version is a conflict to resolve, not only the
    // one the all-or-nothing save stopped at.
    m_busy->show();
    m_client->fetchConfigurations(this, [this, refused, saving](Result<QList<ChannelStateConfig>> configs) {
        m_busy->hide();
        if (!configs) {
            showSaveError(tr("A colleague changed %1 meanwhile, and the current values could not be read: %2")
                              .arg(label(refused.first()), configs.error().describe()));
            Q_EMIT saveFinished(false);
            return;
        }
        m_model->reset(std::move(configs).value());
        QStringList ids;
        for (const PendingEdit &edit : m_model->pendingEdits()) {
            const ChannelStateConfig *config = m_model->config(edit.id);
            if (config && config->etag != edit.baseEtag)
                ids << edit.id;
        }
        QStringList held; // left pending by the user's choice: not sent again now
        bool overwriting = false;
        QString editId;
        for (const QString &id : ids) {
            const ChannelStateConfig *config = m_model->config(id);
            const auto edit = m_model->pending(id);
            if (!config || !edit)
                continue;
            m_model->markStatus(id, ConfigTableModel::RowStatus::Conflict,
                                tr("Changed by someone else after you began editing; your value was not saved."));
            ConflictDialog dialog(ConflictDialog::Values {label(id), config->minutes, config->modifiedOn, edit->minutes,
                                                          edit->baseMinutes},
                                  this);
            dialog.exec();
            switch (dialog.choice()) {
            case ConflictDialog::Choice::KeepTheirs:
                m_model->clearPending(id);
                break;
            case ConflictDialog::Choice::Overwrite:
                m_model->rebase(id);
                overwriting = true;
                break;
            case ConflictDialog::Choice::Edit:
                m_model->rebase(id);
                editId = id;
                held << id;
                break;
            case ConflictDialog::Choice::Later:
                held << id;
                break;
            }
        }
        updateStatus();
        updateActions();
        // The rest of what the user confirmed was held back only because the save was all-or-nothing: send it now,
        // with the values the user chose to overwrite, each checked against the version just read.
        QList<PendingEdit> resend;
        for (const PendingEdit &edit : m_model->pendingEdits()) {
            if (saving.contains(edit.id) && !held.contains(edit.id))
                resend << edit;
        }
        if (!resend.isEmpty() && (overwriting || held.isEmpty())) {
            send(resend);
            return;
        }
        if (!editId.isEmpty()) {
            const int row = m_model->rowOf(editId);
            const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, ConfigTableModel::AutoClose));
            m_view->setCurrentIndex(index);
            m_view->edit(index);
        }
        statusBar()->showMessage(m_model->hasPendingEdits()
                                     ? tr("Some edits are still unsaved; press Ctrl+S when they are ready.")
                                     : tr("Conflicts resolved; nothing left to save."),
                                 10000);
        Q_EMIT saveFinished(false);
    });
}

void MainWindow::undoLastSave()
{
    if (m_lastSave.isEmpty() || m_saving || m_loading || m_model->isReadOnly())
        return;
    QList<SaveConfirmDialog::Row> rows;
    for (const SavedValue &value : m_lastSave) {
        const ChannelStateConfig *config = m_model->config(value.id);
        rows << SaveConfirmDialog::Row {config ? config->channelLabel() : value.label,
                                        config ? conversationStateLabel(config->state) : QString(),
                                        Duration::format(value.after), Duration::format(value.before), QString()};
    }
    SaveConfirmDialog dialog(tr("Undo last save"),
                             tr("These values will be put back in <b>%1</b>. A record changed by someone else since "
                                "your save is left as it is and reported.")
                                 .arg(m_environment.name.toHtmlEscaped()),
                             rows, m_environment.production, m_environment.name, tr("&Put Back"), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QList<MinutesChange> changes;
    QList<std::optional<int>> replaced;
    for (const SavedValue &value : m_lastSave) {
        const ChannelStateConfig *config = m_model->config(value.id);
        changes << MinutesChange {value.id, config ? config->name : value.label, value.etag, value.before};
        replaced << value.after;
        m_model->markSaving(value.id);
    }
    m_saving = true;
    updateActions();
    m_busy->show();
    const QList<SavedValue> undone = m_lastSave;
    m_client->saveMinutes(changes, DataverseClient::WriteMode::OneByOne, this,
                          [this, undone, changes, replaced](const QList<WriteResult> &results) {
                              m_saving = false;
                              logSave(changes, replaced, results, u"editor: undo last save"_s);
                              m_busy->hide();
                              QList<SavedValue> left;
                              QStringList problems;
                              for (qsizetype i = 0; i < results.size() && i < undone.size(); ++i) {
                                  const WriteResult &result = results.at(i);
                                  if (result.outcome == WriteResult::Outcome::Saved) {
                                      m_model->markSaved(result.id, result.etag, result.minutes);
                                  } else {
                                      left << undone.at(i);
                                      m_model->markStatus(result.id,
                                                          result.error.kind == Error::Kind::Conflict
                                                              ? ConfigTableModel::RowStatus::Conflict
                                                              : ConfigTableModel::RowStatus::Failed,
                                                          result.error.describe());
                                      problems << tr("%1: %2").arg(undone.at(i).label, result.error.userMessage);
                                  }
                              }
                              m_lastSave = left;
                              updateActions();
                              updateStatus();
                              if (!problems.isEmpty())
                                  showSaveError(tr("Not every value was put back. %1").arg(problems.join(u"; "_s)));
                              else
                                  statusBar()->showMessage(tr("The last save was undone."), 10000);
                              Q_EMIT saveFinished(problems.isEmpty());
                          });
}

void MainWindow::showLoadError(const Error &error)
{
    m_retrySave = false;
    m_errorButton->setText(tr("&Retry"));
    m_errorText->setText(tr("Could not load the configurations. %1").arg(error.describe().toHtmlEscaped()));
    m_errorBanner->show();
}

void MainWindow::showSaveError(const QString &text)
{
    m_retrySave = true;
    m_errorButton->setText(tr("&Try Again"));
    m_errorText->setText(tr("<b>Not saved.</b> %1 Your edits are kept; try again when the problem is solved.")
                             .arg(text.toHtmlEscaped()));
    m_errorBanner->show();
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
    const bool idle = !m_loading && !m_saving;
    const bool writable = !m_model->isReadOnly();
    const bool pending = m_model->hasPendingEdits();
    const bool selection = !selectedIds().isEmpty();
    m_refreshAction->setEnabled(idle);
    m_saveAction->setEnabled(idle && writable && pending);
    m_discardAction->setEnabled(pending);
    m_revertAction->setEnabled(pending && selection);
    m_resetAction->setEnabled(writable && selection);
    m_editAction->setEnabled(writable && selection);
    m_undoLastSaveAction->setEnabled(idle && writable && !m_lastSave.isEmpty());
    m_undoLastSaveAction->setText(m_lastSave.isEmpty()
                                      ? tr("Undo &Last Save…")
                                      : tr("Undo &Last Save (%n change(s))…", nullptr, int(m_lastSave.size())));
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
