#include "app/dataverse/OrgUrl.h"

#include <QCoreApplication>
#include <QHostAddress>

using namespace Qt::StringLiterals;

bool OrgUrl::isLoopbackHost(const QString &host)
{
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool OrgUrl::isSecureOrLoopback(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() &&
        (url.scheme() == u"https"_s || (url.scheme() == u"http"_s && isLoopbackHost(url.host())));
}

QString OrgUrl::withoutTrailingSlash(const QUrl &url)
{
    QString s = url.toString(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    while (s.endsWith(u'/'))
        s.chop(1);
    return s;
}

Result<QUrl> OrgUrl::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error::badInput(
            QCoreApplication::translate("OrgUrl",
                                        "No environment URL given. Paste the address of your environment, "
                                        "for example https://contoso.crm.dynamics.com."));

    // A bare host name means https, not the http that QUrl::fromUserInput would assume.
    const QUrl url = trimmed.contains(u"://"_s) ? QUrl(trimmed, QUrl::StrictMode) : QUrl(u"https://"_s + trimmed);
    if (!url.isValid() || url.host().isEmpty())
        return Error::badInput(
            QCoreApplication::translate("OrgUrl",
                                        "\"%1\" is not a web address. Use the address of your environment, "
                                        "for example https://contoso.crm.dynamics.com.")
                .arg(trimmed));
    const QString scheme = url.scheme().toLower();
    if (scheme != u"https"_s && scheme != u"http"_s)
        return Error::badInput(
            QCoreApplication::translate("OrgUrl", "\"%1\" uses %2:, but an environment is reached over https.")
                .arg(trimmed, scheme));
    if (scheme == u"http"_s && !isLoopbackHost(url.host()))
        return Error::badInput(
            QCoreApplication::translate("OrgUrl",
                                        "Refusing plain http to %1: the access token would travel unencrypted. "
                                        "Use https://%1 instead (http is only allowed for 127.0.0.1).")
                .arg(url.host()));
    // A word typed where the address belongs ("contoso", "prod"): an environment's host always has a domain.
    if (!url.host().contains(u'.') && !url.host().contains(u':') && !isLoopbackHost(url.host()))
        return Error::badInput(QCoreApplication::translate("OrgUrl",
                                                           "\"%1\" is not a full environment address. Use the whole "
                                                           "address, for example https://%1.crm.dynamics.com.")
                                   .arg(trimmed));
    if (!url.userInfo().isEmpty())
        return Error::badInput(
            QCoreApplication::translate("OrgUrl", "The environment URL must not contain a user name or password."));

    // Only scheme, host and port matter: the path (/api/data/v9.1, /main.aspx, …) and query are dropped.
    QUrl org;
    org.setScheme(scheme);
    org.setHost(url.host().toLower());
    org.setPort(url.port());
    return org;
}

QUrl OrgUrl::webApiRoot(const QUrl &org)
{
    QUrl root = org;
    root.setPath(u"/api/data/v9.2/"_s);
    return root;
}
