#include "app/preview/ClosurePreview.h"

#include "app/dataverse/ODataQuery.h"
#include "models/MicrosoftDefaults.h"

#include <QHash>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QString Conversations = u"msdyn_ocliveworkitems"_s;

// Runs one count per filter, at most as many at once as the transport allows, and hands back all of them in order
// (or the first error).
void countAll(DataverseClient *client, const QStringList &filters, QObject *context,
              std::function<void(Result<QList<WebApiReply::Count>>)> done)
{
    struct State
    {
        QList<WebApiReply::Count> counts;
        qsizetype outstanding = 0;
        bool failed = false;
        std::function<void(Result<QList<WebApiReply::Count>>)> done;
    };
    auto state = std::make_shared<State>();
    state->counts.resize(filters.size());
    state->outstanding = filters.size();
    state->done = std::move(done);
    if (filters.isEmpty()) {
        state->done(state->counts);
        return;
    }
    for (qsizetype i = 0; i < filters.size(); ++i) {
        client->aggregateCount(Conversations, filters.at(i), context, [state, i](Result<WebApiReply::Count> count) {
            if (state->failed)
                return;
            if (!count) {
                state->failed = true;
                state->done(count.error());
                return;
            }
            state->counts[i] = count.value();
            if (--state->outstanding == 0)
                state->done(state->counts);
        });
    }
}
} // namespace

namespace {
// "The timer of a conversation in this state started at or before cutoff", as ClosingRule::timerStart reads it.
QString timerFilter(int state, ClosingRule::Basis basis, const QDateTime &cutoff)
{
    const QString c = ODataLiteral::dateTime(cutoff);
    if (basis == ClosingRule::Basis::Modified)
        return u"(msdyn_modifiedon le %1 or (msdyn_modifiedon eq null and modifiedon le %1))"_s.arg(c);
    if (ConversationState(state) == ConversationState::WrapUp) {
        // A Wrap-up conversation without its wrap-up start is timed from createdon.
        return u"(msdyn_wrapupinitiatedon le %1 or (msdyn_wrapupinitiatedon eq null and createdon le %1))"_s.arg(c);
    }
    return u"createdon le %1"_s.arg(c);
}
} // namespace

QString ClosurePreview::filterFor(const ChannelStateConfig &configuration, ClosingRule::Basis basis,
                                  const QDateTime &cutoff)
{
    const QString timer = timerFilter(configuration.state, basis, cutoff);
    return u"statuscode eq %1 and Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',"
           u"PropertyValues=[%2]) and %3"_s.arg(
               ODataLiteral::integer(ClosingRule::statusCodeOf(configuration.state)),
               ODataLiteral::string(QString::number(configuration.streamSource.value_or(0))), timer);
}

