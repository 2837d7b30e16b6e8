#pragma once

#include "app/sandbox/FaultInjector.h"
#include "app/sandbox/SandboxApi.h"
#include "models/Result.h"

#include <QAbstractHttpServer>
#include <QUrl>

#include <optional>

class QTcpSocket;

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
    void setFaults(FaultInjector faults) { m_faults = std::move(faults); }

protected:
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
#endif

private:
    // The reply to a request, and how to deliver it: at once, late, or cut off half-way.
    struct Reply
    {
        HttpResponse response;
        int delayMs = 0;
        bool resetMidBody = false;
        std::optional<HttpRequest> held; // a request to act on only after delayMs (the "hold" fault)
    };
    Reply reply(const QHttpServerRequest &request);
#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
    static void write(QHttpServerResponder &responder, const HttpResponse &response, bool resetMidBody);
#else
    QTcpSocket *socketOf(const QHttpServerRequest &request) const;
    static void write(QHttpServerResponder &responder, QTcpSocket *socket, const HttpResponse &response,
                      bool resetMidBody);
#endif

    SandboxApi *m_api;
    QUrl m_url;
    FaultInjector m_faults;
};
