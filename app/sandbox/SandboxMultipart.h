#pragma once

#include "app/sandbox/SandboxHttp.h"
#include "models/Result.h"

#include <QByteArray>
#include <QList>

// multipart/mixed as the sandbox reads $batch requests and writes their replies (RFC 2046 §5.1, the format OData's
// $batch uses; docs/web-api.md). Written apart from the client's reader and writer, so that a misreading of the
// format in one cannot hide the same misreading in the other.
namespace SandboxMultipart {

// One body part: its header fields and what follows the empty line after them.
struct Part
{
    HttpHeaders headers;
    QByteArray content;
};

// The boundary parameter of a multipart Content-Type, unquoted; empty when there is none.
QByteArray boundaryParameter(const QByteArray &contentType);

// The body parts between "--boundary" delimiter lines, up to the "--boundary--" close delimiter. A line ends with
// CRLF or LF; the line break before a delimiter belongs to the delimiter. The preamble and epilogue are ignored.
// BadInput when no delimiter is found or the close delimiter is missing.
Result<QList<Part>> read(const QByteArray &body, const QByteArray &boundary);

// Header fields up to the first empty line (folded lines joined), and the rest after that line.
Part readHeaders(const QByteArray &text);

// Writes a multipart body part by part, with CRLF line breaks.
class Writer final
{
public:
    explicit Writer(QByteArray boundary);

    const QByteArray &boundary() const { return m_boundary; }
    void addPart(const HttpHeaders &headers, const QByteArray &content);
    // The body with its close delimiter, without a line break after it.
    QByteArray finish() const;

private:
    QByteArray m_boundary;
    QByteArray m_body;
};

} // namespace SandboxMultipart
