#include "app/sandbox/BatchMessage.h"

#include <QStringList>

using namespace Qt::StringLiterals;
using SandboxHttp::headerValue;

namespace {
QByteArray statusText(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 412:
        return "Precondition Failed";
    case 429:
        return "Too Many Requests";
    default:
        return status >= 500 ? "Internal Server Error" : "Unknown";
    }
}

// An application/http part: the request line, the request's header fields and its body.
Result<BatchMessage::Part> parseRequest(const SandboxMultipart::Part &mime, const QString &where)
{
    if (!headerValue(mime.headers, "Content-Type").startsWith("application/http"))
        return Error::badInput(u"%1 is not Content-Type: application/http."_s.arg(where));
    const QByteArray &http = mime.content;
    const qsizetype lineEnd = http.indexOf('\n');
    const QByteArray requestLine = (lineEnd < 0 ? http : http.first(lineEnd)).trimmed();
    const QList<QByteArray> words = requestLine.split(' ');
    if (words.size() < 2 || words.size() > 3 || (words.size() == 3 && !words.at(2).startsWith("HTTP/")))
        return Error::badInput(u"%1 has no request line such as \"PATCH <url> HTTP/1.1\"."_s.arg(where));
    BatchMessage::Part part;
    part.contentId = headerValue(mime.headers, "Content-ID");
    part.request.method = words.at(0).toUpper();
    part.request.url = QUrl::fromEncoded(words.at(1));
    if (!part.request.url.isValid())
        return Error::badInput(u"%1 has an invalid URL."_s.arg(where));
    const SandboxMultipart::Part message =
        SandboxMultipart::readHeaders(lineEnd < 0 ? QByteArray() : http.sliced(lineEnd + 1));
    part.request.headers = message.headers;
    part.request.body = message.content.trimmed();
    return part;
}
} // namespace

QByteArray BatchMessage::boundaryOf(const QByteArray &contentType)
{
    return SandboxMultipart::boundaryParameter(contentType);
}

Result<QList<BatchMessage::Item>> BatchMessage::parse(const QByteArray &body, const QByteArray &boundary)
{
    const auto parts = SandboxMultipart::read(body, boundary);
    if (!parts)
        return parts.error();
    QList<Item> items;
    for (qsizetype i = 0; i < parts.value().size(); ++i) {
        const SandboxMultipart::Part &part = parts.value().at(i);
        const QByteArray contentType = headerValue(part.headers, "Content-Type");
        const QString where = u"Batch part %1"_s.arg(i + 1);
        Item item;
        if (contentType.startsWith("multipart/mixed")) {
            item.changeSet = true;
            const QByteArray inner = boundaryOf(contentType);
            if (inner.isEmpty())
                return Error::badInput(u"%1 is a change set without a boundary."_s.arg(where));
            const auto changes = SandboxMultipart::read(part.content, inner);
            if (!changes)
                return Error::badInput(where + u": "_s + changes.error().userMessage);
            for (qsizetype j = 0; j < changes.value().size(); ++j) {
                auto request = parseRequest(changes.value().at(j), u"%1, change %2"_s.arg(where).arg(j + 1));
                if (!request)
                    return request.error();
                if (request.value().request.method == "GET")
                    return Error::badInput(
                        u"%1, change %2 is a GET; change sets hold only changes."_s.arg(where).arg(j + 1));
                item.parts << request.value();
            }
        } else {
            auto request = parseRequest(part, where);
            if (!request)
                return request.error();
            item.parts << request.value();
        }
        items << item;
    }
    return items;
}

void BatchMessage::addResponse(SandboxMultipart::Writer &writer, const HttpResponse &response,
                               const QByteArray &contentId)
{
    HttpHeaders mime {{"Content-Type", "application/http"}, {"Content-Transfer-Encoding", "binary"}};
    if (!contentId.isEmpty())
        mime.append({"Content-ID", contentId});
    QByteArray http = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + statusText(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        http += name + ": " + value + "\r\n";
    http += "\r\n" + response.body;
    writer.addPart(mime, http);
}
