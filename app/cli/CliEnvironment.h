#pragma once

#include "app/cli/Command.h"
#include "app/dataverse/DataverseClient.h"
#include "models/Result.h"

#include <QEventLoop>
#include <QNetworkAccessManager>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

struct Profile;
class QTextStream;
class SecretStore;
class SignInSession;

namespace Cli {

// Runs an asynchronous step to its end: start(context, done) must call done once.
template<typename T, typename Start>
Result<T> wait(Start start)
{
    QEventLoop loop;
    std::optional<Result<T>> outcome;
    start(&loop, [&](Result<T> r) {
        outcome.emplace(std::move(r));
        loop.quit();
    });
    if (!outcome)
        loop.exec();
    return std::move(*outcome);
}

class DemoSandbox;

// Where the Demo environment is, when a command reaches it: --demo-data-dir (empty: the window's,
// DemoData::defaultDirectory()) and how long its sandbox may take to start (--timeout, else
// DemoSandbox::DefaultStartTimeout).
struct DemoOptions
{
    QString dataDir;
    std::chrono::milliseconds startTimeout {0};
};

// One environment a command talks to, signed in: from a saved profile (--profile NAME, or profile:NAME in diff)
// or from --url with the access token in an environment variable. Waits the service asks for are reported on err.
// The Demo environment's profile needs no sign-in: its sandbox is started as a child process for as long as the
// Environment lives (DemoSandbox).
class Environment
{
public:
    ~Environment();
    static Result<std::unique_ptr<Environment>> fromProfile(const QString &profileName, const DemoOptions &demo,
                                                            QTextStream &err);
    static Result<std::unique_ptr<Environment>> fromUrl(const QString &url, const QString &tokenVariable,
                                                        QTextStream &err);

    DataverseClient *client() const { return m_client.get(); }
    QString label() const { return m_label; } // the profile's name, or the URL
    // Who is signed in, as far as the sign-in says (the account, else the token's upn or app id); may be empty.
    QString user() const { return m_user; }
    // How to name this environment in a command line that repeats the command: --profile "X" or --url U
    // --access-token-env V.
    QString commandLineOptions() const { return m_options; }
    bool isProduction() const { return m_production; }

private:
    Environment();
    static Result<std::unique_ptr<Environment>> fromDemo(const Profile &profile, const DemoOptions &demo,
                                                         QTextStream &err);
    void finish(const QUrl &orgUrl, const QString &token, QTextStream &err);

    std::unique_ptr<DemoSandbox> m_demo; // first: the client and its network are gone before the child stops
    QNetworkAccessManager m_network;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<SignInSession> m_session;
    std::unique_ptr<DataverseClient> m_client;
    QString m_label;
    QString m_user;
    QString m_options;
    bool m_production = false;
};

// Opens an environment with the command line's settings: the one it names (--profile, or --url with
// --access-token-env) when profile is empty, else that profile (diff's profile:NAME). Asked for only by the
// commands and diff operands that need it.
using OpenLive = std::function<Result<std::unique_ptr<Environment>>(const QString &profile)>;
OpenLive openLive(const Invocation &call, QTextStream &err);

} // namespace Cli
