#include "app/sandbox/SandboxServer.h"

#include "app/sandbox/SandboxApi.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSandbox, "autoclose.sandbox", QtInfoMsg)

namespace {
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
    const quint16 bound = listen(QHostAddress::LocalHost, port);
    if (bound == 0)
        return Error::badInput(QCoreApplication::translate("SandboxServer",
                                                           "Cannot listen on 127.0.0.1:%1. Is another program using "
                                                           "that port? Choose another with --port, or 0 for any.")
                                   .arg(port));
    m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(bound));
    return bound;
}

void SandboxServer::respond(const QHttpServerRequest &request, QHttpServerResponder &responder) const
{
    HttpRequest req;
    req.method = methodName(request.method());
    req.url = request.url();
    if (req.url.host().isEmpty()) {
        req.url.setScheme(u"http"_s);
        req.url.setHost(m_url.host());
        req.url.setPort(m_url.port());
    }
    req.headers = request.headers();
    req.body = request.body();

    const HttpResponse response = m_api->handle(req);
    qCDebug(lcSandbox) << req.method << req.url.path() << "->" << response.status;

    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder.writeBody(response.body);
}

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    respond(request, responder);
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Never reached: handleRequest answers everything.
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}
#else
bool SandboxServer::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    respond(request, responder);
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &, QHttpServerResponder &responder)
{
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}
#endif
