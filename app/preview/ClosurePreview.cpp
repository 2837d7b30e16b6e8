#include "app/preview/ClosurePreview.h"

#include "app/dataverse/ODataQuery.h"
#include "app/preview/ExactCount.h"
#include "models/MicrosoftDefaults.h"

#include <QHash>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QString Conversations = u"msdyn_ocliveworkitems"_s;

// "The timer of a conversation in this state started in (after, upTo]", as ClosingRule::timerStart reads it: a
// column, and for Wrap-up and the modified basis the column used when that one is empty.
ExactCount::TimerClause timerClause(int state, ClosingRule::Basis basis)
{
    QString column = u"createdon"_s;
    QString fallback;
    if (basis == ClosingRule::Basis::Modified) {
        column = u"msdyn_modifiedon"_s;
        fallback = u"modifiedon"_s;
    } else if (ConversationState(state) == ConversationState::WrapUp) {
        // A Wrap-up conversation without its wrap-up start is timed from createdon.
        column = u"msdyn_wrapupinitiatedon"_s;
        fallback = u"createdon"_s;
    }
    return [column, fallback](const std::optional<QDateTime> &after, const QDateTime &upTo) {
        const auto within = [&after, &upTo](const QString &c) {
            const QString upper = c + u" le "_s + ODataLiteral::dateTime(upTo);
            return after ? c + u" gt "_s + ODataLiteral::dateTime(*after) + u" and "_s + upper : upper;
        };
        if (fallback.isEmpty())
            return after ? u"("_s + within(column) + u')' : within(column);
        return u"(%1 or (%2 eq null and %3))"_s.arg(within(column), column, within(fallback));
    };
}

// The conversations a configuration applies to, whatever their timer.
QString baseFilter(const ChannelStateConfig &configuration)
{
    return u"statuscode eq %1 and Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',"
           u"PropertyValues=[%2])"_s.arg(ODataLiteral::integer(ClosingRule::statusCodeOf(configuration.state)),
                                         ODataLiteral::string(QString::number(configuration.streamSource.value_or(0))));
}

// Counts at several cutoffs of one set of conversations: each cutoff's count is how many timers started at or
// before it.
struct CutoffJob
{
    ExactCount::Query query;
    QList<QDateTime> cutoffs; // in any order, repeats allowed
};
struct CutoffCount
{
    qint64 count = 0;
    bool capped = false;
};

// Runs every job at once (ExactCount splits what the service refuses) and hands back, per job, a count per cutoff
// in the job's order, or the first error.
void countCutoffs(DataverseClient *client, const QList<CutoffJob> &jobs, QObject *context,
                  std::function<void(Result<QList<QList<CutoffCount>>>)> done)
{
    struct State
    {
        QList<QList<CutoffCount>> counts;
        qsizetype outstanding = 0;
        bool failed = false;
        std::function<void(Result<QList<QList<CutoffCount>>>)> done;
    };
    auto state = std::make_shared<State>();
    state->counts.resize(jobs.size());
    state->outstanding = jobs.size();
    state->done = std::move(done);
    if (jobs.isEmpty()) {
        state->done(state->counts);
        return;
    }
    for (qsizetype j = 0; j < jobs.size(); ++j) {
        QList<QDateTime> sorted = jobs.at(j).cutoffs;
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        ExactCount::countRanges(
            client, jobs.at(j).query, sorted, context,
            [state, j, sorted, cutoffs = jobs.at(j).cutoffs](Result<QList<ExactCount::Count>> ranges) {
                if (state->failed)
                    return;
                if (!ranges) {
                    state->failed = true;
                    state->done(ranges.error());
                    return;
                }
                // A cutoff's count is every range up to it.
                QList<CutoffCount> cumulative;
                CutoffCount sum;
                for (const ExactCount::Count &range : ranges.value()) {
                    sum.count += range.count;
                    sum.capped = sum.capped || range.capped;
                    cumulative << sum;
                }
                QList<CutoffCount> &out = state->counts[j];
                for (const QDateTime &cutoff : cutoffs)
                    out << cumulative.at(std::lower_bound(sorted.begin(), sorted.end(), cutoff) - sorted.begin());
                if (--state->outstanding == 0)
                    state->done(state->counts);
            });
    }
}
} // namespace

