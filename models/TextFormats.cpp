#include "models/TextFormats.h"

using namespace Qt::StringLiterals;

QString TextFormats::csvField(const QString &text)
{
    static const QString FormulaStarts = u"=+-@\t\r"_s;
    const QString safe = !text.isEmpty() && FormulaStarts.contains(text.front()) ? u'\'' + text : text;
    if (!safe.contains(u',') && !safe.contains(u'"') && !safe.contains(u'\n') && !safe.contains(u'\r'))
        return safe;
    return u'"' + QString(safe).replace(u"\""_s, u"\"\""_s) + u'"';
}

void TextFormats::appendJsonString(QByteArray *out, const QString &text)
{
    static const char Hex[] = "0123456789abcdef";
    out->append('"');
    const QByteArray utf8 = text.toUtf8(); // whole: a surrogate pair becomes one character
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out->append("\\\"");
            break;
        case '\\':
            out->append("\\\\");
            break;
        case '\b':
            out->append("\\b");
            break;
        case '\f':
            out->append("\\f");
            break;
        case '\n':
            out->append("\\n");
            break;
        case '\r':
            out->append("\\r");
            break;
        case '\t':
            out->append("\\t");
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out->append("\\u00");
                out->append(Hex[(c >> 4) & 0xF]);
                out->append(Hex[c & 0xF]);
            } else {
                out->append(c);
            }
        }
    }
    out->append('"');
}

QByteArray TextFormats::jsonString(const QString &text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    appendJsonString(&out, text);
    return out;
}
