#include "app/cli/CliAuth.h"

#include "app/auth/OAuth.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/cli/Cli.h"
#include "app/cli/CliEnvironment.h"
#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/OrgUrl.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace CliAuth {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliAuth", text);
}

using Cli::fail;
using Cli::usage;

QString readSecretFromStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(in.readLine()).trimmed();
}

std::optional<Profile> findProfile(const ProfileStore &store, const QString &name, QTextStream &err)
{
    const auto profile = store.find(name);
    if (!profile) {
        QStringList names;
        for (const Profile &p : store.profiles())
            names << p.name;
        err << "autoclose-cli: " << tr("No profile named \"%1\". Profiles: %2.").arg(name, names.join(u", "_s)) << '\n';
    }
    return profile;
}

QString describeProfile(const Profile &p)
{
    if (p.isDemo())
        return tr("built in; runs inside the editor");
    QString text = p.orgUrl.toString() + u"  "_s + authMethodName(p.method);
    if (p.method == AuthMethod::EnvToken)
        text += u" ($"_s + p.tokenEnv + u')';
    if (p.method == AuthMethod::Browser || p.method == AuthMethod::DeviceCode || p.method == AuthMethod::ClientSecret)
        text += u"  tenant "_s + p.tenant + u"  client "_s + p.clientId +
            (p.usesSampleClient() ? tr(" (Microsoft's sample client, for trying things out)") : QString());
    if (p.production)
        text += tr("  PRODUCTION");
    return text;
}

