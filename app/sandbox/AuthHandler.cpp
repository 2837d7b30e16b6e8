#include "app/sandbox/AuthHandler.h"

#include "app/sandbox/LocalSandbox.h"
#include "app/sandbox/SandboxStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

AuthHandler::AuthHandler(const SandboxStore *store)
    : m_store(store)
{ }

HttpResponse AuthHandler::unauthorized(const HttpRequest &request) const
{
    // As Dataverse answers: the tenant's authorize endpoint and the org as resource, so that a client can discover
    // where to sign in from the org URL alone (docs/web-api.md). The body is empty, as it is from the service.
    HttpResponse response;
    response.status = 401;
    response.headers = commonHeaders();
    const QString org =
        request.url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash) +
        u'/';
    const QString challenge = u"Bearer authorization_uri=https://login.microsoftonline.com/%1/oauth2/authorize, "
                              u"resource_id=%2"_s.arg(m_store->identity().tenantId, org);
    response.headers << std::pair<QByteArray, QByteArray>("WWW-Authenticate", challenge.toUtf8());
    return response;
}

HttpResponse AuthHandler::expired(const HttpRequest &request) const
{
    HttpResponse response = unauthorized(request);
    for (auto &[name, value] : response.headers) {
        if (name == "WWW-Authenticate")
            value.replace("Bearer ",
                          "Bearer error=\"invalid_token\", error_description=\"The access token "
                          "expired\", ");
    }
    return response;
}

HttpResponse AuthHandler::claimsChallenge() const
{
    // As docs/sign-in.md describes the challenge: realm empty, the common authorize endpoint,
    // error="insufficient_claims" and the claims request in base64. What Dataverse itself sends is not documented
    // (docs/sign-in.md).
    HttpResponse response;
    response.status = 401;
    response.headers = commonHeaders();
    const QByteArray challenge =
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/"
        "authorize\", error=\"insufficient_claims\", claims=\"" +
        QByteArray(ChallengeClaims).toBase64() + '"';
    response.headers << std::pair<QByteArray, QByteArray>("WWW-Authenticate", challenge);
    return response;
}

QString AuthHandler::bearerToken(const HttpRequest &request)
{
    const QByteArray authorization = request.header("Authorization");
    if (authorization.size() <= 7 || authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) != 0)
        return {};
    return QString::fromUtf8(authorization.mid(7).trimmed());
}

bool AuthHandler::authorized(const HttpRequest &request) const
{
    const QString token = bearerToken(request);
    if (token.isEmpty())
        return false;
    if (m_tokens.contains(token))
        return true;
    const auto issued = m_issued.constFind(token);
    if (issued != m_issued.cend())
        return QDateTime::currentDateTimeUtc() < issued.value().expires;
    return trustedJwt(token, request.url).has_value();
}

bool AuthHandler::carriesAuthContext(const HttpRequest &request, const QString &context) const
{
    const QString token = bearerToken(request);
    const auto issued = m_issued.constFind(token);
    if (issued != m_issued.cend())
        return issued.value().authContexts.contains(context);
    const auto claims = trustedJwt(token, request.url);
    return claims && claims->value(u"acrs"_s).toArray().contains(context);
}

