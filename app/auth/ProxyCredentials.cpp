#include "app/auth/ProxyCredentials.h"

#include "app/auth/SecretStore.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcProxy)

QString ProxyCredentials::keyFor(const NetworkProxy::Address &proxy)
{
    return u"proxy/"_s + proxy.hostPort().toLower();
}

std::optional<NetworkProxy::Credentials> ProxyCredentials::remembered(SecretStore *secrets,
                                                                      const NetworkProxy::Address &proxy)
{
    if (!secrets)
        return std::nullopt;
    QEventLoop loop;
    std::optional<Result<std::optional<QString>>> read;
    secrets->read(keyFor(proxy), &loop, [&](Result<std::optional<QString>> value) {
        read.emplace(std::move(value));
        loop.quit();
    });
    if (!read)
        loop.exec();
    if (!read->ok()) {
        qCDebug(lcProxy) << "the keychain could not be read for the proxy" << proxy.hostPort() << ":"
                         << read->error().userMessage;
        return std::nullopt;
    }
    if (!read->value())
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(read->value()->toUtf8()).object();
    NetworkProxy::Credentials c {o.value(u"user"_s).toString(), o.value(u"password"_s).toString()};
    if (c.user.isEmpty())
        return std::nullopt;
    return c;
}

void ProxyCredentials::remember(SecretStore *secrets, const NetworkProxy::Address &proxy,
                                const NetworkProxy::Credentials &credentials, QObject *context,
                                std::function<void(bool ok, const QString &error)> done)
{
    const QString value = QString::fromUtf8(
        QJsonDocument(QJsonObject {{u"user"_s, credentials.user}, {u"password"_s, credentials.password}})
            .toJson(QJsonDocument::Compact));
    secrets->write(keyFor(proxy), value, context, [done](Result<Done> written) {
        done(written.ok(), written.ok() ? QString() : written.error().userMessage);
    });
}

NetworkProxy::Asker ProxyCredentials::fromKeychain(SecretStore *secrets, NetworkProxy::Asker next)
{
    return [secrets, next](const NetworkProxy::Question &question) -> std::optional<NetworkProxy::Credentials> {
        if (const auto stored = remembered(secrets, question.proxy)) {
            if (!question.refused.contains(*stored))
                return stored;
            // The proxy refused what was remembered: forgotten, so that no later run sends it again (a directory
            // proxy may lock the account after a few wrong passwords; docs/networking.md).
            secrets->remove(keyFor(question.proxy), secrets, [](Result<Done>) {});
        }
        return next ? next(question) : std::nullopt;
    };
}
