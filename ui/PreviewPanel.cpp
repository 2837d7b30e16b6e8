#include "ui/PreviewPanel.h"

#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "models/PreviewListModel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTimeEdit>
#include <QDesktopServices>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <climits>

using namespace Qt::StringLiterals;

namespace {
constexpr int PageSize = 200; // rows per request: what a screen shows, and a little more
constexpr int DebounceMs = 400;

QString countText(qint64 count, bool capped)
{
    return capped ? QCoreApplication::translate("PreviewPanel", "%1+").arg(QLocale().toString(count))
                  : QLocale().toString(count);
}
} // namespace

PreviewPanel::PreviewPanel(DataverseClient *client, ConfigTableModel *configs, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_configs(configs)
    , m_list(new PreviewListModel(this))
    , m_listView(new QTableView)
    , m_counts(new QTableWidget)
    , m_when(new QComboBox)
    , m_custom(new QDateTimeEdit)
    , m_basis(new QComboBox)
    , m_interval(new QSpinBox)
    , m_assumptions(new QLabel)
    , m_summary(new QLabel)
    , m_timeline(new QLabel)
    , m_waiting(new QLabel)
    , m_debounce(new QTimer(this))
{
    setObjectName(u"previewPanel"_s);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &PreviewPanel::update);

    m_when->setAccessibleName(tr("Preview time"));
    m_when->addItem(tr("Now"), 0);
    m_when->addItem(tr("In 1 hour"), 60);
    m_when->addItem(tr("In 8 hours"), 8 * 60);
    m_when->addItem(tr("In 1 day"), Duration::MinutesPerDay);
    m_when->addItem(tr("In 7 days"), 7 * Duration::MinutesPerDay);
    m_when->addItem(tr("At…"), -1);
    m_custom->setCalendarPopup(true);
    m_custom->setDateTime(QDateTime::currentDateTime().addDays(1));
    m_custom->setAccessibleName(tr("Preview date and time"));
    m_custom->setEnabled(false);
    m_basis->setAccessibleName(tr("Timer basis"));
    m_basis->addItem(tr("creation (documented Web API behaviour)"), int(ClosingRule::Basis::Created));
    m_basis->addItem(tr("last modification (2024 admin article)"), int(ClosingRule::Basis::Modified));
    m_interval->setRange(1, 24 * 60);
    m_interval->setValue(5);
    m_interval->setSuffix(tr(" min"));
    m_interval->setAccessibleName(tr("Closing job interval"));
    m_interval->setToolTip(tr("How often the closing job runs: about every 5 minutes per the 2024 admin article "
                              "(a 2021 article says every 24 hours)."));
    connect(m_when, &QComboBox::currentIndexChanged, this, [this] {
        m_custom->setEnabled(m_when->currentData().toInt() < 0);
        schedule();
    });
    connect(m_custom, &QDateTimeEdit::dateTimeChanged, this, &PreviewPanel::schedule);
    connect(m_basis, &QComboBox::currentIndexChanged, this, &PreviewPanel::schedule);
    connect(m_interval, &QSpinBox::valueChanged, this, &PreviewPanel::schedule);
    auto *refresh = new QPushButton(tr("Re&count"));
    connect(refresh, &QPushButton::clicked, this, &PreviewPanel::update);

    auto *controls = new QHBoxLayout;
    auto *whenLabel = new QLabel(tr("Closure &preview at"));
    whenLabel->setBuddy(m_when);
    auto *basisLabel = new QLabel(tr("timer from"));
    basisLabel->setBuddy(m_basis);
    auto *intervalLabel = new QLabel(tr("job every"));
    intervalLabel->setBuddy(m_interval);
    controls->addWidget(whenLabel);
    controls->addWidget(m_when);
    controls->addWidget(m_custom);
    controls->addWidget(basisLabel);
    controls->addWidget(m_basis);
    controls->addWidget(intervalLabel);
    controls->addWidget(m_interval);
    controls->addStretch(1);
    controls->addWidget(refresh);

    m_assumptions->setObjectName(u"previewAssumptions"_s);
    m_assumptions->setWordWrap(true);
    m_assumptions->setForegroundRole(QPalette::PlaceholderText);
    m_summary->setObjectName(u"previewSummary"_s);
    m_summary->setWordWrap(true);
    m_timeline->setObjectName(u"previewTimeline"_s);
    m_timeline->setWordWrap(true);
    m_waiting->setObjectName(u"previewWaiting"_s);
    m_waiting->setWordWrap(true);

    m_counts->setObjectName(u"previewCounts"_s);
    m_counts->setAccessibleName(tr("Conversations closed per configuration"));
    m_counts->setColumnCount(6);
    m_counts->setHorizontalHeaderLabels({tr("Configuration"), tr("Saved"), tr("With your edits"),
                                         tr("Close either way"), tr("Newly close"), tr("No longer close")});
    m_counts->verticalHeader()->hide();
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_counts->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->horizontalHeader()->setStretchLastSection(true);

    m_listView->setObjectName(u"previewList"_s);
    m_listView->setAccessibleName(tr("Conversations the values would close"));
    m_listView->setModel(m_list);
    m_listView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_listView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_listView->verticalHeader()->hide();
    m_listView->horizontalHeader()->setStretchLastSection(true);
    m_listView->setToolTip(tr("Double-click or press Enter to open the conversation in Dynamics 365."));
    connect(m_listView, &QAbstractItemView::activated, this, &PreviewPanel::openSelected);
    // The list asks for the next page when scrolled to its end (QAbstractItemView calls fetchMore).
    connect(m_list, &PreviewListModel::moreWanted, this, [this] {
        if (!m_lister || !m_generation) {
            m_list->stop();
            return;
        }
        m_lister->fetchNext(PageSize, m_generation, [this](Result<QList<PreviewRow>> rows, bool more) {
            if (!rows) {
                m_list->stop();
                m_summary->setText(tr("Could not list the conversations: %1").arg(rows.error().describe()));
                return;
            }
            m_list->appendRows(rows.value(), more);
        });
    });
    auto *open = new QPushButton(tr("&Open in Dynamics"));
    open->setToolTip(tr("Open the selected conversation in Dynamics 365 in your browser"));
    connect(open, &QPushButton::clicked, this, &PreviewPanel::openSelected);

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_counts);
    auto *listBox = new QWidget;
    auto *listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_listView, 1);
    auto *openRow = new QHBoxLayout;
    openRow->addWidget(m_timeline, 1);
    openRow->addWidget(open);
    listLayout->addLayout(openRow);
    split->addWidget(listBox);
    m_counts->setMinimumWidth(380);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_assumptions);
    layout->addWidget(m_summary);
    layout->addWidget(m_waiting);
    layout->addWidget(split, 1);
    showAssumptions();

    connect(m_configs, &ConfigTableModel::pendingChanged, this, &PreviewPanel::schedule);
    connect(m_configs, &QAbstractItemModel::modelReset, this, &PreviewPanel::schedule);
}

