#include "app/common/NetworkProxy.h"

#include <QAuthenticator>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcProxy, "autoclose.network", QtInfoMsg)

namespace NetworkProxy {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("NetworkProxy", text);
}

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == u"https"_s ? 443 : 80);
}

QString decisionKey(const QUrl &url)
{
    return url.scheme() + u"://"_s + url.host().toLower() + u':' + QString::number(defaultPort(url));
}

// One NO_PROXY entry: a name, an address or a range, with a port or none.
bool entryMatches(QString entry, const QString &host, const std::optional<QHostAddress> &address, int port)
{
    std::optional<int> entryPort;
    const auto takePort = [&entry, &entryPort](qsizetype colon) {
        bool ok = false;
        const int p = entry.mid(colon + 1).toInt(&ok);
        if (!ok || p <= 0 || p > 65535)
            return false;
        entryPort = p;
        entry.truncate(colon);
        return true;
    };
    if (entry.startsWith(u'[')) {
        // [v6] or [v6]:port
        const qsizetype close = entry.indexOf(u']');
        if (close < 0)
            return false;
        if (close + 1 < entry.size() && (entry.at(close + 1) != u':' || !takePort(close + 1)))
            return false;
        entry = entry.mid(1, close - 1);
    } else if (entry.count(u':') == 1 && !takePort(entry.indexOf(u':'))) {
        return false; // name:port or v4:port, the port not a number
    }
    if (entryPort && *entryPort != port)
        return false;
    if (entry.contains(u'/')) {
        const auto [network, bits] = QHostAddress::parseSubnet(entry);
        return address && bits >= 0 && address->isInSubnet(network, bits);
    }
    if (const QHostAddress literal(entry); !literal.isNull())
        return address && address->isEqual(literal, QHostAddress::TolerantConversion);
    if (address)
        return false; // a name never matches an address: curl compares what the URL says, unresolved
    while (entry.startsWith(u'.'))
        entry.remove(0, 1);
    while (entry.endsWith(u'.'))
        entry.chop(1);
    if (entry.isEmpty())
        return false;
    return host == entry || host.endsWith(u'.' + entry);
}

Decision chosenBy(Decision::Source source, const QString &name, Decision::Route route = Decision::Route::Direct)
{
    Decision d;
    d.route = route;
    d.source = source;
    d.name = name;
    return d;
}

std::optional<Credentials> credentialsOf(const QAuthenticator *auth)
{
    if (auth->user().isEmpty())
        return std::nullopt;
    return Credentials {auth->user(), auth->password()};
}

// Answers a proxy's 407 for one manager: the credentials its URL gave, else whatever the asker finds; a refusal is
// remembered so that the same credentials are not sent again in a loop and the failure's sentence says "refused".
class ProxyAuth final : public QObject
{
public:
    ProxyAuth(QNetworkAccessManager *network, Settings settings, Asker ask)
        : QObject(network)
        , m_settings(std::move(settings))
        , m_ask(std::move(ask))
    {
        setObjectName(u"autoclose-proxy-auth"_s);
        connect(network, &QNetworkAccessManager::proxyAuthenticationRequired, this, &ProxyAuth::answer);
    }

    std::optional<QString> refusedUser(const Address &proxy) const
    {
        return m_state.value(proxy.hostPort()).refusedUser;
    }

private:
    struct State
    {
        std::optional<Credentials> lastGiven; // sent and not yet known to work or fail
        QList<Credentials> refused;
        std::optional<QString> refusedUser; // for the sentence, until other credentials are given
        QElapsedTimer refusedAt; // when the last refusal came
    };
    static constexpr qint64 SameAttemptMs = 3000;

    // The proxy as configured (with the credentials of its URL), found by host and port.
    Address configured(const QNetworkProxy &proxy) const
    {
        const auto same = [&proxy](const Address &a) {
            return a.sameProxy(proxy);
        };
        if (m_settings.profile == Settings::Profile::Proxy && same(m_settings.profileProxy))
            return m_settings.profileProxy;
        for (const auto *named : {&m_settings.http, &m_settings.https, &m_settings.all})
            if (*named && same((*named)->second))
                return (*named)->second;
        Address a; // the system's: credentials only if its settings carry them
        a.type = proxy.type();
        a.scheme = proxy.type() == QNetworkProxy::Socks5Proxy ? u"socks5"_s : u"http"_s;
        a.host = proxy.hostName();
        a.port = proxy.port();
        a.user = proxy.user();
        a.password = proxy.password();
        return a;
    }

