#pragma once

// The "browser" of the sign-in tests: a cookie-keeping HTTP client that follows redirects one by one (so a test sees
// each hop) and fills in the peer's plain HTML forms.
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>

#include <utility>

class TestBrowser
{
public:
    struct Page
    {
        int status = 0;
        QUrl url;
        QByteArray body;
        QString error; // transport failure
    };

    TestBrowser();

    // GET, then follow every redirect (the last hop may be the product's loopback listener).
    Page open(const QUrl &url);
    // POSTs a form, then follows redirects.
    Page submit(const QUrl &url, const QList<std::pair<QString, QString>> &fields);
    // The user on the oidc peer's pages (tests/peers/oidc-peer.mjs): signs in as `login` on each login prompt, then
    // approves (or declines) the consent; returns the page the last redirect ended on.
    Page signInAndConsent(Page page, const QString &login, bool approve = true);
    // The page's first form: its action and its hidden fields.
    static std::pair<QUrl, QList<std::pair<QString, QString>>> firstForm(const Page &page);

private:
    struct Hop
    {
        Page page;
        QUrl location;
    };
    Hop send(const QUrl &url, const QByteArray &body, bool post);
    Page follow(Hop hop);

    QNetworkAccessManager m_network;
};