std::optional<QJsonObject> AuthHandler::trustedJwt(const QString &token, const QUrl &requestUrl) const
{
    if (m_jwtKey.isEmpty())
        return std::nullopt;
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return std::nullopt;
    const auto decode = [](const QByteArray &part) {
        return QByteArray::fromBase64Encoding(part,
                                              QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    };
    const auto header = decode(parts.at(0));
    const auto payload = decode(parts.at(1));
    const auto signature = decode(parts.at(2));
    if (!header || !payload || !signature)
        return std::nullopt;
    if (QJsonDocument::fromJson(*header).object().value(u"alg"_s).toString() != u"HS256"_s)
        return std::nullopt;
    const QByteArray expected =
        QMessageAuthenticationCode::hash(parts.at(0) + '.' + parts.at(1), m_jwtKey, QCryptographicHash::Sha256);
    // Constant time: the comparison says nothing about how much of a forged signature was right.
    if (expected.size() != signature.decoded.size())
        return std::nullopt;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        difference |= static_cast<unsigned char>(expected.at(i) ^ signature.decoded.at(i));
    if (difference != 0)
        return std::nullopt;
    const QJsonObject claims = QJsonDocument::fromJson(*payload).object();
    const qint64 exp = claims.value(u"exp"_s).toInteger();
    if (exp <= QDateTime::currentSecsSinceEpoch())
        return std::nullopt;
    const QString org =
        requestUrl.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    const QJsonValue aud = claims.value(u"aud"_s);
    const auto matches = [&org](const QJsonValue &v) {
        QString a = v.toString();
        while (a.endsWith(u'/'))
            a.chop(1);
        return a == org;
    };
    if (aud.isArray()) {
        const QJsonArray audiences = aud.toArray();
        if (std::any_of(audiences.begin(), audiences.end(), matches))
            return claims;
        return std::nullopt;
    }
    return matches(aud) ? std::optional<QJsonObject>(claims) : std::nullopt;
}

HttpResponse AuthHandler::issueToken(const HttpRequest &request, const QString &tenant)
{
    // The Microsoft identity platform's client credentials grant, for the demo application only. Errors come in
    // the identity platform's shape, with the AADSTS codes a client must handle.
    const auto oauthError = [](int status, const QString &error, int code, const QString &description) {
        return json(status,
                    QJsonObject {{u"error"_s, error},
                                 {u"error_description"_s, u"AADSTS%1: %2"_s.arg(code).arg(description)},
                                 {u"error_codes"_s, QJsonArray {code}}});
    };
    if (request.method != "POST")
        return SandboxHttp::error(405, CodeBadQuery, u"The token endpoint takes POST."_s, {{"Allow", "POST"}});
    if (tenant != m_store->identity().tenantId && tenant != u"organizations"_s)
        return oauthError(400, u"invalid_request"_s, 90002,
                          u"Tenant '%1' not found. Use the tenant id from the WWW-Authenticate header."_s.arg(tenant));
    const QUrlQuery form(QString::fromUtf8(request.body));
    const QString grant = form.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded);
    if (grant != u"client_credentials"_s)
        return oauthError(400, u"unsupported_grant_type"_s, 70003,
                          u"The app requested an unsupported grant type '%1'; the sandbox issues client_credentials "
                          u"tokens only."_s.arg(grant));
    if (form.queryItemValue(u"client_id"_s, QUrl::FullyDecoded) != QLatin1String(DemoClientId))
        return oauthError(400, u"unauthorized_client"_s, 700016,
                          u"Application with identifier '%1' was not found in the directory."_s.arg(
                              form.queryItemValue(u"client_id"_s, QUrl::FullyDecoded)));
    if (form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded) != QLatin1String(DemoClientSecret))
        return oauthError(401, u"invalid_client"_s, 7000215, u"Invalid client secret provided."_s);
    if (!form.queryItemValue(u"scope"_s, QUrl::FullyDecoded).endsWith(u"/.default"_s))
        return oauthError(400, u"invalid_scope"_s, 1002012,
                          u"The provided value for scope is not valid. Client credential flows must have a scope "
                          u"value with /.default suffixed to the resource identifier."_s);
    // A claims request (a claims challenge's, OpenID Connect Core §5.5): the authentication contexts it asks for
    // (access_token.acrs, its value or values) are what the issued token carries.
    QStringList authContexts;
    if (form.hasQueryItem(u"claims"_s)) {
        QJsonParseError parseError;
        const QJsonDocument claims =
            QJsonDocument::fromJson(form.queryItemValue(u"claims"_s, QUrl::FullyDecoded).toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !claims.isObject())
            return json(400,
                        QJsonObject {{u"error"_s, u"invalid_request"_s},
                                     {u"error_description"_s, u"The claims parameter is not a JSON object."_s}});
        const QJsonObject acrs = claims.object().value(u"access_token"_s).toObject().value(u"acrs"_s).toObject();
        if (acrs.value(u"value"_s).isString())
            authContexts << acrs.value(u"value"_s).toString();
        for (const QJsonValue &v : acrs.value(u"values"_s).toArray())
            authContexts << v.toString();
    }

    const QString token = LocalSandbox::generateToken();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Expired tokens are forgotten as new ones are issued, so the table stays small.
    m_issued.removeIf([&now](const auto &entry) { return entry.value().expires <= now; });
    m_issued.insert(token, Issued {now.addSecs(m_tokenLifetime.count()), authContexts});
    return json(200,
                QJsonObject {{u"token_type"_s, u"Bearer"_s},
                             {u"expires_in"_s, qint64(m_tokenLifetime.count())},
                             {u"ext_expires_in"_s, qint64(m_tokenLifetime.count())},
                             {u"access_token"_s, token}});
}