    void answer(const QNetworkProxy &proxy, QAuthenticator *auth)
    {
        const Address address = configured(proxy);
        const QString key = address.hostPort();
        State &state = m_state[key];
        const std::optional<Credentials> tried = credentialsOf(auth);
        const bool retry = tried && state.lastGiven && *tried == *state.lastGiven;
        if (retry) {
            // What was given has just been refused: never sent again, or Qt would ask forever. The asker may have
            // others (the keychain's were refused: the user's), once.
            qCDebug(lcProxy) << "the proxy" << address.hostPort() << "refused the credentials of" << tried->user;
            state.refused.append(*tried);
            state.refusedUser = tried->user;
            state.lastGiven.reset();
            state.refusedAt.start();
        } else if (state.refusedAt.isValid() && state.refusedAt.elapsed() < SameAttemptMs) {
            // The other requests of the attempt whose credentials were just refused (Qt tries them again from its
            // cache): they fail with the same sentence rather than asking again.
            return;
        }
        std::optional<Credentials> give;
        if (!retry && address.hasCredentials())
            give = Credentials {address.user, address.password};
        if ((!give || state.refused.contains(*give)) && m_ask) {
            const Question question {address, state.refused, retry};
            // The asker may run an event loop (the keychain, a dialog) in which other 407s are answered: the state
            // is looked up again afterwards rather than held across it.
            give = m_ask(question);
        }
        State &after = m_state[key];
        if (!give || give->user.isEmpty() || after.refused.contains(*give)) {
            qCDebug(lcProxy) << "the proxy" << key << "asks for credentials; none to give";
            return;
        }
        auth->setUser(give->user);
        auth->setPassword(give->password);
        after.lastGiven = give;
        after.refusedUser.reset();
        after.refusedAt.invalidate(); // new credentials: the refused attempt is over
    }

    const Settings m_settings;
    const Asker m_ask;
    QHash<QString, State> m_state; // by host:port
};

ProxyAuth *proxyAuthOf(const QNetworkAccessManager *network)
{
    return network ? network->findChild<ProxyAuth *>(u"autoclose-proxy-auth"_s, Qt::FindDirectChildrenOnly) : nullptr;
}
} // namespace

// ---- Address

QString Address::hostPort() const
{
    const bool v6 = host.contains(u':');
    return (v6 ? u'[' + host + u']' : host) + u':' + QString::number(port);
}

QString Address::display() const
{
    QString userInfo;
    if (!user.isEmpty())
        userInfo = QString::fromUtf8(QUrl::toPercentEncoding(user)) + (password.isEmpty() ? u"@"_s : u":***@"_s);
    return scheme + u"://"_s + userInfo + hostPort();
}

QNetworkProxy Address::toQNetworkProxy() const
{
    QNetworkProxy proxy(type, host, port);
    if (type == QNetworkProxy::Socks5Proxy && scheme == u"socks5"_s)
        proxy.setCapabilities(proxy.capabilities() & ~QNetworkProxy::HostNameLookupCapability); // resolved here
    return proxy;
}

bool Address::sameProxy(const QNetworkProxy &proxy) const
{
    return proxy.type() == type && proxy.port() == port && proxy.hostName().compare(host, Qt::CaseInsensitive) == 0;
}

// ---- Parsing

