// The closure preview's list in the real window, offscreen. On a sandbox of several thousand conversations, scrolled
// a screen at a time from the top to the end and back to the top: every row shows the conversation the preview core
// lists there, and the list holds no more than its budget of rows in memory at any time. A count or a read of the
// list that takes more than a second shows a progress bar whose Cancel drops it; a quick one shows none.
#include "GuiTestSupport.h"
#include "PreviewSeed.h"
#include "WindowTestServer.h"
#include "app/preview/ClosurePreview.h"
#include "models/ConfigTableModel.h"
#include "models/PreviewListModel.h"
#include "ui/PreviewPanel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int Conversations = 14000; // about 4,500 listed a week ahead: twice the rows kept in memory

// Every conversation the preview lists for scenario, in its order, read page after page by the preview core.
Result<QStringList> listedIds(DataverseClient *client, const PreviewScenario &scenario)
{
    ClosurePreview::Lister lister(client, scenario);
    QStringList ids;
    while (!lister.atEnd()) {
        std::optional<Result<QList<PreviewRow>>> page;
        QObject context;
        lister.fetchNext(200, &context, [&page](Result<QList<PreviewRow>> rows, bool) { page = std::move(rows); });
        if (!QTest::qWaitFor([&page] { return page.has_value(); }, 20000))
            return Error::badInput(u"a page did not arrive"_s);
        if (!*page)
            return page->error();
        for (const PreviewRow &row : page->value())
            ids << row.conversation.id;
    }
    return ids;
}

// The rows the view shows now: from the first to the last row in its viewport.
std::pair<int, int> shownRows(QTableView *view)
{
    const int first = view->rowAt(0);
    int last = view->rowAt(view->viewport()->height() - 1);
    if (last < 0)
        last = view->model()->rowCount() - 1;
    return {first, last};
}
} // namespace

