#include "app/dataverse/JsonScanner.h"

#include <QByteArrayView>
#include <QCoreApplication>

namespace {
constexpr qsizetype MaxDepth = 64;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(QByteArray *out, char32_t cp)
{
    if (cp < 0x80) {
        out->append(char(cp));
    } else if (cp < 0x800) {
        out->append(char(0xC0 | (cp >> 6)));
        out->append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out->append(char(0xE0 | (cp >> 12)));
        out->append(char(0x80 | ((cp >> 6) & 0x3F)));
        out->append(char(0x80 | (cp & 0x3F)));
    } else {
        out->append(char(0xF0 | (cp >> 18)));
        out->append(char(0x80 | ((cp >> 12) & 0x3F)));
        out->append(char(0x80 | ((cp >> 6) & 0x3F)));
        out->append(char(0x80 | (cp & 0x3F)));
    }
}

// The length of the valid UTF-8 sequence starting at p (whose first byte is >= 0x80), or 0.
qsizetype utf8SequenceLength(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    qsizetype n = 0;
    char32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (end - p < n)
        return 0;
    for (qsizetype i = 1; i < n; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}
} // namespace

JsonScanner::JsonScanner(QByteArrayView text)
    : m_begin(text.data())
    , m_end(text.data() + text.size())
{ }

bool JsonScanner::fail(const char *what)
{
    if (m_error.isEmpty())
        m_error = QCoreApplication::translate("JsonScanner", what);
    return false;
}

void JsonScanner::skipWhitespace()
{
    while (m_begin + m_pos < m_end) {
        const char c = m_begin[m_pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return;
        ++m_pos;
    }
}

bool JsonScanner::expect(char c, const char *what)
{
    skipWhitespace();
    if (m_begin + m_pos >= m_end)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "the text ends too early"));
    if (m_begin[m_pos] != c)
        return fail(what);
    ++m_pos;
    return true;
}

JsonScanner::Type JsonScanner::peek()
{
    if (!ok())
        return Type::Invalid;
    skipWhitespace();
    if (m_begin + m_pos >= m_end)
        return Type::Invalid;
    switch (m_begin[m_pos]) {
    case '{':
        return Type::Object;
    case '[':
        return Type::Array;
    case '"':
        return Type::String;
    case 't':
    case 'f':
        return Type::Bool;
    case 'n':
        return Type::Null;
    default:
        return m_begin[m_pos] == '-' || isDigit(m_begin[m_pos]) ? Type::Number : Type::Invalid;
    }
}

bool JsonScanner::open(char bracket, const char *expected)
{
    if (!ok() || !expect(bracket, expected))
        return false;
    if (m_first.size() >= MaxDepth)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "the values are nested too deeply"));
    m_first.append(true);
    return true;
}

bool JsonScanner::advance(char close, const char *commaExpected)
{
    if (!ok() || m_first.isEmpty())
        return false;
    skipWhitespace();
    if (m_begin + m_pos < m_end && m_begin[m_pos] == close) {
        ++m_pos;
        m_first.removeLast();
        return false;
    }
    if (!m_first.last() && !expect(',', commaExpected))
        return false;
    m_first.last() = false;
    skipWhitespace();
    if (m_begin + m_pos >= m_end)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "the text ends too early"));
    return true;
}

bool JsonScanner::beginObject()
{
    return open('{', QT_TRANSLATE_NOOP("JsonScanner", "an object was expected"));
}

bool JsonScanner::nextMember(QByteArrayView *key)
{
    if (!advance('}', QT_TRANSLATE_NOOP("JsonScanner", "a comma or the end of an object was expected")))
        return false;
    if (m_begin[m_pos] != '"')
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "a member name was expected"));
    if (!viewString(key, &m_keyScratch))
        return false;
    return expect(':', QT_TRANSLATE_NOOP("JsonScanner", "a colon was expected after a member name"));
}

bool JsonScanner::beginArray()
{
    return open('[', QT_TRANSLATE_NOOP("JsonScanner", "a list was expected"));
}