PreviewPanel::~PreviewPanel()
{
    delete m_generation; // no callback of a run in flight reaches a panel that is gone
}

bool PreviewPanel::isNow() const
{
    return m_when->currentData().toInt() == 0;
}

QDateTime PreviewPanel::previewTime() const
{
    const int minutes = m_when->currentData().toInt();
    if (minutes < 0)
        return m_custom->dateTime().toUTC();
    return QDateTime::currentDateTimeUtc().addSecs(qint64(minutes) * 60);
}

QUrl PreviewPanel::recordUrl(const QString &activityId) const
{
    QUrl url = m_client->orgUrl();
    url.setPath(u"/main.aspx"_s);
    QUrlQuery query;
    query.addQueryItem(u"pagetype"_s, u"entityrecord"_s);
    query.addQueryItem(u"etn"_s, u"msdyn_ocliveworkitem"_s);
    query.addQueryItem(u"id"_s, activityId);
    url.setQuery(query);
    return url;
}

void PreviewPanel::openSelected()
{
    const QModelIndex index = m_listView->currentIndex();
    if (!index.isValid())
        return;
    QDesktopServices::openUrl(recordUrl(index.data(PreviewListModel::ActivityIdRole).toString()));
}

void PreviewPanel::showAssumptions()
{
    const bool created = m_basis->currentData().toInt() == int(ClosingRule::Basis::Created);
    m_assumptions->setText(
        tr("Assumptions: the timer counts from %1 (Microsoft's documents disagree; switch above). A conversation "
           "closes by about %2 minutes after it becomes eligible, when the job next runs. Waiting conversations of "
           "persistent chat, SMS, social channels and Teams close after their workstream's inactivity setting "
           "instead, and conversations under unified routing are not closed by duration: neither is counted here. "
           "A conversation on several channels counts under each configuration that would close it.")
            .arg(created ? tr("creation (the wrap-up start in Wrap-up)") : tr("the last modification"))
            .arg(m_interval->value()));
}

