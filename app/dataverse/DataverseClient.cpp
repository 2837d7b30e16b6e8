#include "app/dataverse/DataverseClient.h"

#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcDataverse, "autoclose.dataverse", QtInfoMsg)

namespace {
// A server that keeps sending next links would otherwise keep us paging forever.
constexpr int MaxPages = 100000;

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host() == b.host() && a.port() == b.port();
}
} // namespace

DataverseClient::DataverseClient(QUrl orgUrl, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_orgUrl(std::move(orgUrl))
    , m_network(network)
{ }

QNetworkRequest DataverseClient::makeRequest(const QUrl &url) const
{
    QNetworkRequest request(url);
    // The headers every Web API read carries (DESIGN.md §4).
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("OData-MaxVersion", "4.0");
    request.setRawHeader("OData-Version", "4.0");
    request.setRawHeader("If-None-Match", "null");
    request.setRawHeader("Prefer", "odata.maxpagesize=" + QByteArray::number(m_maxPageSize));
    if (!m_accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    // A redirect would carry the bearer token elsewhere: treat it as a failure instead.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(m_timeout.count()));
    return request;
}

void DataverseClient::fetchAll(const QString &pathAndQuery, QObject *context, RowsCallback done)
{
    const QUrl url = OrgUrl::webApiRoot(m_orgUrl).resolved(QUrl(pathAndQuery));
    fetchPage(url, {}, 0, context, std::move(done));
}

void DataverseClient::fetchPage(const QUrl &url, QList<QJsonObject> soFar, int pageCount, QPointer<QObject> context,
                                RowsCallback done)
{
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = m_network->get(makeRequest(url));
    // Deleted exactly once, whether or not the context still wants the answer.
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, url, soFar = std::move(soFar), pageCount, context, done = std::move(done), timer]() mutable {
                if (!context)
                    return;
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                qCDebug(lcDataverse) << "GET" << url.path() << "->" << status << "in" << timer.elapsed() << "ms";
                const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
                // A transport error after a 2xx status line (a reset mid-body) is a failed transfer, not a reply.
                const bool transportFailed = reply->error() != QNetworkReply::NoError && status >= 200 && status <= 299;
                if (status < 200 || status > 299 || transportFailed) {
                    WebApiReply::Failure failure;
                    failure.httpStatus = transportFailed ? 0 : status;
                    failure.body = body;
                    failure.requestId = reply->rawHeader("x-ms-service-request-id");
                    failure.retryAfter = reply->rawHeader("Retry-After");
                    failure.timedOut = reply->error() == QNetworkReply::OperationCanceledError;
                    failure.networkErrorText = reply->errorString();
                    failure.host = m_orgUrl.host();
                    done(WebApiReply::toError(failure));
                    return;
                }
                auto page = WebApiReply::parseCollection(body);
                if (!page) {
                    done(page.error());
                    return;
                }
                soFar.append(page.value().rows);
                const QUrl next = page.value().nextLink;
                if (next.isEmpty()) {
                    done(std::move(soFar));
                    return;
                }
                if (!sameOrigin(next, m_orgUrl) || pageCount + 1 >= MaxPages) {
                    Error e;
                    e.kind = Error::Kind::BadReply;
                    e.userMessage = QCoreApplication::translate(
                                        "DataverseClient",
                                        "The environment sent a link to a next page that leads elsewhere (%1); "
                                        "it was not followed.")
                                        .arg(next.host());
                    done(e);
                    return;
                }
                fetchPage(next, std::move(soFar), pageCount + 1, context, std::move(done));
            });
}

void DataverseClient::fetchConfigurations(QObject *context, ConfigsCallback done)
{
    const QString query = u"msdyn_occhannelstateconfigurations"
                          u"?$select=msdyn_name,msdyn_ocliveworkitemstate,msdyn_autocloseliveworkitemafter,"
                          u"_msdyn_occhannelconfigurationid_value,modifiedon"
                          u"&$expand=msdyn_occhannelconfigurationid($select=msdyn_streamsource,msdyn_name)"_s;
    fetchAll(query, context, [done = std::move(done)](Result<QList<QJsonObject>> rows) {
        if (!rows) {
            done(rows.error());
            return;
        }
        QList<ChannelStateConfig> configs;
        configs.reserve(rows.value().size());
        for (const QJsonObject &row : rows.value()) {
            auto config = WebApiReply::parseStateConfiguration(row);
            if (!config) {
                done(config.error());
                return;
            }
            configs.append(std::move(config).value());
        }
        std::sort(configs.begin(), configs.end(), channelStateOrder);
        done(std::move(configs));
    });
}
