#include "app/cli/CliDiscovery.h"

#include "app/auth/Cloud.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/cli/Cli.h"
#include "app/cli/CliAuth.h"
#include "app/cli/CliEnvironment.h"
#include "app/dataverse/Discovery.h"
#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/WebApiTransport.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <optional>

using namespace Qt::StringLiterals;

namespace CliDiscovery {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliDiscovery", text);
}

// --discovery-url: https, or http on this computer (a sandbox in tests).
Result<QUrl> parseServiceUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!OrgUrl::isSecureOrLoopback(url))
        return Error::badInput(tr("--discovery-url must be an https:// address such as "
                                  "https://globaldisco.crm.dynamics.com (http:// only on this computer), not '%1'.")
                                   .arg(text));
    return url;
}

QString yesNo(const std::optional<bool> &value)
{
    if (!value)
        return u"-"_s;
    return *value ? tr("yes") : tr("no");
}

void write(QTextStream &out, const QList<Discovery::Environment> &environments, bool json)
{
    if (json) {
        QJsonArray array;
        for (const Discovery::Environment &e : environments)
            array.append(QJsonObject {{u"name"_s, e.name},
                                      {u"url"_s, e.url.toString()},
                                      {u"uniqueName"_s, e.uniqueName},
                                      {u"environmentId"_s, e.environmentId},
                                      {u"version"_s, e.version},
                                      {u"region"_s, e.region},
                                      {u"state"_s,
                                       e.enabled()        ? u"enabled"_s
                                           : e.state == 1 ? u"disabled"_s
                                                          : QString::number(e.state)}});
        out << QString::fromUtf8(
            QJsonDocument(QJsonObject {{u"environments"_s, array}}).toJson(QJsonDocument::Indented));
        return;
    }
    QList<QStringList> rows;
    for (const Discovery::Environment &e : environments)
        rows << QStringList {e.name, e.url.toString(), e.version, e.region, e.stateName(), yesNo(e.userIsAdmin)};
    out << Cli::formatColumns({tr("NAME"), tr("URL"), tr("VERSION"), tr("REGION"), tr("STATE"), tr("ADMIN")}, rows);
}
} // namespace

EnvironmentsCommand::EnvironmentsCommand(const Cli::GlobalOptions &global)
    : Command(u"environments"_s)
    , m_global(global)
{
    m_discoveryUrl.setDescription(QCoreApplication::translate(
        "CliDiscovery",
        "environments: the discovery service to ask instead of the cloud's (a cloud the product does "
        "not know, or a test)."));
}

QString EnvironmentsCommand::syntax() const
{
    return tr("[--profile NAME | --access-token-env VAR] [--cloud CLOUD]\n"
              "[--discovery-url URL] [--format table|json]");
}

QString EnvironmentsCommand::description() const
{
    return tr("The environments the account can reach, from the Global Discovery\n"
              "Service of its cloud: name, address, version, region, state.");
}

QList<Cli::OptionGroup> EnvironmentsCommand::options() const
{
    return {{m_global.profile}, {m_global.accessTokenEnv}, {m_global.cloud},
            {m_discoveryUrl},   {m_global.format},         {m_global.timeout}};
}

