#pragma once

// The one way client-side tests start a sandbox in this process: on a temporary directory, with a client signed in to
// it and a colleague's client editing the same environment underneath. No widgets: the edit session's tests use it as
// the window's tests do. (Tests of the sandbox itself start LocalSandbox; process tests start autoclose-sandbox with
// SandboxProcess.)
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>

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
                                                 Retries retries = Retries::Default);
    ~SandboxFixture();
    SandboxFixture(const SandboxFixture &) = delete;
    SandboxFixture &operator=(const SandboxFixture &) = delete;

    // The audit log and "before apply" snapshots go here, never to the user's directory: AUTOCLOSE_DATA_DIR names the
    // newest live fixture's dataDir() (a test may hold two), and after the last one the last one's.
    QString dataDir() const { return dir.path() + QStringLiteral("/data"); }

    // What the server holds for channel × state, read by another client.
    std::optional<ChannelStateConfig> read(const QString &channel, const QString &state);
    // The colleague sets channel × state to minutes: true once the server holds it.
    bool colleagueSaves(const QString &channel, const QString &state, int minutes);
    // Every workstream the server holds, read by another client (empty when it cannot be read).
    QList<Workstream> readWorkstreams();
    // What the server holds for the workstream named name, read by another client.
    std::optional<Workstream> readWorkstream(const QString &name);
    // The colleague sets one of the workstream's timers: true once the server holds it.
    bool colleagueSavesWorkstream(const QString &name, TimerSetting setting, std::optional<int> minutes);

private:
    SandboxFixture() = default;
};
