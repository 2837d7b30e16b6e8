#include "app/sandbox/QueryOptions.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"
#include "app/sandbox/PagingCookie.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;
using SandboxHttp::badQuery;

namespace {
// "$select=a,b": every name must be a property of the set.
std::optional<HttpResponse> parseSelect(const QString &text, const EntitySetDef &set, QList<const ColumnDef *> &out)
{
    for (const QString &raw : text.split(u',')) {
        const QString name = raw.trimmed();
        const ColumnDef *column = set.columnByJsonName(name);
        if (!column)
            return badQuery(QueryOptions::propertyNotFound(name, set));
        if (!out.contains(column))
            out << column;
    }
    return std::nullopt;
}

std::optional<HttpResponse> parseExpand(const QString &text, const EntitySetDef &set, SandboxStore::Query &query)
{
    static const QRegularExpression form(u"^\\s*(\\w+)\\s*(?:\\((.*)\\))?\\s*$"_s);
    const auto match = form.match(text);
    if (!match.hasMatch())
        return badQuery(u"The $expand option '%1' is not valid."_s.arg(text));
    const QString navigation = match.captured(1);
    const ColumnDef *lookup = set.column(navigation);
    if (!lookup || lookup->type != ColumnDef::Type::Lookup)
        return badQuery(QueryOptions::propertyNotFound(navigation, set));
    const EntitySetDef *target = EntitySchema::find(lookup->lookupEntitySet);
    if (!target) // a lookup to any table (the audit's objectid) has no one type to expand to
        return badQuery(u"The navigation property '%1' cannot be expanded by autoclose-sandbox."_s.arg(navigation));
    query.expand = lookup;
    const QString nested = match.captured(2).trimmed();
    if (nested.isEmpty())
        return std::nullopt;
    for (const QString &option : nested.split(u';')) {
        const QString trimmed = option.trimmed();
        if (!trimmed.startsWith(u"$select="_s))
            return badQuery(u"The nested option '%1' in $expand is not supported by autoclose-sandbox."_s.arg(trimmed));
        if (auto error = parseSelect(trimmed.mid(8), *target, query.expandSelect))
            return error;
    }
    return std::nullopt;
}

// "$orderby=a desc,b": each part a property of the set and a direction.
std::optional<HttpResponse> parseOrderBy(const QString &text, const EntitySetDef &set, QStringList &out)
{
    for (const QString &part : text.split(u',')) {
        const QStringList words = part.simplified().split(u' ');
        const ColumnDef *column = set.columnByJsonName(words.value(0));
        if (!column)
            return badQuery(QueryOptions::propertyNotFound(words.value(0), set));
        const QString direction = words.value(1, u"asc"_s).toLower();
        if (words.size() > 2 || (direction != u"asc"_s && direction != u"desc"_s))
            return badQuery(u"Invalid $orderby '%1': use <property> asc or <property> desc."_s.arg(part));
        out << column->name + (direction == u"desc"_s ? u" DESC"_s : u" ASC"_s);
    }
    return std::nullopt;
}
} // namespace

QString QueryOptions::propertyNotFound(const QString &name, const EntitySetDef &set)
{
    return u"Could not find a property named '%1' on type 'Microsoft.Dynamics.CRM.%2'."_s.arg(name, set.logicalName);
}

std::optional<HttpResponse> QueryOptions::parseShape(const QUrlQuery &params, const EntitySetDef &set,
                                                     SandboxStore::Query &query)
{
    for (const auto &[name, value] : params.queryItems(QUrl::FullyDecoded)) {
        if (name == u"$select"_s) {
            if (auto error = parseSelect(value, set, query.select))
                return error;
        } else if (name == u"$expand"_s) {
            if (auto error = parseExpand(value, set, query))
                return error;
        }
    }
    return std::nullopt;
}

std::variant<QueryOptions::Read, HttpResponse> QueryOptions::parseRead(const QUrlQuery &params, const EntitySetDef &set,
                                                                       bool singleRecord,
                                                                       const QByteArray &pagingSecret)
{
    Read read;
    if (auto error = parseShape(params, set, read.query))
        return *error;
    std::optional<QString> skipToken;
    for (const auto &[name, value] : params.queryItems(QUrl::FullyDecoded)) {
        if (name == u"$select"_s || name == u"$expand"_s)
            continue;
        if (singleRecord && name.startsWith(u'$'))
            return badQuery(u"The query option '%1' cannot be used when retrieving a single record."_s.arg(name));
        if (name == u"$top"_s) {
            bool ok = false;
            read.top = value.toLongLong(&ok);
            if (!ok || *read.top < 0)
                return badQuery(u"Invalid value '%1' for $top: a whole number of 0 or more is expected."_s.arg(value));
        } else if (name == u"$skiptoken"_s) {
            skipToken = value; // read once the ordering it continues is known
        } else if (name == u"$filter"_s) {
            auto where = ODataFilter::toSql(value, set, QDateTime::currentDateTimeUtc());
            if (!where)
                return badQuery(where.error().userMessage);
            read.query.where = std::move(where).value();
        } else if (name == u"$orderby"_s) {
            if (auto error = parseOrderBy(value, set, read.query.orderBy))
                return *error;
        } else if (name == u"$count"_s) {
            if (value != u"true"_s && value != u"false"_s)
                return badQuery(u"Invalid value '%1' for $count: use true or false."_s.arg(value));
            read.count = value == u"true"_s;
        } else if (name.startsWith(u'$')) {
            return badQuery(u"The query option '%1' is not supported by autoclose-sandbox yet."_s.arg(name));
        }
    }
    read.cookieScope = PagingCookie::scope(set.entitySet, params);
    if (skipToken) {
        const auto cookie =
            PagingCookie::decode(*skipToken, pagingSecret, read.cookieScope, Keyset::ordering(set, read.query.orderBy));
        if (!cookie)
            return badQuery(u"The $skiptoken is not valid; follow @odata.nextLink as given."_s);
        read.query.after = cookie->key;
        read.delivered = cookie->delivered;
    }
    return read;
}

std::optional<int> QueryOptions::preferredPageSize(const QByteArray &prefer)
{
    for (const QByteArray &part : prefer.split(',')) {
        const QByteArray p = part.trimmed();
        if (p.startsWith("odata.maxpagesize=")) {
            bool ok = false;
            const int n = p.mid(18).trimmed().toInt(&ok);
            if (ok && n > 0)
                return std::min(n, MaxPageSize);
        }
    }
    return std::nullopt;
}

QueryOptions::Annotations QueryOptions::requestedAnnotations(const QByteArray &prefer)
{
    Annotations request;
    for (const QByteArray &part : prefer.split(',')) {
        const QByteArray p = part.trimmed();
        if (!p.startsWith("odata.include-annotations="))
            continue;
        const QByteArray value = p.mid(26);
        const QByteArray names = QByteArray(value).replace('"', "");
        request.formatted = names.contains('*') || names.contains("OData.Community.Display.V1.FormattedValue");
        request.lookups = names.contains('*') || names.contains("Microsoft.Dynamics.CRM.");
        request.applied = p;
    }
    return request;
}