int EnvironmentsCommand::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    if (call.positional.size() > 1)
        return Cli::usage(err, tr("'environments' takes no arguments, but got '%1'.").arg(call.positional.at(1)));
    const QString format = parser.value(m_global.format);
    if (format != u"table"_s && format != u"json"_s)
        return Cli::usage(err, tr("--format must be table or json, not '%1'.").arg(format));
    const bool byToken = parser.isSet(m_global.accessTokenEnv);
    if (byToken && parser.isSet(m_global.profile))
        return Cli::usage(err, tr("Give either --profile or --access-token-env, not both."));

    std::optional<Profile> profile;
    if (!byToken) {
        ProfileStore store;
        profile = CliAuth::findProfile(
            store, parser.isSet(m_global.profile) ? parser.value(m_global.profile) : store.lastUsed(), err);
        if (!profile)
            return Cli::Usage;
        if (profile->isDemo())
            return Cli::usage(err,
                              tr("The Demo environment is not listed by a discovery service. Choose a profile "
                                 "that signs in to your tenant with --profile, or give a token with "
                                 "--access-token-env."));
        if (profile->method == AuthMethod::EnvToken)
            return Cli::usage(err,
                              tr("The profile \"%1\" holds a token for its environment only. Give a token for "
                                 "the discovery service with --access-token-env instead.")
                                  .arg(profile->name));
    }

    // Which service: --discovery-url, else --cloud, else the profile's cloud, else commercial.
    std::optional<Cloud> cloud;
    if (parser.isSet(m_global.cloud)) {
        cloud = Clouds::fromName(parser.value(m_global.cloud));
        if (!cloud)
            return Cli::usage(err, Clouds::unknownNameSentence(u"--cloud"_s, parser.value(m_global.cloud)));
    }
    QUrl service;
    if (parser.isSet(m_discoveryUrl)) {
        const auto url = parseServiceUrl(parser.value(m_discoveryUrl));
        if (!url)
            return Cli::usage(err, url.error().userMessage);
        service = url.value();
    } else if (cloud) {
        if (profile && *cloud != profile->cloud)
            return Cli::usage(err,
                              tr("The profile \"%1\" signs in to the %2 cloud; leave out --cloud, or choose "
                                 "a profile of the %3 cloud.")
                                  .arg(profile->name, Clouds::label(profile->cloud), Clouds::label(*cloud)));
        service = *cloud == Cloud::Custom && profile ? profile->discovery() : Clouds::discovery(*cloud);
    } else {
        service = profile ? profile->discovery() : Clouds::discovery(Cloud::Commercial);
    }
    if (service.isEmpty())
        return Cli::usage(err,
                          profile ? tr("The profile's cloud is custom and names no discovery service. Give its "
                                       "address with --discovery-url.")
                                  : tr("--cloud custom needs --discovery-url URL, the discovery service of that "
                                       "cloud."));

    QNetworkAccessManager network;
    // Through the profile's proxy, else the environment's and the system's (docs/networking.md).
    std::unique_ptr<SecretStore> secrets = CliAuth::makeSecretStore(err);
    if (const auto proxied = CliAuth::useProxy(&network, profile ? &*profile : nullptr, secrets.get()); !proxied)
        return Cli::usage(err, proxied.error().userMessage);
    WebApiTransport transport(&network, service.host());
    if (call.timeout.count() > 0)
        transport.setTransferTimeout(call.timeout);
    std::unique_ptr<SignInSession> session;
    if (byToken) {
        const QString variable = parser.value(m_global.accessTokenEnv);
        const QString token = qEnvironmentVariable(variable.toLocal8Bit().constData()).trimmed();
        if (token.isEmpty())
            return Cli::usage(err,
                              tr("The environment variable %1 is not set or empty; it should hold an access "
                                 "token for the discovery service %2.")
                                  .arg(variable, Discovery::resource(service)));
        transport.setAccessToken(token);
    } else {
        // The profile's sign-in, asked for the discovery service's resource (docs/discovery.md).
        Profile forDiscovery = *profile;
        forDiscovery.tokenResource = Discovery::resource(service);
        session = std::make_unique<SignInSession>(forDiscovery, secrets.get(), &network);
        CliAuth::showSignInPrompts(*session, err);
        auto token = Cli::wait<QString>([&](QObject *ctx, auto done) { session->acquireSilently(ctx, done); });
        if (!token && token.error().serviceCode.startsWith(SignInSession::interactionRequiredCode())) {
            err << "autoclose-cli: "
                << tr("signing in to the discovery service %1 as the profile \"%2\" says")
                       .arg(service.host(), profile->name)
                << '\n';
            err.flush();
            token = Cli::wait<QString>([&](QObject *ctx, auto done) { session->signInInteractively(ctx, done); });
        }
        if (!token)
            return Cli::fail(err, token.error());
        transport.setAccessToken(token.value());
        transport.setTokenRefresher(session->refresher());
        CliAuth::answerChallenges(*session, &transport, err);
    }
    const auto listed = Cli::wait<QList<Discovery::Environment>>(
        [&](QObject *ctx, auto done) { Discovery::list(&transport, service, ctx, done); });
    if (!listed) {
        Error e = listed.error();
        // UNCONFIRMED whether the service takes application tokens (docs/discovery.md): the user reads the guess.
        if (e.kind == Error::Kind::Auth && profile && profile->method == AuthMethod::ClientSecret)
            e.userMessage += u' ' +
                tr("The discovery service may not accept an application's sign-in (a client "
                   "secret); list the environments with a profile that signs in as a person.");
        return Cli::fail(err, e);
    }
    write(out, listed.value(), format == u"json"_s);
    return Cli::Ok;
}

} // namespace CliDiscovery
