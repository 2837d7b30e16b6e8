#pragma once

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"

#include <QList>
#include <QStringList>
#include <QVariantList>

#include <optional>

// Keyset paging (docs/web-api.md, Paging): a page starts strictly after the last row of the page before it, found by
// that row's sort key, instead of after skipping the rows before it. SQLite then seeks to the cursor in an index,
// so the last page of a long read costs what the first costs, and rows written between two pages neither repeat
// nor push others off a page.
namespace Keyset {

struct SortColumn
{
    const ColumnDef *column = nullptr;
    bool descending = false;
};

// A read's complete ordering: the $orderby columns ("<name> ASC|DESC", as QueryOptions writes them), then the key,
// which makes every position unique. A column after the key, or named twice, orders nothing and is left out, so
// that a sort key holds no value the cursor cannot use.
QList<SortColumn> ordering(const EntitySetDef &set, const QStringList &orderBy);

// "a DESC, b ASC, key ASC", for ORDER BY.
QString orderBySql(const QList<SortColumn> &ordering);

// The rows that come strictly after the row whose sort key is key (one value per column of ordering; a null
// QVariant for NULL), in SQLite's order, where NULL sorts first ascending and last descending.
SqlCondition after(const QList<SortColumn> &ordering, const QVariantList &key);

// What a page's SELECT needs: which rows, in what order, and the columns that make up each row's sort key.
struct Page
{
    SqlCondition where; // the filter and, on later pages, the keyset bound; empty sql: every row
    QString orderBy;
    QStringList keyColumns;
};
// The page of a read ordered by orderBy that starts after the sort key `after` (empty: at the first row);
// nullopt when that key is not one of this ordering's.
std::optional<Page> page(const EntitySetDef &set, const QStringList &orderBy, const SqlCondition &filter,
                         const QVariantList &after);

} // namespace Keyset
