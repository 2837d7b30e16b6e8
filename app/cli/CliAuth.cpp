#include "app/cli/CliAuth.h"

#include "app/auth/OAuth.h"
#include "app/auth/ProxyCredentials.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/cli/Cli.h"
#include "app/cli/CliEnvironment.h"
#include "app/dataverse/DataverseClient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
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
    answerChallenges(session, client.transport(), err);
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

// whoami --url: whose the access token is, as WhoAmI answers.
int whoAmIWithToken(const Cli::Invocation &call, QTextStream &out, QTextStream &err)
{
    const QStringList &positional = call.positional;
    if (positional.size() > 1)
        return usage(err, tr("'%1' takes no arguments, but got '%2'.").arg(positional.constFirst(), positional.at(1)));
    const auto env = Cli::openLive(call, err)({});
    if (!env)
        return fail(err, env.error());
    const auto who =
        Cli::wait<WebApiReply::Identity>([&](QObject *ctx, auto done) { env.value()->client()->whoAmI(ctx, done); });
    if (!who)
        return fail(err, who.error());
    writeIdentity(out, env.value()->user().isEmpty() ? who.value().userId : env.value()->user(), env.value()->label(),
                  {}, who.value());
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

void CliAuth::showSignInPrompts(SignInSession &session, QTextStream &err)
{
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
}

void CliAuth::answerChallenges(SignInSession &session, WebApiTransport *transport, QTextStream &err)
{
    transport->setChallengeAnswerer(session.challengeAnswerer());
    SignInSession *s = &session;
    session.setInteraction([s, &err](const AuthChallenge::Claims &challenge, SignInSession::TokenCallback done) {
        err << "autoclose-cli: " << AuthChallenge::signInAgainSentence() << ' '
            << tr("Sign in to \"%1\" again; the command goes on once you have.").arg(s->profile().name) << '\n';
        err.flush();
        s->signInInteractively(s, std::move(done), challenge.json);
    });
}

std::optional<Profile> CliAuth::findProfile(const ProfileStore &store, const QString &name, QTextStream &err)
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

Result<Done> CliAuth::useProxy(QNetworkAccessManager *network, const Profile *profile, SecretStore *secrets)
{
    NetworkProxy::Setup setup;
    if (profile) {
        setup.profileProxy = profile->proxy;
        setup.profileName = profile->name;
    }
    setup.ask = ProxyCredentials::fromKeychain(secrets);
    return NetworkProxy::apply(network, setup);
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
    if (profile->isDemo()) // Cli::Environment starts its sandbox instead
        return Error::badInput(tr("The Demo environment needs no sign-in."));
    if (const auto proxied = useProxy(network, &*profile, secrets); !proxied)
        return proxied.error();
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

CliAuth::SignInCommand::SignInCommand(Verb verb, const Cli::GlobalOptions &global)
    : Command(verb == Verb::Login        ? u"login"_s
                  : verb == Verb::Logout ? u"logout"_s
                                         : u"whoami"_s)
    , m_verb(verb)
    , m_global(global)
{ }

QString CliAuth::SignInCommand::description() const
{
    switch (m_verb) {
    case Verb::Login:
        return tr("Sign in to the profile (browser or device code as it says) and\n"
                  "keep the refresh token in the OS keychain.");
    case Verb::Logout:
        return tr("Forget the profile's sign-in.");
    case Verb::WhoAmI:
        break;
    }
    return tr("Who the profile signs in as, from WhoAmI (with --url: whose the\n"
              "access token is).");
}

QList<Cli::OptionGroup> CliAuth::SignInCommand::options() const
{
    if (m_verb == Verb::WhoAmI)
        return m_global.environment();
    return {{m_global.profile}};
}

QString CliAuth::SignInCommand::refusal(const QCommandLineOption &option) const
{
    if (m_verb != Verb::WhoAmI &&
        (option.names() == m_global.url.names() || option.names() == m_global.accessTokenEnv.names()))
        return tr("%1 works on a profile (--profile NAME); with --url and --access-token-env there is no sign-in to "
                  "keep.")
            .arg(name());
    return {};
}

int CliAuth::SignInCommand::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const QStringList &positional = call.positional;
    const QString command = positional.constFirst();
    // whoami with --url tells who the access token is; sign-in itself belongs to profiles.
    if (m_verb == Verb::WhoAmI && parser.isSet(m_global.url))
        return whoAmIWithToken(call, out, err);
    if (positional.size() > 1)
        return usage(err, tr("'%1' takes no arguments, but got '%2'.").arg(command, positional.at(1)));
    const auto profile = chosenProfile(parser, m_global, err);
    if (!profile)
        return Cli::Usage;
    if (profile->isDemo())
        return usage(err, tr("The Demo environment needs no sign-in; choose another profile with --profile."));
    QNetworkAccessManager network;
    auto secrets = makeSecretStore(err);
    if (const auto proxied = useProxy(&network, &*profile, secrets.get()); !proxied)
        return fail(err, proxied.error());
    SignInSession session(*profile, secrets.get(), &network);
    QObject::connect(&session, &SignInSession::secretsNotKept, [&err](const QString &message) {
        err << "autoclose-cli: " << tr("warning: ") << message << '\n';
        err.flush();
    });
    showSignInPrompts(session, err);

    if (command == u"logout"_s) {
        const auto done = Cli::wait<Done>([&](QObject *ctx, auto cb) { session.signOut(ctx, cb); });
        if (!done)
            return fail(err, done.error());
        out << tr("Signed out of \"%1\"; its stored sign-in is removed.").arg(profile->name) << '\n';
        return Cli::Ok;
    }
    if (command == u"login"_s) {
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
