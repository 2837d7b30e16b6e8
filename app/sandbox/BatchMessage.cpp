#include "app/sandbox/BatchMessage.h"

#include "app/dataverse/Multipart.h"

#include <QStringList>

using namespace Qt::StringLiterals;

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

Result<BatchMessage::Part> parseRequest(const QByteArray &mimePart, const QString &where)
{
    HttpHeaders mimeHeaders;
    const qsizetype offset = Multipart::readHeaders(mimePart, mimeHeaders);
    if (!Multipart::header(mimeHeaders, "Content-Type").startsWith("application/http"))
        return Error::badInput(u"%1 is not Content-Type: application/http."_s.arg(where));
    const QByteArray http = mimePart.mid(offset);
    const qsizetype lineEnd = http.indexOf('\n');
    const QByteArray requestLine = (lineEnd < 0 ? http : http.first(lineEnd)).trimmed();
    const QList<QByteArray> words = requestLine.split(' ');
    if (words.size() < 2 || words.size() > 3 || (words.size() == 3 && !words.at(2).startsWith("HTTP/")))
        return Error::badInput(u"%1 has no request line such as \"PATCH <url> HTTP/1.1\"."_s.arg(where));
    BatchMessage::Part part;
    part.contentId = Multipart::header(mimeHeaders, "Content-ID");
    part.request.method = words.at(0).toUpper();
    part.request.url = QUrl::fromEncoded(words.at(1));
    if (!part.request.url.isValid())
        return Error::badInput(u"%1 has an invalid URL."_s.arg(where));
    const QByteArray rest = lineEnd < 0 ? QByteArray() : http.mid(lineEnd + 1);
    const qsizetype bodyOffset = Multipart::readHeaders(rest, part.request.headers);
    part.request.body = rest.mid(bodyOffset).trimmed();
    return part;
}
} // namespace

QByteArray BatchMessage::boundaryOf(const QByteArray &contentType)
{
    return Multipart::boundaryOf(contentType);
}

Result<QList<BatchMessage::Item>> BatchMessage::parse(const QByteArray &body, const QByteArray &boundary)
{
    const auto parts = Multipart::split(body, boundary);
    if (!parts)
        return parts.error();
    QList<Item> items;
    for (qsizetype i = 0; i < parts.value().size(); ++i) {
        const QByteArray &part = parts.value().at(i);
        HttpHeaders headers;
        const qsizetype offset = Multipart::readHeaders(part, headers);
        const QByteArray contentType = Multipart::header(headers, "Content-Type");
        const QString where = u"Batch part %1"_s.arg(i + 1);
        Item item;
        if (contentType.startsWith("multipart/mixed")) {
            item.changeSet = true;
            const QByteArray inner = boundaryOf(contentType);
            if (inner.isEmpty())
                return Error::badInput(u"%1 is a change set without a boundary."_s.arg(where));
            const auto changes = Multipart::split(part.mid(offset), inner);
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

QByteArray BatchMessage::responsePart(const HttpResponse &response, const QByteArray &contentId)
{
    QByteArray out = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n";
    if (!contentId.isEmpty())
        out += "Content-ID: " + contentId + "\r\n";
    out += "\r\nHTTP/1.1 " + QByteArray::number(response.status) + ' ' + statusText(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n" + response.body + "\r\n";
    return out;
}
