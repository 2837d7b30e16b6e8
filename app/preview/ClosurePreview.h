#pragma once

#include "app/dataverse/DataverseClient.h"
#include "models/Preview.h"
#include "models/Workstream.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QUuid>

#include <functional>
#include <memory>

// The closure preview, done by the server: per configuration, and per workstream where the workstream's timers time
// its conversations (docs/closing-rule.md), filtered queries (state, channel, workstream, timer start before a cutoff)
// whose rows are counted with $apply and listed a page at a time. Shared by the window and the CLI.
namespace ClosurePreview {

// The $filter for conversations that configuration applies to whose timer started at or before cutoff.
QString filterFor(const ChannelStateConfig &configuration, ClosingRule::Basis basis, const QDateTime &cutoff);

// Which conversations of a configuration one pair of values times (saved, edited). A configuration whose conversations
// are timed by their workstream (ClosingRule::dependsOnWorkstream: Waiting on persistent chat, SMS, social channels and
// Teams; Wrap-up on live chat) has a part per pair of values the workstreams of its channel give, then the rest: the
// conversations on no workstream, on one not read, or on one whose values are the configuration's. Any other
// configuration has one part, the configuration's own values. The parts are disjoint: no conversation is counted twice.
struct Part
{
    QStringList workstreamIds; // GUIDs without braces: the workstreams whose conversations this part holds
    bool others = false; // the rest, timed by the configuration's own values
    std::optional<int> savedMinutes; // the effective minutes (ClosingRule::effectiveMinutes)
    std::optional<int> editedMinutes;
    bool workstreamEdited = false; // an edit of one of its workstreams changes the edited minutes
};
QList<Part> partsOf(const PreviewScenario &scenario, qsizetype index);
// The $filter clause that picks the part's conversations among the configuration's; empty when it is the only part.
QString partClause(const QList<Part> &parts, qsizetype part);

// What the edits change for one configuration at the scenario's time.
struct Impact
{
    QString configurationId;
    std::optional<int> savedMinutes; // the configuration's own value
    std::optional<int> editedMinutes;
    bool edited = false; // the configuration's own value is edited
    bool workstreamEdited = false; // an edit of a workstream changes when some of its conversations close
    qint64 closesUnderBoth = 0;
    qint64 newlyCloses = 0;
    qint64 noLongerCloses = 0;
    bool capped = false; // a count stopped at the Web API's aggregate limit: the true number is larger
    // The same counts per part (partsOf), when there is more than one; they add up to the configuration's.
    struct PartCount
    {
        Part part;
        qint64 closesUnderBoth = 0;
        qint64 newlyCloses = 0;
        qint64 noLongerCloses = 0;
        bool capped = false;
    };
    QList<PartCount> parts;
};

// One Impact per configuration, in the scenario's order. A conversation on several channels counts under each
// configuration that would close it. Each part of a configuration is counted with its own values: a Waiting SMS
// conversation with its workstream's inactivity, a Wrap-up chat with the longer of the value and its workstream's
// block.
void countImpact(DataverseClient *client, const PreviewScenario &scenario, QObject *context,
                 std::function<void(Result<QList<Impact>>)> done);

// How many conversations are eligible at one time under one configuration: with the saved values and with the edited
// ones (its own, and its workstreams' where they time its conversations; the same count when neither is edited).
struct TimelineCount
{
    QString configurationId;
    qint64 saved = 0;
    qint64 edited = 0;
    bool capped = false; // a count stopped at the Web API's aggregate limit: the true number is larger
};
// One time of the timeline: a count per configuration, in the scenario's order (scenario.saved).
struct TimelinePoint
{
    QDateTime at;
    QList<TimelineCount> counts;

    // All configurations together; a conversation on several channels counts under each configuration.
    qint64 eligibleSaved() const;
    qint64 eligibleEdited() const;
    bool capped() const;
};
// How many conversations are eligible at each of the given times, per configuration (the sum of its parts), with the
// saved values and with the edits. No filter is sent twice: a part whose values are not edited is counted once for
// both, and two times that give one cutoff (the saved value an hour later, the edited value now) share their count.
void countTimeline(DataverseClient *client, const PreviewScenario &scenario, const QList<QDateTime> &times,
                   QObject *context, std::function<void(Result<QList<TimelinePoint>>)> done);

// Lists the conversations that close (or no longer close) in the scenario, a page at a time: configuration after
// configuration, each conversation once, classified by the closing rule with every configuration and workstream in
// view. A page is
// read from a cursor, which is small and can be kept: a list that drops pages it no longer shows keeps their cursors
// and reads them again. A conversation on several channels is listed under the first configuration whose query
// returns it, so any page can be read alone, in any order, and no set of ids seen grows with the list.
class Lister
{
public:
    // Where a page starts: the configuration being listed (its index in scenario.saved) and the page's URL.
    struct Cursor
    {
        qsizetype configuration = -1;
        QUrl page;
        friend bool operator==(const Cursor &, const Cursor &) = default;
    };
    struct Page
    {
        QList<PreviewRow> rows; // possibly none while more follow
        Cursor next; // the end when isEnd(next)
    };

    Lister(DataverseClient *client, PreviewScenario scenario);
    Cursor begin() const;
    bool isEnd(const Cursor &cursor) const { return cursor.configuration >= m_scenario.saved.size(); }
    // The page at cursor: at most pageSize conversations read, those listed under its configuration kept. The same
    // cursor and pageSize read the same page again.
    void fetch(const Cursor &cursor, int pageSize, QObject *context, std::function<void(Result<Page>)> done) const;

    // One page after another from the beginning, for a reader that keeps nothing behind it.
    void fetchNext(int pageSize, QObject *context, std::function<void(Result<QList<PreviewRow>>, bool more)> done);
    bool atEnd() const { return isEnd(m_cursor); }
    const PreviewScenario &scenario() const { return m_scenario; }

    // The $filter listing configuration index reads (everything either value makes eligible, per part: a disjunction
    // of its parts' clauses with their own cutoffs), or nothing when no value ever closes or its channel is unknown.
    std::optional<QString> filterOf(qsizetype index) const;
    // Whether a conversation read while listing configuration index belongs there: no earlier configuration's query
    // returns it.
    bool listedUnder(const Conversation &conversation, qsizetype index) const;
    // The rows of conversations read while listing configuration index: those listed under it, classified by the
    // closing rule. What fetch hands on, for readers that read a configuration's list another way (ParallelReader).
    QList<PreviewRow> rowsOf(const QList<Conversation> &read, qsizetype index) const;

private:
    // The first page of the first configuration from index on that can close anything.
    Cursor firstFrom(qsizetype index) const;

    // What a configuration's query reads, per part: its conversations, and the later of its two cutoffs.
    struct Piece
    {
        QSet<QUuid> workstreams;
        bool others = false;
        QString clause;
        std::optional<QDateTime> upTo;
    };
    // The piece a conversation falls in among a configuration's (its workstream's, else the rest).
    const Piece *pieceOf(const QList<Piece> &pieces, const QUuid &workstream) const;

    DataverseClient *m_client;
    PreviewScenario m_scenario;
    QList<QList<Piece>> m_pieces; // per configuration
    Cursor m_cursor;
    // Each page read (NextLinkTrail::pageKey) and the page its next link leads to. A page may be read again (a list
    // that dropped it); a next link read for the first time that leads to a page already read is a loop.
    mutable QHash<QString, QString> m_nextOf;
};

} // namespace ClosurePreview
