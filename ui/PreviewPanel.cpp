#include "ui/PreviewPanel.h"

#include "app/preview/ListerPages.h"
#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "models/PreviewListModel.h"
#include "ui/EligibilityChart.h"

#include <QAction>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDesktopServices>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int PageSize = 200; // rows per request: what a screen shows, and a little more
constexpr int DebounceMs = 400;
constexpr int ProgressDelayMs = 1000; // a read quicker than this shows no progress bar
// The list's columns fit this many rows around those shown, not the whole list: a row whose page is not in memory
// would be read again only to be measured.
constexpr int ResizePrecision = 100;

// The height of a row of one line of text.
int oneLine(const QWidget *view)
{
    return view->fontMetrics().height() + 8;
}

QDateTime wholeSeconds(QDateTime time)
{
    // The Web API's date literals have whole seconds: the times counted are the times shown.
    time.setTime(QTime(time.time().hour(), time.time().minute(), time.time().second()));
    return time;
}

// The chart's times: now, in an hour … in a week (the time choices), and the chosen time when it is another one.
QList<EligibilityChart::Point> chartPoints(const QDateTime &now, int chosenMinutes, const QDateTime &at)
{
    QList<EligibilityChart::Point> points {
        {now, PreviewPanel::tr("Now"), PreviewPanel::tr("Now"), 0},
        {now.addSecs(3600), PreviewPanel::tr("+1 h"), PreviewPanel::tr("+1 h"), 60},
        {now.addSecs(8 * 3600), PreviewPanel::tr("+8 h"), PreviewPanel::tr("+8 h"), 8 * 60},
        {now.addDays(1), PreviewPanel::tr("+1 day"), PreviewPanel::tr("+1 d"), Duration::MinutesPerDay},
        {now.addDays(7), PreviewPanel::tr("+7 days"), PreviewPanel::tr("+7 d"), 7 * Duration::MinutesPerDay},
    };
    if (chosenMinutes < 0 &&
        std::none_of(points.begin(), points.end(), [&at](const auto &point) { return point.at == at; })) {
        const auto later =
            std::find_if(points.begin(), points.end(), [&at](const auto &point) { return point.at > at; });
        points.insert(later,
                      {at, QLocale().toString(at.toLocalTime(), QLocale::ShortFormat),
                       QLocale().toString(at.toLocalTime().date(), QLocale::NarrowFormat), -1});
    }
    return points;
}

// The counts per configuration summed per channel (ChannelStateConfig::channelLabel), channels in the
// configurations' order; the point of the preview's time selected.
EligibilityChart::Data chartData(const QList<EligibilityChart::Point> &points,
                                 const QList<ClosurePreview::TimelinePoint> &timeline, const PreviewScenario &scenario,
                                 int chosenMinutes)
{
    EligibilityChart::Data data;
    data.points = points;
    QHash<QString, qsizetype> channelOf;
    for (const ChannelStateConfig &config : scenario.saved) {
        if (!config.streamSource || channelOf.contains(config.channelLabel()))
            continue;
        channelOf.insert(config.channelLabel(), data.channels.size());
        data.channels << EligibilityChart::Channel {config.channelLabel(), QList<qint64>(points.size(), 0),
                                                    QList<qint64>(points.size(), 0), QList<bool>(points.size(), false)};
    }
    for (qsizetype t = 0; t < timeline.size() && t < points.size(); ++t) {
        const QList<ClosurePreview::TimelineCount> &counts = timeline.at(t).counts;
        for (qsizetype i = 0; i < counts.size() && i < scenario.saved.size(); ++i) {
            const auto channel = channelOf.constFind(scenario.saved.at(i).channelLabel());
            if (channel == channelOf.cend())
                continue;
            EligibilityChart::Channel &c = data.channels[*channel];
            c.saved[t] += counts.at(i).saved;
            c.edited[t] += counts.at(i).edited;
            c.capped[t] = c.capped.at(t) || counts.at(i).capped;
        }
    }
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (chosenMinutes >= 0 ? points.at(i).minutes == chosenMinutes : points.at(i).at == scenario.at)
            data.selected = int(i);
    }
    return data;
}

} // namespace

