#include "app/preview/ExactCount.h"

#include "app/dataverse/NextLinkTrail.h"
#include "app/dataverse/ODataQuery.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimeZone>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString Conversations = u"msdyn_ocliveworkitems"_s;
// A refused range is split into this many: the transport runs four requests at once (WebApiTransport), so one
// round of splitting keeps it busy.
constexpr int Parts = 4;
constexpr int IdPage = 5000; // the Web API's largest page (docs/web-api.md)

bool refusedForSize(const WebApiReply::Count &count)
{
    return count.capped; // aggregateCount reports AggregateQueryRecordLimit as a capped count
}

// One countRanges call: every range still being counted adds to the total of the cutoff range it lies in.
class Run : public std::enable_shared_from_this<Run>
{
public:
    Run(DataverseClient *client, ExactCount::Query query, QObject *context, qsizetype ranges,
        std::function<void(Result<QList<ExactCount::Count>>)> done)
        : m_client(client)
        , m_query(std::move(query))
        , m_context(context)
        , m_totals(ranges)
        , m_done(std::move(done))
    { }

    void count(qsizetype slot, const std::optional<QDateTime> &after, const QDateTime &upTo)
    {
        aggregate(slot, filter(after, upTo), 0,
                  [self = shared_from_this(), slot, after, upTo] { self->split(slot, after, upTo); });
    }

    void finishIfIdle()
    {
        if (m_outstanding == 0)
            report(m_totals);
    }

private:
    QString filter(const std::optional<QDateTime> &after, const QDateTime &upTo) const
    {
        const QString timer = m_query.timer(after, upTo);
        return m_query.base.isEmpty() ? timer : m_query.base + u" and "_s + timer;
    }

    void finishOne()
    {
        if (--m_outstanding == 0)
            report(m_totals);
    }

    void fail(const Error &error)
    {
        report(error);
        m_failed = true;
        m_waitingForFloor.clear();
    }

    void report(Result<QList<ExactCount::Count>> result)
    {
        if (m_failed || m_reported)
            return;
        m_reported = true;
        m_done(std::move(result));
    }

    // (after, upTo] holds more rows than the service aggregates: count its parts instead.
    void split(qsizetype slot, const std::optional<QDateTime> &after, const QDateTime &upTo)
    {
        if (after) {
            splitFrom(slot, after, *after, upTo);
            return;
        }
        // No lower bound: the earliest conversation's creation is where time starts. A timer starts at or after
        // its conversation's creation, so ranges from there hold every row; the first range keeps no lower bound
        // all the same, so that a row timed before its creation is still counted.
        // Weak: the waiters are kept by the run itself until the floor arrives.
        withFloor([weak = weak_from_this(), slot, upTo](const QDateTime &floor) {
            if (const auto self = weak.lock())
                self->splitFrom(slot, std::nullopt, std::min(floor.addSecs(-1), upTo.addSecs(-1)), upTo);
        });
    }

    void splitFrom(qsizetype slot, const std::optional<QDateTime> &after, const QDateTime &from, const QDateTime &upTo)
    {
        const qint64 span = from.secsTo(upTo);
        if (span <= 1) {
            // Timers given to the second (the Web API's precision) that all started in one second: time cannot
            // split them, their ids can.
            walkIds(slot, after, upTo, {}, 0, nullptr);
            return;
        }
        const int parts = int(std::min<qint64>(Parts, span));
        std::optional<QDateTime> lower = after;
        for (int i = 1; i <= parts; ++i) {
            const QDateTime bound = i == parts ? upTo : from.addSecs(span * i / parts);
            count(slot, lower, bound);
            lower = bound;
        }
    }

    // The time of the earliest conversation matching the base filter, asked for once per run.
    void withFloor(std::function<void(const QDateTime &)> then)
    {
        if (m_floor.isValid()) {
            then(m_floor);
            return;
        }
        m_waitingForFloor << std::move(then);
        if (m_waitingForFloor.size() > 1)
            return; // already asked
        ++m_outstanding;
        ODataQuery query(Conversations);
        query.select({u"createdon"_s}).orderBy(u"createdon asc"_s).top(1);
        if (!m_query.base.isEmpty())
            query.filter(m_query.base + u" and createdon ne null"_s);
        else
            query.filter(u"createdon ne null"_s);
        auto self = shared_from_this();
        m_client->fetchPage(m_client->apiUrl(query.toString()), 1, m_context, [self](Result<WebApiReply::Page> page) {
            if (self->m_failed)
                return;
            if (!page) {
                self->fail(page.error());
                return;
            }
            const auto &rows = page.value().rows;
            QDateTime floor;
            if (!rows.isEmpty())
                floor = QDateTime::fromString(rows.first().value(u"createdon"_s).toString(), Qt::ISODate);
            // No creation time to start from: a wide span, bisected all the same.
            self->m_floor =
                floor.isValid() ? floor.toUTC() : QDateTime(QDate(1900, 1, 1), QTime(0, 0), QTimeZone::utc());
            const auto waiting = std::exchange(self->m_waitingForFloor, {});
            for (const auto &waiter : waiting)
                waiter(self->m_floor);
            self->finishOne();
        });
    }

