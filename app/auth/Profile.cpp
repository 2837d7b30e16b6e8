#include "app/auth/Profile.h"

#include "app/common/NetworkProxy.h"
#include "app/common/PrivateFiles.h"
#include "app/dataverse/OrgUrl.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
struct MethodName
{
    AuthMethod method;
    QLatin1StringView name;
};
constexpr MethodName MethodNames[] = {
    {AuthMethod::Browser, "browser"_L1},
    {AuthMethod::DeviceCode, "device-code"_L1},
    {AuthMethod::ClientSecret, "client-secret"_L1},
    {AuthMethod::EnvToken, "env-token"_L1},
    {AuthMethod::Demo, "demo"_L1},
};
} // namespace

QString authMethodName(AuthMethod method)
{
    for (const auto &m : MethodNames)
        if (m.method == method)
            return m.name;
    return {};
}

std::optional<AuthMethod> authMethodFromName(const QString &name)
{
    for (const auto &m : MethodNames)
        if (name == m.name && m.method != AuthMethod::Demo)
            return m.method;
    return std::nullopt;
}

QString authMethodLabel(AuthMethod method)
{
    switch (method) {
    case AuthMethod::Browser:
        return Profile::tr("Sign in with the browser");
    case AuthMethod::DeviceCode:
        return Profile::tr("Sign in with a code (device code)");
    case AuthMethod::ClientSecret:
        return Profile::tr("Application (client secret)");
    case AuthMethod::EnvToken:
        return Profile::tr("Access token from an environment variable");
    case AuthMethod::Demo:
        return Profile::tr("Demo environment (no sign-in)");
    }
    return {};
}

Profile Profile::demo()
{
    Profile p;
    p.id = u"demo"_s;
    p.name = tr("Demo environment");
    p.method = AuthMethod::Demo;
    // Its server runs on this computer's 127.0.0.1 (inside the window, or as autoclose-cli's child process): no proxy
    // could reach it.
    p.proxy = u"none"_s;
    return p;
}

QString Profile::resource() const
{
    if (!tokenResource.isEmpty())
        return tokenResource;
    return OrgUrl::withoutTrailingSlash(orgUrl);
}

void Profile::setCloud(Cloud c)
{
    cloud = c;
    if (c != Cloud::Custom)
        authority = Clouds::authority(c);
}

// The cloud a profile stored without one (before clouds existed) is in: the authority's, told apart by the
// environment's host where two clouds share an authority (commercial and GCC; GCC High and DoD).
static Cloud inferredCloud(const QUrl &authority, const QUrl &orgUrl)
{
    const auto byAuthority = Clouds::ofAuthority(authority);
    if (!byAuthority)
        return Cloud::Custom;
    if (const auto byHost = Clouds::ofEnvironment(orgUrl);
        byHost && Clouds::authority(*byHost) == Clouds::authority(*byAuthority))
        return *byHost;
    return *byAuthority;
}

