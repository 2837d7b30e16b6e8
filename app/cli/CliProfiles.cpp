#include "app/cli/CliProfiles.h"

#include "app/auth/OAuth.h"
#include "app/auth/Profile.h"
#include "app/auth/SecretStore.h"
#include "app/cli/Cli.h"
#include "app/cli/CliAuth.h"
#include "app/cli/CliEnvironment.h"
#include "app/common/NetworkProxy.h"
#include "app/dataverse/OrgUrl.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace CliProfiles {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliProfiles", text);
}

using Cli::fail;
using Cli::usage;
using CliAuth::findProfile;

QString readSecretFromStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(in.readLine()).trimmed();
}

// --cloud, checked against --authority and the environment's address; without it, the address's cloud, a custom one
// when an authority is given, else commercial.
Result<Cloud> chosenCloud(const QCommandLineParser &parser, const QCommandLineOption &cloudOption, const AddOptions &o,
                          const QUrl &orgUrl)
{
    const auto hostCloud = Clouds::ofEnvironment(orgUrl);
    if (!parser.isSet(cloudOption)) {
        if (parser.isSet(o.authority))
            return Cloud::Custom;
        return hostCloud.value_or(Cloud::Commercial);
    }
    const auto cloud = Clouds::fromName(parser.value(cloudOption));
    if (!cloud)
        return Error::badInput(Clouds::unknownNameSentence(u"--cloud"_s, parser.value(cloudOption)));
    if (*cloud == Cloud::Custom && !parser.isSet(o.authority))
        return Error::badInput(tr("--cloud custom needs --authority URL, the sign-in authority of that cloud."));
    if (*cloud != Cloud::Custom && parser.isSet(o.authority))
        return Error::badInput(tr("--cloud %1 signs in at %2; leave out --authority, or use --cloud custom.")
                                   .arg(Clouds::name(*cloud), Clouds::authority(*cloud).toString()));
    if (hostCloud && *cloud != Cloud::Custom && *hostCloud != *cloud)
        return Error::badInput(
            tr("%1 is in the %2 cloud (--cloud %3), not %4.")
                .arg(orgUrl.host(), Clouds::label(*hostCloud), Clouds::name(*hostCloud), Clouds::label(*cloud)));
    return *cloud;
}

QString describeProfile(const Profile &p)
{
    if (p.isDemo())
        return tr("built in; a local sandbox with demo data, no sign-in");
    QString text = p.orgUrl.toString() + u"  "_s + authMethodName(p.method);
    if (p.method == AuthMethod::EnvToken)
        text += u" ($"_s + p.tokenEnv + u')';
    if (p.method == AuthMethod::Browser || p.method == AuthMethod::DeviceCode || p.method == AuthMethod::ClientSecret)
        text += u"  cloud "_s + Clouds::name(p.cloud) +
            (p.cloud == Cloud::Custom ? u" ("_s + p.authority.toString() + u')' : QString()) + u"  tenant "_s +
            p.tenant + u"  client "_s + p.clientId +
            (p.usesSampleClient() ? tr(" (Microsoft's sample client, for trying things out)") : QString());
    if (p.production)
        text += tr("  PRODUCTION");
    if (!p.proxy.isEmpty())
        text += tr("  proxy %1").arg(NetworkProxy::redacted(p.proxy));
    return text;
}
} // namespace

AddOptions::AddOptions()
{
    // (QCoreApplication::translate, not tr: lupdate would file tr() here under "CliProfiles::AddOptions".)
    auth.setDescription(
        QCoreApplication::translate("CliProfiles", "profiles add: browser, device-code, client-secret or env-token."));
    tenant.setDescription(
        QCoreApplication::translate("CliProfiles", "profiles add: tenant id or domain (default: organizations)."));
    authority.setDescription(QCoreApplication::translate(
        "CliProfiles", "profiles add: sign-in authority of a custom cloud (default: the cloud's)."));
    clientId.setDescription(QCoreApplication::translate(
        "CliProfiles", "profiles add: application (client) id (default: Microsoft's sample client)."));
    clientSecretStdin.setDescription(
        QCoreApplication::translate("CliProfiles", "profiles add: read the client secret from standard input."));
    tokenEnv.setDescription(QCoreApplication::translate(
        "CliProfiles", "profiles add: the environment variable holding the access token (env-token)."));
    production.setDescription(
        QCoreApplication::translate("CliProfiles", "profiles add: mark the environment as production."));
    proxy.setDescription(QCoreApplication::translate(
        "CliProfiles",
        "profiles add: the profile's own proxy, http://host:port, or none for a direct connection (default: the "
        "system's settings and http_proxy, https_proxy, NO_PROXY…)."));
}

ProfilesList::ProfilesList(const Cli::GlobalOptions &global)
    : Command(u"profiles list"_s)
    , m_global(global)
{ }

QString ProfilesList::description() const
{
    return tr("The saved environments (* marks the last used).");
}

QList<Cli::OptionGroup> ProfilesList::options() const
{
    return {{m_global.format}};
}

