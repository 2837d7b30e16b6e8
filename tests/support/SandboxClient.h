#pragma once

// The client tests' fixture: a sandbox in this process, on a temporary data directory, and a client signed in to
// it with a fast retry policy.
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>

#include <memory>

class SandboxClient
{
public:
    // options.dataDir and acceptedTokens are filled in. Null when the sandbox cannot start.
    static std::unique_ptr<SandboxClient> start(const QString &token, LocalSandbox::Options options = {})
    {
        std::unique_ptr<SandboxClient> fixture(new SandboxClient);
        options.dataDir = fixture->m_dir.path();
        options.acceptedTokens = {token};
        auto sandbox = LocalSandbox::start(options);
        if (!sandbox)
            return nullptr;
        fixture->m_sandbox = std::move(sandbox).value();
        fixture->m_client = std::make_unique<DataverseClient>(fixture->m_sandbox->url(), &fixture->m_network);
        fixture->m_client->setAccessToken(token);
        fixture->m_client->transport()->setRetryPolicy(WebApiTransport::RetryPolicy {3, std::chrono::milliseconds(20)});
        return fixture;
    }

    LocalSandbox &sandbox() { return *m_sandbox; }
    DataverseClient &client() { return *m_client; }

private:
    SandboxClient() = default;
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    std::unique_ptr<LocalSandbox> m_sandbox;
    std::unique_ptr<DataverseClient> m_client; // destroyed first: it uses the network manager
};