QString ClosurePreview::filterFor(const ChannelStateConfig &configuration, ClosingRule::Basis basis,
                                  const QDateTime &cutoff)
{
    return baseFilter(configuration) + u" and "_s + timerClause(configuration.state, basis)(std::nullopt, cutoff);
}

void ClosurePreview::countImpact(DataverseClient *client, const PreviewScenario &scenario, QObject *context,
                                 std::function<void(Result<QList<Impact>>)> done)
{
    // Eligibility is "timer start ≤ cutoff", so the sets for two values of one configuration are nested: counting at
    // the earlier and the later cutoff gives both, and the difference is what the edit changes.
    struct Plan
    {
        Impact impact;
        qsizetype job = -1;
        bool hasEarly = false; // cutoff 0 of the job is the earlier one
        bool hasLate = false; // the later one, when the two differ: the job's last cutoff
    };
    QList<Plan> plans;
    QList<CutoffJob> jobs;
    for (qsizetype i = 0; i < scenario.saved.size(); ++i) {
        const ChannelStateConfig &saved = scenario.saved.at(i);
        const ChannelStateConfig &edited = scenario.edited.value(i, saved);
        Plan plan;
        plan.impact.configurationId = saved.id;
        plan.impact.savedMinutes = saved.minutes;
        plan.impact.editedMinutes = edited.minutes;
        plan.impact.edited = saved.minutes != edited.minutes;
        if (saved.streamSource) {
            const auto cs = ClosingRule::cutoff(scenario.at, saved.minutes);
            const auto ce = ClosingRule::cutoff(scenario.at, edited.minutes);
            CutoffJob job {{baseFilter(saved), timerClause(saved.state, scenario.basis)}, {}};
            if (cs && ce) {
                plan.hasEarly = true;
                job.cutoffs << std::min(*cs, *ce);
                if (*cs != *ce) {
                    plan.hasLate = true;
                    job.cutoffs << std::max(*cs, *ce);
                }
            } else if (cs || ce) {
                plan.hasLate = true; // only one value closes anything
                job.cutoffs << (cs ? *cs : *ce);
            }
            if (!job.cutoffs.isEmpty()) {
                plan.job = jobs.size();
                jobs << job;
            }
        }
        plans << plan;
    }
    countCutoffs(client, jobs, context, [plans, done = std::move(done)](Result<QList<QList<CutoffCount>>> counts) {
        if (!counts) {
            done(counts.error());
            return;
        }
        QList<Impact> impacts;
        for (Plan plan : plans) {
            Impact &impact = plan.impact;
            const QList<CutoffCount> counted = plan.job >= 0 ? counts.value().at(plan.job) : QList<CutoffCount>();
            const CutoffCount early = plan.hasEarly ? counted.first() : CutoffCount {};
            const CutoffCount late = plan.hasLate ? counted.last() : CutoffCount {};
            impact.closesUnderBoth = early.count;
            impact.capped = early.capped || late.capped;
            if (plan.hasLate) {
                const qint64 difference = std::max<qint64>(0, late.count - early.count);
                // The later cutoff belongs to the shorter value: the edit closes more if it is the edited one.
                const bool editShorter =
                    !impact.savedMinutes || (impact.editedMinutes && *impact.editedMinutes < *impact.savedMinutes);
                (editShorter ? impact.newlyCloses : impact.noLongerCloses) = difference;
            }
            impacts << impact;
        }
        done(impacts);
    });
}

bool ClosurePreview::governsWaiting(const Workstream &workstream)
{
    return workstream.inactivityMinutes &&
        !MicrosoftDefaults::caveat(workstream.streamSource, int(ConversationState::Waiting)).isEmpty();
}

void ClosurePreview::countWaiting(DataverseClient *client, const QList<Workstream> &workstreams,
                                  const PreviewScenario &scenario, QObject *context,
                                  std::function<void(Result<QList<WaitingImpact>>)> done)
{
    QList<WaitingImpact> impacts;
    QList<CutoffJob> jobs;
    const int waiting = int(ConversationState::Waiting);
    for (const Workstream &workstream : workstreams) {
        if (!governsWaiting(workstream) || QUuid::fromString(workstream.id).isNull())
            continue; // the id goes into the filter as a GUID literal: only a GUID may
        impacts << WaitingImpact {workstream, 0, false};
        jobs << CutoffJob {{u"statuscode eq %1 and _msdyn_liveworkstreamid_value eq %2"_s.arg(
                                ODataLiteral::integer(ClosingRule::statusCodeOf(waiting)), workstream.id),
                            timerClause(waiting, scenario.basis)},
                           {*ClosingRule::cutoff(scenario.at, workstream.inactivityMinutes)}};
    }
    countCutoffs(client, jobs, context,
                 [impacts, done = std::move(done)](Result<QList<QList<CutoffCount>>> counts) mutable {
                     if (!counts) {
                         done(counts.error());
                         return;
                     }
                     for (qsizetype i = 0; i < impacts.size(); ++i) {
                         impacts[i].closes = counts.value().at(i).first().count;
                         impacts[i].capped = counts.value().at(i).first().capped;
                     }
                     done(impacts);
                 });
}

