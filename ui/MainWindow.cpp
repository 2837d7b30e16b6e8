#include "ui/MainWindow.h"

#include "app/dataverse/DataverseClient.h"
#include "models/ConfigTableModel.h"

#include <QAction>
#include <QApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(DataverseClient *client, const QString &environmentName, bool demo, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_environmentName(environmentName)
    , m_model(new ConfigTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView)
    , m_filter(new QLineEdit)
    , m_errorBanner(new QFrame)
    , m_errorText(new QLabel)
    , m_countLabel(new QLabel)
    , m_busy(new QProgressBar)
{
    setWindowTitle(tr("%1 — Auto-Close Editor").arg(environmentName));
    resize(960, 640);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConfigTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // the filter box searches every column

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConfigTableModel::Channel, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setAccessibleName(tr("Auto-close configurations"));

    m_filter->setPlaceholderText(tr("Filter by channel, state or value (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filter, &QLineEdit::textChanged, this, &MainWindow::updateStatus);

    // Errors stay on screen, with what to do and a retry, until the next load succeeds.
    m_errorBanner->setFrameShape(QFrame::StyledPanel);
    m_errorBanner->setStyleSheet(u"QFrame { background: #fde7e9; color: #a80000; }"_s);
    m_errorText->setWordWrap(true);
    m_errorText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *retry = new QPushButton(tr("&Retry"));
    connect(retry, &QPushButton::clicked, this, &MainWindow::refresh);
    auto *bannerLayout = new QHBoxLayout(m_errorBanner);
    bannerLayout->addWidget(m_errorText, 1);
    bannerLayout->addWidget(retry);
    m_errorBanner->hide();

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    if (demo) {
        auto *demoNotice = new QLabel(tr("<b>Demo environment</b> — a local sandbox with sample data, running on this "
                                         "computer. Nothing here reaches a real Dynamics 365 organization."));
        demoNotice->setWordWrap(true);
        demoNotice->setObjectName(u"demoNotice"_s);
        layout->addWidget(demoNotice);
    }
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);

    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Load the configurations again from the environment (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);
    auto *findAction = new QAction(tr("&Find"), this);
    findAction->setShortcut(QKeySequence::Find);
    connect(findAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    auto *quitAction = new QAction(tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_refreshAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quitAction);
    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    editMenu->addAction(findAction);
    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(u"mainToolBar"_s);
    toolBar->addAction(m_refreshAction);

    m_busy->setRange(0, 0); // busy indicator: the length of a load is not known up front
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    statusBar()->addWidget(new QLabel(tr("%1 · %2").arg(environmentName, m_client->orgUrl().toString())));
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
}

MainWindow::~MainWindow() = default;

void MainWindow::refresh()
{
    if (m_loading)
        return;
    m_loading = true;
    m_refreshAction->setEnabled(false);
    m_busy->show();
    m_countLabel->setText(tr("Loading…"));
    m_client->fetchConfigurations(this, [this](Result<QList<ChannelStateConfig>> configs) {
        m_loading = false;
        m_refreshAction->setEnabled(true);
        m_busy->hide();
        if (!configs) {
            showError(configs.error());
            updateStatus();
            Q_EMIT loadFinished(false);
            return;
        }
        m_errorBanner->hide();
        m_model->reset(std::move(configs).value());
        updateStatus();
        Q_EMIT loadFinished(true);
    });
}

void MainWindow::showError(const Error &error)
{
    m_errorText->setText(tr("Could not load the configurations. %1").arg(error.describe().toHtmlEscaped()));
    m_errorBanner->show();
}

void MainWindow::updateStatus()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_countLabel->setText(shown == total ? tr("%1 configurations").arg(total)
                                         : tr("%1 of %2 configurations").arg(shown).arg(total));
}
