#include "ServerState.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

ServerState serverState(const QUrl &sandbox, const QString &token)
{
    QUrl url = sandbox;
    url.setPath(QStringLiteral("/api/data/v9.2/msdyn_occhannelstateconfigurations"));
    url.setQuery(QStringLiteral("$select=msdyn_name,msdyn_autocloseliveworkitemafter,versionnumber"));
    const TestReply reply = testGet(url, token.toUtf8());
    ServerState state;
    for (const QJsonValue &v : reply.json().value(QStringLiteral("value")).toArray()) {
        const QJsonObject o = v.toObject();
        const QJsonValue minutes = o.value(QStringLiteral("msdyn_autocloseliveworkitemafter"));
        state.insert(o.value(QStringLiteral("msdyn_occhannelstateconfigurationid")).toString(),
                     ServerRecord {o.value(QStringLiteral("msdyn_name")).toString(),
                                   minutes.isNull() ? std::nullopt : std::optional<int>(minutes.toInt()),
                                   o.value(QStringLiteral("versionnumber")).toVariant().toLongLong()});
    }
    return state;
}

QString idOf(const ServerState &state, const QString &name)
{
    for (auto it = state.cbegin(); it != state.cend(); ++it)
        if (it->name == name)
            return it.key();
    return {};
}

QByteArray withMinutes(const QByteArray &snapshot, const QMap<QString, std::optional<int>> &changes)
{
    QJsonObject root = QJsonDocument::fromJson(snapshot).object();
    QJsonArray records = root.value(QStringLiteral("records")).toArray();
    for (qsizetype i = 0; i < records.size(); ++i) {
        QJsonObject r = records.at(i).toObject();
        const auto found = changes.constFind(r.value(QStringLiteral("name")).toString());
        if (found == changes.cend())
            continue;
        r.insert(QStringLiteral("minutes"), *found ? QJsonValue(**found) : QJsonValue(QJsonValue::Null));
        records.replace(i, r);
    }
    root.insert(QStringLiteral("records"), records);
    return QJsonDocument(root).toJson();
}

WorkstreamState workstreamState(const QUrl &sandbox, const QString &token)
{
    QUrl url = sandbox;
    url.setPath(QStringLiteral("/api/data/v9.2/msdyn_liveworkstreams"));
    url.setQuery(
        QStringLiteral("$select=msdyn_name,msdyn_autocloseafterinactivity,msdyn_blockcapacityforwrapup,versionnumber"));
    const TestReply reply = testGet(url, token.toUtf8());
    const auto minutes = [](const QJsonValue &value) {
        return value.isDouble() ? std::optional<int>(value.toInt()) : std::nullopt;
    };
    WorkstreamState state;
    for (const QJsonValue &v : reply.json().value(QStringLiteral("value")).toArray()) {
        const QJsonObject o = v.toObject();
        state.insert(o.value(QStringLiteral("msdyn_liveworkstreamid")).toString(),
                     ServerWorkstream {o.value(QStringLiteral("msdyn_name")).toString(),
                                       minutes(o.value(QStringLiteral("msdyn_autocloseafterinactivity"))),
                                       minutes(o.value(QStringLiteral("msdyn_blockcapacityforwrapup"))),
                                       o.value(QStringLiteral("versionnumber")).toVariant().toLongLong()});
    }
    return state;
}

QString idOf(const WorkstreamState &state, const QString &name)
{
    for (auto it = state.cbegin(); it != state.cend(); ++it)
        if (it->name == name)
            return it.key();
    return {};
}

qint64 lastVersion(const ServerState &configurations, const WorkstreamState &workstreams)
{
    qint64 last = 0;
    for (const ServerRecord &r : configurations)
        last = std::max(last, r.version);
    for (const ServerWorkstream &w : workstreams)
        last = std::max(last, w.version);
    return last;
}

TestReply colleaguePatch(const QUrl &sandbox, const QString &token, const QString &entitySet, const QString &id,
                         const QJsonObject &columns)
{
    QUrl record = sandbox;
    record.setPath(QStringLiteral("/api/data/v9.2/%1(%2)").arg(entitySet, id));
    return testRequest(
        "PATCH", record,
        {{"Authorization", "Bearer " + token.toUtf8()}, {"Content-Type", "application/json"}, {"If-Match", "*"}},
        QJsonDocument(columns).toJson(QJsonDocument::Compact));
}

QByteArray withWorkstream(const QByteArray &snapshot, const QString &name, const QJsonObject &fields)
{
    QJsonObject root = QJsonDocument::fromJson(snapshot).object();
    QJsonArray workstreams = root.value(QStringLiteral("workstreams")).toArray();
    for (qsizetype i = 0; i < workstreams.size(); ++i) {
        QJsonObject w = workstreams.at(i).toObject();
        if (w.value(QStringLiteral("name")).toString() != name)
            continue;
        for (auto it = fields.begin(); it != fields.end(); ++it)
            w.insert(it.key(), it.value());
        workstreams.replace(i, w);
    }
    root.insert(QStringLiteral("workstreams"), workstreams);
    return QJsonDocument(root).toJson();
}
