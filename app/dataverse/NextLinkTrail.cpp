#include "app/dataverse/NextLinkTrail.h"

#include <QCoreApplication>
#include <QLocale>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

// "a/./b" and "a/b" ask for the same page, and so do "%24skiptoken" and "$skiptoken" (a server may encode what the
// client did not), and hosts in any case.
QString NextLinkTrail::pageKey(const QUrl &link)
{
    QString key = link.scheme().toLower() + u"://"_s + link.host().toLower() + u':' + QString::number(link.port()) +
        link.adjusted(QUrl::NormalizePathSegments).path(QUrl::FullyDecoded);
    const QList<std::pair<QString, QString>> items = QUrlQuery(link).queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items)
        key += QChar(0) + name + QChar(1) + value;
    return key;
}

Error NextLinkTrail::loopError(const QUrl &link, const QString &what, int atPage)
{
    Error e;
    e.kind = Error::Kind::BadReply;
    const QString advice = QCoreApplication::translate("NextLinkTrail",
                                                       "Try again later; if it happens again, the environment's paging "
                                                       "is faulty: tell its administrator.");
    e.userMessage = (atPage > 0 ? QCoreApplication::translate("NextLinkTrail",
                                                              "The environment's reply for %1 links back to a page it "
                                                              "has already sent (at page %2), so reading would never "
                                                              "end; it was stopped.")
                                      .arg(what, QLocale().toString(atPage))
                                : QCoreApplication::translate("NextLinkTrail",
                                                              "The environment's reply for %1 links back to a page it "
                                                              "has already sent, so reading would never end; it was "
                                                              "stopped.")
                                      .arg(what)) +
        u' ' + advice;
    e.serviceMessage = link.toString(QUrl::RemoveUserInfo);
    return e;
}

NextLinkTrail::NextLinkTrail(const QUrl &first)
{
    if (!first.isEmpty())
        m_seen.insert(pageKey(first));
}

std::optional<Error> NextLinkTrail::follow(const QUrl &link, const QString &what)
{
    const QString key = pageKey(link);
    if (m_seen.contains(key))
        return loopError(link, what, m_pages + 1);
    if (m_pages + 1 >= MaxPages) {
        Error e;
        e.kind = Error::Kind::BadReply;
        e.userMessage = QCoreApplication::translate("NextLinkTrail",
                                                    "The environment's reply for %1 still links to more pages after "
                                                    "%2 pages, more than any table holds; reading was stopped. "
                                                    "Narrow what is asked for, or tell the environment's "
                                                    "administrator.")
                            .arg(what, QLocale().toString(m_pages + 1));
        return e;
    }
    m_seen.insert(key);
    ++m_pages;
    return std::nullopt;
}
