#pragma once

#include "models/Result.h"

#include <QByteArray>
#include <QList>

#include <utility>

// multipart/mixed as $batch uses it (OData 4.0 §11.7, RFC 2046), as the client reads a batch's reply. The sandbox
// has its own reader and writer (app/sandbox/SandboxMultipart), so that one mistake cannot hide in both.
namespace Multipart {
using Headers = QList<std::pair<QByteArray, QByteArray>>;

// The boundary parameter of a Content-Type; empty when there is none.
QByteArray boundaryOf(const QByteArray &contentType);

// The parts between "--boundary" lines, up to "--boundary--". BadInput when the body is not closed.
Result<QList<QByteArray>> split(const QByteArray &body, const QByteArray &boundary);

// Reads header lines up to the first empty line into headers; returns where the content starts.
qsizetype readHeaders(const QByteArray &text, Headers &headers);

QByteArray header(const Headers &headers, const QByteArray &name);
} // namespace Multipart
