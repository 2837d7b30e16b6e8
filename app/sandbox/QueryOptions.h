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
    SandboxStore::Query query;
    std::optional<qint64> top;
    bool count = false;
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
// Every option of a read; a single record (singleRecord) takes only $select and $expand.
std::variant<Read, HttpResponse> parseRead(const QUrlQuery &params, const EntitySetDef &set, bool singleRecord);

// odata.maxpagesize from the Prefer header, which may carry several comma-separated preferences.
std::optional<int> preferredPageSize(const QByteArray &prefer);
Annotations requestedAnnotations(const QByteArray &prefer);

// The opaque paging token: only the sandbox reads it, clients pass it back verbatim inside @odata.nextLink.
QString encodeSkipToken(qint64 offset);

// The message for a property the set does not have.
QString propertyNotFound(const QString &name, const EntitySetDef &set);

} // namespace QueryOptions
