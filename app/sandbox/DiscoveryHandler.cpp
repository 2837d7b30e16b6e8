#include "app/sandbox/DiscoveryHandler.h"

#include "app/sandbox/SandboxStore.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

DiscoveryHandler::DiscoveryHandler(const SandboxStore *store)
    : m_store(store)
{ }

HttpResponse DiscoveryHandler::instances(const HttpRequest &request) const
{
    if (request.method != "GET")
        return error(405, CodeBadQuery, u"The discovery service takes GET."_s, {{"Allow", "GET"}});
    const QString base =
        request.url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    const SandboxStore::Identity &identity = m_store->identity();
    // The fields the product reads, in the service's shape (docs/discovery.md).
    QJsonObject self {
        {u"Id"_s, identity.organizationId},
        {u"UniqueName"_s, u"autoclosesandbox"_s},
        {u"UrlName"_s, request.url.host()},
        {u"FriendlyName"_s, u"autoclose-sandbox (%1)"_s.arg(request.url.authority())},
        {u"State"_s, 0},
        {u"Version"_s, u"9.2.0.0"_s},
        {u"Url"_s, base},
        {u"ApiUrl"_s, base},
        {u"EnvironmentId"_s, identity.organizationId},
        {u"Region"_s, u"Local"_s},
        {u"TenantId"_s, identity.tenantId},
        {u"IsUserSysAdmin"_s, m_userIsAdmin},
        {u"OrganizationType"_s, 6}, // a sandbox environment
        {u"Purpose"_s, u"Local tests"_s},
    };
    QJsonArray value {self};
    for (const QJsonValue &other : m_others)
        value.append(other);
    return json(200, QJsonObject {{u"value"_s, value}});
}
