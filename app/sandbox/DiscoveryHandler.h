#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QJsonArray>

class SandboxStore;

// The Global Discovery Service's Instances list (docs/discovery.md), served by the sandbox: the sandbox itself
// first, then the instances it was given (autoclose-sandbox --discovery-instances), as they are.
class DiscoveryHandler final
{
    Q_DISABLE_COPY_MOVE(DiscoveryHandler)
public:
    explicit DiscoveryHandler(const SandboxStore *store);

    void setOtherInstances(const QJsonArray &instances) { m_others = instances; }
    void setUserIsAdmin(bool admin) { m_userIsAdmin = admin; }

    // GET /api/discovery/v2.0/Instances
    HttpResponse instances(const HttpRequest &request) const;

private:
    const SandboxStore *m_store;
    QJsonArray m_others;
    bool m_userIsAdmin = true;
};