Result<Address> parse(const QString &text, const QString &origin)
{
    const QString trimmed = text.trimmed();
    // Echoed in the refusal: what lies between the user name and the last @ may be a password that did not parse
    // (a / or a space in it), so all of it is masked.
    QString shown = trimmed;
    if (const qsizetype at = trimmed.lastIndexOf(u'@'); at >= 0) {
        const qsizetype schemeEnd = trimmed.indexOf(u"://"_s);
        const qsizetype userStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        const qsizetype colon = trimmed.indexOf(u':', userStart);
        if (colon >= 0 && colon < at)
            shown = trimmed.left(colon) + u":***"_s + trimmed.mid(at);
    }
    // Each sentence names where the text came from (%1) and the text, its password masked (%2).
    const auto refuse = [&](const char *sentence) {
        return Error::badInput(tr(sentence).arg(origin, shown));
    };
    if (trimmed.isEmpty())
        return Error::badInput(
            tr("The proxy in %1 is empty. Give one such as http://proxy.example.com:3128.").arg(origin));
    const QString withScheme = trimmed.contains(u"://"_s) ? trimmed : u"http://"_s + trimmed;
    const QUrl url(withScheme, QUrl::StrictMode);
    if (!url.isValid())
        return refuse(QT_TRANSLATE_NOOP(
            "NetworkProxy", "The proxy in %1, \"%2\", is not an address such as http://proxy.example.com:3128."));
    Address a;
    a.scheme = url.scheme().toLower();
    if (a.scheme == u"http"_s) {
        a.type = QNetworkProxy::HttpProxy;
    } else if (a.scheme == u"socks5"_s || a.scheme == u"socks5h"_s) {
        a.type = QNetworkProxy::Socks5Proxy;
    } else if (a.scheme == u"https"_s) {
        return refuse(QT_TRANSLATE_NOOP(
            "NetworkProxy",
            "The proxy in %1, \"%2\", is an https:// proxy (TLS to the proxy itself), which Qt does not support. Give "
            "its http:// address (requests to https:// sites still travel encrypted through it)."));
    } else {
        return refuse(QT_TRANSLATE_NOOP(
            "NetworkProxy",
            "The proxy in %1, \"%2\", is neither http://, socks5:// nor socks5h://, the kinds supported."));
    }
    a.host = url.host(QUrl::FullyDecoded);
    if (a.host.isEmpty())
        return refuse(QT_TRANSLATE_NOOP(
            "NetworkProxy", "The proxy in %1, \"%2\", names no host. Give one such as http://proxy.example.com:3128."));
    const int port = url.port(1080);
    if (port <= 0 || port > 65535)
        return refuse(QT_TRANSLATE_NOOP("NetworkProxy", "The proxy in %1, \"%2\", has no valid port (1 to 65535)."));
    a.port = quint16(port);
    if ((!url.path().isEmpty() && url.path() != u"/"_s) || url.hasQuery() || url.hasFragment())
        return refuse(QT_TRANSLATE_NOOP(
            "NetworkProxy", "The proxy in %1, \"%2\", has a path or a query; a proxy is only scheme://host:port."));
    a.user = url.userName(QUrl::FullyDecoded);
    a.password = url.password(QUrl::FullyDecoded);
    if (a.user.isEmpty() && !a.password.isEmpty())
        return refuse(QT_TRANSLATE_NOOP("NetworkProxy", "The proxy in %1, \"%2\", has a password but no user name."));
    return a;
}

QString redacted(const QString &text)
{
    // scheme://user:password@ → scheme://user:***@ (the password may hold an unencoded @: up to the last one). A
    // password with a / or a space cannot be told from a path here; parse() masks those itself.
    static const QRegularExpression withScheme(u"\\b([A-Za-z][A-Za-z0-9+.-]*://[^/@\\s:]*):[^\\s/]*@"_s);
    // user:password@host, as a variable may hold it without a scheme
    static const QRegularExpression bare(u"^([^/@\\s:]+):[^\\s/]*@"_s);
    QString out = text;
    out.replace(withScheme, u"\\1:***@"_s);
    if (!out.contains(u"://"_s))
        out.replace(bare, u"\\1:***@"_s);
    return out;
}

bool bypasses(const QString &noProxy, const QString &hostName, int port)
{
    QString host = hostName.trimmed().toLower();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    while (host.endsWith(u'.'))
        host.chop(1);
    std::optional<QHostAddress> address;
    if (const QHostAddress parsed(host); !parsed.isNull())
        address = parsed;
    static const QRegularExpression separators(u"[,\\s]+"_s);
    for (const QString &raw : noProxy.split(separators, Qt::SkipEmptyParts)) {
        const QString entry = raw.toLower();
        if (entry == u"*"_s)
            return true;
        if (entryMatches(entry, host, address, port))
            return true;
    }
    return false;
}

// ---- The environment and the decision

