#include "app/preview/ParallelReader.h"

#include "app/dataverse/ODataQuery.h"

#include <QCoreApplication>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

// How the ranges are chosen. The list is ordered by createdon, so a range is a span of createdon: [from, to) in whole
// seconds, and rows of one second never straddle two ranges (their order by key stays within one read). Splitting the
// span into equal times would not do: conversations are far from even in time (the demo's ages are spread on a log
// scale, real ones follow office hours), and an unequal split leaves one range reading while the others wait. So the
// span (two $top=1 queries) is split by counts: an interval holding more than a range's worth (readAhead pages) is cut
// into equal times (as many parts as ranges it holds, at most 16, and 16 when its count is refused for size) and each
// part counted (but the last, which is what the others leave), until every piece holds at most a range or lasts one
// second. Neighbouring pieces are
// then put together into ranges of at most `readAhead` pages, so that a range ahead of its turn is read whole before it
// has to stop: the ranges read side by side and the reader is never held up by one range. The counts are aggregates the
// service answers quickly; they cost about one request per range read.
namespace {
const QString Conversations = u"msdyn_ocliveworkitems"_s;
constexpr int MaxParts = 16;

QString at(qint64 seconds)
{
    return ODataLiteral::dateTime(QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc()));
}

QString allOf(const QString &filter, const QString &clause)
{
    if (clause.isEmpty())
        return filter;
    if (filter.isEmpty())
        return clause;
    return u"("_s + filter + u") and "_s + clause;
}
} // namespace