class TestPreviewList : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The window keeps settings (the export's folder, the panes' sizes): in the tests' own, never the user's.
    void initTestCase() { QCoreApplication::setOrganizationName(u"AutoCloseEditorTests"_s); }
    void cleanup() { m_server.reset(); }

    void scrollsDownAndBackUpWithinItsBudget()
    {
        LocalSandbox::Options options;
        options.seed.conversations = Conversations;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        PreviewListModel *model = panel->listModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView *view = panel->listView();

        // A fixed time a week ahead, whole seconds: the list the test reads itself is the same one.
        const QDateTime at = QDateTime::currentDateTimeUtc().addDays(7);
        const QDateTime fixed(at.date(), QTime(at.time().hour(), at.time().minute(), at.time().second()), Qt::UTC);
        QSignalSpy updated(panel, &PreviewPanel::updated);
        panel->customTime()->setDateTime(fixed.toLocalTime());
        panel->timeChoice()->setCurrentIndex(panel->timeChoice()->findData(-1)); // "At…"
        QVERIFY(updated.wait(20000));
        QTRY_VERIFY(panel->isCurrent());
        // The workstreams time Waiting and Wrap-up conversations, as the window's preview reads them.
        const auto workstreams = readWorkstreams(*m_server->colleague);
        QVERIFY(workstreams.ok());
        const PreviewScenario scenario = PreviewScenario::make(window.model()->configs(), workstreams.value(), {},
                                                               fixed, ClosingRule::Basis::Created);
        const auto expected = listedIds(m_server->colleague.get(), scenario);
        QVERIFY2(expected.ok(), expected.ok() ? "" : qPrintable(expected.error().describe()));
        const QStringList &ids = expected.value();
        QVERIFY2(ids.size() > 2 * model->maxLoadedRows(), qPrintable(QString::number(ids.size())));
        qInfo("%lld conversations listed, at most %d rows in memory", qint64(ids.size()), model->maxLoadedRows());

        QScrollBar *bar = view->verticalScrollBar();
        int steps = 0;
        int mostInMemory = 0;
        // Waits until the rows shown are in memory, then checks each against the list.
        const auto checkScreen = [&]() -> bool {
            QTest::qWait(1); // the view paints and asks for what it shows, as it does between a user's scrolls
            // Not a structured binding: the lambda below captures both, which clang before 16 refuses (C++20 allows
            // it).
            const std::pair<int, int> shown = shownRows(view);
            const int first = shown.first;
            const int last = shown.second;
            if (first < 0)
                return false;
            if (!QTest::qWaitFor(
                    [&] {
                        for (int row = first; row <= last; ++row) {
                            if (!model->rowAt(row))
                                return false;
                        }
                        return true;
                    },
                    20000)) {
                qWarning("rows %d to %d were not read", first, last);
                return false;
            }
            for (int row = first; row <= last; ++row) {
                const QModelIndex index = model->index(row, PreviewListModel::Title);
                if (index.data(PreviewListModel::ActivityIdRole).toString() != ids.value(row) ||
                    index.data().toString().isEmpty() || index.data().toString() == u"Loading…"_s) {
                    qWarning("row %d shows %s, expected %s", row, qPrintable(index.data().toString()),
                             qPrintable(ids.value(row)));
                    return false;
                }
            }
            mostInMemory = std::max(mostInMemory, model->loadedRowCount());
            ++steps;
            return model->loadedRowCount() <= model->maxLoadedRows();
        };

        // Down a screen at a time; at the end the view asks for the next page until there is none.
        QVERIFY(checkScreen());
        while (bar->value() < bar->maximum() || model->canFetchMore({}) || model->isFetching()) {
            bar->setValue(bar->value() + bar->pageStep());
            QVERIFY2(checkScreen(), qPrintable(u"going down, at %1"_s.arg(bar->value())));
        }
        QCOMPARE(model->rowCount(), ids.size());
        // What was shown near the top went long ago (not the first row: the model tester reads it on every change).
        QVERIFY(!model->rowAt(500));
        QVERIFY(model->rowAt(model->rowCount() - 1));
        // And up again: each dropped page is read again as it comes back into view.
        while (bar->value() > bar->minimum()) {
            bar->setValue(bar->value() - bar->pageStep());
            QVERIFY2(checkScreen(), qPrintable(u"going up, at %1"_s.arg(bar->value())));
        }
        QVERIFY(model->rowAt(0) && model->rowAt(500));
        QVERIFY(!model->rowAt(model->rowCount() - 1)); // the end went in turn
        QCOMPARE(model->rowCount(), ids.size()); // no row came or went on the way
        QVERIFY(!model->isStopped());
        qInfo("%d screens checked; at most %d rows (%d pages of %d) in memory at once", steps, mostInMemory,
              model->loadedPageCount(), model->pageCount());
    }

    // A whole preview on the Demo environment answers well within a second: no progress bar flashes. (On a machine
    // so loaded that it takes longer, the bar may show, but never before a second.)
    void quickReadsShowNoProgress()
    {
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QElapsedTimer elapsed;
        qint64 shownAt = -1;
        QTimer watch;
        connect(&watch, &QTimer::timeout, this, [&] {
            if (shownAt < 0 && panel->progress()->isVisible())
                shownAt = elapsed.elapsed();
        });
        watch.start(5);
        QSignalSpy updated(panel, &PreviewPanel::updated);
        QSignalSpy timeline(panel, &PreviewPanel::timelineUpdated);
        elapsed.start();
        panel->update();
        QVERIFY(updated.wait(20000));
        QVERIFY(timeline.count() > 0 || timeline.wait(20000));
        QVERIFY(QTest::qWaitFor(
            [panel] { return panel->listModel()->rowCount() > 0 && !panel->listModel()->isFetching(); }, 20000));
        const qint64 finishedAt = elapsed.elapsed();
        QTest::qWait(1200); // past the progress bar's delay
        qInfo("the preview took %lld ms; the progress bar showed at %lld ms", finishedAt, shownAt);
        QVERIFY(shownAt < 0 || shownAt >= 1000);
        if (finishedAt < 1000)
            QCOMPARE(shownAt, -1);
        QVERIFY(!panel->progress()->isVisible());
    }

    // Counts that take seconds: after a second the progress bar shows with Cancel, which drops them (nothing they
    // answer later reaches the panel) and says how to count again; Recount does.
    void slowCountsShowProgressAndCancel()
    {
        LocalSandbox::Options options;
        // The first conversation reads answer after 3 s (counts, timeline, list alike): they hold the connections.
        options.faults = u"slow:ms=3000:times=8:path=msdyn_ocliveworkitems"_s;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window)); // its preview starts now, and waits
        PreviewPanel *panel = window.previewPanel();
        QSignalSpy updated(panel, &PreviewPanel::updated);
        QElapsedTimer elapsed;
        elapsed.start();
        QVERIFY(!panel->progress()->isVisible());
        QVERIFY(QTest::qWaitFor([panel] { return panel->progress()->isVisible(); }, 3000));
        QVERIFY2(elapsed.elapsed() >= 900, qPrintable(QString::number(elapsed.elapsed()))); // not before a second
        QVERIFY(updated.isEmpty());
        auto *label = panel->findChild<QLabel *>(u"previewProgressLabel"_s);
        QVERIFY(label && label->isVisible());
        QCOMPARE(label->text(), u"Counting…"_s);
        QVERIFY(panel->cancelButton()->isVisible() && panel->cancelButton()->isEnabled());

        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(!panel->progress()->isVisible());
        QCOMPARE(updated.count(), 1);
        QCOMPARE(updated.first().first().toBool(), false);
        QVERIFY2(panel->summary()->text().contains(u"cancelled"_s) && panel->summary()->text().contains(u"Recount"_s),
                 qPrintable(panel->summary()->text()));
        const QString cancelled = panel->summary()->text();
        // The slow replies arrive and are dropped: the panel stays as it was.
        QTest::qWait(3500);
        QCOMPARE(updated.count(), 1);
        QCOMPARE(panel->summary()->text(), cancelled);
        QVERIFY(!panel->progress()->isVisible());
        QVERIFY(!panel->isCurrent());

        // Recount counts again (the server is quick by now).
        panel->update();
        QVERIFY(updated.wait(20000));
        QCOMPARE(updated.last().first().toBool(), true);
        QVERIFY(panel->isCurrent());
        QTRY_VERIFY(!panel->progress()->isVisible());
    }

    // A page of the list that takes seconds: the progress bar says the list is being read; Cancel stops the list
    // (its rows say they were not read) and says how to list again.
    void slowListShowsProgressAndCancel()
    {
        LocalSandbox::Options options;
        // The list's first page, not the counts; long enough for the chart's counts to end before it even on a build
        // with sanitizers, where they take over a second.
        options.faults = u"slow:ms=7000:times=1:query=createdon asc"_s;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QSignalSpy updated(window.previewPanel(), &PreviewPanel::updated);
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QVERIFY(updated.wait(20000)); // the counts are quick
        QCOMPARE(updated.last().first().toBool(), true);
        QVERIFY(panel->listModel()->isFetching());
        QVERIFY(QTest::qWaitFor([panel] { return panel->progress()->isVisible(); }, 3000));
        auto *label = panel->findChild<QLabel *>(u"previewProgressLabel"_s);
        // "Counting…" while the chart's and the waiting counts are still on their way.
        QTRY_COMPARE_WITH_TIMEOUT(label->text(), u"Reading the list…"_s, 5000);
        QVERIFY(panel->listModel()->isFetching());
        QCOMPARE(panel->listModel()->rowCount(), 0);

        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(!panel->progress()->isVisible());
        QVERIFY(panel->listModel()->isStopped());
        QVERIFY(!panel->listModel()->isFetching());
        QVERIFY2(panel->summary()->text().contains(u"Listing cancelled: press List again"_s),
                 qPrintable(panel->summary()->text()));
        QVERIFY(panel->listAgainButton()->isVisible());
        QVERIFY(panel->isCurrent()); // the counts stand
        QTest::qWait(7500); // the page arrives, and is dropped
        QCOMPARE(panel->listModel()->rowCount(), 0);
        QVERIFY(!panel->progress()->isVisible());

        panel->update();
        QVERIFY(updated.wait(20000));
        QTRY_VERIFY(panel->listModel()->rowCount() > 0);
        QVERIFY(!panel->listAgainButton()->isVisible()); // a new preview lists from the start
    }

    void aListThatCouldNotBeReadIsReadAgain()
    {
        // The list's first page is refused once; the counts are not. List again (Alt+L) reads it, and nothing else
        // is counted again.
        LocalSandbox::Options options;
        options.faults = u"400:times=1:query=createdon asc"_s;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy updated(window.previewPanel(), &PreviewPanel::updated);
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QVERIFY(updated.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(panel->listAgainButton()->isVisible(), 20000);
        QVERIFY2(panel->summary()->text().contains(u"Could not list the conversations: "_s) &&
                     panel->summary()->text().contains(u"Press List again to try again."_s),
                 qPrintable(panel->summary()->text()));
        QCOMPARE(panel->listModel()->rowCount(), 0);
        QVERIFY(panel->listModel()->isStopped());
        const int counted = int(updated.size());

        QTest::keyClick(&window, Qt::Key_L, Qt::AltModifier);
        QVERIFY(panel->isCurrent()); // a recount would have cleared it at once
        QTRY_VERIFY_WITH_TIMEOUT(panel->listModel()->rowCount() > 0, 20000);
        QVERIFY(!panel->listModel()->isStopped());
        QVERIFY(!panel->listAgainButton()->isVisible());
        QCOMPARE(int(updated.size()), counted); // the counts were not run again
    }

private:
    std::unique_ptr<SandboxFixture> m_server;
};

QTEST_MAIN(TestPreviewList)
#include "tst_previewlist.moc"
