#pragma once

#include "app/sandbox/Keyset.h"

#include <QByteArray>
#include <QString>
#include <QUrlQuery>
#include <QVariantList>

#include <optional>

// The $skiptoken of the sandbox's @odata.nextLink (docs/web-api.md, Paging): where the next page starts (the last
// row's sort key, Keyset) and how many rows came before it (so that $top still counts), signed with HMAC-SHA256
// under the data directory's secret together with the query it pages. Clients pass it back verbatim; one changed
// or presented with another query is refused, since its key would start a page at a row of some other ordering.
struct PagingCookie
{
    QVariantList key; // one value per column of the read's ordering, a null QVariant for NULL
    qint64 delivered = 0; // rows on the pages before

    // What a cookie is bound to: the entity set and the options that choose and order its rows.
    static QByteArray scope(const QString &entitySet, const QUrlQuery &params);

    // base64url text, opaque to clients.
    QString encode(const QByteArray &secret, const QByteArray &scope) const;
    // Only a token this sandbox (or another serving the same data directory, with the same secret) made for this
    // scope, holding a key of ordering's shape; nullopt for anything else.
    static std::optional<PagingCookie> decode(const QString &token, const QByteArray &secret, const QByteArray &scope,
                                              const QList<Keyset::SortColumn> &ordering);

    // A new random secret, as stored once per data directory.
    static QByteArray newSecret();
};