ParallelReader::ParallelReader(DataverseClient *client, QString filter, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_filter(std::move(filter))
    , m_options(options)
    , m_requests(new QObject(this))
{
    m_options.pageSize = std::clamp(m_options.pageSize, 1, 5000);
    m_options.readAhead = std::max(1, m_options.readAhead);
    m_options.concurrency = std::max(1, m_options.concurrency);
}

ParallelReader::~ParallelReader() = default;

void ParallelReader::start(Rows rows, std::function<void(Result<Done>)> done)
{
    m_rows = std::move(rows);
    m_done = std::move(done);
    if (!m_options.split)
        readRanges({Range {}});
    else if (m_expected)
        decide(*m_expected, false);
    else
        countWhole();
}

void ParallelReader::countWhole()
{
    ++m_stats.countRequests;
    m_client->aggregateCount(Conversations, m_filter, m_requests, [this](Result<WebApiReply::Count> counted) {
        if (m_finished)
            return; // an answer that was on its way when the read failed: nothing more is asked
        if (!counted)
            fail(counted.error());
        else
            decide(counted.value().count, counted.value().capped);
    });
}

void ParallelReader::decide(qint64 rows, bool capped)
{
    if (!capped && rows < qint64(m_options.sequentialBelowPages) * m_options.pageSize) {
        readRanges({Range {}}); // one query, as Lister reads it
        return;
    }
    m_whole = Interval {0, 0, rows, capped};
    findSpan();
}

void ParallelReader::findSpan()
{
    struct Span
    {
        std::optional<QDateTime> first;
        std::optional<QDateTime> last;
        int answers = 0;
    };
    auto span = std::make_shared<Span>();
    for (const bool ascending : {true, false}) {
        ++m_stats.countRequests;
        const QString query = ODataQuery(Conversations)
                                  .select({u"createdon"_s})
                                  .filter(allOf(m_filter, u"createdon ne null"_s))
                                  .orderBy(ascending ? u"createdon asc"_s : u"createdon desc"_s)
                                  .top(1)
                                  .toString();
        m_client->fetchPage(
            m_client->apiUrl(query), 1, m_requests, [this, span, ascending](Result<WebApiReply::Page> page) {
                if (m_finished)
                    return;
                if (!page) {
                    fail(page.error());
                    return;
                }
                if (!page.value().rows.isEmpty()) {
                    const QDateTime time =
                        QDateTime::fromString(page.value().rows.first().value(u"createdon"_s).toString(), Qt::ISODate);
                    if (time.isValid())
                        (ascending ? span->first : span->last) = time.toUTC();
                }
                if (++span->answers < 2)
                    return;
                if (!span->first || !span->last || *span->last <= *span->first) {
                    readRanges({Range {}}); // nothing to split by
                    return;
                }
                m_spanStart = span->first->toSecsSinceEpoch();
                m_spanEnd = span->last->toSecsSinceEpoch() + 1;
                m_whole.from = m_spanStart;
                m_whole.to = m_spanEnd;
                refine(m_whole);
                if (m_counting == 0)
                    plan();
            });
    }
}

QString ParallelReader::clause(const Interval &interval) const
{
    const bool openBelow = interval.from <= m_spanStart;
    const bool openAbove = interval.to >= m_spanEnd;
    if (openBelow && openAbove)
        return {};
    // Rows without a createdon come first in ascending order: the first range holds them.
    if (openBelow)
        return u"(createdon eq null or createdon lt %1)"_s.arg(at(interval.to));
    if (openAbove)
        return u"createdon ge %1"_s.arg(at(interval.from));
    return u"createdon ge %1 and createdon lt %2"_s.arg(at(interval.from), at(interval.to));
}

void ParallelReader::refine(const Interval &interval)
{
    // A piece may hold as much as a range: counting finer would only be joined again by plan().
    const qint64 leafRows = qint64(m_options.readAhead) * m_options.pageSize;
    const qint64 seconds = interval.to - interval.from;
    if ((!interval.capped && interval.count <= leafRows) || seconds <= 1) {
        m_leaves << interval;
        return;
    }
    const qint64 wanted = interval.capped ? MaxParts : (interval.count + leafRows - 1) / leafRows;
    const qint64 parts = std::min<qint64>(std::clamp<qint64>(wanted, 2, MaxParts), seconds);
    const auto partOf = [&interval, seconds, parts](qint64 i) {
        return Interval {interval.from + seconds * i / parts, interval.from + seconds * (i + 1) / parts, 0, false};
    };
    // With the whole counted exactly, the last part is what the others leave: one request fewer per split.
    struct Split
    {
        Interval last;
        qint64 rest = 0;
        qint64 waiting = 0;
        bool known = true;
    };
    const bool derive = !interval.capped;
    auto split = std::make_shared<Split>(Split {partOf(parts - 1), interval.count, parts - 1, true});
    for (qint64 i = 0; i < (derive ? parts - 1 : parts); ++i) {
        ++m_counting;
        ++m_stats.countRequests;
        Interval part = partOf(i);
        m_client->aggregateCount(Conversations, allOf(m_filter, clause(part)), m_requests,
                                 [this, part, split, derive](Result<WebApiReply::Count> counted) mutable {
                                     if (m_finished)
                                         return;
                                     if (!counted) {
                                         fail(counted.error());
                                         return;
                                     }
                                     part.count = counted.value().count;
                                     part.capped = counted.value().capped;
                                     refine(part);
                                     if (derive) {
                                         split->rest -= part.count;
                                         split->known = split->known && !part.capped;
                                         if (--split->waiting == 0) {
                                             // Rows added meanwhile can leave the rest unknown: then it is split blind,
                                             // as a refused count.
                                             split->last.count = std::max<qint64>(0, split->rest);
                                             split->last.capped = !split->known || split->rest < 0;
                                             refine(split->last);
                                         }
                                     }
                                     if (--m_counting == 0)
                                         plan();
                                 });
    }
}

void ParallelReader::plan()
{
    std::sort(m_leaves.begin(), m_leaves.end(), [](const Interval &a, const Interval &b) { return a.from < b.from; });
    const qint64 rangeRows = qint64(m_options.readAhead) * m_options.pageSize;
    QList<Range> ranges;
    for (const Interval &leaf : std::as_const(m_leaves)) {
        Interval *last = ranges.isEmpty() ? nullptr : &ranges.last().interval;
        if (last && !last->capped && !leaf.capped && last->count + leaf.count <= rangeRows) {
            last->to = leaf.to;
            last->count += leaf.count;
        } else {
            ranges << Range {leaf, {}, false, {}, NextLinkTrail()};
        }
    }
    m_leaves.clear();
    if (ranges.size() < 2) {
        readRanges({Range {}});
        return;
    }
    // The pieces tile the span; the first and last ranges stay open beyond it, for rows outside it.
    ranges.first().interval.from = m_spanStart;
    ranges.last().interval.to = m_spanEnd;
    readRanges(std::move(ranges));
}

void ParallelReader::readRanges(QList<Range> ranges)
{
    for (Range &range : ranges) {
        ODataQuery query(Conversations);
        query.select(DataverseClient::conversationColumns());
        if (const QString filter = allOf(m_filter, clause(range.interval)); !filter.isEmpty())
            query.filter(filter);
        range.next = m_client->apiUrl(query.orderBy(u"createdon asc"_s).toString());
        range.links = NextLinkTrail(range.next);
    }
    m_ranges = std::move(ranges);
    m_stats.ranges = int(m_ranges.size());
    m_current = 0;
    pump();
}

void ParallelReader::pump()
{
    if (m_finished)
        return;
    // What the ranges ahead of the current one hold, read or on their way: at most readAhead pages each and
    // (concurrency - 1) × readAhead in all, however many ranges there are.
    const int budget = (m_options.concurrency - 1) * m_options.readAhead;
    int ahead = 0;
    for (qsizetype i = m_current + 1; i < m_ranges.size(); ++i)
        ahead += int(m_ranges.at(i).held.size()) + (m_ranges.at(i).inFlight ? 1 : 0);
    for (qsizetype i = m_current; i < m_ranges.size() && m_inFlight < m_options.concurrency; ++i) {
        const Range &range = m_ranges.at(i);
        if (range.inFlight || range.next.isEmpty())
            continue;
        if (i > m_current) {
            if (int(range.held.size()) >= m_options.readAhead)
                continue;
            if (ahead >= budget)
                break;
            ++ahead;
        }
        request(i);
    }
}

void ParallelReader::request(qsizetype index)
{
    m_ranges[index].inFlight = true;
    ++m_inFlight;
    ++m_stats.pageRequests;
    m_client->fetchConversationPage(
        m_ranges[index].next, m_options.pageSize, m_requests,
        [this, index](Result<DataverseClient::ConversationPage> page) {
            if (m_finished)
                return;
            Range &range = m_ranges[index];
            range.inFlight = false;
            --m_inFlight;
            if (!page) {
                fail(page.error());
                return;
            }
            range.next = page.value().next;
            if (!range.next.isEmpty()) {
                if (auto refused = range.links.follow(range.next,
                                                      QCoreApplication::translate("ParallelReader", "conversations"))) {
                    fail(*refused);
                    return;
                }
            }
            range.held.push_back(std::move(page.value().rows));
            deliver();
        });
}

void ParallelReader::deliver()
{
    const QPointer<ParallelReader> alive(this);
    while (m_current < m_ranges.size()) {
        Range &range = m_ranges[m_current];
        while (!range.held.empty()) {
            QList<Conversation> rows = std::move(range.held.front());
            range.held.pop_front();
            m_rows(std::move(rows));
            if (!alive || m_finished)
                return;
        }
        if (range.inFlight || !range.next.isEmpty())
            break;
        ++m_current;
    }
    if (m_current == m_ranges.size())
        finish(Done {});
    else
        pump();
}

void ParallelReader::fail(const Error &error)
{
    finish(error);
}

void ParallelReader::finish(Result<Done> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_ranges.clear(); // the pages held by other ranges are dropped with them
    m_requests->deleteLater(); // and the answers still on their way
    const auto done = std::move(m_done);
    done(std::move(result)); // last: it may destroy this reader
}

ParallelLister::ParallelLister(DataverseClient *client, PreviewScenario scenario, ParallelReader::Options options,
                               QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_lister(client, std::move(scenario))
    , m_options(options)
{
    m_expected.resize(m_lister.scenario().saved.size());
}

std::optional<qint64> ParallelLister::listedBy(const ClosurePreview::Impact &impact)
{
    // The list reads, per part of the configuration, up to the later of its two cutoffs: everything either value
    // closes. The parts are disjoint, so this is the sum of the three counts.
    if (impact.capped)
        return std::nullopt;
    return impact.closesUnderBoth + impact.newlyCloses + impact.noLongerCloses;
}

void ParallelLister::setCounts(const QList<ClosurePreview::Impact> &counts)
{
    for (qsizetype i = 0; i < m_expected.size(); ++i) {
        const ClosurePreview::Impact *impact = i < counts.size() ? &counts.at(i) : nullptr;
        m_expected[i] =
            impact && impact->configurationId == m_lister.scenario().saved.at(i).id ? listedBy(*impact) : std::nullopt;
    }
}

void ParallelLister::start(Rows rows, std::function<void(Result<Done>)> done)
{
    m_rows = std::move(rows);
    m_done = std::move(done);
    readFrom(0);
}

void ParallelLister::readFrom(qsizetype index)
{
    std::optional<QString> filter;
    for (; index < m_expected.size(); ++index) {
        filter = m_lister.filterOf(index);
        if (filter)
            break;
    }
    if (!filter) {
        const auto done = std::move(m_done);
        done(Done {});
        return;
    }
    auto *reader = new ParallelReader(m_client, *filter, m_options, this);
    m_reader = reader;
    if (m_expected.at(index))
        reader->setExpectedRows(*m_expected.at(index));
    reader->start(
        [this, index](QList<Conversation> read) {
            QList<PreviewRow> rows = m_lister.rowsOf(read, index);
            if (!rows.isEmpty())
                m_rows(std::move(rows));
        },
        [this, reader, index](Result<Done> result) {
            const ParallelReader::Stats stats = reader->stats();
            m_stats.ranges += stats.ranges;
            m_stats.pageRequests += stats.pageRequests;
            m_stats.countRequests += stats.countRequests;
            reader->deleteLater();
            if (!result) {
                const auto done = std::move(m_done);
                done(result.error());
                return;
            }
            readFrom(index + 1);
        });
}
