#include "app/sandbox/AggregateHandler.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"
#include "app/sandbox/QueryOptions.h"
#include "app/sandbox/SandboxStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

namespace {
// Splits "a/b(c/d)/e" at the slashes outside parentheses and quotes.
QStringList splitTransformations(const QString &text)
{
    QStringList parts;
    int depth = 0;
    bool quoted = false;
    QString current;
    for (const QChar c : text) {
        if (c == u'\'')
            quoted = !quoted;
        else if (!quoted && c == u'(')
            ++depth;
        else if (!quoted && c == u')')
            --depth;
        if (c == u'/' && depth == 0 && !quoted) {
            parts << current;
            current.clear();
        } else {
            current += c;
        }
    }
    parts << current;
    return parts;
}
} // namespace

AggregateHandler::AggregateHandler(SandboxStore *store)
    : m_store(store)
{ }

HttpResponse AggregateHandler::apply(const HttpRequest &request, const EntitySetDef &set,
                                     const QString &transformations) const
{
    // Dataverse aggregates at most 50,000 rows (docs/web-api.md).
    constexpr qint64 AggregateLimit = 50000;
    SqlCondition where;
    QList<const ColumnDef *> groupBy;
    QString alias;
    static const QRegularExpression groupByForm(
        u"^groupby\\(\\(([^()]*)\\)(?:\\s*,\\s*aggregate\\(\\s*\\$count\\s+as\\s+(\\w+)\\s*\\))?\\)$"_s);
    static const QRegularExpression aggregateForm(u"^aggregate\\(\\s*\\$count\\s+as\\s+(\\w+)\\s*\\)$"_s);
    for (const QString &raw : splitTransformations(transformations)) {
        const QString step = raw.trimmed();
        if (step.startsWith(u"filter("_s) && step.endsWith(u')')) {
            auto condition = ODataFilter::toSql(step.mid(7).chopped(1), set, QDateTime::currentDateTimeUtc());
            if (!condition)
                return badQuery(condition.error().userMessage);
            where.sql = where.sql.isEmpty() ? condition.value().sql
                                            : u"("_s + where.sql + u" AND "_s + condition.value().sql + u')';
            where.binds += condition.value().binds;
        } else if (const auto g = groupByForm.match(step); g.hasMatch()) {
            for (const QString &name : g.captured(1).split(u',')) {
                const ColumnDef *column = set.columnByJsonName(name.trimmed());
                if (!column)
                    return badQuery(QueryOptions::propertyNotFound(name.trimmed(), set));
                groupBy << column;
            }
            alias = g.captured(2);
        } else if (const auto a = aggregateForm.match(step); a.hasMatch()) {
            alias = a.captured(1);
        } else {
            return badQuery(u"The $apply transformation '%1' is not supported by autoclose-sandbox: use filter(…), "
                            u"groupby((…),aggregate($count as …)) or aggregate($count as …)."_s.arg(step));
        }
    }
    const auto total = m_store->count(set, where);
    if (!total)
        return error(500, {}, total.error().describe());
    if (total.value() > AggregateLimit)
        return error(400, u"0x8004e023"_s, u"AggregateQueryRecordLimit exceeded. Cannot perform this operation."_s);
    // Without groupby the count just made is the answer; reading the rows again would double the cost.
    const auto rows = groupBy.isEmpty() && !alias.isEmpty()
        ? Result<QList<QJsonObject>>(QList<QJsonObject> {QJsonObject {{alias, total.value()}}})
        : m_store->groupCount(set, where, groupBy, alias.isEmpty() ? u"count"_s : alias);
    if (!rows)
        return error(500, {}, rows.error().describe());
    QJsonArray value;
    for (QJsonObject row : rows.value()) {
        if (alias.isEmpty())
            row.remove(u"count"_s); // groupby without aggregate lists the distinct values only
        value.append(row);
    }
    return json(200,
                QJsonObject {{u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#"_s + set.entitySet)},
                             {u"value"_s, value}});
}
