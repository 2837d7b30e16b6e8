#include "app/auth/OAuth.h"

#include "app/common/NetworkProxy.h"
#include "app/common/TlsRefusal.h"
#include "app/dataverse/OrgUrl.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <chrono>
#include <memory>

using namespace Qt::StringLiterals;

namespace OAuth {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("OAuth", text);
}

constexpr auto TransferTimeout = std::chrono::seconds(30);

QByteArray formEncode(const OAuth::TokenClient::Form &form)
{
    QByteArray body;
    for (const auto &[key, value] : form) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

// The identity platform's endpoints take forms and answer JSON; a redirect is never followed (it would carry the
// form, secrets included, elsewhere).
QNetworkReply *postForm(QNetworkAccessManager *network, const QUrl &url, const OAuth::TokenClient::Form &form)
{
    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", "application/x-www-form-urlencoded");
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(std::chrono::milliseconds(TransferTimeout).count()));
    QNetworkReply *reply = network->post(request, formEncode(form));
    TlsRefusal::watch(reply);
    return reply;
}

// Entra puts its code in the description ("AADSTS50076: Due to …"); the digits, or empty.
QString aadstsIn(const QString &description)
{
    static const QRegularExpression code(u"AADSTS(\\d+)"_s);
    return code.match(description).captured(1);
}

Error authError(QString message, QString code = {}, QString detail = {}, int status = 0)
{
    Error e;
    e.kind = Error::Kind::Auth;
    e.httpStatus = status;
    e.serviceCode = std::move(code);
    e.serviceMessage = std::move(detail);
    e.userMessage = std::move(message);
    return e;
}

// No reply from the service itself: no HTTP status, or one a proxy gave (a 407 is the proxy's, not Entra's).
bool noServiceReply(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0 ||
        !NetworkProxy::failureSentence(reply).isEmpty();
}

Error networkError(const QNetworkReply *reply, const QUrl &url)
{
    Error e;
    e.kind = Error::Kind::Network;
    e.serviceMessage = reply->errorString();
    if (const QString proxy = NetworkProxy::failureSentence(reply); !proxy.isEmpty()) {
        e.userMessage = proxy; // docs/networking.md
        return e;
    }
    if (const QString tls = TlsRefusal::errorsOf(reply); !tls.isEmpty()) {
        e.userMessage = TlsRefusal::sentence(url.host(), tls);
        return e;
    }
    e.userMessage = tr("Could not reach the sign-in service at %1: %2. Check the network and the authority "
                       "address in the profile.")
                        .arg(url.host(), reply->errorString());
    return e;
}
} // namespace
} // namespace OAuth

OAuth::Endpoints OAuth::endpointsFor(const Profile &profile)
{
    const QString base = OrgUrl::withoutTrailingSlash(profile.authority) + u'/' + profile.tenant + u"/oauth2/v2.0/"_s;
    return {QUrl(base + u"authorize"_s), QUrl(base + u"token"_s), QUrl(base + u"devicecode"_s)};
}

QString OAuth::userScopes(const QUrl &org)
{
    return OrgUrl::withoutTrailingSlash(org) + u"/user_impersonation offline_access openid profile"_s;
}

QString OAuth::applicationScope(const QUrl &org)
{
    return OrgUrl::withoutTrailingSlash(org) + u"/.default"_s;
}

QString OAuth::userScopes(const Profile &profile)
{
    return profile.resource() + u"/user_impersonation offline_access openid profile"_s;
}

QString OAuth::applicationScope(const Profile &profile)
{
    return profile.resource() + u"/.default"_s;
}

