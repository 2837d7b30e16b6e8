#pragma once

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"

#include <QList>
#include <QStringList>
#include <QVariantList>

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

} // namespace Keyset
