#include "app/sandbox/BatchHandler.h"

#include "app/sandbox/BatchMessage.h"
#include "app/sandbox/SandboxMultipart.h"
#include "app/sandbox/SandboxStore.h"

#include <QUuid>

#include <optional>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

namespace {
QByteArray newBoundary(const QByteArray &prefix)
{
    return prefix + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}
} // namespace

BatchHandler::BatchHandler(SandboxStore *store, Dispatch dispatch)
    : m_store(store)
    , m_dispatch(std::move(dispatch))
{ }

HttpRequest BatchHandler::innerRequest(const HttpRequest &batch, HttpRequest inner) const
{
    // Inner URLs may be absolute, a path from the organization root ("/api/data/v9.2/…") or relative to the Web
    // API root ("msdyn_x(…)"); all are served by this sandbox, whatever host they name.
    const QString path = inner.url.path();
    QUrl url = batch.url;
    if (path.startsWith(u'/'))
        url.setPath(path);
    else
        url.setPath(batch.url.path().section(u'/', 0, 3) + u'/' + path);
    url.setQuery(inner.url.query(QUrl::FullyEncoded), QUrl::StrictMode);
    inner.url = url;
    // The batch's credentials cover its parts.
    if (inner.header("Authorization").isEmpty())
        inner.headers.append({"Authorization", batch.header("Authorization")});
    return inner;
}

HttpResponse BatchHandler::batch(const HttpRequest &request) const
{
    constexpr qsizetype MaxRequests = 1000; // docs/web-api.md
    const QByteArray boundary = BatchMessage::boundaryOf(request.header("Content-Type"));
    if (!request.header("Content-Type").startsWith("multipart/mixed") || boundary.isEmpty())
        return badQuery(u"A $batch request needs Content-Type: multipart/mixed; boundary=…"_s);
    const auto items = BatchMessage::parse(request.body, boundary);
    if (!items)
        return badQuery(items.error().userMessage);
    qsizetype requests = 0;
    for (const BatchMessage::Item &item : items.value())
        requests += item.parts.size();
    if (requests > MaxRequests)
        return badQuery(u"A $batch holds at most %1 requests; this one has %2."_s.arg(MaxRequests).arg(requests));

    const bool continueOnError = request.header("Prefer").contains("odata.continue-on-error");
    SandboxMultipart::Writer reply(newBoundary("batchresponse_"));
    int status = 200;
    for (const BatchMessage::Item &item : items.value()) {
        if (!item.changeSet) {
            const HttpResponse response = m_dispatch(innerRequest(request, item.parts.constFirst().request));
            BatchMessage::addResponse(reply, response);
            if (response.status >= 400 && !continueOnError) {
                // Without odata.continue-on-error the batch stops at the first failure and takes its status
                // (docs/web-api.md).
                status = response.status;
                break;
            }
            continue;
        }
        // A change set commits as a whole or not at all; a failure answers for the whole set.
        if (auto begun = m_store->savepoint(u"changeset"_s); !begun)
            return error(500, {}, begun.error().describe());
        SandboxMultipart::Writer changes(newBoundary("changesetresponse_"));
        std::optional<std::pair<HttpResponse, QByteArray>> failure;
        for (const BatchMessage::Part &part : item.parts) {
            const HttpResponse response = m_dispatch(innerRequest(request, part.request));
            if (response.status >= 400) {
                failure = std::pair(response, part.contentId);
                break;
            }
            BatchMessage::addResponse(changes, response, part.contentId);
        }
        if (failure) {
            // The failed change set is answered by the failing request's response alone, an application/http part
            // of the batch (not a nested multipart), with that request's Content-ID (docs/web-api.md: not
            // documented by Microsoft, UNCONFIRMED).
            m_store->rollbackTo(u"changeset"_s);
            BatchMessage::addResponse(reply, failure->first, failure->second);
            if (!continueOnError) {
                status = failure->first.status;
                break;
            }
            continue;
        }
        if (auto released = m_store->release(u"changeset"_s); !released) {
            m_store->rollbackTo(u"changeset"_s);
            return error(500, {}, released.error().describe());
        }
        reply.addPart({{"Content-Type", "multipart/mixed; boundary=" + changes.boundary()}}, changes.finish());
    }

    HttpResponse response;
    response.status = status;
    response.headers = commonHeaders();
    response.headers << std::pair<QByteArray, QByteArray>("Content-Type",
                                                          "multipart/mixed; boundary=" + reply.boundary());
    if (continueOnError)
        response.headers << std::pair<QByteArray, QByteArray>("Preference-Applied", "odata.continue-on-error");
    response.body = reply.finish() + "\r\n";
    return response;
}