QByteArray OAuth::claimsParameter(const QByteArray &challenge)
{
    // docs/sign-in.md, "Declaring the capability": "cp1" declares that this client answers claims challenges, so Entra
    // may issue tokens that a service revokes early (continuous access evaluation) or challenges for more. A
    // challenge's claims request keeps its own members; the capability joins its access_token member.
    QJsonObject request = QJsonDocument::fromJson(challenge).object();
    QJsonObject accessToken = request.value(u"access_token"_s).toObject();
    QJsonArray capabilities = accessToken.value(u"xms_cc"_s).toObject().value(u"values"_s).toArray();
    if (!capabilities.contains(u"cp1"_s))
        capabilities.prepend(u"cp1"_s);
    QJsonObject xmsCc = accessToken.value(u"xms_cc"_s).toObject();
    xmsCc.insert(u"values"_s, capabilities);
    accessToken.insert(u"xms_cc"_s, xmsCc);
    request.insert(u"access_token"_s, accessToken);
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

QByteArray OAuth::randomUrlSafe(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray OAuth::pkceChallenge(const QByteArray &verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject OAuth::unverifiedClaims(const QString &jwt)
{
    const QStringList parts = jwt.split(u'.');
    if (parts.size() < 2)
        return {};
    const QByteArray payload = QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(payload).object();
}

QString OAuth::sentenceFor(const QString &error, const QString &aadsts, const QString &description)
{
    // Entra's codes first (docs/sign-in.md): they say more than the OAuth error they come with.
    if (aadsts == u"7000218"_s)
        return tr("This app registration does not allow public client flows. In Microsoft Entra ID, open the app "
                  "registration → Authentication and set \"Allow public client flows\" to Yes, or sign in with the "
                  "browser instead of a device code.");
    if (aadsts == u"50076"_s || aadsts == u"50079"_s)
        return tr("Your organization requires multi-factor authentication. Sign in interactively (browser or "
                  "device code) to complete it.");
    if (aadsts == u"70043"_s || aadsts == u"700082"_s || aadsts == u"700084"_s)
        return tr("Your sign-in has expired (it was unused too long or a policy limits its lifetime). Sign in "
                  "again.");
    if (aadsts == u"53003"_s)
        return tr("Access was blocked by a Conditional Access policy of your organization. Ask your administrator "
                  "which device, location or app the policy requires.");
    if (aadsts == u"7000215"_s || aadsts == u"7000222"_s)
        return tr("The client secret is wrong or has expired. Create a new secret for the app registration and "
                  "store it in the profile.");
    if (aadsts == u"700016"_s)
        return tr("The application (client) id is not known in this tenant. Check the client id and the tenant of "
                  "the profile.");
    if (aadsts == u"90002"_s || aadsts == u"900023"_s)
        return tr("The tenant is not known. Check the tenant in the profile (a tenant id, a domain such as "
                  "contoso.onmicrosoft.com, or organizations).");
    if (aadsts == u"50011"_s || aadsts == u"500113"_s)
        return tr("The app registration does not list http://localhost as a redirect address. Add it under "
                  "Authentication → Mobile and desktop applications, or use a device code.");
    if (aadsts == u"65001"_s)
        return tr("Nobody has consented to this app using Dynamics 365 in your organization. Ask an administrator "
                  "to grant consent, or use an app registration that has it.");
    if (error == u"invalid_client"_s)
        return tr("The sign-in service did not accept the application's credentials (client id or secret). Check "
                  "them in the profile.");
    if (error == u"invalid_grant"_s)
        return tr("The sign-in service no longer accepts the stored sign-in (it was used, revoked or has expired). "
                  "Sign in again.");
    if (error == u"access_denied"_s || error == u"authorization_declined"_s || error == u"consent_required"_s)
        return tr("Sign-in was declined in the browser, so nothing was granted. Sign in again and approve the "
                  "request to continue.");
    if (error == u"expired_token"_s)
        return tr("The code expired before it was entered. Start the sign-in again and enter the new code within "
                  "its time.");
    if (error == u"invalid_scope"_s)
        return tr("The sign-in service refused the requested permission for this environment. Check the "
                  "environment address in the profile.");
    if (error == u"unauthorized_client"_s)
        return tr("This application may not sign in this way. Choose another sign-in method or check the app "
                  "registration.");
    if (error == u"interaction_required"_s || error == u"login_required"_s)
        return tr("The sign-in service needs you to sign in interactively. Sign in again with the browser or a "
                  "code.");
    return tr("The sign-in service refused the request (%1). %2")
        .arg(error.isEmpty() ? tr("no reason given") : error, description.section(u'\n', 0, 0).trimmed());
}

Result<OAuth::Tokens> OAuth::parseTokenReply(int httpStatus, const QByteArray &body, const QDateTime &now)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        Error e;
        e.kind = Error::Kind::BadReply;
        e.httpStatus = httpStatus;
        e.userMessage = tr("The sign-in service answered with something other than a token reply (HTTP %1). "
                           "Check the authority address in the profile.")
                            .arg(httpStatus);
        return e;
    }
    const QJsonObject o = doc.object();
    if (httpStatus != 200 || o.contains(u"error"_s)) {
        const QString error = o.value(u"error"_s).toString();
        const QString description = o.value(u"error_description"_s).toString();
        QString aadsts;
        if (const QJsonArray codes = o.value(u"error_codes"_s).toArray(); !codes.isEmpty())
            aadsts = QString::number(codes.first().toInteger());
        if (aadsts.isEmpty())
            aadsts = aadstsIn(description);
        return authError(sentenceFor(error, aadsts, description), aadsts.isEmpty() ? error : u"AADSTS"_s + aadsts,
                         description, httpStatus);
    }
    Tokens t;
    t.accessToken = o.value(u"access_token"_s).toString();
    t.refreshToken = o.value(u"refresh_token"_s).toString();
    const qint64 expiresIn = o.value(u"expires_in"_s).toVariant().toLongLong();
    t.expiresAt = now.addSecs(expiresIn > 0 ? expiresIn : 3600);
    const QJsonObject id = unverifiedClaims(o.value(u"id_token"_s).toString());
    t.account = id.value(u"preferred_username"_s).toString();
    if (t.account.isEmpty())
        t.account = id.value(u"name"_s).toString();
    if (t.accessToken.isEmpty()) {
        Error e;
        e.kind = Error::Kind::BadReply;
        e.httpStatus = httpStatus;
        e.userMessage = tr("The sign-in service's reply holds no access token. Check the authority address in the "
                           "profile.");
        return e;
    }
    return t;
}

// ---- TokenClient

OAuth::TokenClient::TokenClient(const Profile &profile, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_network(network)
{ }

void OAuth::TokenClient::post(Form form, QObject *context, Callback done)
{
    const QUrl url = endpointsFor(m_profile).token;
    form.append({u"client_id"_s, m_profile.clientId});
    QNetworkReply *reply = postForm(m_network, url, form);
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [reply, url, guard, done] {
        reply->deleteLater();
        if (!guard)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (noServiceReply(reply))
            return done(networkError(reply, url));
        done(parseTokenReply(status, reply->readAll(), QDateTime::currentDateTimeUtc()));
    });
}

void OAuth::TokenClient::refresh(const QString &refreshToken, QObject *context, Callback done)
{
    TokenClient::Form form;
    form.append({u"grant_type"_s, u"refresh_token"_s});
    form.append({u"refresh_token"_s, refreshToken});
    // A subset of the first request's scopes, as Entra asks; offline_access is implied by the refresh token itself.
    form.append({u"scope"_s, m_profile.resource() + u"/user_impersonation openid profile"_s});
    form.append({u"claims"_s, QString::fromUtf8(claimsParameter())});
    post(form, context, std::move(done));
}

void OAuth::TokenClient::clientCredentials(const QString &secret, QObject *context, Callback done,
                                           const QByteArray &claims)
{
    TokenClient::Form form;
    form.append({u"grant_type"_s, u"client_credentials"_s});
    form.append({u"client_secret"_s, secret});
    form.append({u"scope"_s, applicationScope(m_profile)});
    if (!claims.isEmpty())
        form.append({u"claims"_s, QString::fromUtf8(claims)});
    post(form, context, std::move(done));
}

void OAuth::TokenClient::redeemCode(const QString &code, const QByteArray &verifier, const QUrl &redirectUri,
                                    QObject *context, Callback done, const QByteArray &claims)
{
    TokenClient::Form form;
    form.append({u"grant_type"_s, u"authorization_code"_s});
    form.append({u"code"_s, code});
    form.append({u"redirect_uri"_s, redirectUri.toString()});
    form.append({u"code_verifier"_s, QString::fromLatin1(verifier)});
    form.append({u"scope"_s, userScopes(m_profile)});
    if (!claims.isEmpty())
        form.append({u"claims"_s, QString::fromUtf8(claims)});
    post(form, context, std::move(done));
}

// ---- DeviceCodeFlow

OAuth::DeviceCodeFlow::DeviceCodeFlow(const Profile &profile, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_tokens(profile, network)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DeviceCodeFlow::poll);
}

