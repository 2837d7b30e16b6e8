#include "app/preview/ClosurePreview.h"

#include "app/dataverse/NextLinkTrail.h"
#include "app/dataverse/ODataQuery.h"
#include "app/preview/ExactCount.h"

#include <QCoreApplication>
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

const QString WorkstreamLookup = u"_msdyn_liveworkstreamid_value"_s;

// A workstream id as the filter's GUID literal, or empty when it is not a GUID (then it cannot be asked for, and the
// rule does not find conversations on it either: ClosingRule::workstreamOf compares GUIDs).
QString guidLiteral(const QString &id)
{
    const QUuid uuid = QUuid::fromString(id);
    return uuid.isNull() ? QString() : uuid.toString(QUuid::WithoutBraces);
}

// base and clause, clause left out when empty.
QString allOf(const QString &base, const QString &clause)
{
    return clause.isEmpty() ? base : base + u" and "_s + clause;
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

QList<ClosurePreview::Part> ClosurePreview::partsOf(const PreviewScenario &scenario, qsizetype index)
{
    const ChannelStateConfig &saved = scenario.saved.at(index);
    const ChannelStateConfig &edited = scenario.edited.value(index, saved);
    Part others {{}, true, saved.minutes, edited.minutes, false};
    if (!ClosingRule::dependsOnWorkstream(saved))
        return {others};
    // Workstreams whose values are the configuration's join the rest; the others, one part per pair of values.
    QList<Part> parts;
    for (qsizetype w = 0; w < scenario.savedWorkstreams.size(); ++w) {
        const Workstream &before = scenario.savedWorkstreams.at(w);
        const Workstream &after = scenario.editedWorkstream(w);
        const QString id = guidLiteral(before.id);
        if (id.isEmpty())
            continue;
        const std::optional<int> s = ClosingRule::effectiveMinutes(saved, &before);
        const std::optional<int> e = ClosingRule::effectiveMinutes(edited, &after);
        const bool workstreamEdited = ClosingRule::effectiveMinutes(edited, &before) != e;
        if (s == saved.minutes && e == edited.minutes) {
            others.workstreamEdited = others.workstreamEdited || workstreamEdited;
            continue;
        }
        const auto same = std::find_if(parts.begin(), parts.end(),
                                       [&s, &e](const Part &p) { return p.savedMinutes == s && p.editedMinutes == e; });
        if (same != parts.end()) {
            same->workstreamIds << id;
            same->workstreamEdited = same->workstreamEdited || workstreamEdited;
        } else {
            parts << Part {{id}, false, s, e, workstreamEdited};
        }
    }
    return parts << others;
}

QString ClosurePreview::partClause(const QList<Part> &parts, qsizetype part)
{
    if (parts.size() <= 1)
        return {};
    QStringList terms;
    const Part &p = parts.at(part);
    if (!p.others) {
        for (const QString &id : p.workstreamIds)
            terms << WorkstreamLookup + u" eq "_s + id;
        return terms.size() == 1 ? terms.first() : u"("_s + terms.join(u" or "_s) + u')';
    }
    // The rest: no workstream, or one that is not another part's (unknown, or timed as the configuration).
    for (const Part &other : parts) {
        if (!other.others) {
            for (const QString &id : other.workstreamIds)
                terms << WorkstreamLookup + u" ne "_s + id;
        }
    }
    return u"(%1 eq null or (%2))"_s.arg(WorkstreamLookup, terms.join(u" and "_s));
}

void ClosurePreview::countImpact(DataverseClient *client, const PreviewScenario &scenario, QObject *context,
                                 std::function<void(Result<QList<Impact>>)> done)
{
    // Eligibility is "timer start ≤ cutoff", so the sets for two values of one part are nested: counting at the
    // earlier and the later cutoff gives both, and the difference is what the edit changes. A configuration's counts
    // are the sums of its parts', which are disjoint.
    struct PartPlan
    {
        Part part;
        qsizetype job = -1;
        bool hasEarly = false; // cutoff 0 of the job is the earlier one
        bool hasLate = false; // the later one, when the two differ: the job's last cutoff
    };
    struct Plan
    {
        Impact impact;
        QList<PartPlan> parts;
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
        const QList<Part> parts = partsOf(scenario, i);
        for (qsizetype p = 0; p < parts.size(); ++p) {
            PartPlan partPlan;
            partPlan.part = parts.at(p);
            plan.impact.workstreamEdited = plan.impact.workstreamEdited || partPlan.part.workstreamEdited;
            if (saved.streamSource) {
                const auto cs = ClosingRule::cutoff(scenario.at, partPlan.part.savedMinutes);
                const auto ce = ClosingRule::cutoff(scenario.at, partPlan.part.editedMinutes);
                CutoffJob job {
                    {allOf(baseFilter(saved), partClause(parts, p)), timerClause(saved.state, scenario.basis)}, {}};
                if (cs && ce) {
                    partPlan.hasEarly = true;
                    job.cutoffs << std::min(*cs, *ce);
                    if (*cs != *ce) {
                        partPlan.hasLate = true;
                        job.cutoffs << std::max(*cs, *ce);
                    }
                } else if (cs || ce) {
                    partPlan.hasLate = true; // only one value closes anything
                    job.cutoffs << (cs ? *cs : *ce);
                }
                if (!job.cutoffs.isEmpty()) {
                    partPlan.job = jobs.size();
                    jobs << job;
                }
            }
            plan.parts << partPlan;
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
            for (const PartPlan &partPlan : std::as_const(plan.parts)) {
                Impact::PartCount part {partPlan.part, 0, 0, 0, false};
                const QList<CutoffCount> counted =
                    partPlan.job >= 0 ? counts.value().at(partPlan.job) : QList<CutoffCount>();
                const CutoffCount early = partPlan.hasEarly ? counted.first() : CutoffCount {};
                const CutoffCount late = partPlan.hasLate ? counted.last() : CutoffCount {};
                part.closesUnderBoth = early.count;
                part.capped = early.capped || late.capped;
                if (partPlan.hasLate) {
                    const qint64 difference = std::max<qint64>(0, late.count - early.count);
                    // The later cutoff belongs to the shorter value: the edit closes more if it is the edited one.
                    const std::optional<int> &s = part.part.savedMinutes;
                    const std::optional<int> &e = part.part.editedMinutes;
                    const bool editShorter = !s || (e && *e < *s);
                    (editShorter ? part.newlyCloses : part.noLongerCloses) = difference;
                }
                impact.closesUnderBoth += part.closesUnderBoth;
                impact.newlyCloses += part.newlyCloses;
                impact.noLongerCloses += part.noLongerCloses;
                impact.capped = impact.capped || part.capped;
                if (plan.parts.size() > 1)
                    impact.parts << part;
            }
            impacts << impact;
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
    // Per part of each configuration (partsOf), one job whose cutoffs are every (time, saved or edited value): the
    // ranges between them are counted once each, so the whole timeline costs about one count per cutoff. Which cutoff
    // each (time, part, saved or edited) reads: an index into its job's cutoffs, or -1 for none (a value of "never",
    // or a configuration whose channel is unknown). A configuration's count is the sum of its parts'.
    struct Slot
    {
        qsizetype job = -1;
        qsizetype saved = -1;
        qsizetype edited = -1;
    };
    QList<CutoffJob> jobs;
    QList<QList<Part>> partsAt; // per configuration
    QList<QList<qsizetype>> jobOf; // per configuration, per part
    for (qsizetype i = 0; i < scenario.saved.size(); ++i) {
        const ChannelStateConfig &saved = scenario.saved.at(i);
        partsAt << partsOf(scenario, i);
        QList<qsizetype> partJobs;
        for (qsizetype p = 0; p < partsAt.last().size(); ++p) {
            partJobs << (saved.streamSource ? jobs.size() : -1);
            if (saved.streamSource)
                jobs << CutoffJob {
                    {allOf(baseFilter(saved), partClause(partsAt.last(), p)), timerClause(saved.state, scenario.basis)},
                    {}};
        }
        jobOf << partJobs;
    }
    QList<QList<QList<Slot>>> slotsAt; // per time, per configuration, per part
    for (const QDateTime &at : times) {
        QList<QList<Slot>> row;
        for (qsizetype i = 0; i < scenario.saved.size(); ++i) {
            QList<Slot> perPart;
            for (qsizetype p = 0; p < partsAt.at(i).size(); ++p) {
                Slot slot;
                slot.job = jobOf.at(i).at(p);
                if (slot.job >= 0) {
                    QList<QDateTime> &cutoffs = jobs[slot.job].cutoffs;
                    // Channel and state are the saved record's: an edit changes only the minutes.
                    if (const auto cut = ClosingRule::cutoff(at, partsAt.at(i).at(p).savedMinutes)) {
                        slot.saved = cutoffs.size();
                        cutoffs << *cut;
                    }
                    if (const auto cut = ClosingRule::cutoff(at, partsAt.at(i).at(p).editedMinutes)) {
                        slot.edited = cutoffs.size();
                        cutoffs << *cut;
                    }
                }
                perPart << slot;
            }
            row << perPart;
        }
        slotsAt << row;
    }
    QStringList ids;
    for (const ChannelStateConfig &config : scenario.saved)
        ids << config.id;
    countCutoffs(client, jobs, context,
                 [times, slotsAt, ids, done = std::move(done)](Result<QList<QList<CutoffCount>>> counts) {
                     if (!counts) {
                         done(counts.error());
                         return;
                     }
                     QList<TimelinePoint> points;
                     for (qsizetype t = 0; t < times.size(); ++t) {
                         TimelinePoint point {times.at(t), {}};
                         for (qsizetype i = 0; i < ids.size(); ++i) {
                             TimelineCount sum {ids.at(i), 0, 0, false};
                             for (const Slot &slot : slotsAt.at(t).at(i)) {
                                 const auto count = [&](qsizetype index) {
                                     return index >= 0 ? counts.value().at(slot.job).at(index) : CutoffCount {};
                                 };
                                 const CutoffCount saved = count(slot.saved);
                                 const CutoffCount edited = count(slot.edited);
                                 sum.saved += saved.count;
                                 sum.edited += edited.count;
                                 sum.capped = sum.capped || saved.capped || edited.capped;
                             }
                             point.counts << sum;
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
        const ChannelStateConfig &saved = m_scenario.saved.at(i);
        const QList<Part> parts = partsOf(m_scenario, i);
        QList<Piece> pieces;
        for (qsizetype p = 0; p < parts.size(); ++p) {
            // Everything either value makes eligible: the later of the two cutoffs.
            const Part &part = parts.at(p);
            Piece piece;
            piece.others = part.others;
            for (const QString &id : part.workstreamIds)
                piece.workstreams.insert(QUuid::fromString(id));
            piece.clause = partClause(parts, p);
            const auto cs = ClosingRule::cutoff(m_scenario.at, part.savedMinutes);
            const auto ce = ClosingRule::cutoff(m_scenario.at, part.editedMinutes);
            if (saved.streamSource && (cs || ce))
                piece.upTo = cs && ce ? std::max(*cs, *ce) : (cs ? *cs : *ce);
            pieces << piece;
        }
        m_pieces << pieces;
    }
    m_cursor = begin();
}

std::optional<QString> ClosurePreview::Lister::filterOf(qsizetype index) const
{
    const ChannelStateConfig &configuration = m_scenario.saved.at(index);
    const QList<Piece> &pieces = m_pieces.at(index);
    if (pieces.size() == 1)
        return pieces.first().upTo ? std::optional(filterFor(configuration, m_scenario.basis, *pieces.first().upTo))
                                   : std::nullopt;
    const ExactCount::TimerClause timer = timerClause(configuration.state, m_scenario.basis);
    QStringList alternatives;
    for (const Piece &piece : pieces) {
        if (piece.upTo)
            alternatives << u"("_s + piece.clause + u" and "_s + timer(std::nullopt, *piece.upTo) + u')';
    }
    if (alternatives.isEmpty())
        return std::nullopt;
    return baseFilter(configuration) + u" and "_s +
        (alternatives.size() == 1 ? alternatives.first() : u"("_s + alternatives.join(u" or "_s) + u')');
}

const ClosurePreview::Lister::Piece *ClosurePreview::Lister::pieceOf(const QList<Piece> &pieces,
                                                                     const QUuid &workstream) const
{
    const Piece *others = nullptr;
    for (const Piece &piece : pieces) {
        if (piece.others)
            others = &piece;
        else if (!workstream.isNull() && piece.workstreams.contains(workstream))
            return &piece;
    }
    return others;
}

bool ClosurePreview::Lister::listedUnder(const Conversation &conversation, qsizetype index) const
{
    // The server's query for configuration j returns a conversation in j's state, on j's channel, whose timer (as
    // filterFor reads it) started at or before the later cutoff of its part of j (its workstream's, or the rest's).
    // Timers are whole seconds, as the cutoffs are sent.
    const auto start = ClosingRule::timerStart(conversation, m_scenario.basis);
    if (!start)
        return true;
    const QUuid workstream = QUuid::fromString(conversation.workstreamId);
    for (qsizetype j = 0; j < index; ++j) {
        if (!ClosingRule::matches(conversation, m_scenario.saved.at(j)))
            continue;
        const Piece *piece = pieceOf(m_pieces.at(j), workstream);
        if (piece && piece->upTo && start->time <= piece->upTo->addMSecs(-piece->upTo->time().msec()))
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
            if (const QUrl next = page.value().next; !next.isEmpty()) {
                const QString from = NextLinkTrail::pageKey(cursor.page);
                const QString to = NextLinkTrail::pageKey(next);
                if (m_nextOf.value(from) != to) {
                    if (to == from || m_nextOf.contains(to)) {
                        done(NextLinkTrail::loopError(
                            next, QCoreApplication::translate("ClosurePreview", "conversations"), 0));
                        return;
                    }
                    m_nextOf.insert(from, to);
                }
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