qint64 ClosurePreview::TimelinePoint::eligibleSaved() const
{
    qint64 sum = 0;
    for (const TimelineCount &count : counts)
        sum += count.saved;
    return sum;
}

qint64 ClosurePreview::TimelinePoint::eligibleEdited() const
{
    qint64 sum = 0;
    for (const TimelineCount &count : counts)
        sum += count.edited;
    return sum;
}

bool ClosurePreview::TimelinePoint::capped() const
{
    return std::any_of(counts.begin(), counts.end(), [](const TimelineCount &count) { return count.capped; });
}

void ClosurePreview::countTimeline(DataverseClient *client, const PreviewScenario &scenario,
                                   const QList<QDateTime> &times, QObject *context,
                                   std::function<void(Result<QList<TimelinePoint>>)> done)
{
    // Per configuration, one job whose cutoffs are every (time, saved or edited value): the ranges between them
    // are counted once each, so the whole timeline costs about one count per cutoff. Which cutoff each (time,
    // configuration, saved or edited) reads: an index into its job's cutoffs, or -1 for none (a value of "never",
    // or a configuration whose channel is unknown).
    struct Slot
    {
        qsizetype saved = -1;
        qsizetype edited = -1;
    };
    QList<CutoffJob> jobs;
    QList<qsizetype> jobOf; // per configuration
    QList<QList<Slot>> slotsAt; // per time, per configuration
    for (qsizetype i = 0; i < scenario.saved.size(); ++i) {
        const ChannelStateConfig &saved = scenario.saved.at(i);
        jobOf << (saved.streamSource ? jobs.size() : -1);
        if (saved.streamSource)
            jobs << CutoffJob {{baseFilter(saved), timerClause(saved.state, scenario.basis)}, {}};
    }
    for (const QDateTime &at : times) {
        QList<Slot> row;
        for (qsizetype i = 0; i < scenario.saved.size(); ++i) {
            const ChannelStateConfig &saved = scenario.saved.at(i);
            const ChannelStateConfig &edited = scenario.edited.value(i, saved);
            Slot slot;
            if (jobOf.at(i) >= 0) {
                QList<QDateTime> &cutoffs = jobs[jobOf.at(i)].cutoffs;
                // Channel and state are the saved record's: an edit changes only the minutes.
                if (const auto cut = ClosingRule::cutoff(at, saved.minutes)) {
                    slot.saved = cutoffs.size();
                    cutoffs << *cut;
                }
                if (const auto cut = ClosingRule::cutoff(at, edited.minutes)) {
                    slot.edited = cutoffs.size();
                    cutoffs << *cut;
                }
            }
            row << slot;
        }
        slotsAt << row;
    }
    QStringList ids;
    for (const ChannelStateConfig &config : scenario.saved)
        ids << config.id;
    countCutoffs(
        client, jobs, context,
        [times, slotsAt, jobOf, ids, done = std::move(done)](Result<QList<QList<CutoffCount>>> counts) {
            if (!counts) {
                done(counts.error());
                return;
            }
            QList<TimelinePoint> points;
            for (qsizetype t = 0; t < times.size(); ++t) {
                TimelinePoint point {times.at(t), {}};
                for (qsizetype i = 0; i < ids.size(); ++i) {
                    const auto count = [&](qsizetype index) {
                        return index >= 0 ? counts.value().at(jobOf.at(i)).at(index) : CutoffCount {};
                    };
                    const CutoffCount saved = count(slotsAt.at(t).at(i).saved);
                    const CutoffCount edited = count(slotsAt.at(t).at(i).edited);
                    point.counts << TimelineCount {ids.at(i), saved.count, edited.count, saved.capped || edited.capped};
                }
                points << point;
            }
            done(points);
        });
}