int ProfilesList::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const QStringList &positional = call.positional;
    ProfileStore store;
    if (positional.size() > 2)
        return usage(err, tr("'profiles list' takes no arguments."));
    const QString format = parser.value(u"format"_s);
    const QList<Profile> all = store.profiles();
    if (format == u"json"_s) {
        QJsonArray array;
        for (const Profile &p : all)
            array.append(QJsonObject {{u"id"_s, p.id},
                                      {u"name"_s, p.name},
                                      {u"url"_s, p.isDemo() ? QString() : p.orgUrl.toString()},
                                      {u"auth"_s, authMethodName(p.method)},
                                      {u"cloud"_s, p.isDemo() ? QString() : Clouds::name(p.cloud)},
                                      {u"authority"_s, p.isDemo() ? QString() : p.authority.toString()},
                                      {u"tenant"_s, p.isDemo() ? QString() : p.tenant},
                                      {u"clientId"_s, p.isDemo() ? QString() : p.clientId},
                                      {u"production"_s, p.production},
                                      {u"proxy"_s, NetworkProxy::redacted(p.proxy)},
                                      {u"lastUsed"_s, p.id == store.lastUsed()}});
        out << QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented));
        return Cli::Ok;
    }
    if (format != u"table"_s)
        return usage(err, tr("--format must be table or json, not '%1'.").arg(format));
    qsizetype width = 4;
    for (const Profile &p : all)
        width = std::max(width, p.name.size());
    for (const Profile &p : all)
        out << (p.id == store.lastUsed() ? u"* "_s : u"  "_s) << p.name.leftJustified(width + 2, u' ')
            << describeProfile(p) << '\n';
    return Cli::Ok;
}

ProfilesAdd::ProfilesAdd(const Cli::GlobalOptions &global)
    : Command(u"profiles add"_s)
    , m_global(global)
{ }

QString ProfilesAdd::syntax() const
{
    return tr("NAME --url URL --auth browser|device-code|client-secret|env-token\n"
              "[--cloud CLOUD] [--tenant T] [--authority URL] [--client-id C]\n"
              "[--client-secret-stdin] [--token-env VAR] [--production]\n"
              "[--proxy URL|none]");
}

QString ProfilesAdd::description() const
{
    return {}; // the synopsis says it
}

QList<Cli::OptionGroup> ProfilesAdd::options() const
{
    const AddOptions &o = m_options;
    return {{m_global.url},        {o.auth},     {m_global.cloud}, {o.tenant}, {o.authority}, {o.clientId},
            {o.clientSecretStdin}, {o.tokenEnv}, {o.production},   {o.proxy}};
}

int ProfilesAdd::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const QStringList &positional = call.positional;
    const AddOptions &o = m_options;
    ProfileStore store;
    if (positional.size() != 3)
        return usage(err, tr("profiles add takes the profile's name: profiles add NAME --url URL --auth METHOD."));
    if (!parser.isSet(u"url"_s))
        return usage(err, tr("profiles add needs --url https://<org>.crm.dynamics.com."));
    if (!parser.isSet(o.auth))
        return usage(err, tr("profiles add needs --auth browser|device-code|client-secret|env-token."));
    Profile p;
    p.name = positional.at(2);
    const auto org = OrgUrl::parse(parser.value(u"url"_s));
    if (!org)
        return usage(err, org.error().userMessage);
    p.orgUrl = org.value();
    const auto method = authMethodFromName(parser.value(o.auth));
    if (!method)
        return usage(
            err,
            tr("--auth must be browser, device-code, client-secret or env-token, not '%1'.").arg(parser.value(o.auth)));
    p.method = *method;
    if (parser.isSet(o.tenant))
        p.tenant = parser.value(o.tenant);
    if (const auto cloud = chosenCloud(parser, m_global.cloud, o, p.orgUrl); !cloud)
        return usage(err, cloud.error().userMessage);
    else
        p.setCloud(cloud.value());
    if (parser.isSet(o.authority))
        p.authority = QUrl(parser.value(o.authority));
    if (parser.isSet(o.clientId))
        p.clientId = parser.value(o.clientId);
    p.tokenEnv = parser.value(o.tokenEnv);
    p.production = parser.isSet(o.production);
    p.proxy = parser.value(o.proxy);
    if (parser.isSet(o.proxy) && p.proxy.trimmed().isEmpty())
        return usage(err, tr("--proxy takes a proxy's address, http://host:port, or none."));
    if (p.method == AuthMethod::EnvToken && !parser.isSet(o.tokenEnv))
        return usage(err, tr("--auth env-token needs --token-env VAR, the variable holding the access token."));
    if (p.method != AuthMethod::EnvToken && parser.isSet(o.tokenEnv))
        return usage(err, tr("--token-env goes with --auth env-token."));
    if (parser.isSet(o.clientSecretStdin) != (p.method == AuthMethod::ClientSecret))
        return usage(err,
                     p.method == AuthMethod::ClientSecret
                         ? tr("--auth client-secret needs --client-secret-stdin, with the secret on "
                              "standard input (never on the command line).")
                         : tr("--client-secret-stdin goes with --auth client-secret."));
    if (p.method == AuthMethod::ClientSecret && !parser.isSet(o.clientId))
        return usage(err, tr("--auth client-secret needs --client-id, the application user's app id."));
    if (const auto valid = p.validate(); !valid)
        return usage(err, valid.error().userMessage);
    if (store.find(p.name))
        return usage(err,
                     tr("A profile named \"%1\" exists already; remove it first or choose another name.").arg(p.name));
    auto secrets = CliAuth::makeSecretStore(err);
    if (!parser.isSet(o.tenant) && p.method != AuthMethod::EnvToken) {
        // The tenant the environment names in its WWW-Authenticate challenge; "organizations" if it names none.
        // Asked through the new profile's proxy, as every later request will be.
        QNetworkAccessManager network;
        if (const auto proxied = CliAuth::useProxy(&network, &p, secrets.get()); !proxied)
            return fail(err, proxied.error());
        const auto tenant =
            Cli::wait<QString>([&](QObject *ctx, auto done) { OAuth::discoverTenant(p.orgUrl, &network, ctx, done); });
        if (tenant) {
            p.tenant = tenant.value();
            err << "autoclose-cli: " << tr("the environment belongs to the tenant %1").arg(p.tenant) << '\n';
        } else {
            err << "autoclose-cli: " << tenant.error().userMessage << ' '
                << tr("Using \"organizations\" (any work account).") << '\n';
        }
    }
    QString secret;
    if (p.method == AuthMethod::ClientSecret) {
        secret = readSecretFromStdin();
        if (secret.isEmpty())
            return usage(err, tr("No client secret on standard input."));
    }
    // The secret goes first: a profile is only saved once what it needs is stored.
    p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!secret.isEmpty()) {
        const auto stored =
            Cli::wait<Done>([&](QObject *ctx, auto done) { secrets->write(p.clientSecretKey(), secret, ctx, done); });
        if (!stored)
            return fail(err, stored.error());
    }
    const auto saved = store.save(p);
    if (!saved)
        return fail(err, saved.error());
    out << tr("Added the profile \"%1\" (%2).").arg(p.name, describeProfile(saved.value())) << '\n';
    return Cli::Ok;
}

