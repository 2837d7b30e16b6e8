#pragma once

#include "models/Result.h"

#include <QSet>
#include <QUrl>

#include <optional>

// The @odata.nextLink values of one walk through a collection's pages. Each link must be new: a service that sends
// a link it sent before would have the walk go round in circles, fetching the same pages (and counting their rows
// again) until the walk's page limit, which at 5,000 rows a page is half a billion rows away. A repeat, or a walk
// longer than the limit, ends the walk with an error instead (docs/web-api.md, Paging).
class NextLinkTrail
{
public:
    // More pages than any table of an environment fills: 100,000 pages of 5,000 rows.
    static constexpr int MaxPages = 100000;

    // The page the walk starts at (a query, not a next link): a link back to it is a repeat too.
    NextLinkTrail() = default;
    explicit NextLinkTrail(const QUrl &first);

    // Records link as followed. Returns the error that ends the walk instead when link was followed before or the
    // walk would go past MaxPages; what names the collection in that error ("conversations", "audit table").
    std::optional<Error> follow(const QUrl &link, const QString &what);

    // Whether link would be a new page of this walk (what follow() checks first), without recording it.
    bool isNew(const QUrl &link) const { return !m_seen.contains(pageKey(link)); }
    int pagesFollowed() const { return m_pages; }

    // What identifies the page a link asks for, however it is written.
    static QString pageKey(const QUrl &link);
    // The error for a link back to a page already read; atPage is where the walk was, 0 when not known.
    static Error loopError(const QUrl &link, const QString &what, int atPage);

private:
    QSet<QString> m_seen;
    int m_pages = 0;
};
