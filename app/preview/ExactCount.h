#pragma once

#include "app/dataverse/DataverseClient.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

// Counts of conversations that stay exact past the Web API's aggregate limit of 50,000 rows (docs/web-api.md,
// "Counting past the aggregate limit"): a count the service refuses for size is split by the timer's start time
// into ranges it will aggregate, those are counted side by side (the transport keeps to its concurrency limit) and
// added up. Ranges are split until each is accepted, so every range that is added up holds at most 50,000 rows.
// Rows whose timers all started within one second cannot be split by time; they are counted by walking their ids.
namespace ExactCount {

// The $filter clause for "the timer started in (after, upTo]"; after empty: no lower bound.
using TimerClause = std::function<QString(const std::optional<QDateTime> &after, const QDateTime &upTo)>;

// Which conversations a count covers: those matching base (state, channel, …) whose timer falls in a range.
struct Query
{
    QString base;
    TimerClause timer;
};

struct Count
{
    qint64 count = 0;
    // Even splitting could not count every row: count is a lower bound, and cappedReason() says why.
    bool capped = false;
    int requests = 0; // what the count cost, for the benchmarks
};

// Counts the conversations of query whose timer started in each of (−∞, upTo[0]], (upTo[0], upTo[1]], …: one count
// per range, in order; upTo ascends (two equal neighbours make an empty range). A count at a cutoff is the sum of the
// ranges up to it, so nested cutoffs (the saved value and the edit, the points of a timeline) cost one range each,
// never the same rows twice.
void countRanges(DataverseClient *client, const Query &query, const QList<QDateTime> &upTo, QObject *context,
                 std::function<void(Result<QList<Count>>)> done);

// The sentence shown with a capped count.
QString cappedReason();

} // namespace ExactCount
