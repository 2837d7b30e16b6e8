// The closure preview's panel in the real window, offscreen, on the Demo environment's sandbox: the chart of what
// becomes eligible over time per channel (its lines against the closing rule applied here to every conversation read
// back), made only when first shown, clicked to choose the preview's time, following the palette; the panel's
// headers and rows at 1280×800; its settings saved and restored; the workstreams the window gives it, edited,
// recounting as an edit of a value does, and a notice when it cannot read them itself.
#include "GuiTestSupport.h"
#include "PreviewSeed.h"
#include "WindowTestServer.h"
#include "app/common/Translations.h"
#include "models/ConfigTableModel.h"
#include "models/PreviewListModel.h"
#include "models/WorkstreamTableModel.h"
#include "ui/EligibilityChart.h"
#include "ui/OverviewGrid.h"
#include "ui/Palette.h"
#include "ui/PreviewPanel.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using GuiTestSupport::rowOf;
using GuiTestSupport::typeValue;

namespace {
// Per channel label, per time: {saved, edited}, by the closing rule (models/ClosingRule) applied to each conversation,
// for the configurations as saved and with the edits — not by the server's filters the preview counts with. A Waiting
// conversation of the demo's messaging channels is timed by its workstream's inactivity
// (ClosingRule::effectiveMinutes).
using Expected = QMap<QString, QList<std::pair<qint64, qint64>>>;
Expected byTheRule(const QList<Conversation> &conversations, const QList<ChannelStateConfig> &saved,
                   const QList<Workstream> &workstreams, const QHash<QString, std::optional<int>> &edits,
                   const QList<QDateTime> &times, ClosingRule::Basis basis)
{
    Expected expected;
    for (const ChannelStateConfig &config : saved) {
        if (!config.streamSource)
            continue;
        auto &line = expected[config.channelLabel()];
        line.resize(times.size());
        ChannelStateConfig edited = config;
        edited.minutes = edits.contains(config.id) ? edits.value(config.id) : config.minutes;
        for (const Conversation &c : conversations) {
            if (!ClosingRule::matches(c, config))
                continue;
            const Workstream *workstream = ClosingRule::workstreamOf(c, workstreams);
            for (qsizetype t = 0; t < times.size(); ++t) {
                const auto s = ClosingRule::eligibleFrom(c, ClosingRule::effectiveMinutes(config, workstream), basis);
                const auto e = ClosingRule::eligibleFrom(c, ClosingRule::effectiveMinutes(edited, workstream), basis);
                line[t].first += s && *s <= times.at(t);
                line[t].second += e && *e <= times.at(t);
            }
        }
    }
    return expected;
}

// Waits until the panel's chart has figures for the edits made so far (each edit recounts, debounced).
bool chartSettles(PreviewPanel *panel)
{
    // A run for the edits as they are now, as Recount starts it: a run still in flight for earlier edits is
    // dropped with it, so the figures that come are for every edit made (however slowly they were typed).
    QSignalSpy timeline(panel, &PreviewPanel::timelineUpdated);
    panel->update();
    return timeline.wait(20000) && timeline.last().first().toBool();
}
} // namespace

class TestPreviewChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
    }
    void cleanup() { m_server.reset(); }

    // Qt Charts costs time at start-up: the chart is made the first time it is shown, and not before.
    void chartIsMadeWhenFirstShown()
    {
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        PreviewPanel *panel = window.previewPanel();
        QVERIFY(panel->chart());
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        QSignalSpy timeline(panel, &PreviewPanel::timelineUpdated);
        window.refresh(); // hidden: the preview counts all the same
        QVERIFY(loaded.wait(20000));
        QVERIFY(timeline.wait(20000));
        QCOMPARE(timeline.last().first().toBool(), true);
        QVERIFY(!panel->chart()->data().points.isEmpty()); // figures to draw, and still no chart
        QVERIFY(!panel->chart()->chartView());
        QVERIFY(window.findChildren<QChartView *>().isEmpty());

        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(panel->chart()->chartView());
        QCOMPARE(window.findChildren<QChartView *>().size(), 1);
        QVERIFY(panel->chart()->chartView()->isVisible());
        QVERIFY(!panel->chart()->chartView()->accessibleName().isEmpty());
        QVERIFY2(panel->chart()->chartView()->accessibleDescription().contains(u"with your edits"_s),
                 qPrintable(panel->chart()->chartView()->accessibleDescription()));
    }

    // Each channel's lines are its configurations' counts summed, saved values beside the edits, at each time.
    void chartMatchesTheRule()
    {
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.setView(MainWindow::View::Details); // typed in the details list
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QTableView *view = window.detailsView();
        // Shorter, to never, and from never: each changes what its channel's line shows.
        typeValue(view, rowOf(view, u"Live chat"_s, u"Open"_s), u"3"_s);
        typeValue(view, rowOf(view, u"SMS"_s, u"Open"_s), u"7d"_s);
        typeValue(view, rowOf(view, u"Microsoft Teams"_s, u"Wrap-up"_s), u"never"_s);
        typeValue(view, rowOf(view, u"Live chat"_s, u"Active"_s), u"2h"_s);
        QVERIFY(chartSettles(panel));
        QTRY_VERIFY(panel->isCurrent());

        QHash<QString, std::optional<int>> edits;
        for (const PendingEdit &edit : window.model()->pendingEdits())
            edits.insert(edit.id, edit.minutes);
        QCOMPARE(edits.size(), 4);
        std::optional<Result<QList<Conversation>>> conversations;
        m_server->colleague->fetchConversations({}, this, [&](auto r) { conversations = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(conversations.has_value(), 20000);
        QVERIFY(conversations->ok());
        const auto workstreams = readWorkstreams(*m_server->colleague);
        QVERIFY(workstreams.ok());

        const EligibilityChart::Data &data = panel->chart()->data();
        QList<QDateTime> times;
        for (const EligibilityChart::Point &point : data.points)
            times << point.at;
        QCOMPARE(times.size(), 5); // now, in 1 hour, 8 hours, a day, a week
        QCOMPARE(times.first().secsTo(times.last()), 7 * 24 * 3600);
        QVERIFY(qAbs(times.first().secsTo(QDateTime::currentDateTimeUtc())) < 60);
        QCOMPARE(data.selected, 0); // the preview is for now
        const Expected expected = byTheRule(conversations->value(), window.model()->configs(), workstreams.value(),
                                            edits, times, ClosingRule::Basis::Created);
        QCOMPARE(expected.size(), 6); // the demo's six channels
        QCOMPARE(data.channels.size(), expected.size());
        int differing = 0;
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            QLineSeries *edited = panel->chart()->editedSeries(it.key());
            QLineSeries *saved = panel->chart()->savedSeries(it.key());
            QVERIFY2(edited && saved, qPrintable(it.key()));
            QCOMPARE(edited->count(), times.size());
            QCOMPARE(saved->count(), times.size());
            QCOMPARE(edited->name(), it.key()); // the legend names the channel by its solid line
            for (qsizetype t = 0; t < times.size(); ++t) {
                const auto [s, e] = it.value().at(t);
                QCOMPARE(qint64(saved->at(int(t)).y()), s);
                QCOMPARE(qint64(edited->at(int(t)).y()), e);
                QCOMPARE(saved->at(int(t)).x(), qreal(t));
                differing += s != e;
            }
            // One colour per channel, solid with the edits, dashed for the saved values.
            QCOMPARE(edited->pen().color(), saved->pen().color());
            QCOMPARE(edited->pen().style(), Qt::SolidLine);
            QVERIFY(saved->pen().style() != Qt::SolidLine);
        }
        QVERIFY2(differing >= 4, qPrintable(QString::number(differing))); // the edits show
        // The tooltip of a point says its channel, time and both numbers.
        const int chat = int(std::find_if(data.channels.begin(), data.channels.end(),
                                          [](const auto &c) { return c.name == u"Live chat"_s; }) -
                             data.channels.begin());
        const QString tip = panel->chart()->pointText(chat, 2);
        const auto [s, e] = expected.value(u"Live chat"_s).at(2);
        QVERIFY2(tip.contains(u"Live chat"_s) && tip.contains(u"+8 h"_s) &&
                     tip.contains(u"saved values: %1"_s.arg(s)) && tip.contains(u"with your edits: %1"_s.arg(e)),
                 qPrintable(tip));
        QVERIFY(s != e); // three minutes instead of twenty: more by then
        // Hovering the point shows it.
        QLineSeries *chatLine = panel->chart()->editedSeries(u"Live chat"_s);
        Q_EMIT chatLine->hovered(chatLine->at(2), true);
        QTRY_VERIFY(QToolTip::isVisible());
        QCOMPARE(QToolTip::text(), tip);
        Q_EMIT chatLine->hovered(chatLine->at(2), false);
        QTRY_VERIFY(!QToolTip::isVisible());

        // The totals of the accessible description are the channels' sums.
        qint64 savedNow = 0;
        qint64 editedNow = 0;
        for (const auto &line : expected) {
            savedNow += line.first().first;
            editedNow += line.first().second;
        }
        QVERIFY2(panel->chart()->chartView()->accessibleDescription().contains(
                     u"Now: %1 with the saved values, %2 with your edits"_s.arg(savedNow).arg(editedNow)),
                 qPrintable(panel->chart()->chartView()->accessibleDescription()));
    }

    // A click on a point previews that time: the matching choice ("In 8 hours"), or the custom time.
    void clickingAPointChoosesTheTime()
    {
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QVERIFY(chartSettles(panel));
        EligibilityChart *chart = panel->chart();
        QLineSeries *chat = chart->editedSeries(u"Live chat"_s);
        QVERIFY(chat);

        // With the mouse, on the point drawn for "+8 h".
        QChartView *view = chart->chartView();
        const QPoint at = view->mapFromScene(chart->chart()->mapToPosition(chat->at(2), chat));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(panel->timeChoice()->currentData().toInt(), 8 * 60);
        QCOMPARE(panel->timeChoice()->currentText(), u"In 8 hours"_s);
        QVERIFY(chartSettles(panel));
        QCOMPARE(chart->data().selected, 2);

        // The series' own signal, for a point of another channel: "+1 day".
        QLineSeries *sms = chart->savedSeries(u"SMS"_s);
        Q_EMIT sms->clicked(sms->at(3));
        QCOMPARE(panel->timeChoice()->currentData().toInt(), 24 * 60);
        QVERIFY(chartSettles(panel));

        // A custom time ten days ahead: the chart goes on to it, and its point chooses it again.
        const QDateTime later = QDateTime::currentDateTime().addDays(10);
        panel->customTime()->setDateTime(later);
        panel->timeChoice()->setCurrentIndex(panel->timeChoice()->findData(-1));
        QVERIFY(chartSettles(panel));
        QCOMPARE(chart->data().points.size(), 6);
        QCOMPARE(chart->data().selected, 5);
        QCOMPARE(chart->data().points.last().minutes, -1);
        QCOMPARE(chart->data().points.last().at.secsTo(later.toUTC()), 0);
        // Its own point keeps it; another point leaves it for that choice, and the chart for the usual five times.
        chat = chart->editedSeries(u"Live chat"_s);
        Q_EMIT chat->clicked(chat->at(5));
        QCOMPARE(panel->timeChoice()->currentData().toInt(), -1);
        QCOMPARE(panel->customTime()->dateTime().toUTC().secsTo(later.toUTC()), 0);
        Q_EMIT chat->clicked(chat->at(0));
        QCOMPARE(panel->timeChoice()->currentData().toInt(), 0); // "Now"
        QVERIFY(chartSettles(panel));
        QCOMPARE(chart->data().points.size(), 5);
        QCOMPARE(chart->data().selected, 0);
    }

    // The chart's theme and colours follow the application's palette, dark or light.
    void chartFollowsThePalette()
    {
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QVERIFY(chartSettles(panel));
        QChart *chart = panel->chart()->chart();
        QVERIFY(chart);
        const QPalette light = QApplication::palette();
        QVERIFY(!Palette::isDark());
        QCOMPARE(chart->theme(), QChart::ChartThemeLight);
        const QString first = panel->chart()->data().channels.first().name;
        QCOMPARE(panel->chart()->editedSeries(first)->pen().color(), Palette::seriesColor(0));

        QPalette dark = light;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
        dark.setColor(QPalette::WindowText, Qt::white);
        dark.setColor(QPalette::Text, Qt::white);
        QApplication::setPalette(dark);
        QTRY_COMPARE(chart->theme(), QChart::ChartThemeDark);
        QVERIFY(Palette::isDark());
        QCOMPARE(panel->chart()->editedSeries(first)->pen().color(), Palette::seriesColor(0));
        QVERIFY(Palette::seriesColor(0) != QColor(0x00, 0x5a, 0x9e)); // the dark shade
        QCOMPARE(chart->backgroundBrush().color(), QColor(0x18, 0x18, 0x18));
        QApplication::setPalette(light);
        QTRY_COMPARE(chart->theme(), QChart::ChartThemeLight);
    }

    // At 1280×800 the three panes show side by side, the counts table whole, no header cut short, each
    // conversation on one line.
    void readableAt1280x800()
    {
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        QCOMPARE(window.size(), QSize(1280, 800));
        PreviewPanel *panel = window.previewPanel();
        // In the overview, as a new user sees the window: SMS · Open is in the grid's first column.
        QTableView *grid = window.overview();
        int sms = -1;
        for (int row = 0; row < grid->model()->rowCount(); ++row)
            sms = grid->model()->headerData(row, Qt::Vertical).toString() == u"SMS"_s ? row : sms;
        QVERIFY(sms >= 0);
        QSignalSpy updated(panel, &PreviewPanel::updated);
        typeValue(grid, sms, u"7d"_s);
        QVERIFY(chartSettles(panel));
        QTRY_VERIFY(panel->isCurrent());
        // The list loads as it is scrolled: scroll to its end until nothing more comes.
        QVERIFY(QTest::qWaitFor(
            [panel] {
                panel->listView()->scrollToBottom();
                return !panel->listModel()->canFetchMore({}) && !panel->listModel()->isFetching();
            },
            20000));
        QVERIFY2(panel->listModel()->rowCount() > 20, qPrintable(QString::number(panel->listModel()->rowCount())));
        QTest::qWait(50); // the sections follow the rows in the event loop

        // All three panes visible, each wide enough to use.
        QVERIFY(panel->countsTable()->isVisible() && panel->chart()->isVisible() && panel->listView()->isVisible());
        QVERIFY(panel->chart()->chartView() && panel->chart()->chartView()->isVisible());
        QVERIFY2(panel->chart()->width() >= 300 && panel->chart()->height() >= 150,
                 qPrintable(u"%1×%2"_s.arg(panel->chart()->width()).arg(panel->chart()->height())));
        QVERIFY2(panel->listView()->width() >= 300, qPrintable(QString::number(panel->listView()->width())));

        // The counts table: every header whole, every column in view without scrolling sideways.
        QHeaderView *counts = panel->countsTable()->horizontalHeader();
        QCOMPARE(counts->count(), 6);
        for (int i = 0; i < counts->count(); ++i) {
            const QString text = panel->countsTable()->horizontalHeaderItem(i)->text();
            QVERIFY2(counts->sectionSize(i) >= counts->sectionSizeHint(i), qPrintable(text));
            QVERIFY2(counts->sectionSize(i) >= counts->fontMetrics().horizontalAdvance(text), qPrintable(text));
            QVERIFY2(counts->sectionViewportPosition(i) + counts->sectionSize(i) <= counts->viewport()->width(),
                     qPrintable(text));
            QVERIFY2(!panel->countsTable()->horizontalHeaderItem(i)->toolTip().isEmpty(), qPrintable(text));
        }
        QCOMPARE(panel->countsTable()->horizontalScrollBar()->maximum(), 0);
        const QStringList shortHeaders {u"Either way"_s, u"Newly"_s, u"No longer"_s};
        for (int i = 3; i < 6; ++i)
            QCOMPARE(panel->countsTable()->horizontalHeaderItem(i)->text(), shortHeaders.at(i - 3));

        // The list: every header whole (the list scrolls sideways instead of cutting them).
        QTableView *list = panel->listView();
        QHeaderView *header = list->horizontalHeader();
        for (int i = 0; i < header->count(); ++i) {
            const QString text = list->model()->headerData(i, Qt::Horizontal).toString();
            QVERIFY2(header->sectionSize(i) >= header->sectionSizeHint(i), qPrintable(text));
        }
        // One line a row: no wrapping, one height, and the age whole in its column.
        QVERIFY(!list->wordWrap());
        const QFontMetrics metrics(list->font());
        const int age = PreviewListModel::Age;
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            QVERIFY2(list->rowHeight(row) < 2 * metrics.lineSpacing(), qPrintable(QString::number(row)));
            QCOMPARE(list->rowHeight(row), list->verticalHeader()->defaultSectionSize());
            for (int column = 0; column < list->model()->columnCount(); ++column)
                QVERIFY(!list->model()->index(row, column).data().toString().contains(u'\n'));
            const QString text = list->model()->index(row, age).data().toString();
            QVERIFY2(metrics.horizontalAdvance(text) + 2 * list->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) <=
                         header->sectionSize(age),
                     qPrintable(text));
        }
        // Ages in at most two units, from the conversation's creation to the preview's time (now): days and hours,
        // or hours and minutes.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        int days = 0;
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            QVERIFY(panel->listModel()->rowAt(row)); // two pages: in memory
            const qint64 minutes = panel->listModel()->rowAt(row)->conversation.createdOn.secsTo(now) / 60;
            const QString text = list->model()->index(row, age).data().toString();
            if (minutes >= 24 * 60 + 5) { // not at a day's edge while the test runs
                ++days;
                QVERIFY2(text.startsWith(QString::number(minutes / (24 * 60)) + u" day"_s) && !text.contains(u"min"_s),
                         qPrintable(text));
            }
        }
        QVERIFY(days > 10);
        QVERIFY(list->model()->index(0, age).data(Qt::ToolTipRole).toString().contains(u"created"_s));
    }

    // The assumptions are one click away, in full, with what Microsoft does not confirm marked so; the basis and the
    // job interval stay on the line as controls.
    void assumptionsInFull()
    {
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QVERIFY(panel->basisChoice()->isVisible());
        QVERIFY(panel->intervalChoice()->isVisible());
        QVERIFY(panel->assumptionsButton()->isVisible());
        const auto shown = [panel] {
            QString text;
            GuiTestSupport::whenDialog<QMessageBox>(panel, [&text](QMessageBox *box) {
                text = box->text();
                box->accept();
            });
            panel->assumptionsButton()->click();
            return text;
        };
        QString text = shown();
        QVERIFY2(text.contains(u"counts from <b>creation"_s), qPrintable(text));
        QVERIFY(text.contains(u"about 5 minutes"_s));
        // The channel mapping; the inactivity setting's unit, its start, and live chat standing for persistent chat;
        // the block's unit, its channels, and a value of never staying never.
        QCOMPARE(text.count(u"UNCONFIRMED"_s), 7);
        QVERIFY(text.contains(u"the longer of the two"_s));
        QVERIFY(text.contains(u"applied to live chat only"_s));
        QVERIFY(text.contains(u"judged by the values here alone"_s));
        QVERIFY(text.contains(u"several channels counts under each configuration"_s));
        QVERIFY(text.contains(u"unified routing"_s));
        panel->basisChoice()->setCurrentIndex(1);
        panel->intervalChoice()->setValue(30);
        text = shown();
        QVERIFY2(text.contains(u"counts from <b>the last modification</b>"_s), qPrintable(text));
        QVERIFY(text.contains(u"about 30 minutes"_s));
    }

    // The window gives the panel the workstreams with their edits (setWorkstreams): an edit of a workstream's
    // inactivity recounts as an edit of a value does. On tests/data/seeds/preview.json at 12:00, the Waiting text 8
    // closes through Text care's minute of inactivity; with 30 minutes it no longer does.
    void workstreamEditsRecount()
    {
        LocalSandbox::Options options;
        options.seed.file = QFINDTESTDATA("data/seeds/preview.json");
        options.seed.required = true;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QSignalSpy updated(panel, &PreviewPanel::updated);
        panel->customTime()->setDateTime(QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC));
        panel->timeChoice()->setCurrentIndex(panel->timeChoice()->findData(-1)); // "At…"
        QVERIFY(updated.wait(20000));
        QTRY_VERIFY(panel->isCurrent());
        QVERIFY2(panel->summary()->text().contains(u"<b>7</b> conversations close either way"_s),
                 qPrintable(panel->summary()->text()));
        QVERIFY(panel->notice()->isHidden());

        const auto saved = readWorkstreams(*m_server->colleague);
        QVERIFY(saved.ok());
        QList<Workstream> edited = saved.value();
        const auto care =
            std::find_if(edited.begin(), edited.end(), [](const Workstream &w) { return w.name == u"Text care"_s; });
        QVERIFY(care != edited.end());
        care->inactivityMinutes = 30;
        panel->setWorkstreams(saved.value(), edited);
        QVERIFY(!panel->isCurrent()); // recounting
        QVERIFY(updated.wait(20000));
        QCOMPARE(updated.last().first().toBool(), true);
        QVERIFY2(panel->summary()->text().contains(u"<b>6</b> conversations close either way"_s) &&
                     panel->summary()->text().contains(u"1 fewer because of your edits"_s),
                 qPrintable(panel->summary()->text()));
        // The configuration whose conversations the edit changes comes first, its workstream's row under it.
        QTableWidget *counts = panel->countsTable();
        QCOMPARE(counts->item(0, 0)->text(), u"SMS · Waiting"_s);
        QCOMPARE(counts->item(0, 5)->text(), u"−1"_s);
        QCOMPARE(counts->item(1, 0)->text().trimmed(), u"↳ Text care"_s);
        QCOMPARE(counts->item(1, 1)->text(), u"1 min"_s);
        QCOMPARE(counts->item(1, 2)->text(), u"30 min"_s);
        QVERIFY(counts->item(1, 2)->font().bold());
        QCOMPARE(counts->item(1, 5)->text(), u"−1"_s);
        // The list is read again after the counts (it may not have started yet when they arrive): the conversation the
        // edit keeps open is listed as no longer closing once it has been read. Before the edit nothing could be.
        const auto categoryOf = [panel](const QString &id) -> std::optional<PreviewRow::Category> {
            for (int row = 0; row < panel->listModel()->rowCount(); ++row) {
                const auto listed = panel->listModel()->rowAt(row);
                if (listed && listed->conversation.id == id)
                    return listed->category;
            }
            return std::nullopt;
        };
        const QString keptOpen = u"c0000000-0000-0000-0000-000000000008"_s;
        QTRY_VERIFY_WITH_TIMEOUT(
            !panel->listModel()->isFetching() && categoryOf(keptOpen) == PreviewRow::Category::NoLongerCloses, 20000);

        // The same values again: nothing to recount.
        panel->setWorkstreams(saved.value(), edited);
        QVERIFY(panel->isCurrent());
    }

    // Workstreams the window cannot read at its first load: the journal may hold edits of them, so the load stops
    // there with a sentence and a Retry, and nothing is judged without them.
    void workstreamsUnreadableAtFirstLoad()
    {
        LocalSandbox::Options options;
        options.seed.file = QFINDTESTDATA("data/seeds/preview.json");
        options.seed.required = true;
        options.faults = u"400:path=msdyn_liveworkstreams"_s;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.show();
        QVERIFY(!load(window));
        const QString banner = GuiTestSupport::bannerText(&window, u"errorBanner"_s);
        QVERIFY2(banner.contains(u"Could not load the workstreams"_s), qPrintable(banner));
        QVERIFY(GuiTestSupport::buttonNamed(&window, u"Retry"_s));
        QCOMPARE(window.workstreamModel()->rowCount(), 0);
        QVERIFY(!window.previewPanel()->isCurrent());
        QVERIFY(!load(window)); // Retry while the workstreams are still refused: refused again, said again
        QVERIFY(GuiTestSupport::bannerText(&window, u"errorBanner"_s).contains(u"Could not load the workstreams"_s));
    }

    // The time choice, custom time, basis, interval and splitter sizes survive a restart through QSettings; what
    // cannot be read is skipped.
    void settingsRoundTrip()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"settings.ini"_s);
        const QDateTime custom = QDateTime(QDate(2027, 2, 3), QTime(4, 5), Qt::UTC);
        QList<int> sizes;
        {
            MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
            window.resize(1280, 800);
            window.show();
            QVERIFY(load(window));
            PreviewPanel *panel = window.previewPanel();
            panel->customTime()->setDateTime(custom.toLocalTime());
            panel->timeChoice()->setCurrentIndex(panel->timeChoice()->findData(-1));
            panel->basisChoice()->setCurrentIndex(1);
            panel->intervalChoice()->setValue(17);
            panel->splitter()->setSizes({300, 600, 340});
            sizes = panel->splitter()->sizes();
            QSettings settings(file, QSettings::IniFormat);
            panel->saveSettings(settings);
        }
        {
            QSettings settings(file, QSettings::IniFormat);
            QCOMPARE(settings.value(u"preview/basis"_s).toString(), u"modified"_s);
            QCOMPARE(settings.value(u"preview/jobInterval"_s).toInt(), 17);
            QCOMPARE(settings.value(u"preview/time"_s).toInt(), -1);
        }
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        PreviewPanel *panel = window.previewPanel();
        panel->restoreSettings(QSettings(file, QSettings::IniFormat));
        window.show();
        QVERIFY(load(window));
        QCOMPARE(panel->timeChoice()->currentData().toInt(), -1);
        QCOMPARE(panel->customTime()->dateTime().toUTC(), custom);
        QVERIFY(panel->customTime()->isVisible());
        QCOMPARE(panel->basisChoice()->currentData().toInt(), int(ClosingRule::Basis::Modified));
        QCOMPARE(panel->intervalChoice()->value(), 17);
        QCOMPARE(panel->splitter()->sizes(), sizes);
        QVERIFY(chartSettles(panel)); // the restored sizes stay when the counts come in
        QCOMPARE(panel->splitter()->sizes(), sizes);

        // A preset time; then values that cannot be read: each is skipped, the rest restored.
        {
            QSettings settings(file, QSettings::IniFormat);
            settings.setValue(u"preview/time"_s, 8 * 60);
            settings.setValue(u"preview/basis"_s, u"touched"_s);
            settings.setValue(u"preview/jobInterval"_s, 0);
            settings.setValue(u"preview/splitter"_s, QByteArray("not a state"));
            settings.setValue(u"preview/customTime"_s, u"soon"_s);
        }
        panel->basisChoice()->setCurrentIndex(0);
        panel->restoreSettings(QSettings(file, QSettings::IniFormat));
        QCOMPARE(panel->timeChoice()->currentData().toInt(), 8 * 60);
        QCOMPARE(panel->basisChoice()->currentData().toInt(), int(ClosingRule::Basis::Created));
        QCOMPARE(panel->intervalChoice()->value(), 17);
        QCOMPARE(panel->splitter()->sizes(), sizes);
        QCOMPARE(panel->customTime()->dateTime().toUTC(), custom);
        {
            QSettings settings(file, QSettings::IniFormat);
            settings.setValue(u"preview/time"_s, 999);
        }
        panel->restoreSettings(QSettings(file, QSettings::IniFormat));
        QCOMPARE(panel->timeChoice()->currentData().toInt(), 8 * 60); // no such choice: kept
        // An empty file restores nothing and changes nothing.
        QTemporaryDir empty;
        panel->restoreSettings(QSettings(empty.filePath(u"none.ini"_s), QSettings::IniFormat));
        QCOMPARE(panel->timeChoice()->currentData().toInt(), 8 * 60);
        QCOMPARE(panel->intervalChoice()->value(), 17);
    }

private:
    std::unique_ptr<SandboxFixture> m_server;
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Translations::install(&app);
    TestPreviewChart test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_previewchart.moc"
