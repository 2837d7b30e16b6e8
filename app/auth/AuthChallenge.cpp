#include "app/auth/AuthChallenge.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace AuthChallenge {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("AuthChallenge", text);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

// Reads the header left to right; each read leaves the position on what follows it.
class Reader
{
public:
    explicit Reader(const QByteArray &text)
        : m_text(text)
    { }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text.at(m_pos); }
    void skipSpace()
    {
        while (!atEnd() && isSpace(peek()))
            ++m_pos;
    }
    void skipSeparators()
    {
        while (!atEnd() && (isSpace(peek()) || peek() == ','))
            ++m_pos;
    }
    // A scheme, a parameter's name or a token68's first part: up to a space, a comma, '=' or a quote.
    QByteArray word()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && !isSpace(peek()) && peek() != ',' && peek() != '=' && peek() != '"')
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }
    // How many '=' follow, without consuming them.
    qsizetype equalsAhead() const
    {
        qsizetype n = 0;
        while (m_pos + n < m_text.size() && m_text.at(m_pos + n) == '=')
            ++n;
        return n;
    }
    // After n '=': only spaces, then a comma or the end (what ends a token68, not a parameter's '=').
    bool endsAfter(qsizetype n) const
    {
        qsizetype i = m_pos + n;
        while (i < m_text.size() && isSpace(m_text.at(i)))
            ++i;
        return i >= m_text.size() || m_text.at(i) == ',';
    }
    void skip(qsizetype n) { m_pos += n; }
    // A parameter's value: a quoted string (backslash escapes the next character), or everything up to a comma or a
    // space.
    QByteArray value()
    {
        QByteArray v;
        if (peek() == '"') {
            ++m_pos;
            while (!atEnd() && peek() != '"') {
                if (peek() == '\\' && m_pos + 1 < m_text.size())
                    ++m_pos;
                v += m_text.at(m_pos++);
            }
            if (!atEnd())
                ++m_pos; // the closing quote
            return v;
        }
        const qsizetype start = m_pos;
        while (!atEnd() && !isSpace(peek()) && peek() != ',')
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }

private:
    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

Error unreadable(const QString &reason)
{
    Error e;
    e.kind = Error::Kind::Auth;
    e.httpStatus = 401;
    e.serviceCode = u"insufficient_claims"_s;
    e.serviceMessage = reason;
    e.userMessage = tr("The claims the service asks for could not be read: %1.").arg(reason);
    return e;
}
} // namespace
} // namespace AuthChallenge

QByteArray AuthChallenge::Challenge::param(const QByteArray &name) const
{
    for (const auto &[key, value] : params) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QList<AuthChallenge::Challenge> AuthChallenge::parse(const QByteArray &header)
{
    // challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], challenges separated by commas as the parameters
    // are (RFC 7235 §4.1): after a comma, a word followed by '=' is a parameter of the current challenge, any other
    // word starts the next challenge.
    QList<Challenge> challenges;
    Reader r(header);
    while (true) {
        r.skipSeparators();
        if (r.atEnd())
            break;
        const QByteArray word = r.word();
        if (word.isEmpty()) {
            // A stray '=' or quoted string where a name belongs: skip it.
            if (r.peek() == '"')
                (void)r.value();
            else
                r.skip(1);
            continue;
        }
        r.skipSpace();
        if (r.peek() == '=' && !challenges.isEmpty()) {
            r.skip(1);
            r.skipSpace();
            challenges.last().params.append({word.toLower(), r.value()});
            continue;
        }
        Challenge challenge;
        challenge.scheme = word;
        // A token68 right after the scheme: one word, perhaps '=' padded, alone before the next comma.
        r.skipSpace();
        if (!r.atEnd() && r.peek() != ',') {
            const QByteArray first = r.word();
            const qsizetype equals = r.equalsAhead();
            if (!first.isEmpty() && r.endsAfter(equals)) {
                r.skip(equals);
                challenge.token68 = first + QByteArray(equals, '=');
            } else if (!first.isEmpty()) {
                r.skipSpace();
                if (r.peek() == '=') {
                    r.skip(1);
                    r.skipSpace();
                    challenge.params.append({first.toLower(), r.value()});
                }
            }
        }
        challenges.append(challenge);
    }
    return challenges;
}

Result<std::optional<AuthChallenge::Claims>> AuthChallenge::insufficientClaims(const QByteArray &header)
{
    for (const Challenge &challenge : parse(header)) {
        if (challenge.scheme.compare("Bearer", Qt::CaseInsensitive) != 0 ||
            challenge.param("error").compare("insufficient_claims", Qt::CaseInsensitive) != 0)
            continue;
        const QByteArray encoded = challenge.param("claims").trimmed();
        if (encoded.isEmpty())
            return unreadable(tr("the challenge names no claims"));
        // Microsoft's examples are base64 with padding; base64url is accepted too, as some libraries write it.
        auto decoded = QByteArray::fromBase64Encoding(
            encoded, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            decoded = QByteArray::fromBase64Encoding(
                encoded, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.isEmpty())
            return unreadable(tr("its claims value is not base64"));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(decoded.decoded, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return unreadable(tr("its claims value is base64 but not a JSON object"));
        // A claims request: {"access_token": {"<claim>": {…} or null, …}, …} (OpenID Connect Core §5.5).
        const QJsonObject request = document.object();
        Claims claims;
        for (auto target = request.begin(); target != request.end(); ++target) {
            if (!target.value().isObject())
                return unreadable(tr("its claims request is not a JSON object of objects"));
            const QJsonObject asked = target.value().toObject();
            for (auto claim = asked.begin(); claim != asked.end(); ++claim)
                claims.names << target.key() + u'.' + claim.key();
        }
        if (claims.names.isEmpty())
            return unreadable(tr("its claims request asks for no claim"));
        claims.json = document.toJson(QJsonDocument::Compact);
        return std::optional<Claims>(claims);
    }
    return std::optional<Claims>();
}

QString AuthChallenge::signInAgainSentence()
{
    return tr("Your organization's access policy asks you to sign in again.");
}