PreviewPanel::PreviewPanel(DataverseClient *client, ConfigTableModel *configs, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_configs(configs)
    , m_list(new PreviewListModel(this))
    , m_listView(new QTableView)
    , m_counts(new QTableWidget)
    , m_chart(new EligibilityChart)
    , m_split(new QSplitter(Qt::Horizontal))
    , m_when(new QComboBox)
    , m_custom(new QDateTimeEdit)
    , m_basis(new QComboBox)
    , m_interval(new QSpinBox)
    , m_assumptionsButton(new QPushButton)
    , m_summary(new QLabel)
    , m_notice(new QLabel)
    , m_progress(new QWidget)
    , m_progressLabel(new QLabel)
    , m_progressBar(new QProgressBar)
    , m_cancel(new QPushButton)
    , m_listAgain(new QPushButton)
    , m_progressDelay(new QTimer(this))
    , m_exportButton(new QPushButton)
    , m_exportAction(new QAction(this))
    , m_debounce(new QTimer(this))
{
    setObjectName(u"previewPanel"_s);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &PreviewPanel::update);

    m_when->setAccessibleName(tr("Preview time"));
    m_when->setToolTip(tr("When to count the conversations that would close: now, later today or this week, or at a "
                          "time you choose"));
    m_when->addItem(tr("Now"), 0);
    m_when->addItem(tr("In 1 hour"), 60);
    m_when->addItem(tr("In 8 hours"), 8 * 60);
    m_when->addItem(tr("In 1 day"), Duration::MinutesPerDay);
    m_when->addItem(tr("In 7 days"), 7 * Duration::MinutesPerDay);
    m_when->addItem(tr("At…"), -1);
    m_custom->setCalendarPopup(true);
    m_custom->setDateTime(QDateTime::currentDateTime().addDays(1));
    m_custom->setAccessibleName(tr("Preview date and time"));
    m_custom->setAccessibleDescription(tr("The time to preview, when “At…” is chosen"));
    m_custom->setVisible(false); // with "At…" only
    m_basis->setAccessibleName(tr("Timer basis"));
    m_basis->addItem(tr("creation (documented Web API behaviour)"), int(ClosingRule::Basis::Created));
    m_basis->addItem(tr("last modification (2024 admin article)"), int(ClosingRule::Basis::Modified));
    m_basis->setToolTip(tr("What a conversation's timer counts from. Microsoft's documents disagree: the Web API "
                           "article says creation (the wrap-up start in Wrap-up), the 2024 admin article says the "
                           "last modification."));
    m_interval->setRange(1, 24 * 60);
    m_interval->setValue(5);
    m_interval->setSuffix(tr(" min"));
    m_interval->setAccessibleName(tr("Closing job interval"));
    m_interval->setToolTip(tr("How often the closing job runs: about every 5 minutes per the 2024 admin article "
                              "(a 2021 article says every 24 hours)."));
    connect(m_when, &QComboBox::currentIndexChanged, this, [this] {
        m_custom->setVisible(m_when->currentData().toInt() < 0);
        schedule();
    });
    connect(m_custom, &QDateTimeEdit::dateTimeChanged, this, &PreviewPanel::schedule);
    connect(m_basis, &QComboBox::currentIndexChanged, this, &PreviewPanel::schedule);
    connect(m_interval, &QSpinBox::valueChanged, this, &PreviewPanel::schedule);
    auto *refresh = new QPushButton(tr("Re&count"));
    refresh->setToolTip(tr("Count again now, with the conversations as they are on the server"));
    connect(refresh, &QPushButton::clicked, this, &PreviewPanel::update);
    m_assumptionsButton->setObjectName(u"previewAssumptionsButton"_s);
    m_assumptionsButton->setText(tr("What this &assumes…"));
    m_assumptionsButton->setFlat(true);
    m_assumptionsButton->setToolTip(tr("What the counts rest on, and which of it Microsoft does not confirm"));
    connect(m_assumptionsButton, &QPushButton::clicked, this, &PreviewPanel::showAssumptions);

    // One line: when, the timer basis, the job interval, what this assumes.
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
    controls->addSpacing(8);
    controls->addWidget(basisLabel);
    controls->addWidget(m_basis);
    controls->addSpacing(8);
    controls->addWidget(intervalLabel);
    controls->addWidget(m_interval);
    controls->addWidget(m_assumptionsButton);
    controls->addStretch(1);
    controls->addWidget(refresh);

    m_summary->setObjectName(u"previewSummary"_s);
    m_summary->setWordWrap(true);
    m_notice->setObjectName(u"previewNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->hide(); // until there is something to say

    // Short headers, their meaning in their tooltips: the table is read beside the chart and the list.
    m_counts->setObjectName(u"previewCounts"_s);
    m_counts->setAccessibleName(tr("Conversations closed per configuration"));
    m_counts->setAccessibleDescription(tr("For each configuration: the saved value, your edit, and how many "
                                          "conversations close either way, newly or no longer because of it"));
    const QList<std::pair<QString, QString>> headers {
        {tr("Configuration"), tr("Channel and state")},
        {tr("Saved"), tr("The value saved in the environment")},
        {tr("Edited"), tr("The value with your edits (bold where you changed it)")},
        {tr("Either way"), tr("Conversations that close with the saved value and with your edit")},
        {tr("Newly"), tr("Conversations that close only because of your edit")},
        {tr("No longer"), tr("Conversations the saved value closes and your edit keeps open")},
    };
    m_counts->setColumnCount(int(headers.size()));
    for (int column = 0; column < headers.size(); ++column) {
        auto *item = new QTableWidgetItem(headers.at(column).first);
        item->setToolTip(headers.at(column).second);
        m_counts->setHorizontalHeaderItem(column, item);
    }
    m_counts->verticalHeader()->hide();
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_counts->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_counts->setWordWrap(false);
    m_counts->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_counts->verticalHeader()->setDefaultSectionSize(oneLine(m_counts));
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->horizontalHeader()->setStretchLastSection(false);

    m_listView->setObjectName(u"previewList"_s);
    m_listView->setAccessibleName(tr("Conversations the values would close"));
    m_listView->setAccessibleDescription(tr("One row per conversation, with why it closes; press Enter to open it "
                                            "in Dynamics 365"));
    m_listView->setModel(m_list);
    m_listView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_listView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_listView->verticalHeader()->hide();
    // One line per conversation: no wrapping (a long text is elided), rows of one height.
    m_listView->setWordWrap(false);
    m_listView->setTextElideMode(Qt::ElideRight);
    m_listView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_listView->verticalHeader()->setDefaultSectionSize(oneLine(m_listView));
    m_listView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_listView->horizontalHeader()->setSectionResizeMode(PreviewListModel::Title, QHeaderView::Interactive);
    m_listView->horizontalHeader()->resizeSection(PreviewListModel::Title, 160);
    m_listView->horizontalHeader()->setStretchLastSection(false);
    m_listView->setToolTip(tr("Double-click or press Enter to open the conversation in Dynamics 365."));
    connect(m_listView, &QAbstractItemView::activated, this, &PreviewPanel::openSelected);
    m_listView->horizontalHeader()->setResizeContentsPrecision(ResizePrecision);
    // The list reads its pages itself (the next one when scrolled to its end, a dropped one when shown again).
    connect(m_list, &PreviewListModel::readFailed, this, [this](const Error &error) {
        m_summary->setText(tr("Could not list the conversations: %1 Press List again to try again.")
                               .arg(error.describe().toHtmlEscaped()));
        refreshProgress();
    });
    connect(m_list, &PreviewListModel::fetchingChanged, this, &PreviewPanel::refreshProgress);

    // Beside the summary, so that nothing moves when it shows: what is in flight, a busy bar (how much is left is
    // not known) and Cancel.
    m_progress->setObjectName(u"previewProgress"_s);
    m_progressLabel->setObjectName(u"previewProgressLabel"_s);
    m_progressBar->setRange(0, 0);
    m_progressBar->setTextVisible(false);
    m_progressBar->setMaximumWidth(120);
    m_progressBar->setAccessibleName(tr("Preview progress"));
    m_cancel->setObjectName(u"previewCancel"_s);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop counting and listing; Recount starts again"));
    connect(m_cancel, &QPushButton::clicked, this, &PreviewPanel::cancel);
    m_listAgain->setObjectName(u"previewListAgain"_s);
    m_listAgain->setText(tr("&List again"));
    m_listAgain->setToolTip(tr("Read the list of conversations again, from where it stopped"));
    m_listAgain->hide();
    connect(m_listAgain, &QPushButton::clicked, this, &PreviewPanel::listAgain);
    auto *progressRow = new QHBoxLayout(m_progress);
    progressRow->setContentsMargins(0, 0, 0, 0);
    progressRow->addWidget(m_progressLabel);
    progressRow->addWidget(m_progressBar);
    progressRow->addWidget(m_cancel);
    m_progress->hide();
    m_progressDelay->setSingleShot(true);
    m_progressDelay->setInterval(ProgressDelayMs);
    connect(m_progressDelay, &QTimer::timeout, m_progress, &QWidget::show);
    setUpExport();
    auto *open = new QPushButton(tr("&Open in Dynamics"));
    open->setToolTip(tr("Open the selected conversation in Dynamics 365 in your browser"));
    connect(open, &QPushButton::clicked, this, &PreviewPanel::openSelected);

    connect(m_chart, &EligibilityChart::pointChosen, this, &PreviewPanel::choosePoint);

    // Counts | chart | list, side by side: all three at once in a 1280×800 window, the user's sizes kept.
    m_split->setObjectName(u"previewSplitter"_s);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(m_counts);
    m_split->addWidget(m_chart);
    m_split->addWidget(m_listView);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    m_split->setStretchFactor(2, 1);
    m_split->setSizes({470, 440, 350});
    connect(m_split, &QSplitter::splitterMoved, this, [this] { m_splitSettled = true; });

    auto *summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_summary, 1);
    summaryRow->addWidget(m_progress);
    summaryRow->addWidget(m_listAgain);
    summaryRow->addWidget(m_exportButton);
    summaryRow->addWidget(open);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(summaryRow);
    layout->addWidget(m_notice);
    layout->addWidget(m_split, 1);

    connect(m_configs, &ConfigTableModel::pendingChanged, this, &PreviewPanel::schedule);
    connect(m_configs, &QAbstractItemModel::modelReset, this, [this] {
        m_workstreamsRead.reset(); // the configurations were read again: the workstreams are too
        schedule();
    });
}

