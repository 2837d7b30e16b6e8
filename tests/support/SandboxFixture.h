#pragma once

// A sandbox in this process on a temporary directory, a client signed in to it, and a colleague's client editing the
// same environment underneath. No widgets: the edit session's tests use it as the window's tests do.
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

struct Server
{
    QTemporaryDir dir;
    QString token = LocalSandbox::generateToken();
    std::unique_ptr<LocalSandbox> sandbox;
    QNetworkAccessManager network;
    std::unique_ptr<DataverseClient> client; // the window's
    std::unique_ptr<DataverseClient> colleague; // someone else editing the same environment

    static std::unique_ptr<Server> start(LocalSandbox::Options options = {}, const QString &dataDir = {})
    {
        auto server = std::make_unique<Server>();
        // The audit log and "before apply" snapshots go to this test's directory, never the user's.
        qputenv("AUTOCLOSE_DATA_DIR", QFile::encodeName(server->dataDir()));
        options.dataDir = dataDir.isEmpty() ? server->dir.path() + QStringLiteral("/sandbox") : dataDir;
        options.acceptedTokens = {server->token};
        auto sandbox = LocalSandbox::start(options);
        if (!sandbox)
            return nullptr;
        server->sandbox = std::move(sandbox).value();
        server->client = std::make_unique<DataverseClient>(server->sandbox->url(), &server->network);
        server->client->setAccessToken(server->token);
        server->colleague = std::make_unique<DataverseClient>(server->sandbox->url(), &server->network);
        server->colleague->setAccessToken(server->token);
        return server;
    }

    QString dataDir() const { return dir.path() + QStringLiteral("/data"); }

    // What the server holds for channel × state, read by another client.
    std::optional<ChannelStateConfig> read(const QString &channel, const QString &state)
    {
        std::optional<Result<QList<ChannelStateConfig>>> result;
        colleague->fetchConfigurations(colleague.get(), [&result](auto r) { result = std::move(r); });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000) || !result->ok())
            return std::nullopt;
        for (const ChannelStateConfig &c : result->value()) {
            if (c.channelLabel() == channel && conversationStateLabel(c.state) == state)
                return c;
        }
        return std::nullopt;
    }

    bool colleagueSaves(const QString &channel, const QString &state, int minutes)
    {
        const auto current = read(channel, state);
        if (!current)
            return false;
        std::optional<QList<WriteResult>> results;
        colleague->saveMinutes({MinutesChange {current->id, current->name, current->etag, minutes}},
                               DataverseClient::WriteMode::OneByOne, colleague.get(),
                               [&results](QList<WriteResult> r) { results = std::move(r); });
        return QTest::qWaitFor([&results] { return results.has_value(); }, 20000) && results->size() == 1 &&
            results->first().outcome == WriteResult::Outcome::Saved;
    }
};