    // Counts (after, upTo] by its ids, in the service's order: a page of ids, then whether the rest — the ids after
    // the page's last — is few enough to aggregate; if not, the next page.
    void walkIds(qsizetype slot, const std::optional<QDateTime> &after, const QDateTime &upTo, QUrl next, qint64 soFar,
                 std::shared_ptr<NextLinkTrail> trail)
    {
        ++m_outstanding;
        const bool firstPage = next.isEmpty();
        if (firstPage) {
            next = m_client->apiUrl(ODataQuery(Conversations)
                                        .select({u"activityid"_s})
                                        .filter(filter(after, upTo))
                                        .orderBy(u"activityid asc"_s)
                                        .toString());
            trail = std::make_shared<NextLinkTrail>(next);
        }
        auto self = shared_from_this();
        m_client->fetchPage(next, IdPage, m_context,
                            [self, slot, after, upTo, soFar, firstPage, trail](Result<WebApiReply::Page> page) {
                                if (self->m_failed)
                                    return;
                                ++self->m_totals[slot].requests;
                                if (!page) {
                                    if (page.error().httpStatus == 400 && firstPage) {
                                        // The service will not list these rows by id: what is known is that more than
                                        // the limit remain. (A later page refused is an error like any other: its link
                                        // came from the service.)
                                        self->m_totals[slot].count += soFar + DataverseClient::AggregateLimit;
                                        self->m_totals[slot].capped = true;
                                        self->finishOne();
                                    } else {
                                        self->fail(page.error());
                                    }
                                    return;
                                }
                                const qint64 counted = soFar + page.value().rows.size();
                                const QUrl following = page.value().nextLink;
                                if (following.isEmpty() || page.value().rows.isEmpty()) {
                                    self->m_totals[slot].count += counted;
                                    self->finishOne();
                                    return;
                                }
                                if (auto refused = trail->follow(
                                        following, QCoreApplication::translate("ExactCount", "conversations"))) {
                                    self->fail(*refused);
                                    return;
                                }
                                const QString lastId = page.value().rows.last().value(u"activityid"_s).toString();
                                self->countRest(slot, after, upTo, lastId, following, counted, trail);
                                self->finishOne();
                            });
    }

    void countRest(qsizetype slot, const std::optional<QDateTime> &after, const QDateTime &upTo, const QString &lastId,
                   const QUrl &following, qint64 soFar, std::shared_ptr<NextLinkTrail> trail)
    {
        aggregate(slot, filter(after, upTo) + u" and activityid gt "_s + lastId, soFar,
                  [self = shared_from_this(), slot, after, upTo, following, soFar, trail] {
                      self->walkIds(slot, after, upTo, following, soFar, trail);
                  });
    }

    // One $apply count for slot: its rows and plus are added to the slot's total, or refused() is called when the
    // service refuses it for size.
    void aggregate(qsizetype slot, const QString &rows, qint64 plus, std::function<void()> refused)
    {
        ++m_outstanding;
        auto self = shared_from_this();
        m_client->aggregateCount(Conversations, rows, m_context,
                                 [self, slot, plus, refused = std::move(refused)](Result<WebApiReply::Count> counted) {
                                     if (self->m_failed)
                                         return;
                                     if (!counted) {
                                         self->fail(counted.error());
                                         return;
                                     }
                                     ++self->m_totals[slot].requests;
                                     if (refusedForSize(counted.value()))
                                         refused();
                                     else
                                         self->m_totals[slot].count += plus + counted.value().count;
                                     self->finishOne();
                                 });
    }

    DataverseClient *m_client;
    ExactCount::Query m_query;
    QPointer<QObject> m_context;
    QList<ExactCount::Count> m_totals;
    std::function<void(Result<QList<ExactCount::Count>>)> m_done;
    qsizetype m_outstanding = 0;
    bool m_failed = false;
    bool m_reported = false;
    QDateTime m_floor;
    QList<std::function<void(const QDateTime &)>> m_waitingForFloor;
};
} // namespace

void ExactCount::countRanges(DataverseClient *client, const Query &query, const QList<QDateTime> &upTo,
                             QObject *context, std::function<void(Result<QList<Count>>)> done)
{
    auto run = std::make_shared<Run>(client, query, context, upTo.size(), std::move(done));
    std::optional<QDateTime> after;
    for (qsizetype i = 0; i < upTo.size(); ++i) {
        run->count(i, after, upTo.at(i));
        after = upTo.at(i);
    }
    run->finishIfIdle(); // no ranges
}

QString ExactCount::cappedReason()
{
    return QCoreApplication::translate("ExactCount",
                                       "More than 50,000 of these conversations started their timer in the same "
                                       "second (as after a bulk import) and the environment would not list them by "
                                       "id, so the count is a lower bound. Their list below is complete; export it "
                                       "to count them.");
}
