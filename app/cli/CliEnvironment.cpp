#include "app/cli/CliEnvironment.h"

#include "app/auth/OAuth.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/cli/CliAuth.h"
#include "app/cli/CliDemo.h"
#include "app/common/DemoData.h"
#include "app/common/NetworkProxy.h"
#include "app/dataverse/OrgUrl.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Cli {
namespace {
QString quoted(const QString &text)
{
    return u'"' + QString(text).replace(u"\""_s, u"\\\""_s) + u'"';
}
} // namespace

Environment::Environment() = default;
Environment::~Environment() = default;

Result<std::unique_ptr<Environment>> Environment::fromProfile(const QString &profileName, const DemoOptions &demo,
                                                              QTextStream &err)
{
    {
        const ProfileStore store;
        const auto profile = CliAuth::findProfile(store, profileName, err);
        if (!profile)
            return Error::badInput(QCoreApplication::translate("Cli", "Choose an existing profile with --profile."));
        if (profile->isDemo())
            return fromDemo(*profile, demo, err);
    }
    std::unique_ptr<Environment> env(new Environment);
    env->m_secrets = CliAuth::makeSecretStore(err);
    QString token;
    auto session = CliAuth::signedInSession(profileName, env->m_secrets.get(), &env->m_network, &token, err);
    if (!session)
        return session.error();
    env->m_session = std::move(session).value();
    env->m_label = env->m_session->profile().name;
    env->m_user = env->m_session->account();
    env->m_options = u"--profile "_s + quoted(env->m_label);
    env->m_production = env->m_session->profile().production;
    env->finish(env->m_session->profile().orgUrl, token, err);
    env->m_client->transport()->setTokenRefresher(env->m_session->refresher());
    CliAuth::showSignInPrompts(*env->m_session, err);
    CliAuth::answerChallenges(*env->m_session, env->m_client->transport(), err);
    return env;
}

Result<std::unique_ptr<Environment>> Environment::fromDemo(const Profile &profile, const DemoOptions &demo,
                                                           QTextStream &err)
{
    const QString dataDir = demo.dataDir.isEmpty() ? DemoData::defaultDirectory() : demo.dataDir;
    auto sandbox = DemoSandbox::start(
        dataDir, demo.startTimeout.count() > 0 ? demo.startTimeout : DemoSandbox::DefaultStartTimeout);
    if (!sandbox)
        return sandbox.error();
    std::unique_ptr<Environment> env(new Environment);
    env->m_demo = std::move(sandbox).value();
    // Its server is a child of this process on 127.0.0.1: the profile says no proxy, which cannot fail.
    if (const auto proxied = NetworkProxy::apply(&env->m_network, {profile.proxy, profile.name, {}}); !proxied)
        return proxied.error();
    env->m_label = profile.name;
    env->m_options = u"--profile "_s + quoted(profile.name);
    if (!demo.dataDir.isEmpty())
        env->m_options += u" --demo-data-dir "_s + quoted(demo.dataDir);
    env->finish(env->m_demo->url(), env->m_demo->token(), err);
    return env;
}

Result<std::unique_ptr<Environment>> Environment::fromUrl(const QString &url, const QString &tokenVariable,
                                                          QTextStream &err)
{
    const auto org = OrgUrl::parse(url);
    if (!org)
        return org.error();
    const QString token = qEnvironmentVariable(tokenVariable.toLocal8Bit().constData()).trimmed();
    if (token.isEmpty())
        return Error::badInput(
            QCoreApplication::translate("Cli",
                                        "The environment variable %1 is not set or empty; it should hold the access "
                                        "token.")
                .arg(tokenVariable));
    std::unique_ptr<Environment> env(new Environment);
    env->m_secrets = CliAuth::makeSecretStore(err); // for a proxy's remembered credentials
    if (const auto proxied = CliAuth::useProxy(&env->m_network, nullptr, env->m_secrets.get()); !proxied)
        return proxied.error();
    env->m_label = org.value().toString();
    env->m_options = u"--url %1 --access-token-env %2"_s.arg(env->m_label, tokenVariable);
    const QJsonObject claims = OAuth::unverifiedClaims(token);
    for (const QString &claim : {u"upn"_s, u"preferred_username"_s, u"unique_name"_s, u"appid"_s, u"azp"_s}) {
        env->m_user = claims.value(claim).toString();
        if (!env->m_user.isEmpty())
            break;
    }
    env->finish(org.value(), token, err);
    return env;
}

void Environment::finish(const QUrl &orgUrl, const QString &token, QTextStream &err)
{
    m_client = std::make_unique<DataverseClient>(orgUrl, &m_network);
    m_client->setAccessToken(token);
    // Waits the service asks for are shown, so a pipeline's log explains a slow run.
    QObject::connect(m_client->transport(), &WebApiTransport::throttled, [&err](int seconds) {
        err << "autoclose-cli: "
            << QCoreApplication::translate("Cli", "throttled by the environment, retrying in %1 s").arg(seconds)
            << '\n';
        err.flush();
    });
    QObject::connect(m_client->transport(), &WebApiTransport::retrying,
                     [&err](int attempt, std::chrono::milliseconds delay, const QString &reason) {
                         err << "autoclose-cli: "
                             << QCoreApplication::translate("Cli", "%1, retrying in %2 ms (attempt %3)")
                                    .arg(reason)
                                    .arg(delay.count())
                                    .arg(attempt)
                             << '\n';
                         err.flush();
                     });
}

OpenLive openLive(const Invocation &call, QTextStream &err)
{
    const auto opened = [timeout = call.timeout](Result<std::unique_ptr<Environment>> env) {
        if (env && timeout.count() > 0)
            env.value()->client()->setTransferTimeout(timeout);
        return env;
    };
    const QCommandLineParser &parser = call.parser;
    const GlobalOptions &global = call.global;
    const DemoOptions demo {parser.value(global.demoDataDir), call.timeout};
    return [opened, demo, &parser, &global, &err](const QString &profile) -> Result<std::unique_ptr<Environment>> {
        if (!profile.isEmpty())
            return opened(Environment::fromProfile(profile, demo, err));
        return opened([&]() -> Result<std::unique_ptr<Environment>> {
            if (parser.isSet(global.profile)) {
                if (parser.isSet(global.url) || parser.isSet(global.accessTokenEnv))
                    return Error::badInput(QCoreApplication::translate(
                        "Cli",
                        "--profile names the environment and its sign-in; leave out --url and "
                        "--access-token-env."));
                return Environment::fromProfile(parser.value(global.profile), demo, err);
            }
            if (!parser.isSet(global.url))
                return Error::badInput(
                    QCoreApplication::translate("Cli",
                                                "No environment given: pass --profile NAME (see 'autoclose-cli "
                                                "profiles list'), or --url https://<org>.crm.dynamics.com with "
                                                "--access-token-env VAR."));
            if (!parser.isSet(global.accessTokenEnv))
                return Error::badInput(
                    QCoreApplication::translate("Cli",
                                                "No sign-in given: pass --access-token-env VAR, with the access token "
                                                "in the environment variable VAR, or use --profile NAME."));
            return Environment::fromUrl(parser.value(global.url), parser.value(global.accessTokenEnv), err);
        }());
    };
}

} // namespace Cli