bool JsonScanner::nextElement()
{
    return advance(']', QT_TRANSLATE_NOOP("JsonScanner", "a comma or the end of a list was expected"));
}

bool JsonScanner::scanString(QByteArray *utf8)
{
    // At the opening quote.
    ++m_pos;
    const auto *p = reinterpret_cast<const unsigned char *>(m_begin + m_pos);
    const auto *end = reinterpret_cast<const unsigned char *>(m_end);
    const auto *runStart = p;
    utf8->resize(0); // keeps the capacity for the next string
    while (p < end) {
        const unsigned char c = *p;
        if (c == '"') {
            utf8->append(reinterpret_cast<const char *>(runStart), p - runStart);
            m_pos = reinterpret_cast<const char *>(p + 1) - m_begin;
            return true;
        }
        if (c < 0x20) {
            m_pos = reinterpret_cast<const char *>(p) - m_begin;
            return fail(QT_TRANSLATE_NOOP("JsonScanner", "a control character in a string"));
        }
        if (c >= 0x80) {
            const qsizetype n = utf8SequenceLength(p, end);
            if (n == 0) {
                m_pos = reinterpret_cast<const char *>(p) - m_begin;
                return fail(QT_TRANSLATE_NOOP("JsonScanner", "a string that is not UTF-8"));
            }
            p += n;
            continue;
        }
        if (c != '\\') {
            ++p;
            continue;
        }
        utf8->append(reinterpret_cast<const char *>(runStart), p - runStart);
        if (end - p < 2)
            break;
        const char e = char(p[1]);
        p += 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            utf8->append(e);
            break;
        case 'b':
            utf8->append('\b');
            break;
        case 'f':
            utf8->append('\f');
            break;
        case 'n':
            utf8->append('\n');
            break;
        case 'r':
            utf8->append('\r');
            break;
        case 't':
            utf8->append('\t');
            break;
        case 'u': {
            const auto hex4 = [&p, end](char32_t *out) {
                if (end - p < 4)
                    return false;
                char32_t v = 0;
                for (int i = 0; i < 4; ++i) {
                    const int h = hexValue(char(p[i]));
                    if (h < 0)
                        return false;
                    v = (v << 4) | char32_t(h);
                }
                p += 4;
                *out = v;
                return true;
            };
            char32_t cp = 0;
            if (!hex4(&cp))
                return fail(QT_TRANSLATE_NOOP("JsonScanner", "a bad \\u escape in a string"));
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(QT_TRANSLATE_NOOP("JsonScanner", "a lone surrogate in a string"));
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                char32_t low = 0;
                if (end - p < 2 || p[0] != '\\' || p[1] != 'u')
                    return fail(QT_TRANSLATE_NOOP("JsonScanner", "a lone surrogate in a string"));
                p += 2;
                if (!hex4(&low) || low < 0xDC00 || low > 0xDFFF)
                    return fail(QT_TRANSLATE_NOOP("JsonScanner", "a lone surrogate in a string"));
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            appendUtf8(utf8, cp);
            break;
        }
        default:
            m_pos = reinterpret_cast<const char *>(p) - m_begin;
            return fail(QT_TRANSLATE_NOOP("JsonScanner", "a bad escape in a string"));
        }
        runStart = p;
    }
    m_pos = m_end - m_begin;
    return fail(QT_TRANSLATE_NOOP("JsonScanner", "a string is not closed"));
}

bool JsonScanner::viewString(QByteArrayView *out, QByteArray *scratch)
{
    // At the opening quote. Most strings have no escape and are plain ASCII: a view of the text.
    const qsizetype start = m_pos + 1;
    for (qsizetype i = start; m_begin + i < m_end; ++i) {
        const auto c = static_cast<unsigned char>(m_begin[i]);
        if (c == '"') {
            *out = QByteArrayView(m_begin + start, i - start);
            m_pos = i + 1;
            return true;
        }
        if (c == '\\' || c < 0x20 || c >= 0x80)
            break;
    }
    if (!scanString(scratch))
        return false;
    *out = QByteArrayView(*scratch);
    return true;
}

