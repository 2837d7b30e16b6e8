#include "app/dataverse/PageWalker.h"

#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>
#include <QScopeGuard>
#include <QTimer>

#include <algorithm>

bool PageWalker::mayFollow(const QUrl &link) const
{
    return link.scheme() == m_orgUrl.scheme() && link.host() == m_orgUrl.host() && link.port() == m_orgUrl.port();
}

Error PageWalker::foreignLink(const QUrl &link)
{
    Error e;
    e.kind = Error::Kind::BadReply;
    e.userMessage = QCoreApplication::translate("DataverseClient",
                                                "The environment sent a link to a next page that leads elsewhere "
                                                "(%1); it was not followed.")
                        .arg(link.host());
    return e;
}

PageWalker::PageWalker(WebApiTransport *transport, QUrl orgUrl, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_orgUrl(std::move(orgUrl))
{ }

// A page asked for: its body once it has arrived, and who waits for it. The receiver the request was sent for owns
// it: the page lives until the receiver is deleted — with the context (a cancelled walk), or by release() once the
// page is used or no longer wanted — and its answer is dropped with it.
struct PageWalker::PendingPage
{
    QUrl url;
    std::optional<Result<QByteArray>> body;
    std::function<void()> onArrival;
    QPointer<QObject> receiver;

    void release()
    {
        if (receiver)
            receiver->deleteLater();
    }
};

namespace {
// The QObject a page's request is sent for, owning the page.
class PageReceiver final : public QObject
{
public:
    using QObject::QObject;
    std::shared_ptr<void> page;
};
} // namespace

std::shared_ptr<PageWalker::PendingPage> PageWalker::requestPage(const QUrl &url, QObject *context)
{
    auto pending = std::make_shared<PendingPage>();
    pending->url = url;
    auto *receiver = new PageReceiver(context); // gone with the context: a cancelled walk hears nothing more
    receiver->page = pending;
    pending->receiver = receiver;
    WebApiTransport::Call call;
    call.url = url;
    call.headers = {{"Prefer", "odata.maxpagesize=" + QByteArray::number(std::clamp(m_maxPageSize, 1, 5000))}};
    std::weak_ptr<PendingPage> weak = pending;
    m_transport->send(call, receiver, [weak](Result<WebApiTransport::Reply> reply) {
        const auto page = weak.lock();
        if (!page)
            return;
        page->body = reply ? Result<QByteArray>(std::move(reply).value().body) : Result<QByteArray>(reply.error());
        if (page->onArrival)
            std::exchange(page->onArrival, {})();
    });
    return pending;
}

void PageWalker::walk(const QUrl &url, QObject *context, std::shared_ptr<PageParser> onPage,
                      std::function<void(Result<Done>)> done)
{
    walkPages(requestPage(url, context),
              std::make_shared<Trail>(Trail {NextLinkTrail(url), url.path().section(u'/', -1)}), context,
              std::move(onPage), std::move(done));
}

void PageWalker::walkPages(std::shared_ptr<PendingPage> current, std::shared_ptr<Trail> trail,
                           QPointer<QObject> context, std::shared_ptr<PageParser> onPage,
                           std::function<void(Result<Done>)> done)
{
    auto step = [this, trail, context, onPage, done](const std::shared_ptr<PendingPage> &page) {
        page->release(); // its body is taken now
        if (!context)
            return; // cancelled
        auto body = std::make_shared<Result<QByteArray>>(std::move(*page->body));
        if (!*body) {
            done(body->error());
            return;
        }
        // The next page is asked for before this one is parsed, and the parsing waits for the event loop to send
        // that request, so that the next transfer overlaps it. The parsed reply has the last word on the link: a
        // prefetch of anything else is dropped.
        std::shared_ptr<PendingPage> next;
        const QUrl peeked = WebApiReply::peekNextLink(body->value());
        if (!peeked.isEmpty() && mayFollow(peeked) && trail->links.isNew(peeked))
            next = requestPage(peeked, context);
        QTimer::singleShot(0, this, [this, body, next, trail, context, onPage, done]() mutable {
            // Whatever ends the walk here drops the page asked for in advance.
            auto dropNext = qScopeGuard([&next] {
                if (next)
                    next->release();
            });
            if (!context)
                return; // cancelled
            const Result<QUrl> link = (*onPage)(body->value());
            body.reset(); // this page's text is no longer needed
            if (!link) {
                done(link.error());
                return;
            }
            if (!context)
                return; // cancelled while the page was handled
            if (link.value().isEmpty()) {
                done(Done {});
                return;
            }
            if (!mayFollow(link.value())) {
                done(foreignLink(link.value()));
                return;
            }
            if (auto refused = trail->links.follow(link.value(), trail->collection)) {
                done(*refused);
                return;
            }
            if (!next || next->url != link.value()) {
                if (next)
                    next->release();
                next = requestPage(link.value(), context);
            }
            dropNext.dismiss();
            walkPages(next, trail, context, onPage, done);
        });
    };
    if (!current->body) {
        // Waits without owning the page (its receiver does): no cycle through the page's own callback.
        current->onArrival = [weak = std::weak_ptr<PendingPage>(current), step] {
            if (const auto page = weak.lock())
                step(page);
        };
        return;
    }
    // Already here (it arrived while the previous page was parsed): go on from the event loop, not deeper in the
    // stack.
    QTimer::singleShot(0, this, [current, step] { step(current); });
}