PreviewPanel::~PreviewPanel()
{
    delete m_generation; // no callback of a run in flight reaches a panel that is gone
}

bool PreviewPanel::isNow() const
{
    return m_when->currentData().toInt() == 0;
}

QDateTime PreviewPanel::previewTime(const QDateTime &now) const
{
    const int minutes = m_when->currentData().toInt();
    if (minutes < 0)
        return wholeSeconds(m_custom->dateTime().toUTC());
    return now.addSecs(qint64(minutes) * 60);
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

QString PreviewPanel::assumptionsText() const
{
    // docs/closing-rule.md: what is documented, what the documents disagree on, and what is UNCONFIRMED.
    const bool created = m_basis->currentData().toInt() == int(ClosingRule::Basis::Created);
    const QStringList items {
        tr("<b>Timer.</b> It counts from <b>%1</b>. Microsoft's documents disagree: the Web API article says "
           "creation (the wrap-up start in Wrap-up), the 2024 admin article says the last modification. Switch with "
           "“timer from”.")
            .arg(created ? tr("creation (the wrap-up start in Wrap-up)") : tr("the last modification")),
        tr("<b>Closing job.</b> A conversation closes by about %n minute(s) after it becomes eligible, when the job "
           "next runs (every 5 minutes per the 2024 admin article; an older article says every 24 hours). Change it "
           "with “job every”.",
           nullptr, m_interval->value()),
        tr("<b>Channels.</b> A configuration is taken to apply to the conversations whose channels include its "
           "channel: UNCONFIRMED, no Microsoft page says how a conversation is tied to its configuration. A "
           "conversation on several channels counts under each configuration that would close it."),
        tr("<b>Waiting.</b> A Waiting conversation of persistent chat, SMS, social channels or Teams closes after its "
           "workstream's “auto-close after inactivity” instead of the value here; the counts include it, per "
           "workstream. That setting is read as minutes (UNCONFIRMED) and timed like the values (what inactivity "
           "counts from is UNCONFIRMED too). Persistent chat has no channel of its own here, so Waiting live chats "
           "follow "
           "their workstream as well (UNCONFIRMED: the preview cannot tell persistent chat from other chat). A "
           "workstream without the setting leaves the value here."),
        tr("<b>Wrap-up capacity.</b> A Wrap-up live chat waits for its workstream's “block capacity for wrap-up” when "
           "that is longer than the Wrap-up value: it closes after the longer of the two (the Web API article). The "
           "block is read as minutes (UNCONFIRMED); it is applied to live chat only, the channel the article speaks "
           "of (UNCONFIRMED for other channels, whose Wrap-up conversations may therefore close later than shown). No "
           "block leaves the value; a value of never stays never (UNCONFIRMED)."),
        tr("<b>Workstreams.</b> A conversation with no workstream, or with one that was not read or belongs to "
           "another channel, is judged by the values here alone."),
        tr("<b>Unified routing.</b> Conversations under unified routing are not closed by duration; the counts do "
           "not single them out."),
    };
    return u"<p>"_s +
        tr("The closure preview applies the closing rule as Microsoft documents it, with these "
           "assumptions:") +
        u"</p><ul><li>"_s + items.join(u"</li><li>"_s) + u"</li></ul>"_s;
}

void PreviewPanel::showAssumptions()
{
    QMessageBox box(QMessageBox::Information, tr("What the closure preview assumes"), assumptionsText(),
                    QMessageBox::Close, this);
    box.setObjectName(u"previewAssumptionsDialog"_s);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

void PreviewPanel::choosePoint(int index)
{
    const QList<EligibilityChart::Point> &points = m_chart->data().points;
    if (index < 0 || index >= points.size())
        return;
    const EligibilityChart::Point &point = points.at(index);
    if (point.minutes < 0)
        m_custom->setDateTime(point.at.toLocalTime());
    m_when->setCurrentIndex(m_when->findData(point.minutes));
}

void PreviewPanel::saveSettings(QSettings &settings) const
{
    settings.setValue(u"preview/time"_s, m_when->currentData().toInt());
    settings.setValue(u"preview/customTime"_s, m_custom->dateTime().toUTC().toString(Qt::ISODate));
    settings.setValue(u"preview/basis"_s, ClosingRule::basisName(ClosingRule::Basis(m_basis->currentData().toInt())));
    settings.setValue(u"preview/jobInterval"_s, m_interval->value());
    settings.setValue(u"preview/splitter"_s, m_split->saveState());
}

void PreviewPanel::restoreSettings(const QSettings &settings)
{
    const QDateTime custom = QDateTime::fromString(settings.value(u"preview/customTime"_s).toString(), Qt::ISODate);
    if (custom.isValid())
        m_custom->setDateTime(custom.toLocalTime());
    bool ok = false;
    const int time = settings.value(u"preview/time"_s).toInt(&ok);
    if (ok && m_when->findData(time) >= 0)
        m_when->setCurrentIndex(m_when->findData(time));
    if (const auto basis = ClosingRule::basisFromName(settings.value(u"preview/basis"_s).toString()))
        m_basis->setCurrentIndex(m_basis->findData(int(*basis)));
    const int interval = settings.value(u"preview/jobInterval"_s).toInt(&ok);
    if (ok && interval >= m_interval->minimum() && interval <= m_interval->maximum())
        m_interval->setValue(interval);
    // An unreadable state leaves the sizes as they are.
    if (m_split->restoreState(settings.value(u"preview/splitter"_s).toByteArray()))
        m_splitSettled = true;
}

void PreviewPanel::schedule()
{
    m_current = false;
    m_debounce->start();
}

void PreviewPanel::setWorkstreams(const QList<Workstream> &saved, const QList<Workstream> &edited)
{
    m_workstreamsGiven = true;
    if (saved == m_savedWorkstreams && edited == m_editedWorkstreams && m_workstreamsError.isEmpty())
        return;
    m_savedWorkstreams = saved;
    m_editedWorkstreams = edited;
    m_workstreamsError.clear();
    schedule();
}

void PreviewPanel::update()
{
    m_debounce->stop();
    // A new run: whatever the previous one still has in flight is dropped with its context.
    delete m_generation;
    m_generation = new QObject(this);
    m_lister.reset();
    m_countsCancelled = false;
    m_current = false;
    m_countingImpact = m_readingWorkstreams = m_countingTimeline = false;
    m_exportAction->setEnabled(false);
    if (m_configs->rowCount() == 0) {
        refreshProgress();
        return;
    }
    // (A read that failed is tried again: Recount, or the next edit.)
    if (m_workstreamsGiven || (m_workstreamsRead && m_workstreamsError.isEmpty())) {
        start(m_savedWorkstreams, m_editedWorkstreams);
        return;
    }
    // Until the window gives them: the saved workstreams, read once per reading of the configurations.
    m_readingWorkstreams = true;
    m_summary->setText(tr("Counting the conversations the values would close…"));
    refreshProgress();
    m_client->fetchWorkstreams(m_generation, [this](Result<QList<Workstream>> workstreams) {
        m_readingWorkstreams = false;
        if (m_workstreamsGiven) { // given meanwhile
            start(m_savedWorkstreams, m_editedWorkstreams);
            return;
        }
        m_workstreamsRead = workstreams ? workstreams.value() : QList<Workstream>();
        m_workstreamsError = workstreams ? QString() : workstreams.error().userMessage;
        m_savedWorkstreams = m_editedWorkstreams = *m_workstreamsRead;
        start(m_savedWorkstreams, m_editedWorkstreams);
    });
}

void PreviewPanel::start(const QList<Workstream> &saved, const QList<Workstream> &edited)
{
    QHash<ValueRef, std::optional<int>> edits;
    for (const PendingEdit &edit : m_configs->pendingEdits())
        edits.insert(ValueRef {edit.id, TimerSetting::ChannelState}, edit.minutes);
    // One "now" for the preview and its chart, so that the chart's point for the preview's time is that time.
    const QDateTime now = wholeSeconds(QDateTime::currentDateTimeUtc());
    PreviewScenario scenario = PreviewScenario::make(m_configs->configs(), saved, edits, previewTime(now),
                                                     ClosingRule::Basis(m_basis->currentData().toInt()));
    scenario.editedWorkstreams = edited;
    scenario.jobIntervalMinutes = m_interval->value();
    m_summary->setText(tr("Counting the conversations the values would close…"));
    m_notice->setText(m_workstreamsError.isEmpty()
                          ? QString()
                          : tr("The workstreams could not be read (%1), so Waiting and Wrap-up conversations are "
                               "judged by the values here alone. Press Recount to try again.")
                                .arg(m_workstreamsError.toHtmlEscaped()));
    m_notice->setVisible(!m_workstreamsError.isEmpty());

    m_lister = std::make_shared<ClosurePreview::Lister>(m_client, scenario);
    m_list->restart(scenario, std::make_shared<ClosurePreview::ListerPages>(m_lister, PageSize));
    m_exportAction->setEnabled(!m_exporting);
    m_countingImpact = m_countingTimeline = true;
    refreshProgress();

    ClosurePreview::countImpact(m_client, scenario, m_generation,
                                [this, scenario](Result<QList<ClosurePreview::Impact>> impacts) {
                                    m_countingImpact = false;
                                    refreshProgress();
                                    // The values changed while these were counted: the run scheduled for them
                                    // reports, not this one (its counts, and the risk notes made of them, would be
                                    // of values no longer shown).
                                    if (m_debounce->isActive())
                                        return;
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

    // The chart: how many are eligible from now to a week ahead (and to the chosen time, if later), per channel, with
    // the saved values and with the edits. The figures of the last run stay on it until the new ones are in.
    const int chosen = m_when->currentData().toInt(); // the choice this run is for, whatever it is when it answers
    const QList<EligibilityChart::Point> points = chartPoints(now, chosen, scenario.at);
    QList<QDateTime> times;
    for (const EligibilityChart::Point &point : points)
        times << point.at;
    ClosurePreview::countTimeline(
        m_client, scenario, times, m_generation,
        [this, points, scenario, chosen](Result<QList<ClosurePreview::TimelinePoint>> timeline) {
            m_countingTimeline = false;
            refreshProgress();
            if (!timeline) {
                m_chart->showMessage(
                    tr("The chart could not be counted: %1").arg(timeline.error().userMessage.toHtmlEscaped()));
                Q_EMIT timelineUpdated(false);
                return;
            }
            m_chart->setData(chartData(points, timeline.value(), scenario, chosen));
            Q_EMIT timelineUpdated(true);
        });

    if (!m_pendingExport.isEmpty())
        exportListTo(std::exchange(m_pendingExport, QString()));
}

void PreviewPanel::refreshProgress()
{
    // Not after the counts were cancelled: Recount then starts everything again.
    m_listAgain->setVisible(m_lister && !m_countsCancelled && m_list->isStopped() && !m_list->isFetching());
    const bool counting = m_countingImpact || m_readingWorkstreams || m_countingTimeline;
    if (!counting && !m_list->isFetching()) {
        m_progressDelay->stop();
        m_progress->hide();
        return;
    }
    m_progressLabel->setText(counting ? tr("Counting…") : tr("Reading the list…"));
    if (m_progress->isHidden() && !m_progressDelay->isActive())
        m_progressDelay->start();
}

void PreviewPanel::cancel()
{
    // Every count in flight is dropped with its context, every read of the list with the list's.
    delete m_generation;
    const bool counts = m_countingImpact || m_readingWorkstreams;
    const bool timeline = m_countingTimeline;
    const bool listing = m_list->isFetching();
    m_countingImpact = m_readingWorkstreams = m_countingTimeline = false;
    m_countsCancelled = counts;
    m_pendingExport.clear();
    m_list->cancel();
    refreshProgress();
    if (timeline)
        m_chart->showMessage(tr("Not counted: cancelled. Press Recount to count again."));
    if (counts) {
        m_summary->setText(tr("Counting cancelled. Press Recount to count again."));
        Q_EMIT updated(false);
    } else if (listing) {
        m_summary->setText(m_summary->text() + u' ' + tr("Listing cancelled: press List again to read it."));
    }
}

void PreviewPanel::listAgain()
{
    m_list->retry();
    // The view asks for the rows it shows; with none shown yet it would not ask for the first page.
    if (m_list->canFetchMore({}))
        m_list->fetchMore({});
    refreshProgress();
}