void OAuth::DeviceCodeFlow::start()
{
    const QUrl url = endpointsFor(m_tokens.profile()).deviceCode;
    TokenClient::Form form;
    form.append({u"client_id"_s, m_tokens.profile().clientId});
    form.append({u"scope"_s, userScopes(m_tokens.profile())});
    form.append({u"claims"_s, QString::fromUtf8(claimsParameter(m_challengeClaims))});
    QNetworkReply *reply = postForm(m_tokens.network(), url, form);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        if (m_done)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (noServiceReply(reply))
            return finish(networkError(reply, url));
        const QByteArray body = reply->readAll();
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        if (status != 200) {
            // The same error shape as the token endpoint's.
            const auto parsed = parseTokenReply(status, body, QDateTime::currentDateTimeUtc());
            return finish(parsed ? Result<Tokens>(authError(tr("The sign-in service refused to start a device code "
                                                               "sign-in (HTTP %1).")
                                                                .arg(status)))
                                 : parsed);
        }
        m_deviceCode = o.value(u"device_code"_s).toString();
        m_code.userCode = o.value(u"user_code"_s).toString();
        m_code.verificationUri =
            QUrl(o.value(u"verification_uri"_s).toString(o.value(u"verification_url"_s).toString()));
        m_code.verificationUriComplete = QUrl(o.value(u"verification_uri_complete"_s).toString());
        const qint64 expiresIn = o.value(u"expires_in"_s).toVariant().toLongLong();
        m_code.expiresAt = QDateTime::currentDateTimeUtc().addSecs(expiresIn > 0 ? expiresIn : 900);
        const int interval = o.value(u"interval"_s).toVariant().toInt();
        m_code.intervalSeconds = interval > 0 ? interval : 5; // RFC 8628's default
        m_code.message = o.value(u"message"_s).toString();
        if (m_deviceCode.isEmpty() || m_code.userCode.isEmpty() || !m_code.verificationUri.isValid()) {
            Error e;
            e.kind = Error::Kind::BadReply;
            e.httpStatus = status;
            e.userMessage = tr("The sign-in service's device code reply is incomplete. Check the authority address "
                               "in the profile.");
            return finish(e);
        }
        Q_EMIT codeReady(m_code);
        m_timer.start(std::chrono::seconds(m_code.intervalSeconds));
    });
}