Environment Environment::fromProcess()
{
    Environment env;
    for (const char *name :
         {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
        const QString value = qEnvironmentVariable(name);
        if (!value.trimmed().isEmpty())
            env.values.insert(QString::fromLatin1(name), value);
    }
    return env;
}

std::optional<std::pair<QString, QString>> Environment::first(std::initializer_list<const char *> names) const
{
    for (const char *name : names) {
        const QString value = values.value(QString::fromLatin1(name)).trimmed();
        if (!value.isEmpty())
            return std::pair {QString::fromLatin1(name), value};
    }
    return std::nullopt;
}

Result<Settings> settingsFor(const QString &profileProxy, const QString &profileName, const Environment &environment)
{
    Settings s;
    s.profileName = profileName;
    if (const auto noProxy = environment.first({"no_proxy", "NO_PROXY"})) {
        s.noProxyVariable = noProxy->first;
        s.noProxy = noProxy->second;
    }
    if (const auto any =
            environment.first({"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}))
        s.environmentVariable = any->first;
    const QString own = profileProxy.trimmed();
    if (own.compare(u"none"_s, Qt::CaseInsensitive) == 0) {
        s.profile = Settings::Profile::Direct;
        return s;
    }
    if (!own.isEmpty()) {
        const auto parsed = parse(own, tr("the profile \"%1\"").arg(profileName));
        if (!parsed)
            return parsed.error();
        if (!parsed.value().password.isEmpty())
            return Error::badInput(tr("The proxy of the profile \"%1\" holds a password, which a profile never "
                                      "keeps. Remove it from the profile; give it when asked.")
                                       .arg(profileName));
        s.profile = Settings::Profile::Proxy;
        s.profileProxy = parsed.value();
        return s; // the profile's choice replaces the environment's, as curl's -x replaces its variables
    }
    const auto read = [&environment](std::initializer_list<const char *> names,
                                     std::optional<std::pair<QString, Address>> &into) -> Result<Done> {
        const auto named = environment.first(names);
        if (!named)
            return Done {};
        const auto parsed = parse(named->second, tr("the environment variable %1").arg(named->first));
        if (!parsed)
            return parsed.error();
        into = std::pair {named->first, parsed.value()};
        return Done {};
    };
    // curl reads http_proxy in lowercase only: HTTP_PROXY may be set by a web server from a request's Proxy header.
    if (const auto ok = read({"http_proxy"}, s.http); !ok)
        return ok.error();
    if (const auto ok = read({"https_proxy", "HTTPS_PROXY"}, s.https); !ok)
        return ok.error();
    if (const auto ok = read({"all_proxy", "ALL_PROXY"}, s.all); !ok)
        return ok.error();
    return s;
}

Decision decide(const Settings &settings, const QUrl &url)
{
    using Route = Decision::Route;
    using Source = Decision::Source;
    if (!settings.noProxy.isEmpty() && bypasses(settings.noProxy, url.host(), defaultPort(url)))
        return chosenBy(Source::Variable, settings.noProxyVariable);
    switch (settings.profile) {
    case Settings::Profile::Direct:
        return chosenBy(Source::Profile, settings.profileName);
    case Settings::Profile::Proxy: {
        Decision d = chosenBy(Source::Profile, settings.profileName, Route::Proxy);
        d.proxy = settings.profileProxy;
        return d;
    }
    case Settings::Profile::Unset:
        break;
    }
    const auto &scheme = url.scheme() == u"https"_s ? settings.https
        : url.scheme() == u"http"_s                 ? settings.http
                                                    : std::optional<std::pair<QString, Address>>();
    const auto &chosen = scheme ? scheme : settings.all;
    if (chosen) {
        Decision d = chosenBy(Source::Variable, chosen->first, Route::Proxy);
        d.proxy = chosen->second;
        return d;
    }
    // The environment names proxies, none for this scheme: it alone decides, as it does for curl.
    if (!settings.environmentVariable.isEmpty())
        return chosenBy(Source::Variable, settings.environmentVariable);
    return chosenBy(Source::System, {}, Route::System);
}

QString Decision::origin() const
{
    switch (source) {
    case Source::Variable:
        return tr("set by %1").arg(name);
    case Source::Profile:
        return tr("set by the profile \"%1\"").arg(name);
    case Source::System:
        break;
    }
    return tr("set by the system's proxy settings");
}

// ---- Failures

bool isProxyFailure(QNetworkReply::NetworkError error, bool throughProxy)
{
    switch (error) {
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::UnknownProxyError:
        return true;
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
        // Through a proxy, the connection that was refused, and the host that was not found, are the proxy's.
        return throughProxy;
    default:
        return false;
    }
}

QString sentenceFor(QNetworkReply::NetworkError error, const QString &detail, const Decision &decision,
                    const std::optional<QString> &refusedUser)
{
    if (decision.route != Decision::Route::Proxy || !isProxyFailure(error, true))
        return {};
    const QString proxy = decision.proxy.hostPort();
    const QString origin = decision.origin();
    switch (error) {
    case QNetworkReply::ProxyAuthenticationRequiredError: {
        if (refusedUser)
            return tr("The proxy %1 (%2) refused the user name \"%3\" and its password. Check them and try again "
                      "(ones remembered in the keychain are forgotten once refused).")
                .arg(proxy, origin, *refusedUser);
        const QString example = u"%1://user:password@%2"_s.arg(decision.proxy.scheme, proxy);
        if (decision.source == Decision::Source::Profile)
            return tr("The proxy %1 (%2) asks for a user name and password, and none were given. A profile keeps "
                      "no proxy password: answer Auto-Close Editor when it asks and tick \"Remember in the "
                      "keychain\" (autoclose-cli then finds them there), or leave the profile's proxy empty and set "
                      "https_proxy=%3.")
                .arg(proxy, origin, example);
        return tr("The proxy %1 (%2) asks for a user name and password, and none were given. Give them in the "
                  "proxy's address, such as %3=%4 (percent-encode special characters), or, in the window, answer "
                  "when it asks (Retry asks again).")
            .arg(proxy, origin, decision.source == Decision::Source::Variable ? decision.name : u"https_proxy"_s,
                 example);
    }
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ConnectionRefusedError:
        return tr("Could not connect to the proxy %1 (%2): it refused the connection. Check that the proxy runs at "
                  "that address, or name the host in NO_PROXY to reach it directly.")
            .arg(proxy, origin);
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::HostNotFoundError:
        return tr("The proxy host of %1 (%2) was not found. Check its name.").arg(proxy, origin);
    case QNetworkReply::ProxyTimeoutError:
        return tr("The proxy %1 (%2) did not answer in time. Check your connection to it and try again.")
            .arg(proxy, origin);
    case QNetworkReply::ProxyConnectionClosedError:
        return tr("The proxy %1 (%2) closed the connection before answering (%3). Try again; if it persists, "
                  "ask the proxy's administrators.")
            .arg(proxy, origin, detail);
    default:
        return tr("The proxy %1 (%2) failed the request: %3.").arg(proxy, origin, detail);
    }
}

// ---- Installing it

Factory::Factory(Settings settings)
    : m_settings(std::move(settings))
{ }

QList<QNetworkProxy> Factory::queryProxy(const QNetworkProxyQuery &query)
{
    QUrl url = query.url();
    if (url.isEmpty()) {
        url.setScheme(query.protocolTag().isEmpty() ? u"http"_s : query.protocolTag());
        url.setHost(query.peerHostName());
        url.setPort(query.peerPort());
    }
    Decision d = decide(m_settings, url);
    QList<QNetworkProxy> proxies;
    switch (d.route) {
    case Decision::Route::Direct:
        proxies << QNetworkProxy(QNetworkProxy::NoProxy);
        break;
    case Decision::Route::Proxy:
        proxies << d.proxy.toQNetworkProxy();
        break;
    case Decision::Route::System:
        proxies = systemProxyForQuery(query);
        if (proxies.isEmpty())
            proxies << QNetworkProxy(QNetworkProxy::NoProxy);
        if (const QNetworkProxy &first = proxies.constFirst();
            first.type() == QNetworkProxy::HttpProxy || first.type() == QNetworkProxy::Socks5Proxy) {
            d.route = Decision::Route::Proxy;
            d.proxy.type = first.type();
            d.proxy.scheme = first.type() == QNetworkProxy::Socks5Proxy ? u"socks5"_s : u"http"_s;
            d.proxy.host = first.hostName();
            d.proxy.port = first.port();
        } else {
            d.route = Decision::Route::Direct;
        }
        break;
    }
    qCDebug(lcProxy).noquote() << url.scheme() + u"://"_s + url.host() << "->"
                               << (d.route == Decision::Route::Proxy ? d.proxy.display() : u"direct"_s) << '('
                               << d.origin() << ')';
    QMutexLocker lock(&m_mutex);
    m_decisions.insert(decisionKey(url), d);
    return proxies;
}

Decision Factory::decisionFor(const QUrl &url) const
{
    QMutexLocker lock(&m_mutex);
    return m_decisions.value(decisionKey(url));
}

Result<Done> apply(QNetworkAccessManager *network, const Setup &setup)
{
    const auto settings = settingsFor(setup.profileProxy, setup.profileName, Environment::fromProcess());
    if (!settings)
        return settings.error();
    delete proxyAuthOf(network); // applied again: the new rules replace the old
    network->setProxyFactory(new Factory(settings.value())); // the manager owns it
    new ProxyAuth(network, settings.value(), setup.ask);
    return Done {};
}

QString failureSentence(const QNetworkReply *reply)
{
    if (!reply || reply->error() == QNetworkReply::NoError)
        return {};
    const QNetworkAccessManager *network = reply->manager();
    const auto *factory = network ? dynamic_cast<const Factory *>(network->proxyFactory()) : nullptr;
    if (!factory)
        return {};
    const Decision d = factory->decisionFor(reply->url());
    if (d.route != Decision::Route::Proxy)
        return {};
    const ProxyAuth *auth = proxyAuthOf(network);
    return sentenceFor(reply->error(), reply->errorString(), d, auth ? auth->refusedUser(d.proxy) : std::nullopt);
}

} // namespace NetworkProxy
