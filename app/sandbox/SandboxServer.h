#pragma once

#include "models/Result.h"

#include <QAbstractHttpServer>
#include <QUrl>

class SandboxApi;

// The sandbox's HTTP face: QtHttpServer on 127.0.0.1 only, handing every request to SandboxApi.
class SandboxServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxServer)
public:
    explicit SandboxServer(SandboxApi *api, QObject *parent = nullptr);

    // port 0 picks a free port. Never listens on anything but the loopback address.
    Result<quint16> listenLoopback(quint16 port);
    QUrl url() const { return m_url; }

protected:
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
#endif

private:
    void respond(const QHttpServerRequest &request, QHttpServerResponder &responder) const;

    SandboxApi *m_api;
    QUrl m_url;
};
