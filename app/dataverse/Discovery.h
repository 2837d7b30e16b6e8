#pragma once

#include "models/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QObject;
class WebApiTransport;

// Dataverse's Global Discovery Service: the environments an account can reach, as Power Apps, pac and XrmToolBox
// list them (docs/discovery.md).
namespace Discovery {

struct Environment
{
    QString name; // FriendlyName
    QUrl url; // Url: the environment's address, what a profile keeps
    QUrl apiUrl; // ApiUrl
    QString uniqueName;
    QString environmentId; // the Power Platform environment id
    QString version;
    QString region;
    QString tenantId;
    int state = 0; // 0 enabled, 1 disabled
    std::optional<bool> userIsAdmin; // IsUserSysAdmin, when the service says

    bool enabled() const { return state == 0; }
    QString stateName() const; // "enabled", "disabled", or "state N"
};

// <service>/api/discovery/v2.0/Instances
QUrl instancesUrl(const QUrl &service);
// The resource a discovery token is asked for: the service's address with its trailing slash, so that the scope reads
// "<service>//user_impersonation" (docs/discovery.md).
QString resource(const QUrl &service);

// The Instances reply as environments, sorted by name; a reply of another shape is an error that says so.
Result<QList<Environment>> parseInstances(const QByteArray &body);

// GETs the instances through the transport (its token, retries and proxy) and parses them.
void list(WebApiTransport *transport, const QUrl &service, QObject *context,
          std::function<void(Result<QList<Environment>>)> done);

} // namespace Discovery