void OAuth::DeviceCodeFlow::poll()
{
    if (m_done)
        return;
    TokenClient::Form form;
    form.append({u"grant_type"_s, u"urn:ietf:params:oauth:grant-type:device_code"_s});
    form.append({u"device_code"_s, m_deviceCode});
    form.append({u"claims"_s, QString::fromUtf8(claimsParameter(m_challengeClaims))});
    m_tokens.post(form, this, [this](Result<Tokens> result) {
        if (m_done)
            return;
        if (!result) {
            const QString code = result.error().serviceCode;
            const bool expiredHere = QDateTime::currentDateTimeUtc() >= m_code.expiresAt;
            if ((code == u"authorization_pending"_s || code == u"AADSTS70016"_s) && !expiredHere) {
                m_timer.start(std::chrono::seconds(m_code.intervalSeconds));
                return;
            }
            if (code == u"slow_down"_s && !expiredHere) {
                m_code.intervalSeconds += 5; // RFC 8628 §3.5
                m_timer.start(std::chrono::seconds(m_code.intervalSeconds));
                return;
            }
            if (expiredHere && (code == u"authorization_pending"_s || code == u"slow_down"_s))
                return finish(authError(sentenceFor(u"expired_token"_s, {}, {}), u"expired_token"_s));
        }
        finish(result);
    });
}

