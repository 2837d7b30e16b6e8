#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <utility>

struct EntitySetDef;

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QByteArray method;
    QUrl url; // absolute: scheme, the Host the client used, path and query
    HttpHeaders headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
};

struct HttpResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
};

// The reply shapes every handler of the sandbox answers with: Dataverse's headers, JSON bodies and error bodies, and
// the error codes the sandbox uses (docs/web-api.md).
namespace SandboxHttp {

// Dataverse's codes for the errors the sandbox returns.
inline const QString CodeBadQuery = QStringLiteral("0x80060888");
inline const QString CodeResourceNotFound = QStringLiteral("0x8006088a");
inline const QString CodeRecordNotFound = QStringLiteral("0x80040217");
inline const QString CodeConcurrency = QStringLiteral("0x80060882");
inline const QString CodeDuplicate = QStringLiteral("0x80040237");
inline const QString CodePayload = QStringLiteral("0x80048d19"); // "Error identified in Payload provided by the user"

// The value of the first header with this name, case-insensitive; empty when absent.
QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name);

// OData-Version and a fresh x-ms-service-request-id, as every reply of the service carries.
HttpHeaders commonHeaders();
HttpResponse json(int status, const QJsonObject &object, HttpHeaders extra = {});
// {"error":{"code":…,"message":…}}.
HttpResponse error(int status, const QString &code, const QString &message, HttpHeaders extra = {});
HttpResponse badQuery(const QString &message);
HttpResponse resourceNotFound(const QString &segment);
HttpResponse recordNotFound(const EntitySetDef &set, const QString &key);

// "<scheme>://<host>/api/data/<version>/" for the request's host; version as in the request's path (v9.0–v9.2).
QString apiRoot(const HttpRequest &request);

} // namespace SandboxHttp
