#pragma once

#include "app/sandbox/EntitySchema.h"
#include "models/Result.h"

#include <QDateTime>
#include <QString>
#include <QVariantList>

// A SQL condition with its values bound separately: column names come only from the schema, literals only as
// bound values, so no query text from a client ever reaches SQL.
struct SqlCondition
{
    QString sql;
    QVariantList binds;
    // Equivalent conditions whose OR is sql, each simple enough for an index. A conjunction that holds one such
    // term is written as an OR of conjunctions, one per alternative, which SQLite answers with one index per
    // branch instead of scanning (ContainValues on a million conversations: about 65 ms to 5 ms per count).
    QList<SqlCondition> alternatives;
};

// The $filter subset of Dataverse the sandbox understands: eq ne gt ge lt le, and or not, parentheses, null,
// true/false, string (with '' escaping), integer, guid and datetime literals, contains / startswith / endswith,
// Microsoft.Dynamics.CRM.ContainValues and Microsoft.Dynamics.CRM.OlderThanXMinutes. A filter outside it is a
// BadInput error whose message names the problem and where it is.
namespace ODataFilter {
Result<SqlCondition> toSql(const QString &filter, const EntitySetDef &set, const QDateTime &now);

// The text stored for a datetime column and bound for comparisons: UTC, second precision, "Z".
QString storedDateTime(const QDateTime &value);
} // namespace ODataFilter