void PreviewPanel::schedule()
{
    m_current = false;
    showAssumptions();
    m_debounce->start();
}

void PreviewPanel::update()
{
    m_debounce->stop();
    showAssumptions();
    // A new run: whatever the previous one still has in flight is dropped with its context.
    delete m_generation;
    m_generation = new QObject(this);
    m_lister.reset();
    m_current = false;
    if (m_configs->rowCount() == 0)
        return;

    QHash<QString, std::optional<int>> edits;
    for (const PendingEdit &edit : m_configs->pendingEdits())
        edits.insert(edit.id, edit.minutes);
    PreviewScenario scenario = PreviewScenario::make(m_configs->configs(), edits, previewTime(),
                                                     ClosingRule::Basis(m_basis->currentData().toInt()));
    scenario.jobIntervalMinutes = m_interval->value();
    m_summary->setText(tr("Counting the conversations the values would close…"));
    m_timeline->clear();

    m_lister = std::make_unique<ClosurePreview::Lister>(m_client, scenario);
    m_list->restart(scenario);

    ClosurePreview::countImpact(m_client, scenario, m_generation,
                                [this, scenario](Result<QList<ClosurePreview::Impact>> impacts) {
                                    if (!impacts) {
                                        m_summary->setText(tr("The preview could not count the conversations: %1")
                                                               .arg(impacts.error().describe().toHtmlEscaped()));
                                        Q_EMIT updated(false);
                                        return;
                                    }
                                    m_impacts = impacts.value();
                                    m_current = true;
                                    showCounts(scenario);
                                    Q_EMIT updated(true);
                                });

    // Waiting conversations whose workstream's inactivity setting closes them, apart from the values above.
    m_waiting->clear();
    m_client->fetchWorkstreams(m_generation, [this, scenario](Result<QList<Workstream>> workstreams) {
        if (!workstreams) {
            m_waiting->setText(tr("Workstreams unavailable: %1").arg(workstreams.error().userMessage.toHtmlEscaped()));
            return;
        }
        ClosurePreview::countWaiting(
            m_client, workstreams.value(), scenario, m_generation,
            [this](Result<QList<ClosurePreview::WaitingImpact>> waiting) {
                if (!waiting) {
                    m_waiting->setText(tr("Waiting conversations could not be counted: %1")
                                           .arg(waiting.error().userMessage.toHtmlEscaped()));
                    return;
                }
                QStringList parts;
                for (const ClosurePreview::WaitingImpact &w : waiting.value()) {
                    parts << tr("%1 (after %2): %3")
                                 .arg(w.workstream.name.toHtmlEscaped(),
                                      Duration::format(w.workstream.inactivityMinutes), countText(w.closes, w.capped));
                }
                m_waiting->setText(parts.isEmpty()
                                       ? QString()
                                       : tr("Waiting conversations closed by their workstream's inactivity setting "
                                            "instead (not by the values above): %1")
                                             .arg(parts.join(u" · "_s)));
            });
    });

    // How many become eligible over the next day and week, with the edits.
    const QDateTime at = scenario.at;
    const QList<QDateTime> times {at, at.addSecs(3600), at.addSecs(8 * 3600), at.addDays(1), at.addDays(7)};
    ClosurePreview::countTimeline(
        m_client, scenario, times, m_generation, [this](Result<QList<ClosurePreview::TimelinePoint>> points) {
            if (!points) {
                m_timeline->setText(tr("Timeline unavailable: %1").arg(points.error().userMessage));
                return;
            }
            const QStringList names {tr("then"), tr("+1 h"), tr("+8 h"), tr("+1 day"), tr("+7 days")};
            QStringList parts;
            for (qsizetype i = 0; i < points.value().size(); ++i) {
                const auto &p = points.value().at(i);
                parts << u"%1: %2"_s.arg(names.value(i), countText(p.eligibleEdited(), p.capped()));
            }
            m_timeline->setText(tr("Eligible with your edits — %1").arg(parts.join(u" · "_s)));
        });
}

