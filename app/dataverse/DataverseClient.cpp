#include "app/dataverse/DataverseClient.h"

#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

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
    , m_transport(new WebApiTransport(network, m_orgUrl.host(), this))
{ }

void DataverseClient::setAccessToken(const QString &token)
{
    m_transport->setAccessToken(token);
}

void DataverseClient::setTransferTimeout(std::chrono::milliseconds timeout)
{
    m_transport->setTransferTimeout(timeout);
}

void DataverseClient::fetchAll(const QString &pathAndQuery, QObject *context, RowsCallback done)
{
    const QUrl url = OrgUrl::webApiRoot(m_orgUrl).resolved(QUrl(pathAndQuery));
    fetchPage(url, {}, 0, context, std::move(done));
}

void DataverseClient::fetchPage(const QUrl &url, QList<QJsonObject> soFar, int pageCount, QPointer<QObject> context,
                                RowsCallback done)
{
    WebApiTransport::Call call;
    call.url = url;
    call.headers = {{"Prefer", "odata.maxpagesize=" + QByteArray::number(m_maxPageSize)}};
    m_transport->send(call, context,
                      [this, soFar = std::move(soFar), pageCount, context,
                       done = std::move(done)](Result<WebApiTransport::Reply> reply) mutable {
                          if (!reply) {
                              done(reply.error());
                              return;
                          }
                          auto page = WebApiReply::parseCollection(reply.value().body);
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
                              e.userMessage =
                                  QCoreApplication::translate("DataverseClient",
                                                              "The environment sent a link to a next page that leads "
                                                              "elsewhere (%1); it was not followed.")
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