void OAuth::DeviceCodeFlow::cancel()
{
    if (!m_done)
        finish(authError(tr("Sign-in was cancelled."), u"cancelled"_s));
}

void OAuth::DeviceCodeFlow::finish(const Result<Tokens> &result)
{
    m_done = true;
    m_timer.stop();
    Q_EMIT finished(result);
}

// ---- BrowserFlow

OAuth::BrowserFlow::BrowserFlow(const Profile &profile, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_tokens(profile, network)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        finish(authError(tr("Sign-in in the browser did not finish within %1 minutes. Start it again, or use a "
                            "device code if no browser can reach this computer.")
                             .arg(m_timeout.count() / 60),
                         u"timeout"_s));
    });
}

OAuth::BrowserFlow::~BrowserFlow() = default;

void OAuth::BrowserFlow::start()
{
    m_server = new QTcpServer(this);
    // Loopback only: nothing off this computer can deliver a code to it.
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        Error e;
        e.kind = Error::Kind::Network;
        e.userMessage = tr("Could not listen on 127.0.0.1 for the browser's answer: %1").arg(m_server->errorString());
        return finish(e);
    }
    connect(m_server, &QTcpServer::newConnection, this, &BrowserFlow::onConnection);
    m_verifier = randomUrlSafe(48);
    m_state = QString::fromLatin1(randomUrlSafe(24));
    m_redirectUri = QUrl(u"http://localhost:%1/"_s.arg(m_server->serverPort()));

    const Profile &profile = m_tokens.profile();
    QUrl url = endpointsFor(profile).authorize;
    QUrlQuery query;
    query.addQueryItem(u"client_id"_s, profile.clientId);
    query.addQueryItem(u"response_type"_s, u"code"_s);
    query.addQueryItem(u"redirect_uri"_s, QString::fromLatin1(QUrl::toPercentEncoding(m_redirectUri.toString())));
    query.addQueryItem(u"response_mode"_s, u"query"_s);
    query.addQueryItem(u"scope"_s, QString::fromLatin1(QUrl::toPercentEncoding(userScopes(profile))));
    query.addQueryItem(u"state"_s, m_state);
    query.addQueryItem(u"code_challenge"_s, QString::fromLatin1(pkceChallenge(m_verifier)));
    query.addQueryItem(u"code_challenge_method"_s, u"S256"_s);
    // Until a token is issued the claims go with every authorize request (docs/sign-in.md).
    query.addQueryItem(
        u"claims"_s,
        QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(claimsParameter(m_challengeClaims)))));
    url.setQuery(query.toString(QUrl::FullyEncoded), QUrl::StrictMode);
    m_timer.start(m_timeout);
    Q_EMIT browserUrlReady(url);
}

void OAuth::BrowserFlow::cancel()
{
    if (!m_done)
        finish(authError(tr("Sign-in was cancelled."), u"cancelled"_s));
}

void OAuth::BrowserFlow::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            *buffer += socket->readAll();
            if (buffer->size() > 64 * 1024)
                return socket->abort();
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end >= 0)
                handleRequest(socket, buffer->left(end));
        });
    }
}

namespace {
void answer(QTcpSocket *socket, int status, const QString &title, const QString &text)
{
    const QByteArray body = u"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%1</title></head>"
                            u"<body style=\"font-family:sans-serif;margin:3em\"><h1>%1</h1><p>%2</p></body></html>"_s
                                .arg(title.toHtmlEscaped(), text.toHtmlEscaped())
                                .toUtf8();
    const QByteArray reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                  "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n"
                  "Content-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Handed to the system now, not at the next turn of the event loop: a refused sign-in finishes the flow at once,
    // and autoclose-cli exits on that, which would otherwise close the connection with the page unsent
    // (docs/sign-in.md).
    socket->flush();
    socket->disconnectFromHost();
}
} // namespace