int profilesCommand(const QCommandLineParser &parser, const CliAuth::Options &o, const QStringList &positional,
                    QTextStream &out, QTextStream &err)
{
    ProfileStore store;
    const QString sub = positional.value(1);
    if (sub == u"list"_s) {
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
                                          {u"tenant"_s, p.isDemo() ? QString() : p.tenant},
                                          {u"clientId"_s, p.isDemo() ? QString() : p.clientId},
                                          {u"production"_s, p.production},
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
    if (sub == u"add"_s) {
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
            return usage(err,
                         tr("--auth must be browser, device-code, client-secret or env-token, not '%1'.")
                             .arg(parser.value(o.auth)));
        p.method = *method;
        if (parser.isSet(o.tenant))
            p.tenant = parser.value(o.tenant);
        if (parser.isSet(o.authority))
            p.authority = QUrl(parser.value(o.authority));
        if (parser.isSet(o.clientId))
            p.clientId = parser.value(o.clientId);
        p.tokenEnv = parser.value(o.tokenEnv);
        p.production = parser.isSet(o.production);
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
            return usage(
                err, tr("A profile named \"%1\" exists already; remove it first or choose another name.").arg(p.name));
        if (!parser.isSet(o.tenant) && p.method != AuthMethod::EnvToken) {
            // The tenant the environment names in its WWW-Authenticate challenge; "organizations" if it names none.
            QNetworkAccessManager network;
            const auto tenant = Cli::wait<QString>(
                [&](QObject *ctx, auto done) { OAuth::discoverTenant(p.orgUrl, &network, ctx, done); });
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
        auto secrets = CliAuth::makeSecretStore(err);
        if (!secret.isEmpty()) {
            const auto stored = Cli::wait<Done>(
                [&](QObject *ctx, auto done) { secrets->write(p.clientSecretKey(), secret, ctx, done); });
            if (!stored)
                return fail(err, stored.error());
        }
        const auto saved = store.save(p);
        if (!saved)
            return fail(err, saved.error());
        out << tr("Added the profile \"%1\" (%2).").arg(p.name, describeProfile(saved.value())) << '\n';
        return Cli::Ok;
    }
    if (sub == u"remove"_s) {
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
    if (sub == u"plaintext-secrets"_s) {
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
    return usage(err, tr("profiles takes list, add, remove or plaintext-secrets."));
}

std::optional<Profile> chosenProfile(const QCommandLineParser &parser, const Cli::GlobalOptions &o, QTextStream &err)
{
    ProfileStore store;
    const QString name = parser.isSet(o.profile) ? parser.value(o.profile) : store.lastUsed();
    return findProfile(store, name, err);
}

int printIdentity(SignInSession &session, QNetworkAccessManager &network, QTextStream &out, QTextStream &err)
{
    DataverseClient client(session.profile().orgUrl, &network);
    client.transport()->setTokenRefresher(session.refresher());
    const auto token = Cli::wait<QString>([&](QObject *ctx, auto done) { session.acquireSilently(ctx, done); });
    if (!token)
        return fail(err, token.error());
    client.setAccessToken(token.value());
    const auto who = Cli::wait<WebApiReply::Identity>([&](QObject *ctx, auto done) { client.whoAmI(ctx, done); });
    if (!who)
        return fail(err, who.error());
    writeIdentity(out, session.account().isEmpty() ? who.value().userId : session.account(),
                  session.profile().orgUrl.toString(), session.profile().name, who.value());
    return Cli::Ok;
}
} // namespace
} // namespace CliAuth

void CliAuth::writeIdentity(QTextStream &out, const QString &user, const QString &where, const QString &profileName,
                            const WebApiReply::Identity &who)
{
    out << tr("Signed in as %1 at %2").arg(user, where) << '\n';
    if (!profileName.isEmpty())
        out << tr("  profile: %1").arg(profileName) << '\n';
    out << tr("  user id: %1").arg(who.userId) << '\n'
        << tr("  organization id: %1").arg(who.organizationId) << '\n'
        << tr("  business unit id: %1").arg(who.businessUnitId) << '\n';
}

CliAuth::Options::Options()
{
    auth.setDescription(
        QCoreApplication::translate("CliAuth", "profiles add: browser, device-code, client-secret or env-token."));
    tenant.setDescription(
        QCoreApplication::translate("CliAuth", "profiles add: tenant id or domain (default: organizations)."));
    authority.setDescription(QCoreApplication::translate(
        "CliAuth", "profiles add: sign-in authority (default: https://login.microsoftonline.com)."));
    clientId.setDescription(QCoreApplication::translate(
        "CliAuth", "profiles add: application (client) id (default: Microsoft's sample client)."));
    clientSecretStdin.setDescription(
        QCoreApplication::translate("CliAuth", "profiles add: read the client secret from standard input."));
    tokenEnv.setDescription(QCoreApplication::translate(
        "CliAuth", "profiles add: the environment variable holding the access token (env-token)."));
    production.setDescription(
        QCoreApplication::translate("CliAuth", "profiles add: mark the environment as production."));
}

QList<QCommandLineOption> CliAuth::Options::all() const
{
    return {auth, tenant, authority, clientId, clientSecretStdin, tokenEnv, production};
}

bool CliAuth::isAuthCommand(const QString &command)
{
    return command == u"profiles"_s || command == u"login"_s || command == u"logout"_s || command == u"whoami"_s;
}

std::unique_ptr<SecretStore> CliAuth::makeSecretStore(QTextStream &err)
{
    auto secrets = std::make_unique<SecretStore>();
    if (ProfileStore().plaintextSecretsAllowed()) {
        secrets->setPlaintextFile(SecretStore::defaultPlaintextFile());
        err << "autoclose-cli: "
            << tr("warning: secrets are kept in the plaintext file %1, as you chose; anyone who can read it can "
                  "sign in as you. 'autoclose-cli profiles plaintext-secrets off' returns to the keychain.")
                   .arg(SecretStore::defaultPlaintextFile())
            << '\n';
        err.flush();
    }
    return secrets;
}

Result<std::unique_ptr<SignInSession>> CliAuth::signedInSession(const QString &profileName, SecretStore *secrets,
                                                                QNetworkAccessManager *network, QString *token,
                                                                QTextStream &err)
{
    ProfileStore store;
    const auto profile = findProfile(store, profileName, err);
    if (!profile)
        return Error::badInput(tr("Choose an existing profile with --profile."));
    if (profile->isDemo())
        return Error::badInput(tr("The Demo environment runs inside the editor. For a local environment in a "
                                  "pipeline, run autoclose-sandbox and give its address with --url."));
    auto session = std::make_unique<SignInSession>(*profile, secrets, network);
    const auto acquired = Cli::wait<QString>([&](QObject *ctx, auto done) { session->acquireSilently(ctx, done); });
    if (!acquired) {
        Error e = acquired.error();
        if (e.serviceCode.startsWith(SignInSession::interactionRequiredCode()))
            e.userMessage += u' ' + tr("Run: autoclose-cli login --profile \"%1\"").arg(profile->name);
        return e;
    }
    *token = acquired.value();
    return session;
}

int CliAuth::run(const QCommandLineParser &parser, const Options &o, const Cli::GlobalOptions &global,
                 const QStringList &positional, QTextStream &out, QTextStream &err)
{
    const QString command = positional.constFirst();
    if (command == u"profiles"_s)
        return profilesCommand(parser, o, positional, out, err);
    if (positional.size() > 1)
        return usage(err, tr("'%1' takes no arguments, but got '%2'.").arg(command, positional.at(1)));
    const auto profile = chosenProfile(parser, global, err);
    if (!profile)
        return Cli::Usage;
    if (profile->isDemo())
        return usage(err, tr("The Demo environment needs no sign-in; choose another profile with --profile."));
    QNetworkAccessManager network;
    auto secrets = makeSecretStore(err);
    SignInSession session(*profile, secrets.get(), &network);
    QObject::connect(&session, &SignInSession::secretsNotKept, [&err](const QString &message) {
        err << "autoclose-cli: " << tr("warning: ") << message << '\n';
        err.flush();
    });

    if (command == u"logout"_s) {
        const auto done = Cli::wait<Done>([&](QObject *ctx, auto cb) { session.signOut(ctx, cb); });
        if (!done)
            return fail(err, done.error());
        out << tr("Signed out of \"%1\"; its stored sign-in is removed.").arg(profile->name) << '\n';
        return Cli::Ok;
    }
    if (command == u"login"_s) {
        QObject::connect(&session, &SignInSession::browserUrlReady, [&err](const QUrl &url) {
            err << tr("Open this address in a browser on this computer to sign in:") << '\n'
                << url.toString(QUrl::FullyEncoded) << '\n';
            err.flush();
        });
        QObject::connect(&session, &SignInSession::deviceCodeReady, [&err](const OAuth::DeviceCodeFlow::Code &code) {
            err << tr("To sign in, open %1 on any device and enter the code %2 (it expires at %3).")
                       .arg(code.verificationUri.toString(), code.userCode,
                            code.expiresAt.toLocalTime().toString(u"HH:mm"_s))
                << '\n';
            err.flush();
        });
        const auto token = Cli::wait<QString>([&](QObject *ctx, auto done) { session.signInInteractively(ctx, done); });
        if (!token)
            return fail(err, token.error());
        ProfileStore().setLastUsed(profile->id);
        return printIdentity(session, network, out, err);
    }
    // whoami
    const int code = printIdentity(session, network, out, err);
    if (code == Cli::AuthFailed)
        err << "autoclose-cli: " << tr("Run: autoclose-cli login --profile \"%1\"").arg(profile->name) << '\n';
    return code;
}