void PreviewPanel::showCounts(const PreviewScenario &scenario)
{
    qint64 both = 0;
    qint64 newly = 0;
    qint64 noLonger = 0;
    bool capped = false;
    m_counts->setRowCount(0);
    // The edited configurations first: they are what the user is deciding about.
    QList<ClosurePreview::Impact> shown = m_impacts;
    std::stable_sort(shown.begin(), shown.end(), [](const auto &a, const auto &b) { return a.edited && !b.edited; });
    for (const ClosurePreview::Impact &impact : shown) {
        both += impact.closesUnderBoth;
        newly += impact.newlyCloses;
        noLonger += impact.noLongerCloses;
        capped = capped || impact.capped;
        if (!impact.edited && impact.closesUnderBoth == 0)
            continue; // nothing to see: saves rows for what matters
        const ChannelStateConfig *config = m_configs->config(impact.configurationId);
        const int row = m_counts->rowCount();
        m_counts->insertRow(row);
        const auto cell = [this, row](int column, const QString &text, bool bold = false) {
            auto *item = new QTableWidgetItem(text);
            if (column >= 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (bold) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            m_counts->setItem(row, column, item);
        };
        cell(0,
             config ? config->channelLabel() + u" · " + conversationStateLabel(config->state) : impact.configurationId);
        cell(1, Duration::format(impact.savedMinutes));
        cell(2, Duration::format(impact.editedMinutes), impact.edited);
        cell(3, countText(impact.closesUnderBoth, impact.capped));
        cell(4, impact.newlyCloses ? u"+"_s + countText(impact.newlyCloses, impact.capped) : u"0"_s,
             impact.newlyCloses > 0);
        cell(5, impact.noLongerCloses ? u"−"_s + countText(impact.noLongerCloses, impact.capped) : u"0"_s);
    }
    const QString when = QLocale().toString(scenario.at.toLocalTime(), QLocale::ShortFormat);
    QString text = tr("By %1: <b>%2</b> conversations close either way").arg(when, countText(both, capped));
    if (newly > 0)
        text += tr(", <b>%1 more</b> because of your edits").arg(countText(newly, capped));
    if (noLonger > 0)
        text += tr(", %1 fewer because of your edits").arg(countText(noLonger, capped));
    m_summary->setText(text + u'.');
}

QHash<QString, QString> PreviewPanel::nextRunNotes() const
{
    QHash<QString, QString> notes;
    if (!isNow())
        return notes;
    for (const ClosurePreview::Impact &impact : m_impacts) {
        if (impact.edited && impact.newlyCloses > 0)
            notes.insert(impact.configurationId,
                         tr("%n conversation(s) would close at the next run of the closing job (closure preview).",
                            nullptr, int(std::min<qint64>(impact.newlyCloses, INT_MAX))));
    }
    return notes;
}
