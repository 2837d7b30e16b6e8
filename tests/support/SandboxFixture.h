#pragma once

// The one way client-side tests start a sandbox in this process: on a temporary directory, with a client signed in to
// it and a colleague's client editing the same environment underneath. No widgets: the edit session's tests use it as
// the window's tests do. (Tests of the sandbox itself start LocalSandbox; process tests start autoclose-sandbox with
// SandboxProcess.)
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

struct SandboxFixture
{
    // Fast: the client retries after FastRetries' short pause instead of the default policy's, for tests of the client
    // that go through faults but do not time the retries. The window's tests keep the default.
    enum class Retries { Default, Fast };
    static inline const WebApiTransport::RetryPolicy FastRetries {3, std::chrono::milliseconds(20)};

    QTemporaryDir dir;
    QString token;
    std::unique_ptr<LocalSandbox> sandbox;
    QNetworkAccessManager network;
    std::unique_ptr<DataverseClient> client; // the window's, or the test's
    std::unique_ptr<DataverseClient> colleague; // someone else editing the same environment

    // options.dataDir defaults to <dir>/sandbox; options.acceptedTokens is set to {token}, a random one unless given.
    // Null, with a warning saying why, when the sandbox cannot start.
    static std::unique_ptr<SandboxFixture> start(LocalSandbox::Options options = {}, const QString &token = {},
                                                 Retries retries = Retries::Default)
    {
        std::unique_ptr<SandboxFixture> fixture(new SandboxFixture);
        fixture->token = token.isEmpty() ? LocalSandbox::generateToken() : token;
        s_live.append(fixture.get());
        qputenv("AUTOCLOSE_DATA_DIR", QFile::encodeName(fixture->dataDir()));
        if (options.dataDir.isEmpty())
            options.dataDir = fixture->dir.path() + QStringLiteral("/sandbox");
        options.acceptedTokens = {fixture->token};
        auto started = LocalSandbox::start(options);
        if (!started) {
            qWarning("the sandbox did not start: %s", qPrintable(started.error().describe()));
            return nullptr;
        }
        fixture->sandbox = std::move(started).value();
        fixture->client = std::make_unique<DataverseClient>(fixture->sandbox->url(), &fixture->network);
        fixture->client->setAccessToken(fixture->token);
        if (retries == Retries::Fast)
            fixture->client->transport()->setRetryPolicy(FastRetries);
        fixture->colleague = std::make_unique<DataverseClient>(fixture->sandbox->url(), &fixture->network);
        fixture->colleague->setAccessToken(fixture->token);
        return fixture;
    }

    ~SandboxFixture()
    {
        s_live.removeOne(this);
        if (!s_live.isEmpty())
            qputenv("AUTOCLOSE_DATA_DIR", QFile::encodeName(s_live.last()->dataDir()));
    }
    SandboxFixture(const SandboxFixture &) = delete;
    SandboxFixture &operator=(const SandboxFixture &) = delete;

    // The audit log and "before apply" snapshots go here, never to the user's directory: AUTOCLOSE_DATA_DIR names the
    // newest live fixture's dataDir() (a test may hold two), and after the last one the last one's.
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

    // The colleague sets channel × state to minutes: true once the server holds it.
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

private:
    SandboxFixture() = default;
    static inline QList<const SandboxFixture *> s_live; // oldest first
};