void ClosurePreview::countImpact(DataverseClient *client, const PreviewScenario &scenario, QObject *context,
                                 std::function<void(Result<QList<Impact>>)> done)
{
    // Eligibility is "timer start ≤ cutoff", so the sets for two values of one configuration are nested: counting at
    // the earlier and the later cutoff gives both, and the difference is what the edit changes.
    struct Plan
    {
        Impact impact;
        qsizetype early = -1; // index of the count at the earlier cutoff
        qsizetype late = -1; // at the later one, when the two differ
    };
    QList<Plan> plans;
    QStringList filters;
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
            std::optional<QDateTime> early;
            std::optional<QDateTime> late;
            if (cs && ce) {
                early = std::min(*cs, *ce);
                late = *cs == *ce ? std::optional<QDateTime>() : std::optional<QDateTime>(std::max(*cs, *ce));
            } else {
                late = cs ? cs : ce; // only one value closes anything
            }
            if (early) {
                plan.early = filters.size();
                filters << filterFor(saved, scenario.basis, *early);
            }
            if (late) {
                plan.late = filters.size();
                filters << filterFor(saved, scenario.basis, *late);
            }
        }
        plans << plan;
    }
    countAll(client, filters, context, [plans, done = std::move(done)](Result<QList<WebApiReply::Count>> counts) {
        if (!counts) {
            done(counts.error());
            return;
        }
        QList<Impact> impacts;
        for (Plan plan : plans) {
            Impact &impact = plan.impact;
            const WebApiReply::Count early = plan.early >= 0 ? counts.value().at(plan.early) : WebApiReply::Count {};
            const WebApiReply::Count late = plan.late >= 0 ? counts.value().at(plan.late) : WebApiReply::Count {};
            impact.closesUnderBoth = early.count;
            impact.capped = early.capped || late.capped;
            const qint64 difference = plan.late >= 0 ? std::max<qint64>(0, late.count - early.count) : 0;
            if (plan.late >= 0) {
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
    QStringList filters;
    const int waiting = int(ConversationState::Waiting);
    for (const Workstream &workstream : workstreams) {
        if (!governsWaiting(workstream) || QUuid::fromString(workstream.id).isNull())
            continue; // the id goes into the filter as a GUID literal: only a GUID may
        impacts << WaitingImpact {workstream, 0, false};
        filters << u"statuscode eq %1 and _msdyn_liveworkstreamid_value eq %2 and %3"_s.arg(
            ODataLiteral::integer(ClosingRule::statusCodeOf(waiting)), workstream.id,
            timerFilter(waiting, scenario.basis, *ClosingRule::cutoff(scenario.at, workstream.inactivityMinutes)));
    }
    countAll(client, filters, context,
             [impacts, done = std::move(done)](Result<QList<WebApiReply::Count>> counts) mutable {
                 if (!counts) {
                     done(counts.error());
                     return;
                 }
                 for (qsizetype i = 0; i < impacts.size(); ++i) {
                     impacts[i].closes = counts.value().at(i).count;
                     impacts[i].capped = counts.value().at(i).capped;
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
    // Which count each (time, configuration, saved or edited) reads: an index into filters, or -1 for none (a value
    // of "never", or a configuration whose channel is unknown). One filter per distinct query.
    struct Slot
    {
        qsizetype saved = -1;
        qsizetype edited = -1;
    };
    QStringList filters;
    QHash<QString, qsizetype> indexOf;
    const auto countFor = [&](const ChannelStateConfig &config, const QDateTime &at, std::optional<int> minutes) {
        const auto cut = ClosingRule::cutoff(at, minutes);
        if (!cut || !config.streamSource)
            return qsizetype(-1);
        const QString filter = filterFor(config, scenario.basis, *cut);
        const auto found = indexOf.constFind(filter);
        if (found != indexOf.cend())
            return *found;
        indexOf.insert(filter, filters.size());
        filters << filter;
        return filters.size() - 1;
    };
    QList<QList<Slot>> slotsAt; // per time, per configuration
    for (const QDateTime &at : times) {
        QList<Slot> row;
        for (qsizetype i = 0; i < scenario.saved.size(); ++i) {
            const ChannelStateConfig &saved = scenario.saved.at(i);
            const ChannelStateConfig &edited = scenario.edited.value(i, saved);
            // Channel and state are the saved record's: an edit changes only the minutes.
            row << Slot {countFor(saved, at, saved.minutes), countFor(saved, at, edited.minutes)};
        }
        slotsAt << row;
    }
    QStringList ids;
    for (const ChannelStateConfig &config : scenario.saved)
        ids << config.id;
    countAll(
        client, filters, context,
        [times, slotsAt, ids, done = std::move(done)](Result<QList<WebApiReply::Count>> counts) {
            if (!counts) {
                done(counts.error());
                return;
            }
            const auto count = [&counts](qsizetype index) {
                return index >= 0 ? counts.value().at(index) : WebApiReply::Count {};
            };
            QList<TimelinePoint> points;
            for (qsizetype t = 0; t < times.size(); ++t) {
                TimelinePoint point {times.at(t), {}};
                for (qsizetype i = 0; i < ids.size(); ++i) {
                    const WebApiReply::Count saved = count(slotsAt.at(t).at(i).saved);
                    const WebApiReply::Count edited = count(slotsAt.at(t).at(i).edited);
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
    advance();
}

QUrl ClosurePreview::Lister::firstPageOf(qsizetype index) const
{
    // Everything either value makes eligible: the later of the two cutoffs.
    const ChannelStateConfig &saved = m_scenario.saved.at(index);
    const ChannelStateConfig &edited = m_scenario.edited.value(index, saved);
    const auto cs = ClosingRule::cutoff(m_scenario.at, saved.minutes);
    const auto ce = ClosingRule::cutoff(m_scenario.at, edited.minutes);
    if ((!cs && !ce) || !saved.streamSource)
        return {};
    const QDateTime cutoff = cs && ce ? std::max(*cs, *ce) : (cs ? *cs : *ce);
    const QString query = ODataQuery(Conversations)
                              .select(DataverseClient::conversationColumns())
                              .filter(filterFor(saved, m_scenario.basis, cutoff))
                              .orderBy(u"createdon asc"_s)
                              .toString();
    return m_client->apiUrl(query);
}

void ClosurePreview::Lister::advance()
{
    // The next configuration that can close anything.
    for (++m_index; m_index < m_scenario.saved.size(); ++m_index) {
        m_next = firstPageOf(m_index);
        if (!m_next.isEmpty())
            return;
    }
    m_next.clear();
}

void ClosurePreview::Lister::fetchNext(int pageSize, QObject *context,
                                       std::function<void(Result<QList<PreviewRow>>, bool more)> done)
{
    if (atEnd()) {
        done(QList<PreviewRow>(), false);
        return;
    }
    m_client->fetchConversationPage(
        m_next, pageSize, context, [this, done = std::move(done)](Result<DataverseClient::ConversationPage> page) {
            if (!page) {
                done(page.error(), false);
                return;
            }
            QList<PreviewRow> rows;
            for (const Conversation &conversation : page.value().rows) {
                if (m_seen.contains(conversation.id))
                    continue; // on several channels: already listed under another configuration
                if (auto row = Preview::classify(conversation, m_scenario)) {
                    m_seen.insert(conversation.id);
                    rows << *row;
                }
            }
            m_next = page.value().next;
            if (m_next.isEmpty())
                advance();
            done(rows, !atEnd());
        });
}
