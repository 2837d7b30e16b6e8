// PreviewListModel on pages the test holds: the list grows by fetchMore, keeps only its row budget in memory, reads a
// dropped page again when one of its rows is shown (a placeholder until then), follows a page whose rows changed on
// the server, stops on an error or cancel() until retry(), and drops the reads of a previous list. Every test runs
// under QAbstractItemModelTester.
#include "models/PreviewListModel.h"

#include <QAbstractItemModelTester>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

PreviewRow row(const QString &id)
{
    PreviewRow r;
    r.conversation.id = id;
    r.conversation.title = id;
    r.conversation.createdOn = QDateTime(QDate(2026, 3, 1), QTime(10, 0), Qt::UTC);
    r.eligibleSince = r.conversation.createdOn;
    return r;
}

// The server's pages: page p is the rows of pages[p], its cursor is p. Answers from the event loop (tied to the
// context, as a real reply is), at once, or when released; counts the reads of each page.
class FakePages final : public PreviewListModel::PageSource
{
public:
    enum class Answer { Later, AtOnce, Held };

    // pages of size rows each, named "p<page>r<row>".
    FakePages(int count, int size)
    {
        for (int p = 0; p < count; ++p) {
            QList<PreviewRow> page;
            for (int r = 0; r < size; ++r)
                page << row(u"p%1r%2"_s.arg(p).arg(r));
            pages << page;
        }
    }

    QVariant first() const override { return pages.isEmpty() ? QVariant() : QVariant(0); }

    void fetch(const QVariant &cursor, QObject *context, std::function<void(Result<Page>)> done) override
    {
        const int page = cursor.toInt();
        reads << page;
        auto answer = [this, page, done] {
            if (failing.contains(page)) {
                done(Error::badInput(u"page %1 failed"_s.arg(page)));
                return;
            }
            done(Page {pages.at(page), page + 1 < pages.size() ? QVariant(page + 1) : QVariant()});
        };
        if (mode == Answer::AtOnce)
            answer();
        else if (mode == Answer::Held)
            held << std::pair {QPointer<QObject>(context), answer};
        else
            QTimer::singleShot(0, context, answer);
    }

    // Answers every held read whose context is still there; how many were answered.
    int release()
    {
        int answered = 0;
        for (const auto &[context, answer] : std::exchange(held, {})) {
            if (context) {
                answer();
                ++answered;
            }
        }
        return answered;
    }

    int readsOf(int page) const { return int(reads.count(page)); }

    QList<QList<PreviewRow>> pages;
    QSet<int> failing;
    Answer mode = Answer::Later;
    QList<int> reads;
    QList<std::pair<QPointer<QObject>, std::function<void()>>> held;
};

QString title(const PreviewListModel &model, int row)
{
    return model.index(row, PreviewListModel::Title).data().toString();
}

// Asks for the next page until the list has them all, as a view scrolled to its end does.
bool readToTheEnd(PreviewListModel &model)
{
    return QTest::qWaitFor(
        [&model] {
            model.fetchMore({});
            return !model.canFetchMore({}) && !model.isFetching();
        },
        5000);
}

// Shows a row as a view does (data()), then waits until its page is in memory and the row reads as expected.
bool shows(PreviewListModel &model, int row, const QString &expected)
{
    (void)title(model, row);
    return QTest::qWaitFor([&] { return model.rowAt(row) && title(model, row) == expected; }, 5000);
}
} // namespace

class TestPreviewListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<PreviewListModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    // The list grows a page at a time as the view asks; past the budget the least recently shown pages go, their
    // rows keeping their places.
    void growsWithinItsBudget()
    {
        auto pages = std::make_shared<FakePages>(10, 4);
        m_model->setMaxLoadedRows(12); // three pages
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->restart({}, pages);
        QCOMPARE(m_model->rowCount(), 0);
        m_model->fetchMore({}); // the tester may have asked already, as a view does on a reset
        QVERIFY(m_model->isFetching());
        QVERIFY(!m_model->canFetchMore({})); // one page at a time
        QTRY_VERIFY(m_model->rowCount() >= 4); // the first page (the tester asks for more on each insertion)
        QCOMPARE(m_model->rowCount() % 4, 0);
        QVERIFY(readToTheEnd(*m_model));
        QCOMPARE(m_model->rowCount(), 40);
        QCOMPARE(m_model->pageCount(), 10);
        QVERIFY(inserted.count() >= 10); // a page per insertion (and no more rows than the pages have)
        QVERIFY2(m_model->loadedRowCount() <= 12, qPrintable(QString::number(m_model->loadedRowCount())));
        QVERIFY(m_model->loadedPageCount() <= 3);
        // The last page is the last read: in memory. A page in the middle is not, and its rows keep their places.
        QVERIFY(m_model->rowAt(39));
        QCOMPARE(m_model->rowAt(39)->conversation.id, u"p9r3"_s);
        QVERIFY(!m_model->rowAt(20));
        QCOMPARE(m_model->index(20, PreviewListModel::ActivityIdRole).data(PreviewListModel::ActivityIdRole),
                 QVariant());
        for (int p = 1; p < 10; ++p)
            QCOMPARE(pages->readsOf(p), 1); // each page appended once (page 0 may be read again for the tester)
    }

    // A dropped row shows "Loading…", has its page read again, and then shows its data (dataChanged says so).
    void droppedRowIsReadAgainWhenShown()
    {
        auto pages = std::make_shared<FakePages>(10, 4);
        m_model->setMaxLoadedRows(12);
        m_model->restart({}, pages);
        QVERIFY(readToTheEnd(*m_model));
        QVERIFY(!m_model->rowAt(21));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy fetching(m_model.get(), &PreviewListModel::fetchingChanged);
        QCOMPARE(title(*m_model, 21), u"Loading…"_s);
        QCOMPARE(m_model->index(21, PreviewListModel::Age).data(), QVariant()); // only the first column says it
        QVERIFY(m_model->isFetching());
        QVERIFY(shows(*m_model, 21, u"p5r1"_s));
        QCOMPARE(pages->readsOf(5), 2);
        const auto covers = [&changed](int row) {
            return std::any_of(changed.begin(), changed.end(), [row](const QList<QVariant> &args) {
                return args.at(0).toModelIndex().row() <= row && row <= args.at(1).toModelIndex().row() &&
                    args.at(0).toModelIndex().column() == 0 &&
                    args.at(1).toModelIndex().column() == PreviewListModel::ColumnCount - 1;
            });
        };
        QVERIFY(covers(20) && covers(23));
        QVERIFY(fetching.count() >= 2 && fetching.first().first().toBool() && !fetching.last().first().toBool());
        QCOMPARE(m_model->rowCount(), 40);
        QVERIFY(m_model->loadedRowCount() <= 12);
        // Shown again while it is in memory: not read again.
        QCOMPARE(title(*m_model, 22), u"p5r2"_s);
        QTest::qWait(20);
        QCOMPARE(pages->readsOf(5), 2);
    }

    // Down to the end and back up to the top, each row shown in turn as a view scrolling a screen of five rows
    // would: every row reads right, the budget holds at every step, and a page is read again only once it went.
    void everyRowRightDownAndUp()
    {
        auto pages = std::make_shared<FakePages>(25, 8);
        m_model->setMaxLoadedRows(24);
        m_model->restart({}, pages);
        QVERIFY(readToTheEnd(*m_model));
        const int rows = m_model->rowCount();
        QCOMPARE(rows, 200);
        QList<int> order;
        for (int r = 0; r < rows; ++r)
            order << r;
        for (int r = rows - 1; r >= 0; --r)
            order << r;
        for (int r : order) {
            // A screen of five rows from r: all of them shown.
            for (int s = r; s < std::min(rows, r + 5); ++s)
                QVERIFY2(shows(*m_model, s, u"p%1r%2"_s.arg(s / 8).arg(s % 8)), qPrintable(QString::number(s)));
            QVERIFY2(m_model->loadedRowCount() <= 24, qPrintable(QString::number(m_model->loadedRowCount())));
        }
        // Down: each page read once more at most than it was appended; up again: once more.
        for (int p = 1; p < 25; ++p)
            QVERIFY2(pages->readsOf(p) <= 3, qPrintable(u"page %1: %2 reads"_s.arg(p).arg(pages->readsOf(p))));
    }

    // A page read again that gained rows on the server: they are inserted at its end and the rows after it move.
    void refetchedPageGainedRows()
    {
        auto pages = std::make_shared<FakePages>(6, 4);
        m_model->setMaxLoadedRows(8);
        m_model->restart({}, pages);
        QVERIFY(readToTheEnd(*m_model));
        QVERIFY(!m_model->rowAt(9)); // page 2
        pages->pages[2] << row(u"new1"_s) << row(u"new2"_s);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QVERIFY(shows(*m_model, 9, u"p2r1"_s));
        QCOMPARE(m_model->rowCount(), 26);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 12);
        QCOMPARE(inserted.first().at(2).toInt(), 13);
        QCOMPARE(title(*m_model, 12), u"new1"_s);
        QCOMPARE(title(*m_model, 13), u"new2"_s);
        // The rows after it moved by two, and read right from their own pages.
        QVERIFY(shows(*m_model, 14, u"p3r0"_s));
        QVERIFY(shows(*m_model, 25, u"p5r3"_s));
        QVERIFY(shows(*m_model, 0, u"p0r0"_s));
    }

    // A page read again that lost rows: they are removed from its end; a page left with none keeps no row.
    void refetchedPageLostRows()
    {
        auto pages = std::make_shared<FakePages>(6, 4);
        m_model->setMaxLoadedRows(8);
        m_model->restart({}, pages);
        QVERIFY(readToTheEnd(*m_model));
        pages->pages[1].resize(1);
        pages->pages[2].clear();
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QVERIFY(shows(*m_model, 4, u"p1r0"_s));
        QVERIFY(!removed.isEmpty());
        QCOMPARE(removed.first().at(1).toInt(), 5);
        QCOMPARE(removed.first().at(2).toInt(), 7);
        // Page 2 now starts at row 5: shown, it is read, and its rows go (the tester may have shown it already).
        (void)title(*m_model, 5);
        QTRY_COMPARE(m_model->rowCount(), 17);
        QCOMPARE(removed.count(), 2);
        QCOMPARE(removed.at(1).at(1).toInt(), 5);
        QCOMPARE(removed.at(1).at(2).toInt(), 8);
        QVERIFY(shows(*m_model, 5, u"p3r0"_s));
        QVERIFY(shows(*m_model, 16, u"p5r3"_s));
        QVERIFY(shows(*m_model, 3, u"p0r3"_s));
    }

    // Empty pages (a configuration's rows all listed under an earlier one) are read through: one fetchMore inserts
    // the next rows there are.
    void emptyPagesAreReadThrough()
    {
        auto pages = std::make_shared<FakePages>(5, 3);
        pages->pages[1].clear();
        pages->pages[2].clear();
        m_model->restart({}, pages);
        QVERIFY(readToTheEnd(*m_model));
        QCOMPARE(m_model->rowCount(), 9);
        QCOMPARE(m_model->pageCount(), 3); // the empty ones are not kept
        QCOMPARE(title(*m_model, 3), u"p3r0"_s);
    }

    // A source that answers at once is read from the event loop all the same, never inside data() or fetchMore().
    void answersAtOnce()
    {
        auto pages = std::make_shared<FakePages>(6, 4);
        pages->mode = FakePages::Answer::AtOnce;
        m_model->setMaxLoadedRows(8);
        m_model->restart({}, pages);
        m_model->fetchMore({});
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(readToTheEnd(*m_model));
        QCOMPARE(m_model->rowCount(), 24);
        QCOMPARE(title(*m_model, 5), u"Loading…"_s);
        QVERIFY(shows(*m_model, 5, u"p1r1"_s));
    }

    // A failed read stops the reading: the rows not in memory say so and are not asked for again until retry().
    void failureStopsUntilRetry()
    {
        auto pages = std::make_shared<FakePages>(6, 4);
        m_model->setMaxLoadedRows(8);
        m_model->restart({}, pages);
        QVERIFY(readToTheEnd(*m_model));
        pages->failing << 1;
        QSignalSpy failed(m_model.get(), &PreviewListModel::readFailed);
        (void)title(*m_model, 5);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().value<Error>().userMessage.contains(u"page 1 failed"_s));
        QVERIFY(m_model->isStopped());
        QVERIFY(!m_model->isFetching());
        QCOMPARE(title(*m_model, 5), u"Not loaded"_s);
        QVERIFY(m_model->index(5, PreviewListModel::Title).data(Qt::ToolTipRole).toString().contains(u"Recount"_s));
        QCOMPARE(title(*m_model, 9), u"Not loaded"_s); // another dropped page: not read while stopped either
        const int reads = int(pages->reads.size());
        QTest::qWait(50);
        QCOMPARE(pages->reads.size(), reads);
        QCOMPARE(failed.count(), 1);

        pages->failing.clear();
        m_model->retry();
        QVERIFY(!m_model->isStopped());
        QVERIFY(shows(*m_model, 5, u"p1r1"_s));
        QVERIFY(shows(*m_model, 9, u"p2r1"_s));
    }

    // A failed append stops the list growing until retry().
    void failedAppendStops()
    {
        auto pages = std::make_shared<FakePages>(4, 4);
        pages->failing << 2;
        m_model->restart({}, pages);
        QSignalSpy failed(m_model.get(), &PreviewListModel::readFailed);
        m_model->fetchMore({});
        QVERIFY(failed.wait(5000));
        QCOMPARE(m_model->rowCount(), 8);
        QVERIFY(!m_model->canFetchMore({}));
        pages->failing.clear();
        m_model->retry();
        QVERIFY(readToTheEnd(*m_model));
        QCOMPARE(m_model->rowCount(), 16);
    }

    // cancel() drops the reads in flight: their answers never arrive, and nothing is read until retry().
    void cancelDropsReadsInFlight()
    {
        auto pages = std::make_shared<FakePages>(6, 4);
        m_model->setMaxLoadedRows(8);
        m_model->restart({}, pages);
        QVERIFY(readToTheEnd(*m_model));
        pages->mode = FakePages::Answer::Held;
        (void)title(*m_model, 5);
        QTRY_VERIFY(!pages->held.isEmpty());
        QVERIFY(m_model->isFetching());
        QSignalSpy fetching(m_model.get(), &PreviewListModel::fetchingChanged);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->cancel();
        QVERIFY(!m_model->isFetching());
        QCOMPARE(fetching.count(), 1);
        QCOMPARE(fetching.first().first().toBool(), false);
        QVERIFY(!changed.isEmpty()); // "Loading…" became "Not loaded"
        QCOMPARE(title(*m_model, 5), u"Not loaded"_s);
        QCOMPARE(pages->release(), 0); // dropped with its context
        QVERIFY(!m_model->rowAt(5));
        QTest::qWait(20);
        QVERIFY(pages->held.isEmpty());

        pages->mode = FakePages::Answer::Later;
        m_model->retry();
        QVERIFY(shows(*m_model, 5, u"p1r1"_s));
    }

    // A new list drops the reads of the previous one.
    void restartDropsOldReads()
    {
        auto old = std::make_shared<FakePages>(3, 4);
        old->mode = FakePages::Answer::Held;
        m_model->restart({}, old);
        m_model->fetchMore({});
        QTRY_VERIFY(!old->held.isEmpty());
        auto fresh = std::make_shared<FakePages>(2, 2);
        m_model->restart({}, fresh);
        QCOMPARE(old->release(), 0);
        QVERIFY(readToTheEnd(*m_model));
        QCOMPARE(m_model->rowCount(), 4);
        QCOMPARE(title(*m_model, 0), u"p0r0"_s);
        m_model->clear();
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->canFetchMore({}));
    }

private:
    std::unique_ptr<PreviewListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(TestPreviewListModel)
#include "tst_previewlistmodel.moc"
