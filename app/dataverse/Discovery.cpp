#include "app/dataverse/Discovery.h"

#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/WebApiTransport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Discovery", text);
}

Error badShape(const QString &detail)
{
    Error e;
    e.kind = Error::Kind::BadReply;
    e.serviceMessage = detail;
    e.userMessage = tr("The discovery service answered with something other than a list of environments (%1). Check "
                       "the discovery address (--discovery-url, or the profile's cloud).")
                        .arg(detail);
    return e;
}

// An https address (http only on this computer, as for profiles), or nothing.
std::optional<QUrl> addressIn(const QJsonValue &value)
{
    if (!value.isString())
        return std::nullopt;
    const QUrl url(value.toString(), QUrl::StrictMode);
    if (!OrgUrl::isSecureOrLoopback(url))
        return std::nullopt;
    return url;
}
} // namespace

QString Discovery::Environment::stateName() const
{
    switch (state) {
    case 0:
        return tr("enabled");
    case 1:
        return tr("disabled");
    default:
        return tr("state %1").arg(state);
    }
}

QUrl Discovery::instancesUrl(const QUrl &service)
{
    return QUrl(OrgUrl::withoutTrailingSlash(service) + u"/api/discovery/v2.0/Instances"_s);
}

QString Discovery::resource(const QUrl &service)
{
    return OrgUrl::withoutTrailingSlash(service) + u'/';
}

Result<QList<Discovery::Environment>> Discovery::parseInstances(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return badShape(tr("not JSON: %1").arg(parseError.errorString()));
    if (!doc.isObject() || !doc.object().value(u"value"_s).isArray())
        return badShape(tr("no \"value\" list"));
    QList<Environment> list;
    const QJsonArray values = doc.object().value(u"value"_s).toArray();
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (!values.at(i).isObject())
            return badShape(tr("entry %1 is not an object").arg(i + 1));
        const QJsonObject o = values.at(i).toObject();
        Environment env;
        const auto url = addressIn(o.value(u"Url"_s));
        if (!url)
            return badShape(tr("entry %1 has no Url address").arg(i + 1));
        env.url = *url;
        env.apiUrl = addressIn(o.value(u"ApiUrl"_s)).value_or(env.url);
        env.name = o.value(u"FriendlyName"_s).toString();
        env.uniqueName = o.value(u"UniqueName"_s).toString();
        if (env.name.isEmpty())
            env.name = env.uniqueName.isEmpty() ? env.url.host() : env.uniqueName;
        env.environmentId = o.value(u"EnvironmentId"_s).toString();
        env.version = o.value(u"Version"_s).toString();
        env.region = o.value(u"Region"_s).toString();
        env.tenantId = o.value(u"TenantId"_s).toString();
        const QJsonValue state = o.value(u"State"_s);
        if (!state.isUndefined() && !state.isNull() && !state.isDouble())
            return badShape(tr("entry %1's State is not a number").arg(i + 1));
        env.state = state.toInt(0);
        if (const QJsonValue admin = o.value(u"IsUserSysAdmin"_s); admin.isBool())
            env.userIsAdmin = admin.toBool();
        list.append(env);
    }
    std::stable_sort(list.begin(), list.end(), [](const Environment &a, const Environment &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return list;
}

void Discovery::list(WebApiTransport *transport, const QUrl &service, QObject *context,
                     std::function<void(Result<QList<Environment>>)> done)
{
    WebApiTransport::Call call;
    call.url = instancesUrl(service);
    transport->send(call, context, [done](Result<WebApiTransport::Reply> reply) {
        if (!reply)
            return done(reply.error());
        done(parseInstances(reply.value().body));
    });
}
