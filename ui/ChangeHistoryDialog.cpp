#include "ui/ChangeHistoryDialog.h"

#include "app/dataverse/DataverseClient.h"
#include "app/snapshot/AuditLog.h"
#include "ui/HistoryDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

ChangeHistoryDialog::ChangeHistoryDialog(DataverseClient *client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_reader(client)
    , m_heading(new QLabel)
    , m_busy(new QProgressBar)
    , m_message(new QLabel)
    , m_table(new QTableWidget(0, 3))
    , m_count(new QLabel)
    , m_loadMore(new QPushButton(tr("Load &More")))
    , m_reload(new QPushButton(tr("&Reload")))
{
    setObjectName(u"changeHistoryDialog"_s);
    setWindowTitle(tr("Change History"));
    m_heading->setObjectName(u"changeHistoryHeading"_s);
    m_heading->setWordWrap(true);
    m_heading->setTextFormat(Qt::RichText);

    m_busy->setObjectName(u"changeHistoryBusy"_s);
    m_busy->setRange(0, 0); // no figure to show: the reads say nothing of how far they are
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->setAccessibleName(tr("Reading the history"));
    m_busy->hide();

    m_message->setObjectName(u"changeHistoryMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setFrameShape(QFrame::StyledPanel);
    m_message->setMargin(8);
    m_message->hide();

    m_table->setObjectName(u"changeHistoryTable"_s);
    m_table->setHorizontalHeaderLabels({tr("When"), tr("Who"), tr("Change")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setAccessibleName(tr("Changes, newest first"));

    m_count->setObjectName(u"changeHistoryCount"_s);
    m_loadMore->setObjectName(u"changeHistoryLoadMore"_s);
    m_loadMore->setToolTip(tr("Read the next %n older change(s)", nullptr, m_pageSize));
    m_loadMore->setEnabled(false);
    m_loadMore->setAutoDefault(false);
    m_reload->setAutoDefault(false);
    connect(m_loadMore, &QPushButton::clicked, this, &ChangeHistoryDialog::loadMore);
    connect(m_reload, &QPushButton::clicked, this, &ChangeHistoryDialog::reload);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *localLog = buttons->addButton(tr("This Computer's &Log…"), QDialogButtonBox::HelpRole);
    localLog->setToolTip(tr("The changes applied from this computer, with their results (Snapshots → History…)"));
    localLog->setAutoDefault(false);
    connect(localLog, &QPushButton::clicked, this, &ChangeHistoryDialog::openLocalLog);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *paging = new QHBoxLayout;
    paging->addWidget(m_count, 1);
    paging->addWidget(m_reload);
    paging->addWidget(m_loadMore);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_busy);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);
    layout->addLayout(paging);
    layout->addWidget(buttons);
    resize(640, 420);
}

ChangeHistoryDialog::~ChangeHistoryDialog() = default;

void ChangeHistoryDialog::showFor(const ValueRef &ref, const QString &label)
{
    m_ref = ref;
    m_label = label;
    setWindowTitle(tr("Change History — %1").arg(label));
    m_heading->setText(tr("<b>%1</b> of %2: who changed it in the environment, and when, newest first.")
                           .arg(TimerSettings::label(ref.setting).toHtmlEscaped(), label.toHtmlEscaped()));
    reload();
    show();
    raise();
    activateWindow();
}

void ChangeHistoryDialog::setPageSize(int changes)
{
    m_pageSize = std::clamp(changes, 1, ChangeHistoryReader::MaxPageSize);
    m_loadMore->setToolTip(tr("Read the next %n older change(s)", nullptr, m_pageSize));
}

bool ChangeHistoryDialog::isBusy() const
{
    return !m_busy->isHidden();
}

void ChangeHistoryDialog::reload()
{
    if (m_ref.id.isEmpty())
        return;
    delete m_generation.data(); // the replies of an earlier read are dropped
    m_generation = new QObject(this);
    m_table->setRowCount(0);
    m_table->setEnabled(true);
    m_shown.clear();
    m_pagesRead = 0;
    m_more = false;
    m_total.reset();
    m_message->hide();
    updateCount();
    startRead();
}

void ChangeHistoryDialog::startRead()
{
    setBusy(true);
    m_reader.read(m_ref, 1, m_pageSize, m_generation, [this](Result<ChangeHistoryReader::Reading> reading) {
        setBusy(false);
        if (!reading) {
            showError(reading.error());
            return;
        }
        if (!reading.value().state.available()) {
            showUnavailable(reading.value().state);
            return;
        }
        append(reading.value().page);
    });
}

void ChangeHistoryDialog::loadMore()
{
    if (!m_more || isBusy() || !m_generation)
        return;
    setBusy(true);
    m_reader.fetchPage(m_ref, m_pagesRead + 1, m_pageSize, m_generation, [this](Result<ChangeHistory::Page> page) {
        setBusy(false);
        if (!page) {
            // What was shown stays; Load More tries again.
            showError(page.error());
            return;
        }
        append(page.value());
    });
}

void ChangeHistoryDialog::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    m_loadMore->setEnabled(!busy && m_more);
    m_reload->setEnabled(!busy);
    if (busy)
        m_count->setText(tr("Reading the history…"));
}

void ChangeHistoryDialog::showUnavailable(const ChangeHistory::AuditState &state)
{
    m_table->setRowCount(0);
    m_table->setEnabled(false);
    m_message->setText(state.sentence());
    m_message->show();
    m_more = false;
    m_loadMore->setEnabled(false);
    m_count->setText(state.auditingOff() ? tr("No history: auditing is off.") : tr("No history: not allowed."));
    Q_EMIT readFinished(true);
}

void ChangeHistoryDialog::showError(const Error &error)
{
    m_message->setText(error.userMessage + u' ' + tr("Reload to try again."));
    m_message->show();
    m_loadMore->setEnabled(m_more);
    updateCount();
    Q_EMIT readFinished(false);
}

void ChangeHistoryDialog::append(const ChangeHistory::Page &page)
{
    m_table->setEnabled(true);
    m_message->hide();
    m_pagesRead = page.pageNumber;
    m_more = page.moreRecords;
    if (page.totalRecordCount)
        m_total = page.totalRecordCount;
    const auto item = [](const QString &text, const QString &tip = {}) {
        auto *i = new QTableWidgetItem(text);
        i->setToolTip(tip.isEmpty() ? text : tip);
        return i;
    };
    for (const ChangeHistory::Entry &e : page.entries) {
        // Each page is read from the newest change: one recorded since the last page moves the others down by one.
        if (!e.auditId.isEmpty() && m_shown.contains(e.auditId))
            continue;
        m_shown.insert(e.auditId);
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0,
                         e.when.isValid() ? item(QLocale().toString(e.when.toLocalTime(), QLocale::ShortFormat),
                                                 e.when.toUTC().toString(Qt::ISODate))
                                          : item(tr("(not given)")));
        m_table->setItem(row, 1, item(ChangeHistory::whoText(e), e.userId));
        m_table->setItem(row, 2, item(ChangeHistory::changeText(e, m_ref.setting)));
    }
    if (m_table->rowCount() == 0) {
        m_message->setText(tr("No change to this value is recorded: auditing is on, and nobody has changed it since "
                              "it was turned on (or the records have passed the environment's retention period)."));
        m_message->show();
    }
    m_loadMore->setEnabled(m_more);
    updateCount();
    Q_EMIT readFinished(true);
}

void ChangeHistoryDialog::updateCount()
{
    const int shown = m_table->rowCount();
    if (m_total && *m_total >= shown)
        m_count->setText(tr("%1 of %n change(s)", nullptr, int(*m_total)).arg(shown));
    else
        m_count->setText(m_more ? tr("%n change(s) so far; older ones follow", nullptr, shown)
                                : tr("%n change(s)", nullptr, shown));
}

void ChangeHistoryDialog::openLocalLog()
{
    auto *dialog = new HistoryDialog(m_client->orgUrl().toString(), AuditLog::defaultPath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}