Result<Done> Profile::validate() const
{
    if (name.trimmed().isEmpty())
        return Error::badInput(tr("Give the profile a name, such as \"Contoso test\"."));
    if (name.trimmed() != name || name.contains(u'\n'))
        return Error::badInput(tr("The profile name \"%1\" has spaces at its ends or a line break.").arg(name));
    if (isDemo())
        return Done {};
    if (const auto org = OrgUrl::parse(orgUrl.toString()); !org)
        return org.error();
    static const QRegularExpression tenantPattern(u"^[A-Za-z0-9][A-Za-z0-9.-]*$"_s);
    if (!tenantPattern.match(tenant).hasMatch())
        return Error::badInput(tr("The tenant \"%1\" is not a tenant id, a domain or \"organizations\".").arg(tenant));
    if (!OrgUrl::isSecureOrLoopback(authority))
        return Error::badInput(tr("The authority \"%1\" must be an https:// address (http:// only on this computer, "
                                  "for tests).")
                                   .arg(authority.toString()));
    if (const auto hostCloud = Clouds::ofEnvironment(orgUrl);
        cloud != Cloud::Custom && hostCloud && *hostCloud != cloud)
        return Error::badInput(tr("The environment %1 is in the %2 cloud, but the profile says %3. Choose %2, or "
                                  "check the address.")
                                   .arg(orgUrl.host(), Clouds::label(*hostCloud), Clouds::label(cloud)));
    if (cloud == Cloud::Custom && !discoveryUrl.isEmpty() && !OrgUrl::isSecureOrLoopback(discoveryUrl))
        return Error::badInput(tr("The discovery service \"%1\" must be an https:// address (http:// only on this "
                                  "computer, for tests).")
                                   .arg(discoveryUrl.toString()));
    if (clientId.trimmed().isEmpty())
        return Error::badInput(tr("Give the application (client) id of the app registration to sign in with."));
    if (method == AuthMethod::EnvToken) {
        static const QRegularExpression varPattern(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
        if (!varPattern.match(tokenEnv).hasMatch())
            return Error::badInput(
                tr("Name the environment variable that holds the access token (letters, digits and _), not \"%1\".")
                    .arg(tokenEnv));
    }
    if (const QString own = proxy.trimmed(); !own.isEmpty() && own.compare(u"none"_s, Qt::CaseInsensitive) != 0) {
        const auto parsed = NetworkProxy::parse(own, tr("the profile \"%1\"").arg(name));
        if (!parsed)
            return parsed.error();
        if (!parsed.value().password.isEmpty())
            return Error::badInput(tr("The profile's proxy holds a password, which the profiles file never keeps. "
                                      "Give the proxy as http://host:port (or http://user@host:port); its password "
                                      "is asked for when the proxy wants it, and can be remembered in the "
                                      "keychain."));
    }
    return Done {};
}

ProfileStore::ProfileStore()
    : m_fileName(defaultFileName())
{ }

ProfileStore::ProfileStore(const QString &fileName)
    : m_fileName(fileName)
{ }

QString ProfileStore::configDirectory()
{
    const QString dir = qEnvironmentVariable("AUTOCLOSE_CONFIG_DIR");
    return dir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/AutoCloseEditor"_s
        : dir;
}

QString ProfileStore::defaultFileName()
{
    return QDir(configDirectory()).filePath(u"profiles.ini"_s);
}

QList<Profile> ProfileStore::profiles() const
{
    QSettings settings(m_fileName, QSettings::IniFormat);
    QList<Profile> list;
    settings.beginGroup(u"profiles"_s);
    for (const QString &id : settings.childGroups()) {
        settings.beginGroup(id);
        Profile p;
        p.id = id;
        p.name = settings.value(u"name"_s).toString();
        p.orgUrl = QUrl(settings.value(u"url"_s).toString());
        p.tenant = settings.value(u"tenant"_s, p.tenant).toString();
        p.authority = QUrl(settings.value(u"authority"_s, p.authority.toString()).toString());
        p.discoveryUrl = QUrl(settings.value(u"discoveryUrl"_s).toString());
        p.clientId = settings.value(u"clientId"_s, p.clientId).toString();
        p.method = authMethodFromName(settings.value(u"auth"_s).toString()).value_or(AuthMethod::Browser);
        p.tokenEnv = settings.value(u"tokenEnv"_s).toString();
        p.production = settings.value(u"production"_s, false).toBool();
        const auto cloud = Clouds::fromName(settings.value(u"cloud"_s).toString());
        p.cloud = cloud && (*cloud == Cloud::Custom || Clouds::authority(*cloud) == p.authority)
            ? *cloud
            : inferredCloud(p.authority, p.orgUrl);
        p.proxy = settings.value(u"proxy"_s).toString();
        settings.endGroup();
        if (!p.name.isEmpty())
            list.append(p);
    }
    std::sort(list.begin(), list.end(),
              [](const Profile &a, const Profile &b) { return a.name.compare(b.name, Qt::CaseInsensitive) < 0; });
    list.prepend(Profile::demo());
    return list;
}

std::optional<Profile> ProfileStore::find(const QString &nameOrId) const
{
    const QList<Profile> all = profiles();
    for (const Profile &p : all)
        if (p.id == nameOrId)
            return p;
    for (const Profile &p : all)
        if (p.name.compare(nameOrId, Qt::CaseInsensitive) == 0)
            return p;
    return std::nullopt;
}

Result<Profile> ProfileStore::save(Profile profile)
{
    if (profile.isDemo())
        return Error::badInput(tr("The Demo environment is built in and cannot be changed."));
    if (const auto valid = profile.validate(); !valid)
        return valid.error();
    if (const auto org = OrgUrl::parse(profile.orgUrl.toString()))
        profile.orgUrl = org.value();
    for (const Profile &other : profiles())
        if (other.id != profile.id && other.name.compare(profile.name, Qt::CaseInsensitive) == 0)
            return Error::badInput(tr("A profile named \"%1\" exists already; choose another name.").arg(other.name));
    // An authority other than the cloud's own makes the profile a custom cloud's; only those keep a discovery URL.
    if (profile.cloud != Cloud::Custom && profile.authority != Clouds::authority(profile.cloud))
        profile.cloud = Cloud::Custom;
    if (profile.cloud != Cloud::Custom)
        profile.discoveryUrl.clear();
    if (profile.id.isEmpty())
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    PrivateFiles::makeDirectory(QFileInfo(m_fileName).absolutePath());

    QSettings settings(m_fileName, QSettings::IniFormat);
    settings.beginGroup(u"profiles"_s);
    settings.beginGroup(profile.id);
    settings.setValue(u"name"_s, profile.name);
    settings.setValue(u"url"_s, profile.orgUrl.toString());
    settings.setValue(u"tenant"_s, profile.tenant);
    settings.setValue(u"cloud"_s, Clouds::name(profile.cloud));
    settings.setValue(u"authority"_s, profile.authority.toString());
    if (profile.discoveryUrl.isEmpty())
        settings.remove(u"discoveryUrl"_s);
    else
        settings.setValue(u"discoveryUrl"_s, profile.discoveryUrl.toString());
    settings.setValue(u"clientId"_s, profile.clientId);
    settings.setValue(u"auth"_s, authMethodName(profile.method));
    settings.setValue(u"tokenEnv"_s, profile.tokenEnv);
    settings.setValue(u"production"_s, profile.production);
    profile.proxy = profile.proxy.trimmed();
    if (profile.proxy.compare(u"none"_s, Qt::CaseInsensitive) == 0)
        profile.proxy = u"none"_s;
    if (profile.proxy.isEmpty())
        settings.remove(u"proxy"_s);
    else
        settings.setValue(u"proxy"_s, profile.proxy);
    settings.endGroup();
    settings.endGroup();
    PrivateFiles::syncPrivately(settings);
    if (settings.status() != QSettings::NoError)
        return Error::badInput(tr("Could not write the profiles to %1; check that the folder is writable.")
                                   .arg(QDir::toNativeSeparators(m_fileName)));
    return profile;
}

bool ProfileStore::remove(const QString &id)
{
    if (id.isEmpty() || id == Profile::demo().id)
        return false;
    QSettings settings(m_fileName, QSettings::IniFormat);
    settings.beginGroup(u"profiles"_s);
    if (!settings.childGroups().contains(id))
        return false;
    settings.remove(id);
    settings.endGroup();
    if (settings.value(u"lastUsed"_s).toString() == id)
        settings.remove(u"lastUsed"_s);
    PrivateFiles::syncPrivately(settings);
    return settings.status() == QSettings::NoError;
}

QString ProfileStore::lastUsed() const
{
    QSettings settings(m_fileName, QSettings::IniFormat);
    return settings.value(u"lastUsed"_s, Profile::demo().id).toString();
}

void ProfileStore::setLastUsed(const QString &id)
{
    QSettings settings(m_fileName, QSettings::IniFormat);
    settings.setValue(u"lastUsed"_s, id);
    PrivateFiles::syncPrivately(settings);
}

bool ProfileStore::plaintextSecretsAllowed() const
{
    QSettings settings(m_fileName, QSettings::IniFormat);
    return settings.value(u"secrets/plaintextFileOptIn"_s, false).toBool();
}

void ProfileStore::setPlaintextSecretsAllowed(bool allowed)
{
    QSettings settings(m_fileName, QSettings::IniFormat);
    settings.setValue(u"secrets/plaintextFileOptIn"_s, allowed);
    PrivateFiles::syncPrivately(settings);
}
