#include "app/sandbox/BatchMessage.h"

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

// Headers up to the first empty line; the rest is the body. Returns the body's offset in text.
qsizetype headerBlock(const QByteArray &text, HttpHeaders &headers)
{
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype end = text.indexOf('\n', pos);
        if (end < 0)
            end = text.size();
        QByteArray line = text.mid(pos, end - pos);
        if (line.endsWith('\r'))
            line.chop(1);
        pos = end + 1;
        if (line.isEmpty())
            return pos;
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.append({line.first(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return text.size();
}

QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// The parts between "--boundary" delimiters, up to "--boundary--".
Result<QList<QByteArray>> split(const QByteArray &body, const QByteArray &boundary)
{
    const QByteArray delimiter = "--" + boundary;
    QList<QByteArray> parts;
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0)
        return Error::badInput(u"The batch body has no part delimited by --%1."_s.arg(QString::fromLatin1(boundary)));
    for (;;) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            return parts;
        const qsizetype next = body.indexOf(delimiter, pos);
        if (next < 0)
            return Error::badInput(
                u"The batch body does not end with --%1-- (part %2 is not closed)."_s.arg(QString::fromLatin1(boundary))
                    .arg(parts.size() + 1));
        QByteArray part = body.mid(pos, next - pos);
        // The line break before a delimiter belongs to the delimiter.
        if (part.endsWith("\r\n"))
            part.chop(2);
        else if (part.endsWith('\n'))
            part.chop(1);
        if (part.startsWith("\r\n"))
            part.remove(0, 2);
        else if (part.startsWith('\n'))
            part.remove(0, 1);
        parts << part;
        pos = next;
    }
}

Result<BatchMessage::Part> parseRequest(const QByteArray &mimePart, const QString &where)
{
    HttpHeaders mimeHeaders;
    const qsizetype offset = headerBlock(mimePart, mimeHeaders);
    if (!headerValue(mimeHeaders, "Content-Type").startsWith("application/http"))
        return Error::badInput(u"%1 is not Content-Type: application/http."_s.arg(where));
    const QByteArray http = mimePart.mid(offset);
    const qsizetype lineEnd = http.indexOf('\n');
    const QByteArray requestLine = (lineEnd < 0 ? http : http.first(lineEnd)).trimmed();
    const QList<QByteArray> words = requestLine.split(' ');
    if (words.size() < 2 || words.size() > 3 || (words.size() == 3 && !words.at(2).startsWith("HTTP/")))
        return Error::badInput(u"%1 has no request line such as \"PATCH <url> HTTP/1.1\"."_s.arg(where));
    BatchMessage::Part part;
    part.contentId = headerValue(mimeHeaders, "Content-ID");
    part.request.method = words.at(0).toUpper();
    part.request.url = QUrl::fromEncoded(words.at(1));
    if (!part.request.url.isValid())
        return Error::badInput(u"%1 has an invalid URL."_s.arg(where));
    const QByteArray rest = lineEnd < 0 ? QByteArray() : http.mid(lineEnd + 1);
    const qsizetype bodyOffset = headerBlock(rest, part.request.headers);
    part.request.body = rest.mid(bodyOffset).trimmed();
    return part;
}
} // namespace

QByteArray BatchMessage::boundaryOf(const QByteArray &contentType)
{
    for (const QByteArray &param : contentType.split(';')) {
        const QByteArray p = param.trimmed();
        if (p.startsWith("boundary="))
            return QByteArray(p.mid(9)).replace('"', "");
    }
    return {};
}

Result<QList<BatchMessage::Item>> BatchMessage::parse(const QByteArray &body, const QByteArray &boundary)
{
    const auto parts = split(body, boundary);
    if (!parts)
        return parts.error();
    QList<Item> items;
    for (qsizetype i = 0; i < parts.value().size(); ++i) {
        const QByteArray &part = parts.value().at(i);
        HttpHeaders headers;
        const qsizetype offset = headerBlock(part, headers);
        const QByteArray contentType = headerValue(headers, "Content-Type");
        const QString where = u"Batch part %1"_s.arg(i + 1);
        Item item;
        if (contentType.startsWith("multipart/mixed")) {
            item.changeSet = true;
            const QByteArray inner = boundaryOf(contentType);
            if (inner.isEmpty())
                return Error::badInput(u"%1 is a change set without a boundary."_s.arg(where));
            const auto changes = split(part.mid(offset), inner);
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