ProfilesRemove::ProfilesRemove()
    : Command(u"profiles remove"_s)
{ }

QString ProfilesRemove::syntax() const
{
    return tr("NAME");
}

QString ProfilesRemove::description() const
{
    return tr("Removes the profile and its stored sign-in.");
}

QList<Cli::OptionGroup> ProfilesRemove::options() const
{
    return {};
}

int ProfilesRemove::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QStringList &positional = call.positional;
    ProfileStore store;
    if (positional.size() != 3)
        return usage(err, tr("profiles remove takes the profile's name."));
    const auto p = findProfile(store, positional.at(2), err);
    if (!p)
        return Cli::Usage;
    if (p->isDemo())
        return usage(err, tr("The Demo environment is built in and cannot be removed."));
    // Its secrets go with it; a keychain that cannot be reached is reported, and the profile is kept so the
    // removal can be retried (nothing is left behind unnoticed).
    auto secrets = CliAuth::makeSecretStore(err);
    for (const QString &key : {p->refreshTokenKey(), p->clientSecretKey()}) {
        const auto removed = Cli::wait<Done>([&](QObject *ctx, auto done) { secrets->remove(key, ctx, done); });
        if (!removed)
            return fail(err, removed.error());
    }
    store.remove(p->id);
    out << tr("Removed the profile \"%1\" and its stored sign-in.").arg(p->name) << '\n';
    return Cli::Ok;
}

ProfilesPlaintextSecrets::ProfilesPlaintextSecrets()
    : Command(u"profiles plaintext-secrets"_s)
{ }

QString ProfilesPlaintextSecrets::syntax() const
{
    return tr("on|off");
}

QString ProfilesPlaintextSecrets::description() const
{
    return tr("Keep secrets in a 0600 file where no keychain exists (opt-in).");
}

QList<Cli::OptionGroup> ProfilesPlaintextSecrets::options() const
{
    return {};
}

int ProfilesPlaintextSecrets::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QStringList &positional = call.positional;
    ProfileStore store;
    const QString value = positional.value(2);
    if (value != u"on"_s && value != u"off"_s)
        return usage(err, tr("profiles plaintext-secrets takes on or off."));
    store.setPlaintextSecretsAllowed(value == u"on"_s);
    if (value == u"on"_s)
        out << tr("Secrets will be kept in %1 (mode 0600) instead of the keychain. Anyone who can read your "
                  "files can use them. Turn it off with: autoclose-cli profiles plaintext-secrets off")
                   .arg(SecretStore::defaultPlaintextFile())
            << '\n';
    else
        out << tr("Secrets will be kept only in the keychain.") << '\n';
    return Cli::Ok;
}

} // namespace CliProfiles
