#include "app/sandbox/SandboxServer.h"

#include "app/sandbox/SandboxApi.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#include <QTcpServer>
#endif

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSandbox, "autoclose.sandbox", QtInfoMsg)

namespace {
// The loop fault: a collection reply whose next page is the page itself.
void linkBackToItself(HttpResponse &response, const QUrl &requested)
{
    QJsonObject body = QJsonDocument::fromJson(response.body).object();
    if (response.status != 200 || !body.value(u"value"_s).isArray())
        return;
    body.insert(u"@odata.nextLink"_s, requested.toString(QUrl::FullyEncoded));
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}
} // namespace

SandboxServer::SandboxServer(SandboxApi *api, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_api(api)
{ }

Result<quint16> SandboxServer::listenLoopback(quint16 port)
{
#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
    const quint16 bound = listen(QHostAddress::LocalHost, port);
#else
    // Qt 6.8 has no listen(): the server is given a listening QTcpServer, which it then owns.
    auto *tcp = new QTcpServer(this);
    const quint16 bound = tcp->listen(QHostAddress::LocalHost, port) && bind(tcp) ? tcp->serverPort() : 0;
    if (bound == 0)
        delete tcp;
#endif
    if (bound == 0)
        return Error::badInput(QCoreApplication::translate("SandboxServer",
                                                           "Cannot listen on 127.0.0.1:%1. Is another program using "
                                                           "that port? Choose another with --port, or 0 for any.")
                                   .arg(port));
    m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(bound));
    return bound;
}

SandboxServer::Reply SandboxServer::reply(const QHttpServerRequest &request)
{
    HttpRequest req;
    req.method = methodName(request.method());
    req.url = request.url();
    if (req.url.host().isEmpty()) {
        req.url.setScheme(u"http"_s);
        req.url.setHost(m_url.host());
        req.url.setPort(m_url.port());
    }
#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
    req.headers = request.headers();
#else
    req.headers = request.headers().toListOfPairs(); // names in lower case: every lookup ignores case
#endif
    req.body = request.body();

    Reply reply;
    auto fault = m_faults.isEmpty() ? std::nullopt
                                    : m_faults.next(req.method, req.url.path(), req.url.query(QUrl::FullyDecoded));
    using Kind = FaultInjector::Kind;
    if (fault && fault->kind == Kind::Claims && !m_api->claimsChallengeApplies(*fault, req))
        fault.reset(); // a token carrying the claims, or no Web API request: answered as usual
    if (fault && fault->kind == Kind::Hold) {
        reply.held = std::move(req);
        reply.delayMs = fault->delayMs;
        qCDebug(lcSandbox) << reply.held->method << reply.held->url.path() << "held for" << reply.delayMs
                           << "ms (fault injected)";
        return reply;
    }
    if (fault && fault->kind != Kind::Truncate && fault->kind != Kind::Reset && fault->kind != Kind::Slow &&
        fault->kind != Kind::Loop) {
        reply.response = m_api->faultResponse(*fault, req);
    } else {
        reply.response = m_api->handle(req);
        if (fault && fault->kind == Kind::Truncate)
            reply.response.body.truncate(reply.response.body.size() / 2);
        if (fault && fault->kind == Kind::Loop)
            linkBackToItself(reply.response, req.url);
        reply.resetMidBody = fault && fault->kind == Kind::Reset;
        reply.delayMs = fault && fault->kind == Kind::Slow ? fault->delayMs : 0;
    }
    qCDebug(lcSandbox) << req.method << req.url.path() << "->" << reply.response.status
                       << (fault ? "(fault injected)" : "");
    return reply;
}

#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
void SandboxServer::write(QHttpServerResponder &responder, const HttpResponse &response, bool resetMidBody)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    if (!resetMidBody) {
        responder.writeBody(response.body);
        return;
    }
    // Half the promised body, then the connection drops: what a reset mid-transfer looks like to a client.
    responder.writeBody(response.body.first(response.body.size() / 2));
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    if (QTcpSocket *socket = responder.socket()) {
        socket->flush();
        socket->abort();
    }
#endif
}
#else
// The connection a request came on: the socket whose peer is the request's remote end. Qt 6.8's responder does not
// give it, but the server holds it (each connection's handler is the server's child, its socket the handler's).
QTcpSocket *SandboxServer::socketOf(const QHttpServerRequest &request) const
{
    const auto sockets = findChildren<QTcpSocket *>();
    const auto it = std::find_if(sockets.cbegin(), sockets.cend(), [&request](const QTcpSocket *socket) {
        return socket->peerPort() == request.remotePort() && socket->peerAddress() == request.remoteAddress();
    });
    return it != sockets.cend() ? *it : nullptr;
}

void SandboxServer::write(QHttpServerResponder &responder, QTcpSocket *socket, const HttpResponse &response,
                          bool resetMidBody)
{
    const auto status = static_cast<QHttpServerResponder::StatusCode>(response.status);
    if (resetMidBody && !socket)
        qCWarning(lcSandbox) << "A reset fault's connection was not found: the reply is sent whole";
    if (!resetMidBody || !socket) {
        responder.write(response.body, QHttpHeaders::fromListOfPairs(response.headers), status); // + Content-Length
        return;
    }
    // Half the promised body, then the connection drops: what a reset mid-transfer looks like to a client. Qt 6.8's
    // responder only writes whole replies, so this one goes to the socket itself.
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + " \r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n";
    socket->write(head + response.body.first(response.body.size() / 2));
    socket->flush();
    socket->abort();
}
#endif

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const Reply r = reply(request);
    if (r.delayMs == 0) {
        QHttpServerResponder responder = makeResponder(request, socket);
        write(responder, r.response, r.resetMidBody);
        return true;
    }
    // A slow reply: written later, unless the client has gone by then.
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    QPointer<QTcpSocket> alive(socket);
    QTimer::singleShot(r.delayMs, this, [this, responder, alive, r] {
        if (!alive)
            return; // the client has gone: a held request is never acted on
        write(*responder, r.held ? m_api->handle(*r.held) : r.response, r.resetMidBody);
    });
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Never reached: handleRequest answers everything.
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}
#elif QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
bool SandboxServer::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    // Qt 6.5 hands out the responder by reference only: a slow reply blocks this thread instead of being deferred,
    // and a reset sends half the body without closing the connection.
    const Reply r = reply(request);
    if (r.delayMs > 0)
        QThread::msleep(r.delayMs);
    write(responder, r.held ? m_api->handle(*r.held) : r.response, r.resetMidBody);
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &, QHttpServerResponder &responder)
{
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}
#else
bool SandboxServer::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Reply r = reply(request);
    // The connection, only for a fault: to see the client gone, or to cut the connection.
    QPointer<QTcpSocket> socket(r.delayMs > 0 || r.resetMidBody ? socketOf(request) : nullptr);
    const bool found = !socket.isNull();
    if (r.delayMs == 0) {
        write(responder, socket, r.response, r.resetMidBody);
        return true;
    }
    // A slow reply: written later, unless the client has gone by then. Qt 6.8's responder may be moved out and kept
    // (the connection stays until it is destroyed).
    auto kept = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTimer::singleShot(r.delayMs, this, [this, kept, socket, found, r] {
        if (found && (!socket || socket->state() != QAbstractSocket::ConnectedState))
            return; // the client has gone: a held request is never acted on
        write(*kept, socket, r.held ? m_api->handle(*r.held) : r.response, r.resetMidBody);
    });
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &, QHttpServerResponder &responder)
{
    // Never reached: handleRequest answers everything.
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}
#endif
