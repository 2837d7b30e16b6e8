#pragma once

#include "models/Result.h"

#include <QJsonArray>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <memory>

#include "app/sandbox/SandboxStore.h"

class SandboxApi;
class SandboxServer;

// A whole sandbox in this process: the store under a data directory, the Web API over it and the server on
// 127.0.0.1. What autoclose-sandbox runs, what the editor's Demo environment runs, and what tests start.
class LocalSandbox final
{
    Q_DISABLE_COPY_MOVE(LocalSandbox)
public:
    struct Options
    {
        QString dataDir;
        quint16 port = 0; // 0: any free port
        QStringList acceptedTokens; // static bearer tokens
        std::chrono::seconds tokenLifetime {3600};
        QByteArray trustedJwtKey; // accept HS256 JWTs signed with it (see SandboxApi::setTrustedJwtKey)
        SandboxStore::Seed seed; // what an empty data directory is filled with
        QString faults; // a FaultInjector spec; empty: none
        bool readOnlyUser = false; // the signed-in user may read but not write
        QStringList withoutPrivileges; // privileges the signed-in user lacks, e.g. prvReadRecordAuditHistory
        // What is not audited: "organization", "<table>" or "<table>.<column>" (docs/change-history.md).
        QStringList auditOff;
        QJsonArray discoveryInstances; // served by the discovery endpoint after the sandbox itself
    };

    static Result<std::unique_ptr<LocalSandbox>> start(const Options &options);
    static Result<std::unique_ptr<LocalSandbox>> start(const QString &dataDir, quint16 port,
                                                       const QStringList &acceptedTokens)
    {
        Options options;
        options.dataDir = dataDir;
        options.port = port;
        options.acceptedTokens = acceptedTokens;
        return start(options);
    }
    ~LocalSandbox();

    QUrl url() const; // http://127.0.0.1:<port>
    SandboxStore *store() const { return m_store.get(); }

    // A random bearer token for an in-process sandbox that only this process knows.
    static QString generateToken();

private:
    LocalSandbox() = default;
    std::unique_ptr<SandboxStore> m_store;
    std::unique_ptr<SandboxApi> m_api;
    std::unique_ptr<SandboxServer> m_server;
};
