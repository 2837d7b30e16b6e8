#pragma once

#include "app/sandbox/SandboxHttp.h"
#include "app/sandbox/SandboxStore.h"

#include <QByteArray>
#include <QString>
#include <QUrlQuery>

#include <optional>
#include <variant>

struct EntitySetDef;

// The query options of a read, checked against the entity set: $select, $expand, $filter, $orderby, $top, $count
// and $skiptoken paging, and the Prefer preferences odata.maxpagesize and odata.include-annotations
// (docs/web-api.md). A refused option is answered with the service's error reply.
namespace QueryOptions {

constexpr int MaxPageSize = 5000; // the Web API's cap and default (docs/web-api.md)

// A read's options once parsed.
struct Read
{
    SandboxStore::Query query; // query.after: where the $skiptoken's page starts
    std::optional<qint64> top;
    bool count = false;
    qint64 delivered = 0; // rows on the pages before the $skiptoken's, which $top counts too
    QByteArray cookieScope; // what the next page's cookie is bound to (PagingCookie::scope)
};

// Which annotations "Prefer: odata.include-annotations=…" asks for; "*" asks for all.
struct Annotations
{
    bool formatted = false;
    bool lookups = false;
    QByteArray applied; // the preference as echoed in Preference-Applied
};

// $select and $expand: what both reads and "return=representation" writes understand.
std::optional<HttpResponse> parseShape(const QUrlQuery &params, const EntitySetDef &set, SandboxStore::Query &query);
// Every option of a read; a single record (singleRecord) takes only $select and $expand. A $skiptoken must be a
// paging cookie signed with pagingSecret for the same query (PagingCookie).
std::variant<Read, HttpResponse> parseRead(const QUrlQuery &params, const EntitySetDef &set, bool singleRecord,
                                           const QByteArray &pagingSecret);

// odata.maxpagesize from the Prefer header, which may carry several comma-separated preferences.
std::optional<int> preferredPageSize(const QByteArray &prefer);
Annotations requestedAnnotations(const QByteArray &prefer);

// The message for a property the set does not have.
QString propertyNotFound(const QString &name, const EntitySetDef &set);

} // namespace QueryOptions
