#include "app/sandbox/LocalSandbox.h"

#include "app/sandbox/SandboxApi.h"
#include "app/sandbox/SandboxServer.h"
#include "app/sandbox/SandboxStore.h"
#include "app/sandbox/SandboxUser.h"

#include <QRandomGenerator>

Result<std::unique_ptr<LocalSandbox>> LocalSandbox::start(const Options &options)
{
    // The switches first: a wrong one is refused before anything is created.
    auto audit = AuditSettings::parse(options.auditOff);
    if (!audit)
        return audit.error();
    for (const QString &privilege : options.withoutPrivileges) {
        if (auto known = SandboxUser().withhold(privilege); !known)
            return known.error();
    }
    auto store = SandboxStore::open(options.dataDir, options.seed);
    if (!store)
        return store.error();
    std::unique_ptr<LocalSandbox> sandbox(new LocalSandbox);
    sandbox->m_store = std::move(store).value();
    sandbox->m_store->setAuditSettings(audit.value());
    sandbox->m_api = std::make_unique<SandboxApi>(sandbox->m_store.get());
    for (const QString &privilege : options.withoutPrivileges) {
        if (auto withheld = sandbox->m_api->withholdPrivilege(privilege); !withheld)
            return withheld.error();
    }
    for (const QString &token : options.acceptedTokens)
        sandbox->m_api->addAcceptedToken(token);
    sandbox->m_api->setTokenLifetime(options.tokenLifetime);
    sandbox->m_api->setTrustedJwtKey(options.trustedJwtKey);
    sandbox->m_api->setReadOnlyUser(options.readOnlyUser);
    sandbox->m_api->setOtherDiscoveryInstances(options.discoveryInstances);
    sandbox->m_server = std::make_unique<SandboxServer>(sandbox->m_api.get());
    if (!options.faults.isEmpty()) {
        auto faults = FaultInjector::parse(options.faults);
        if (!faults)
            return faults.error();
        sandbox->m_server->setFaults(std::move(faults).value());
    }
    if (auto bound = sandbox->m_server->listenLoopback(options.port); !bound)
        return bound.error();
    return sandbox;
}

LocalSandbox::~LocalSandbox() = default;

QUrl LocalSandbox::url() const
{
    return m_server->url();
}

QString LocalSandbox::generateToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}