bool JsonScanner::readUtf8(QByteArrayView *out, QByteArray *scratch)
{
    if (peek() != Type::String)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "a string was expected"));
    return viewString(out, scratch);
}

bool JsonScanner::readString(QString *out)
{
    QByteArray scratch;
    QByteArrayView utf8;
    if (!readUtf8(&utf8, &scratch))
        return false;
    *out = QString::fromUtf8(utf8);
    return true;
}

bool JsonScanner::scanNumber(double *out)
{
    const qsizetype start = m_pos;
    const auto at = [this](qsizetype i) {
        return m_begin + i < m_end ? m_begin[i] : '\0';
    };
    qsizetype i = m_pos;
    if (at(i) == '-')
        ++i;
    // One or more digits; false (and i where they should be) when there are none.
    const auto digits = [&at, &i] {
        if (!isDigit(at(i)))
            return false;
        while (isDigit(at(i)))
            ++i;
        return true;
    };
    const auto malformed = [this, &i] {
        m_pos = i;
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "a number is malformed"));
    };
    if (at(i) == '0')
        ++i; // no leading zeros: "01" ends the number after the 0
    else if (!digits())
        return malformed();
    if (at(i) == '.') {
        ++i;
        if (!digits())
            return malformed();
    }
    if (at(i) == 'e' || at(i) == 'E') {
        ++i;
        if (at(i) == '+' || at(i) == '-')
            ++i;
        if (!digits())
            return malformed();
    }
    // The grammar is checked above, so only the range can fail here. Qt's conversion (the C locale's, whatever the
    // user's) rather than std::from_chars: Apple clang's libc++ has no floating-point from_chars.
    bool inRange = false;
    const double value = QByteArrayView(m_begin + start, i - start).toDouble(&inRange);
    if (!inRange)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "a number is too large"));
    m_pos = i;
    if (out)
        *out = value;
    return true;
}

bool JsonScanner::readNumber(double *out)
{
    if (peek() != Type::Number)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "a number was expected"));
    return scanNumber(out);
}

bool JsonScanner::readLiteral(QByteArrayView word)
{
    skipWhitespace();
    if (m_end - (m_begin + m_pos) < word.size() || QByteArrayView(m_begin + m_pos, word.size()) != word)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "a value is malformed"));
    m_pos += word.size();
    return true;
}

bool JsonScanner::readNull()
{
    return readLiteral("null");
}

bool JsonScanner::skipValue()
{
    switch (peek()) {
    case Type::Null:
        return readLiteral("null");
    case Type::Bool:
        return m_begin[m_pos] == 't' ? readLiteral("true") : readLiteral("false");
    case Type::Number:
        return scanNumber(nullptr);
    case Type::String: {
        QByteArrayView ignored;
        return viewString(&ignored, &m_skipScratch);
    }
    case Type::Array:
        if (!beginArray())
            return false;
        while (nextElement())
            if (!skipValue())
                return false;
        return ok();
    case Type::Object: {
        if (!beginObject())
            return false;
        QByteArrayView key;
        while (nextMember(&key))
            if (!skipValue())
                return false;
        return ok();
    }
    case Type::Invalid:
        break;
    }
    if (!ok())
        return false;
    return fail(m_begin + m_pos >= m_end ? QT_TRANSLATE_NOOP("JsonScanner", "the text ends too early")
                                         : QT_TRANSLATE_NOOP("JsonScanner", "a value was expected"));
}

bool JsonScanner::finish()
{
    if (!ok())
        return false;
    if (!m_first.isEmpty())
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "the text ends too early"));
    skipWhitespace();
    if (m_begin + m_pos != m_end)
        return fail(QT_TRANSLATE_NOOP("JsonScanner", "there is more text after the value"));
    return true;
}
