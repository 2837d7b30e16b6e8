#pragma once

#include "app/auth/Cloud.h"
#include "models/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

// How a profile signs in (docs/sign-in.md).
enum class AuthMethod {
    Browser, // authorization code + PKCE in the system browser, loopback redirect
    DeviceCode, // a code typed at the authority's page, on any device
    ClientSecret, // client credentials; the secret lives in the keychain
    EnvToken, // an access token from an environment variable, for pipelines
    Demo, // the built-in Demo environment: a local sandbox (the window's in-process, the CLI's child), no sign-in
};

// One environment the user works with: where it is, how to sign in there, and whether it is production.
struct Profile
{
    Q_DECLARE_TR_FUNCTIONS(Profile)
public:
    QString id; // stable; keys the keychain entries and the journal. "demo" for the Demo environment
    QString name; // what the user calls it; unique, case-insensitively
    QUrl orgUrl; // https://<org>.crm.dynamics.com
    QString tenant = QStringLiteral("organizations"); // tenant id or domain, or "organizations"
    // The cloud decides the authority and the discovery service (docs/discovery.md); a Custom cloud gives both by
    // hand. When the authority is not the cloud's own, the profile is saved as Custom.
    Cloud cloud = Cloud::Commercial;
    QUrl authority = defaultAuthority(); // https://login.microsoftonline.com, another for sovereign clouds
    QUrl discoveryUrl; // Custom clouds only: their Global Discovery Service, when they have one
    QString clientId = sampleClientId();
    AuthMethod method = AuthMethod::Browser;
    QString tokenEnv; // EnvToken: the variable's name
    bool production = false;
    // The resource tokens are asked for when it is not the environment (the discovery service: docs/discovery.md);
    // never saved.
    QString tokenResource;
    // Its own proxy (docs/networking.md): empty for the system's settings and the environment's variables, "none"
    // for a direct connection, else a proxy URL (http://host:port); never with a password.
    QString proxy;

    bool isDemo() const { return method == AuthMethod::Demo; }
    // What the scopes name: tokenResource, else the environment's address without its trailing slash.
    QString resource() const;
    // Sets the cloud and, unless it is Custom, its authority.
    void setCloud(Cloud c);
    // The Global Discovery Service that lists this sign-in's environments; empty when the cloud has none known.
    QUrl discovery() const { return cloud == Cloud::Custom ? discoveryUrl : Clouds::discovery(cloud); }
    bool usesSampleClient() const { return clientId == sampleClientId(); }
    // Keychain keys: "<id>/refresh-token", "<id>/client-secret".
    QString refreshTokenKey() const { return id + QStringLiteral("/refresh-token"); }
    QString clientSecretKey() const { return id + QStringLiteral("/client-secret"); }

    // Microsoft's sample public client for Dataverse: a default for trying things out, labelled as such.
    static QString sampleClientId() { return QStringLiteral("51f81489-12ee-4a9e-aaae-a2591f45987d"); }
    static QUrl defaultAuthority() { return QUrl(QStringLiteral("https://login.microsoftonline.com")); }
    static Profile demo();

    // Every field checked, with a sentence naming the wrong one.
    Result<Done> validate() const;
};

QString authMethodName(AuthMethod method); // browser, device-code, client-secret, env-token, demo
std::optional<AuthMethod> authMethodFromName(const QString &name);
QString authMethodLabel(AuthMethod method); // for people

// Profiles kept with QSettings in <config>/AutoCloseEditor/profiles.ini, shared by the window and the CLI.
// AUTOCLOSE_CONFIG_DIR overrides the directory (tests, portable installs). Nothing secret is ever written here.
class ProfileStore final
{
    Q_DECLARE_TR_FUNCTIONS(ProfileStore)
public:
    ProfileStore(); // the default file
    explicit ProfileStore(const QString &fileName);

    static QString defaultFileName();
    // <config>/AutoCloseEditor, or AUTOCLOSE_CONFIG_DIR: where the product keeps its settings files.
    static QString configDirectory();
    QString fileName() const { return m_fileName; }

    QList<Profile> profiles() const; // the Demo environment first, then by name
    std::optional<Profile> find(const QString &nameOrId) const; // by id, then by name (case-insensitive)

    // Checks the profile and that its name is free; gives it an id when it has none. Returns the stored profile.
    Result<Profile> save(Profile profile);
    bool remove(const QString &id); // false: no such profile (the Demo environment cannot be removed)

    QString lastUsed() const; // an id; "demo" when none
    void setLastUsed(const QString &id);

    // Explicit opt-in to keeping secrets in a 0600 file where no keychain exists (docs/sign-in.md).
    bool plaintextSecretsAllowed() const;
    void setPlaintextSecretsAllowed(bool allowed);

private:
    QString m_fileName;
};
