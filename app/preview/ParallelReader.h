#pragma once

#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/NextLinkTrail.h"
#include "app/preview/ClosurePreview.h"
#include "models/Conversation.h"
#include "models/Preview.h"
#include "models/Result.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

// Reads every conversation of one $filter in the order `createdon asc` gives them (ties in the server's key order),
// handing them on a page at a time, in that order, however they were read. A read that spans many pages is split
// into time ranges of createdon that are read side by side — as many requests at once as the transport runs
// (WebApiTransport, four) — and a range that runs ahead of the one being handed on stops after a page or two until
// its turn, so what is held stays the same whatever the size of the read. A small read (under a few pages) is read
// as one query, a page at a time. Destroying the reader cancels it: nothing is called back afterwards.
class ParallelReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParallelReader)
public:
    struct Options
    {
        int pageSize = 5000; // rows per page asked for (the Web API's largest)
        int sequentialBelowPages = 4; // fewer pages expected: one query read a page at a time
        int readAhead = 2; // pages a range ahead of the one being handed on may hold (read or on their way)
        int concurrency = 4; // requests at once: the transport's limit, so that none waits behind a later range
        bool split = true; // false: always one query, a page at a time, nothing counted (for comparisons)
    };
    // What the read cost, for tests and benchmarks.
    struct Stats
    {
        int ranges = 0; // 1 when read as one query
        int pageRequests = 0;
        int countRequests = 0; // counts and $top=1 queries spent choosing the ranges
    };
    using Rows = std::function<void(QList<Conversation> rows)>;

    // filter: a $filter on msdyn_ocliveworkitems, empty for every conversation.
    ParallelReader(DataverseClient *client, QString filter, Options options, QObject *parent = nullptr);
    ~ParallelReader() override;

    // How many rows the filter matches, when a count is at hand (ClosurePreview::countImpact's): spares the reader
    // counting them. A count capped at the aggregate limit is no count: leave it out.
    void setExpectedRows(qint64 rows) { m_expected = rows; }

    // Starts the read: rows is called with each page in order (possibly empty), then done once, with the first
    // error if any (a failed range fails the whole read; the others are dropped). Either may destroy the reader.
    void start(Rows rows, std::function<void(Result<Done>)> done);

    Stats stats() const { return m_stats; }

private:
    // A time range of createdon, [from, to) in seconds since the epoch; the first range has no lower bound (and
    // holds any row without a createdon), the last no upper bound.
    struct Interval
    {
        qint64 from = 0;
        qint64 to = 0;
        qint64 count = 0;
        bool capped = false; // more than the aggregate limit: count is a lower bound
    };
    struct Range
    {
        Interval interval;
        QUrl next; // the next page to read; empty once the last has been read
        bool inFlight = false;
        std::deque<QList<Conversation>> held; // read, waiting for their turn
        NextLinkTrail links; // the range's next links followed so far: a link back ends the read
    };
    void countWhole();
    void decide(qint64 rows, bool capped);
    void findSpan();
    QString clause(const Interval &interval) const;
    void refine(const Interval &interval);
    void plan();
    void readRanges(QList<Range> ranges);
    void pump();
    void request(qsizetype index);
    void deliver();
    void fail(const Error &error);
    void finish(Result<Done> result);

    DataverseClient *m_client;
    QString m_filter;
    Options m_options;
    std::optional<qint64> m_expected;
    Rows m_rows;
    std::function<void(Result<Done>)> m_done;
    QObject *m_requests = nullptr; // the context of every request: deleting it drops their answers
    Stats m_stats;

    // Choosing ranges: the createdon span [m_spanStart, m_spanEnd) in seconds, and the intervals counted so far.
    qint64 m_spanStart = 0;
    qint64 m_spanEnd = 0;
    Interval m_whole;
    QList<Interval> m_leaves;
    int m_counting = 0;

    // Reading: the ranges in order, and the one being handed on.
    QList<Range> m_ranges;
    qsizetype m_current = 0;
    int m_inFlight = 0;
    bool m_finished = false;
};

// The whole closure preview list, configuration after configuration, with exactly the rows Lister::fetchNext gives
// (its filterOf, listedUnder and classify decide), each configuration's list read by a ParallelReader.
class ParallelLister final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParallelLister)
public:
    using Rows = std::function<void(QList<PreviewRow> rows)>;

    ParallelLister(DataverseClient *client, PreviewScenario scenario, ParallelReader::Options options = {},
                   QObject *parent = nullptr);

    // countImpact's counts for this scenario, in its order: how many rows each configuration's list reads, which
    // decides which lists are read in ranges without counting them again.
    void setCounts(const QList<ClosurePreview::Impact> &counts);
    // How many rows a configuration's list reads according to its count: both values' eligible conversations.
    static std::optional<qint64> listedBy(const ClosurePreview::Impact &impact);

    // As ParallelReader::start, with the preview's rows.
    void start(Rows rows, std::function<void(Result<Done>)> done);

    const PreviewScenario &scenario() const { return m_lister.scenario(); }
    // Summed over the configurations read so far.
    ParallelReader::Stats stats() const { return m_stats; }

private:
    void readFrom(qsizetype index);

    DataverseClient *m_client;
    ClosurePreview::Lister m_lister;
    ParallelReader::Options m_options;
    QList<std::optional<qint64>> m_expected;
    Rows m_rows;
    std::function<void(Result<Done>)> m_done;
    QPointer<ParallelReader> m_reader;
    ParallelReader::Stats m_stats;
};
