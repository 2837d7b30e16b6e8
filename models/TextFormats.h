#pragma once

#include <QByteArray>
#include <QString>

// Fields of the text files the product writes — CSV (the preview list, snapshot comparisons) and JSON written a row at
// a time (the sandbox's pages, the streamed preview list) — in one place, so that every writer quotes the same way.
namespace TextFormats {

// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. A field that a spreadsheet would
// run as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with ' : titles come from
// customers, and an exported list is opened in Excel.
QString csvField(const QString &text);

// A JSON string literal as QJsonDocument writes it (quotes, backslashes and control characters escaped, the rest as
// UTF-8), appended to out: for documents written a row at a time, where a QJsonDocument per row costs seconds.
void appendJsonString(QByteArray *out, const QString &text);
QByteArray jsonString(const QString &text);

} // namespace TextFormats
