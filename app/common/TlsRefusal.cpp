#include "app/common/TlsRefusal.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QStringList>
#if QT_CONFIG(ssl)
#include <QSslError>
#endif

using namespace Qt::StringLiterals;

namespace {
const char *const Property = "autoclose.tlsErrors";
}

void TlsRefusal::watch(QNetworkReply *reply)
{
#if QT_CONFIG(ssl)
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
        QStringList texts = reply->property(Property).toStringList();
        for (const QSslError &error : errors)
            if (!texts.contains(error.errorString()))
                texts << error.errorString();
        reply->setProperty(Property, texts);
        // Deliberately no ignoreSslErrors(): the handshake fails and the request is never sent.
    });
#else
    Q_UNUSED(reply)
#endif
}

QString TlsRefusal::errorsOf(const QNetworkReply *reply)
{
    const QStringList texts = reply->property(Property).toStringList();
    if (!texts.isEmpty())
        return texts.join(u"; "_s);
    return reply->error() == QNetworkReply::SslHandshakeFailedError ? reply->errorString() : QString();
}

QString TlsRefusal::sentence(const QString &host, const QString &errors)
{
    return QCoreApplication::translate("TlsRefusal",
                                       "The connection to %1 was refused because its certificate could not be "
                                       "verified (%2). Nothing was sent to it. Check the address; if your network "
                                       "inspects encrypted traffic, add its root certificate to the system's "
                                       "trusted certificates. Certificate errors are never ignored.")
        .arg(host, errors);
}