ClosurePreview::Lister::Lister(DataverseClient *client, PreviewScenario scenario)
    : m_client(client)
    , m_scenario(std::move(scenario))
{
    for (qsizetype i = 0; i < m_scenario.saved.size(); ++i) {
        // Everything either value makes eligible: the later of the two cutoffs.
        const ChannelStateConfig &saved = m_scenario.saved.at(i);
        const ChannelStateConfig &edited = m_scenario.edited.value(i, saved);
        const auto cs = ClosingRule::cutoff(m_scenario.at, saved.minutes);
        const auto ce = ClosingRule::cutoff(m_scenario.at, edited.minutes);
        std::optional<QDateTime> upTo;
        if (saved.streamSource && (cs || ce))
            upTo = cs && ce ? std::max(*cs, *ce) : (cs ? *cs : *ce);
        m_listedUpTo << upTo;
    }
    m_cursor = begin();
}

std::optional<QString> ClosurePreview::Lister::filterOf(qsizetype index) const
{
    const auto &upTo = m_listedUpTo.at(index);
    if (!upTo)
        return std::nullopt;
    return filterFor(m_scenario.saved.at(index), m_scenario.basis, *upTo);
}

bool ClosurePreview::Lister::listedUnder(const Conversation &conversation, qsizetype index) const
{
    // The server's query for configuration j returns a conversation in j's state, on j's channel, whose timer (as
    // filterFor reads it) started at or before j's later cutoff. Timers are whole seconds, as the cutoffs are sent.
    const auto start = ClosingRule::timerStart(conversation, m_scenario.basis);
    for (qsizetype j = 0; j < index; ++j) {
        const ChannelStateConfig &c = m_scenario.saved.at(j);
        const auto &upTo = m_listedUpTo.at(j);
        if (upTo && start && ClosingRule::matches(conversation, c) &&
            start->time <= upTo->addMSecs(-upTo->time().msec()))
            return false;
    }
    return true;
}

QList<PreviewRow> ClosurePreview::Lister::rowsOf(const QList<Conversation> &read, qsizetype index) const
{
    QList<PreviewRow> rows;
    for (const Conversation &conversation : read) {
        if (!listedUnder(conversation, index))
            continue; // on several channels: listed under an earlier configuration
        if (auto row = Preview::classify(conversation, m_scenario))
            rows << *row;
    }
    return rows;
}

ClosurePreview::Lister::Cursor ClosurePreview::Lister::firstFrom(qsizetype index) const
{
    for (; index < m_scenario.saved.size(); ++index) {
        if (const auto filter = filterOf(index)) {
            const QString query = ODataQuery(Conversations)
                                      .select(DataverseClient::conversationColumns())
                                      .filter(*filter)
                                      .orderBy(u"createdon asc"_s)
                                      .toString();
            return Cursor {index, m_client->apiUrl(query)};
        }
    }
    return Cursor {m_scenario.saved.size(), {}};
}

ClosurePreview::Lister::Cursor ClosurePreview::Lister::begin() const
{
    return firstFrom(0);
}

void ClosurePreview::Lister::fetch(const Cursor &cursor, int pageSize, QObject *context,
                                   std::function<void(Result<Page>)> done) const
{
    if (isEnd(cursor) || cursor.configuration < 0) {
        done(Page {{}, Cursor {m_scenario.saved.size(), {}}});
        return;
    }
    m_client->fetchConversationPage(
        cursor.page, pageSize, context,
        [this, cursor, done = std::move(done)](Result<DataverseClient::ConversationPage> page) {
            if (!page) {
                done(page.error());
                return;
            }
            Page out;
            out.rows = rowsOf(page.value().rows, cursor.configuration);
            out.next = page.value().next.isEmpty() ? firstFrom(cursor.configuration + 1)
                                                   : Cursor {cursor.configuration, page.value().next};
            done(out);
        });
}

void ClosurePreview::Lister::fetchNext(int pageSize, QObject *context,
                                       std::function<void(Result<QList<PreviewRow>>, bool more)> done)
{
    if (atEnd()) {
        done(QList<PreviewRow>(), false);
        return;
    }
    fetch(m_cursor, pageSize, context, [this, done = std::move(done)](Result<Page> page) {
        if (!page) {
            done(page.error(), false);
            return;
        }
        m_cursor = page.value().next;
        done(std::move(page.value().rows), !atEnd());
    });
}
