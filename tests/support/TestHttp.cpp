#include "TestHttp.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkRequest>

QJsonObject TestReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray TestReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

TestReply testRequest(const QByteArray &method, const QUrl &url,
                      const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(20000);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    TestReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    result.error = reply->error();
    delete reply;
    return result;
}

TestReply testGet(const QUrl &url, const QByteArray &token, QList<std::pair<QByteArray, QByteArray>> headers)
{
    if (!token.isEmpty())
        headers.append(std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + token));
    headers.append(std::pair<QByteArray, QByteArray>("Accept", "application/json"));
    headers.append(std::pair<QByteArray, QByteArray>("OData-MaxVersion", "4.0"));
    headers.append(std::pair<QByteArray, QByteArray>("OData-Version", "4.0"));
    return testRequest("GET", url, headers);
}
