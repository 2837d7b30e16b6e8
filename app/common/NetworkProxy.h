#pragma once

#include "models/Result.h"

#include <QHash>
#include <QMutex>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;

// Which proxy each request of the product goes through, and what to say when a proxy fails it
// (docs/networking.md): a profile's own proxy or "none", else the environment's variables read as curl reads them,
// else the system's settings; NO_PROXY exempts hosts from all three. The rules are pure functions, tested alone;
// apply() installs them, with the answer to a proxy's 407, on a QNetworkAccessManager.
namespace NetworkProxy {

// A proxy as its URL names it. Credentials are percent-decoded; they never appear in display().
struct Address
{
    QNetworkProxy::ProxyType type = QNetworkProxy::HttpProxy;
    QString scheme = QStringLiteral("http"); // http, socks5 or socks5h: how it was written
    QString host;
    quint16 port = 1080; // curl's default when the URL gives none
    QString user;
    QString password;

    QString hostPort() const; // "proxy.example.com:3128", "[::1]:3128"
    QString display() const; // "http://proxy.example.com:3128", "http://alice:***@proxy.example.com:3128"
    // A user name alone is no credentials: it only fills in the window's question (a profile keeps no password).
    bool hasCredentials() const { return !user.isEmpty() && !password.isEmpty(); }
    // Without the credentials: they are given when the proxy asks (see apply()).
    QNetworkProxy toQNetworkProxy() const;
    bool sameProxy(const QNetworkProxy &proxy) const;
    friend bool operator==(const Address &, const Address &) = default;
};

// "host:port", "http://[user[:password]@]host[:port][/]", "socks5://…" or "socks5h://…". origin names where the text
// came from, for the sentence ("the variable https_proxy", "the profile \"Contoso\"").
Result<Address> parse(const QString &text, const QString &origin);

// A URL with its password replaced by ***, for logs and messages; other text is returned unchanged.
QString redacted(const QString &text);

// NO_PROXY as curl reads it, plus an optional :port per entry: a comma (or space) separated list of "*", host
// names (each also matching its subdomains; a leading dot is ignored), IP addresses (IPv6 without brackets, or in
// brackets when a port follows) and CIDR ranges. True when host (as the URL names it, never resolved) is reached
// directly.
bool bypasses(const QString &noProxy, const QString &host, int port);

// The proxy variables of an environment (as curl reads them: lowercase first, uppercase HTTP_PROXY never, though
// its presence says that the environment configures proxies). A value that is empty counts as unset.
struct Environment
{
    QHash<QString, QString> values; // name → value
    static Environment fromProcess();
    // The first of names that is set and not empty, and which one it was.
    std::optional<std::pair<QString, QString>> first(std::initializer_list<const char *> names) const;
};

// What a profile, the environment and the system say, parsed once.
struct Settings
{
    // The profile's own choice: none (Direct), a proxy, or nothing (the environment and the system decide).
    enum class Profile { Unset, Direct, Proxy } profile = Profile::Unset;
    Address profileProxy;
    QString profileName;
    // From the environment: the variable that named each, and the proxy.
    std::optional<std::pair<QString, Address>> http; // http_proxy
    std::optional<std::pair<QString, Address>> https; // https_proxy, HTTPS_PROXY
    std::optional<std::pair<QString, Address>> all; // all_proxy, ALL_PROXY
    QString noProxy; // no_proxy, NO_PROXY
    QString noProxyVariable;
    // A proxy variable is set (HTTP_PROXY included): the environment alone decides, as for curl, and the system's
    // settings (which on Linux read the same variables by other rules) are not asked.
    QString environmentVariable;
};

// profileProxy is Profile::proxy: "" (unset), "none", or a proxy URL. A value that does not parse, in the profile or
// in a variable, is refused (BadInput) with a sentence naming it; nothing is sent then.
Result<Settings> settingsFor(const QString &profileProxy, const QString &profileName, const Environment &environment);

// Where one request goes.
struct Decision
{
    enum class Route { Direct, Proxy, System };
    // What chose the route: a variable (http_proxy, …, or NO_PROXY), the profile, or the system's settings.
    enum class Source { Variable, Profile, System };
    Route route = Route::Direct;
    Address proxy; // Route::Proxy
    Source source = Source::System;
    QString name; // the variable's or the profile's
    QString origin() const; // "set by https_proxy", "set by the profile \"Contoso\"", …
};
Decision decide(const Settings &settings, const QUrl &url);

// The proxy failures that get their own sentence; also a refused connection or an unknown host when a proxy was
// used, since the proxy is then what could not be reached.
bool isProxyFailure(QNetworkReply::NetworkError error, bool throughProxy);
// The sentence for a request that failed at its proxy: names the proxy (never its password), where it was
// configured, and what to do. refusedUser: the user name the proxy refused, when credentials were given. Empty when
// the failure is not the proxy's.
QString sentenceFor(QNetworkReply::NetworkError error, const QString &detail, const Decision &decision,
                    const std::optional<QString> &refusedUser);

// The credentials a proxy asked for.
struct Credentials
{
    QString user;
    QString password;
    friend bool operator==(const Credentials &, const Credentials &) = default;
};
// What a proxy's 407 asks of the asker: credentials for proxy, other than those it refused on this manager (latest
// last); retry: the answer given a moment ago has just been refused.
struct Question
{
    Address proxy;
    QList<Credentials> refused;
    bool retry = false;
};
// Asked when a proxy wants credentials that its URL did not give, or refused those given: the window asks the
// keychain, then the user; the CLI the keychain only. Nothing: the request fails with the proxy's sentence.
using Asker = std::function<std::optional<Credentials>(const Question &question)>;

struct Setup
{
    QString profileProxy; // Profile::proxy
    QString profileName; // for the sentences
    Asker ask; // may be empty
};

// The one function every QNetworkAccessManager of the product goes through, before its first request: it installs
// the proxy rules (a QNetworkProxyFactory of the manager's own, so that Qt's application-wide exemption of
// localhost does not apply) and answers the proxy's 407 (the URL's credentials, then ask, once per refusal; a proxy
// that refuses what it was given gets no second try of the same). A bad proxy URL is refused and nothing is set:
// the caller must not send.
Result<Done> apply(QNetworkAccessManager *network, const Setup &setup);

// For a reply that failed: the sentence naming its proxy (sentenceFor), or empty when no proxy was to blame.
QString failureSentence(const QNetworkReply *reply);

// The factory apply() installs; exposed for tests.
class Factory final : public QNetworkProxyFactory
{
public:
    explicit Factory(Settings settings);
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;
    // The decision taken for the URL's scheme, host and port; Direct when none was.
    Decision decisionFor(const QUrl &url) const;
    const Settings &settings() const { return m_settings; }

private:
    const Settings m_settings;
    mutable QMutex m_mutex;
    QHash<QString, Decision> m_decisions; // "scheme://host:port" → the last decision
};

} // namespace NetworkProxy
