#include "TestBrowser.h"

#include <QEventLoop>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRegularExpression>

TestBrowser::TestBrowser()
{
    m_network.setCookieJar(new QNetworkCookieJar(&m_network));
}

TestBrowser::Page TestBrowser::open(const QUrl &url)
{
    return follow(send(url, {}, false));
}

TestBrowser::Page TestBrowser::submit(const QUrl &url, const QList<std::pair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[k, v] : fields)
        body += (body.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v);
    return follow(send(url, body, true));
}

TestBrowser::Page TestBrowser::signInAndConsent(Page page, const QString &login, bool approve)
{
    static const QRegularExpression prompt(QStringLiteral("<p id=\"prompt\">(\\w+)</p>"));
    for (int i = 0; i < 6 && page.url.path().startsWith(QStringLiteral("/interaction/")); ++i) {
        const QString name = prompt.match(QString::fromUtf8(page.body)).captured(1);
        const QString base = page.url.toString(QUrl::RemoveQuery);
        if (name == QStringLiteral("login"))
            page = submit(QUrl(base + QStringLiteral("/login")), {{QStringLiteral("login"), login}});
        else
            page = submit(QUrl(base + (approve ? QStringLiteral("/confirm") : QStringLiteral("/abort"))), {});
    }
    return page;
}

std::pair<QUrl, QList<std::pair<QString, QString>>> TestBrowser::firstForm(const Page &page)
{
    const QString html = QString::fromUtf8(page.body);
    static const QRegularExpression form(QStringLiteral("<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>"),
                                         QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression hidden(
        QStringLiteral("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\""));
    const auto match = form.match(html);
    QList<std::pair<QString, QString>> fields;
    for (auto it = hidden.globalMatch(match.captured(2)); it.hasNext();) {
        const auto h = it.next();
        fields.append({h.captured(1), h.captured(2)});
    }
    return {page.url.resolved(QUrl(match.captured(1))), fields};
}

TestBrowser::Hop TestBrowser::send(const QUrl &url, const QByteArray &body, bool post)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(20000);
    QNetworkReply *reply;
    if (post) {
        request.setRawHeader("Content-Type", "application/x-www-form-urlencoded");
        reply = m_network.post(request, body);
    } else {
        reply = m_network.get(request);
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Hop hop;
    hop.page.url = url;
    hop.page.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    hop.page.body = reply->readAll();
    if (hop.page.status == 0)
        hop.page.error = reply->errorString();
    if (hop.page.status >= 300 && hop.page.status < 400)
        hop.location = url.resolved(QUrl(QString::fromUtf8(reply->rawHeader("Location"))));
    reply->deleteLater();
    return hop;
}

TestBrowser::Page TestBrowser::follow(Hop hop)
{
    for (int i = 0; i < 20 && hop.location.isValid(); ++i)
        hop = send(hop.location, {}, false);
    return hop.page;
}
