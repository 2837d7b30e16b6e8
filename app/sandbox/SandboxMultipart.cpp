#include "app/sandbox/SandboxMultipart.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// A line of text: where it starts, where its content ends (before CR LF or LF) and where the next line starts.
struct Line
{
    qsizetype begin = 0;
    qsizetype end = 0;
    qsizetype next = 0;
};

Line lineAt(const QByteArray &text, qsizetype begin)
{
    Line line;
    line.begin = begin;
    const qsizetype lf = text.indexOf('\n', begin);
    line.next = lf < 0 ? text.size() : lf + 1;
    line.end = lf < 0 ? text.size() : lf;
    if (line.end > begin && text.at(line.end - 1) == '\r')
        --line.end;
    return line;
}

// Where the line break before this line starts: the break belongs to the delimiter that follows it.
qsizetype breakBefore(const QByteArray &text, qsizetype lineBegin)
{
    qsizetype at = lineBegin;
    if (at > 0 && text.at(at - 1) == '\n')
        --at;
    if (at > 0 && text.at(at - 1) == '\r')
        --at;
    return at;
}

enum class LineKind { Other, Delimiter, Close };

LineKind kindOf(const QByteArray &text, const Line &line, const QByteArray &dashBoundary)
{
    const QByteArrayView content(text.constData() + line.begin, line.end - line.begin);
    if (!content.startsWith(dashBoundary))
        return LineKind::Other;
    QByteArrayView rest = content.sliced(dashBoundary.size());
    bool close = false;
    if (rest.startsWith("--")) {
        close = true;
        rest = rest.sliced(2);
    }
    // Only transport padding (spaces and tabs) may follow the boundary on its line.
    for (const char c : rest) {
        if (c != ' ' && c != '\t')
            return LineKind::Other;
    }
    return close ? LineKind::Close : LineKind::Delimiter;
}
} // namespace

QByteArray SandboxMultipart::boundaryParameter(const QByteArray &contentType)
{
    const QList<QByteArray> fields = contentType.split(';');
    for (qsizetype i = 1; i < fields.size(); ++i) {
        const QByteArray field = fields.at(i).trimmed();
        const qsizetype equals = field.indexOf('=');
        if (equals < 0 || field.first(equals).trimmed().compare("boundary", Qt::CaseInsensitive) != 0)
            continue;
        QByteArray value = field.sliced(equals + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.sliced(1, value.size() - 2);
        return value;
    }
    return {};
}

Result<QList<SandboxMultipart::Part>> SandboxMultipart::read(const QByteArray &body, const QByteArray &boundary)
{
    const QByteArray dashBoundary = "--" + boundary;
    QList<Part> parts;
    qsizetype partBegin = -1; // where the content of the part being read starts; -1: still in the preamble
    for (qsizetype at = 0; at < body.size();) {
        const Line line = lineAt(body, at);
        at = line.next;
        const LineKind kind = kindOf(body, line, dashBoundary);
        if (kind == LineKind::Other)
            continue;
        if (partBegin >= 0)
            parts << readHeaders(
                body.sliced(partBegin, std::max<qsizetype>(0, breakBefore(body, line.begin) - partBegin)));
        if (kind == LineKind::Close)
            return parts;
        partBegin = line.next;
    }
    if (partBegin < 0)
        return Error::badInput(u"The batch body has no part delimited by --%1."_s.arg(QString::fromLatin1(boundary)));
    return Error::badInput(
        u"The batch body does not end with --%1-- (part %2 is not closed)."_s.arg(QString::fromLatin1(boundary))
            .arg(parts.size() + 1));
}

SandboxMultipart::Part SandboxMultipart::readHeaders(const QByteArray &text)
{
    Part part;
    qsizetype at = 0;
    while (at < text.size()) {
        const Line line = lineAt(text, at);
        at = line.next;
        const QByteArray content = text.sliced(line.begin, line.end - line.begin);
        if (content.isEmpty())
            break;
        if ((content.startsWith(' ') || content.startsWith('\t')) && !part.headers.isEmpty()) {
            // A folded line continues the field before it.
            part.headers.last().second += ' ' + content.trimmed();
            continue;
        }
        const qsizetype colon = content.indexOf(':');
        if (colon <= 0)
            continue; // not a header field: skipped, as a lenient reader does
        part.headers.append({content.first(colon).trimmed(), content.sliced(colon + 1).trimmed()});
    }
    part.content = text.sliced(std::min(at, text.size()));
    return part;
}

SandboxMultipart::Writer::Writer(QByteArray boundary)
    : m_boundary(std::move(boundary))
{ }

void SandboxMultipart::Writer::addPart(const HttpHeaders &headers, const QByteArray &content)
{
    if (!m_body.isEmpty())
        m_body += "\r\n"; // the line break before a delimiter belongs to it
    m_body += "--" + m_boundary + "\r\n";
    for (const auto &[name, value] : headers)
        m_body += name + ": " + value + "\r\n";
    m_body += "\r\n" + content;
}

QByteArray SandboxMultipart::Writer::finish() const
{
    return m_body + (m_body.isEmpty() ? "" : "\r\n") + "--" + m_boundary + "--";
}
