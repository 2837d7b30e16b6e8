#include "app/sandbox/SandboxHttp.h"

#include "app/sandbox/EntitySchema.h"

#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

QByteArray HttpRequest::header(const QByteArray &name) const
{
    return SandboxHttp::headerValue(headers, name);
}

QByteArray SandboxHttp::headerValue(const HttpHeaders &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpHeaders SandboxHttp::commonHeaders()
{
    return {{"OData-Version", "4.0"},
            {"x-ms-service-request-id", QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1()}};
}

HttpResponse SandboxHttp::json(int status, const QJsonObject &object, HttpHeaders extra)
{
    HttpResponse response;
    response.status = status;
    response.headers = commonHeaders();
    response.headers << std::pair<QByteArray, QByteArray>(
        "Content-Type",
        "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; "
        "charset=utf-8");
    response.headers << extra;
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse SandboxHttp::error(int status, const QString &code, const QString &message, HttpHeaders extra)
{
    const QJsonObject body {{u"code"_s, code}, {u"message"_s, message}};
    return json(status, QJsonObject {{u"error"_s, body}}, std::move(extra));
}

HttpResponse SandboxHttp::badQuery(const QString &message)
{
    return error(400, CodeBadQuery, message);
}

HttpResponse SandboxHttp::resourceNotFound(const QString &segment)
{
    return error(404, CodeResourceNotFound, u"Resource not found for the segment '%1'."_s.arg(segment));
}

HttpResponse SandboxHttp::recordNotFound(const EntitySetDef &set, const QString &key)
{
    return error(404, CodeRecordNotFound, u"%1 With Id = %2 Does Not Exist"_s.arg(set.logicalName, key));
}

QString SandboxHttp::apiRoot(const HttpRequest &request)
{
    const QString version = request.url.path().section(u'/', 3, 3);
    return request.url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                                QUrl::StripTrailingSlash) +
        u"/api/data/"_s + version + u'/';
}
