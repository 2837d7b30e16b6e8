// The closure preview's list in the real window, offscreen, on a sandbox of several thousand conversations: scrolled
// a screen at a time from the top to the end and back to the top, every row shows the conversation the preview core
// lists there, and the list holds no more than its budget of rows in memory at any time.
#include "GuiTestSupport.h"
#include "WindowTestServer.h"
#include "app/preview/ClosurePreview.h"
#include "models/ConfigTableModel.h"
#include "models/PreviewListModel.h"
#include "ui/PreviewPanel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

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
    void initTestCase()
    {
        LocalSandbox::Options options;
        options.seed.conversations = Conversations;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
    }
    void cleanupTestCase() { m_server.reset(); }

    void scrollsDownAndBackUpWithinItsBudget()
    {
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
        const PreviewScenario scenario =
            PreviewScenario::make(window.model()->configs(), {}, fixed, ClosingRule::Basis::Created);
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
            const auto [first, last] = shownRows(view);
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

private:
    std::unique_ptr<SandboxFixture> m_server;
};

QTEST_MAIN(TestPreviewList)
#include "tst_previewlist.moc"
