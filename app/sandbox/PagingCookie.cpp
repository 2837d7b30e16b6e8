#include "app/sandbox/PagingCookie.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <array>

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype MacSize = 32; // SHA-256
constexpr auto Encoding = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray mac(const QByteArray &payload, const QByteArray &secret, const QByteArray &scope)
{
    // The scope after a NUL, which the compact JSON payload never holds, so no payload can pass for another's scope.
    QByteArray message = payload;
    message.append('\0').append(scope);
    return QMessageAuthenticationCode::hash(message, secret, QCryptographicHash::Sha256);
}

bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    // Every byte compared whatever the first difference, so the time taken says nothing about where it is.
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}
} // namespace

QByteArray PagingCookie::scope(const QString &entitySet, const QUrlQuery &params)
{
    QByteArray text = entitySet.toUtf8();
    for (const auto &[name, value] : params.queryItems(QUrl::FullyDecoded)) {
        if (name == u"$filter"_s || name == u"$orderby"_s || name == u"$select"_s || name == u"$expand"_s)
            // Each value after its length: no value can pass for another value followed by another option.
            text += '\n' + name.toUtf8() + '=' + QByteArray::number(value.toUtf8().size()) + ':' + value.toUtf8();
    }
    return text;
}

QString PagingCookie::encode(const QByteArray &secret, const QByteArray &scope) const
{
    QJsonArray values;
    for (const QVariant &value : key)
        values.append(!value.isValid() || value.isNull() ? QJsonValue(QJsonValue::Null)
                                                         : QJsonValue::fromVariant(value));
    const QByteArray payload =
        QJsonDocument(QJsonObject {{u"k"_s, values}, {u"n"_s, delivered}}).toJson(QJsonDocument::Compact);
    return QString::fromLatin1(QByteArray(mac(payload, secret, scope) + payload).toBase64(Encoding));
}

std::optional<PagingCookie> PagingCookie::decode(const QString &token, const QByteArray &secret,
                                                 const QByteArray &scope, const QList<Keyset::SortColumn> &ordering)
{
    const auto decoded =
        QByteArray::fromBase64Encoding(token.toLatin1(), Encoding | QByteArray::AbortOnBase64DecodingErrors);
    // One text per cookie: base64 can spell the same bytes several ways (in the last character's spare bits).
    if (!decoded || decoded.decoded.size() <= MacSize || decoded.decoded.toBase64(Encoding) != token.toLatin1())
        return std::nullopt;
    const QByteArray payload = decoded.decoded.mid(MacSize);
    if (!sameBytes(decoded.decoded.first(MacSize), mac(payload, secret, scope)))
        return std::nullopt;

    // Signed by a sandbox for this query: the shape is still checked, a secret being no excuse to trust a parser.
    const QJsonDocument document = QJsonDocument::fromJson(payload);
    const QJsonArray values = document[u"k"_s].toArray();
    const QJsonValue delivered = document[u"n"_s];
    if (!document.isObject() || values.size() != ordering.size() || !delivered.isDouble() ||
        delivered.toInteger(-1) < 0)
        return std::nullopt;
    PagingCookie cookie;
    cookie.delivered = delivered.toInteger();
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QJsonValue value = values.at(i);
        if (value.isNull())
            cookie.key << QVariant();
        else if (ordering.at(i).column->type == ColumnDef::Type::Int && value.isDouble())
            cookie.key << QVariant(value.toInteger());
        else if (ordering.at(i).column->type != ColumnDef::Type::Int && value.isString())
            cookie.key << QVariant(value.toString());
        else
            return std::nullopt;
    }
    return cookie;
}

QByteArray PagingCookie::newSecret()
{
    std::array<quint32, 8> words; // 256 bits, as strong as HMAC-SHA256 can use
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words)));
}