void OAuth::BrowserFlow::handleRequest(QTcpSocket *socket, const QByteArray &head)
{
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    if (requestLine.size() < 2 || requestLine.at(0) != "GET")
        return answer(socket, 400, tr("Bad request"), tr("Only the sign-in redirect is served here."));
    const QUrl target(QString::fromLatin1(requestLine.at(1)));
    if (target.path() != u"/"_s)
        return answer(socket, 404, tr("Not found"), tr("Only the sign-in redirect is served here."));
    if (m_done)
        return answer(socket, 400, tr("Sign-in already finished"),
                      tr("This sign-in has already finished. Return to Auto-Close Editor."));
    // The answer is form-encoded (docs/sign-in.md): a '+' in it is a space (a literal '+' comes as %2B), which
    // QUrlQuery would leave in an error description.
    const QUrlQuery query(target.query(QUrl::FullyEncoded).replace(u'+', u"%20"_s));
    const QString state = query.queryItemValue(u"state"_s, QUrl::FullyDecoded);
    if (state != m_state) {
        answer(socket, 400, tr("Sign-in refused"),
               tr("This answer does not belong to the sign-in Auto-Close Editor started, so it was refused. "
                  "Start the sign-in again from Auto-Close Editor."));
        return finish(authError(tr("The browser brought back an answer to a different sign-in request (its state "
                                   "did not match), so it was refused. Sign in again."),
                                u"state_mismatch"_s));
    }
    if (query.hasQueryItem(u"error"_s)) {
        const QString error = query.queryItemValue(u"error"_s, QUrl::FullyDecoded);
        const QString description = query.queryItemValue(u"error_description"_s, QUrl::FullyDecoded);
        const QString aadsts = aadstsIn(description);
        const QString sentence = sentenceFor(error, aadsts, description);
        answer(socket, 200, tr("Sign-in did not complete"), sentence);
        return finish(authError(sentence, aadsts.isEmpty() ? error : u"AADSTS"_s + aadsts, description));
    }
    const QString code = query.queryItemValue(u"code"_s, QUrl::FullyDecoded);
    if (code.isEmpty()) {
        answer(socket, 400, tr("Sign-in refused"), tr("The answer holds no authorization code."));
        return finish(authError(tr("The browser's answer held no authorization code. Sign in again."), u"no_code"_s));
    }
    answer(socket, 200, tr("Signed in"), tr("You can close this tab and return to Auto-Close Editor."));
    m_timer.stop();
    m_server->close(); // one answer only
    m_tokens.redeemCode(
        code, m_verifier, m_redirectUri, this, [this](Result<Tokens> tokens) { finish(tokens); },
        claimsParameter(m_challengeClaims));
}

void OAuth::BrowserFlow::finish(const Result<Tokens> &result)
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    if (m_server)
        m_server->close();
    Q_EMIT finished(result);
}

// ---- Tenant discovery

Result<QString> OAuth::tenantFromChallenge(const QByteArray &wwwAuthenticate)
{
    static const QRegularExpression pattern(u"authorization_uri=\"?https?://[^/\"]+/([^/\",]+)/"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(QString::fromLatin1(wwwAuthenticate));
    if (!match.hasMatch())
        return Error::badInput(tr("The environment did not say which tenant it belongs to; type the tenant (its "
                                  "id or domain) in the profile."));
    return match.captured(1);
}

void OAuth::discoverTenant(const QUrl &org, QNetworkAccessManager *network, QObject *context,
                           std::function<void(Result<QString>)> done)
{
    // WhoAmI, unauthenticated: Dataverse answers 401 with the challenge that names the tenant.
    QNetworkRequest request(OrgUrl::webApiRoot(org).resolved(QUrl(u"WhoAmI"_s)));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(std::chrono::milliseconds(TransferTimeout).count()));
    QNetworkReply *reply = network->get(request);
    TlsRefusal::watch(reply);
    QPointer<QObject> guard(context);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, org, guard, done] {
        reply->deleteLater();
        if (!guard)
            return;
        if (noServiceReply(reply))
            return done(networkError(reply, org));
        done(tenantFromChallenge(reply->rawHeader("WWW-Authenticate")));
    });
}
