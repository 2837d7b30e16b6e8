#pragma once

#include "app/dataverse/NextLinkTrail.h"
#include "app/dataverse/WebApiTransport.h"
#include "models/Result.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>

// Walks a collection's pages by their @odata.nextLink: each page is asked for while the one before is parsed, so
// that transfer and parsing overlap, and only the current page's body and the next one's are held. The parsed reply
// decides which link is followed (a prefetch of anything else is dropped), a link to another origin is refused, and
// a link given before ends the walk with an error (NextLinkTrail), and destroying the context cancels the walk
// (docs/web-api.md, paging).
class PageWalker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PageWalker)
public:
    // Parses a page's body, keeping what it wants, and returns its @odata.nextLink (empty after the last) or an
    // Error, which ends the walk.
    using PageParser = std::function<Result<QUrl>(const QByteArray &body)>;

    // transport is not owned; orgUrl is the organization whose pages may be followed.
    PageWalker(WebApiTransport *transport, QUrl orgUrl, QObject *parent = nullptr);
    // Rows per page asked for with Prefer: odata.maxpagesize (the Web API caps it at 5000).
    void setMaxPageSize(int rows) { m_maxPageSize = rows; }

    // Walks from url to the last page; done is called once, unless context is destroyed first.
    void walk(const QUrl &url, QObject *context, std::shared_ptr<PageParser> onPage,
              std::function<void(Result<Done>)> done);

    // Whether a link leads to the organization's own origin (scheme, host and port), the only one followed.
    bool mayFollow(const QUrl &link) const;
    // The error for a next link that leads to another origin.
    static Error foreignLink(const QUrl &link);

private:
    struct PendingPage;
    // The links one walk has followed, and the collection it reads as its first page's address names it
    // (".../msdyn_ocliveworkitems?$select=..."), for the error.
    struct Trail
    {
        NextLinkTrail links;
        QString collection;
    };
    std::shared_ptr<PendingPage> requestPage(const QUrl &url, QObject *context);
    void walkPages(std::shared_ptr<PendingPage> current, std::shared_ptr<Trail> trail, QPointer<QObject> context,
                   std::shared_ptr<PageParser> onPage, std::function<void(Result<Done>)> done);

    WebApiTransport *m_transport;
    QUrl m_orgUrl;
    int m_maxPageSize = 5000;
};
