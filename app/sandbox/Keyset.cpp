#include "app/sandbox/Keyset.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
bool isNull(const QVariant &value)
{
    // A NULL read from SQLite is a typed null; one decoded from a cookie is an invalid QVariant.
    return !value.isValid() || value.isNull();
}
} // namespace

QList<Keyset::SortColumn> Keyset::ordering(const EntitySetDef &set, const QStringList &orderBy)
{
    QList<SortColumn> columns;
    const auto named = [&columns](const ColumnDef *c) {
        return std::any_of(columns.cbegin(), columns.cend(), [c](const SortColumn &s) { return s.column == c; });
    };
    for (const QString &part : orderBy) {
        const QStringList words = part.split(u' ', Qt::SkipEmptyParts);
        const ColumnDef *column = set.column(words.value(0));
        if (!column || named(column))
            continue;
        columns << SortColumn {column, words.value(1).compare(u"DESC"_s, Qt::CaseInsensitive) == 0};
        if (column->name == set.key)
            return columns;
    }
    columns << SortColumn {set.column(set.key), false};
    return columns;
}

QString Keyset::orderBySql(const QList<SortColumn> &ordering)
{
    QStringList parts;
    for (const SortColumn &s : ordering)
        parts << s.column->name + (s.descending ? u" DESC"_s : u" ASC"_s);
    return parts.join(u", "_s);
}

SqlCondition Keyset::after(const QList<SortColumn> &ordering, const QVariantList &key)
{
    Q_ASSERT(ordering.size() == key.size());
    // (a after x) OR (a = x AND b after y) OR …, a column's "after" following its direction and SQLite's NULL order.
    // Each value is compared as known here, = or IS NULL, since a bound NULL compares as unknown.
    QStringList levels;
    QVariantList levelBinds;
    QStringList equal;
    QVariantList equalBinds;
    for (qsizetype i = 0; i < ordering.size() && i < key.size(); ++i) {
        const QString &name = ordering.at(i).column->name;
        const QVariant &value = key.at(i);
        const bool null = isNull(value);
        QString later;
        if (!ordering.at(i).descending)
            later = null ? name + u" IS NOT NULL"_s : name + u" > ?"_s;
        else if (!null)
            later = u"("_s + name + u" < ? OR "_s + name + u" IS NULL)"_s;
        // Descending, nothing sorts after NULL but other NULLs, which the next columns order.
        if (!later.isEmpty()) {
            levels << u"("_s + QStringList(equal + QStringList {later}).join(u" AND "_s) + u')';
            levelBinds += equalBinds;
            if (!null)
                levelBinds << value;
        }
        equal << (null ? name + u" IS NULL"_s : name + u" = ?"_s);
        if (!null)
            equalBinds << value;
    }
    SqlCondition condition;
    condition.sql = levels.isEmpty() ? u"0"_s : u"("_s + levels.join(u" OR "_s) + u')';
    condition.binds = levelBinds;
    if (ordering.isEmpty() || key.isEmpty())
        return condition;
    // The same rows bounded on the first column alone, which SQLite can seek an index to (the OR above it cannot):
    // a page then reads from the cursor on instead of from the first row of the ordering.
    const SortColumn &first = ordering.first();
    const QVariant &value = key.first();
    if (!first.descending && !isNull(value)) {
        condition.sql = u"("_s + first.column->name + u" >= ? AND "_s + condition.sql + u')';
        condition.binds.prepend(value);
    } else if (first.descending && isNull(value)) {
        condition.sql = u"("_s + first.column->name + u" IS NULL AND "_s + condition.sql + u')';
    }
    return condition;
}

std::optional<Keyset::Page> Keyset::page(const EntitySetDef &set, const QStringList &orderBy,
                                         const SqlCondition &filter, const QVariantList &after)
{
    Page page;
    const QList<SortColumn> columns = ordering(set, orderBy);
    page.orderBy = orderBySql(columns);
    for (const SortColumn &s : columns)
        page.keyColumns << s.column->name;
    if (!after.isEmpty() && after.size() != columns.size())
        return std::nullopt;
    QStringList conditions;
    if (!filter.sql.isEmpty()) {
        conditions << filter.sql;
        page.where.binds += filter.binds;
    }
    if (!after.isEmpty()) {
        const SqlCondition bound = Keyset::after(columns, after);
        conditions << bound.sql;
        page.where.binds += bound.binds;
    }
    page.where.sql = conditions.join(u" AND "_s);
    return page;
}
