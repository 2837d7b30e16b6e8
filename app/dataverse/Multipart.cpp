#include "app/dataverse/Multipart.h"

#include <QString>

using namespace Qt::StringLiterals;

QByteArray Multipart::boundaryOf(const QByteArray &contentType)
{
    for (const QByteArray &param : contentType.split(';')) {
        const QByteArray p = param.trimmed();
        if (p.startsWith("boundary="))
            return QByteArray(p.mid(9)).replace('"', "");
    }
    return {};
}

Result<QList<QByteArray>> Multipart::split(const QByteArray &body, const QByteArray &boundary)
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

qsizetype Multipart::readHeaders(const QByteArray &text, Headers &headers)
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

QByteArray Multipart::header(const Headers &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}
