#pragma once

// What a sandbox holds, read over HTTP by the tests (never through the code under test), and snapshot files edited
// for them.
#include "TestHttp.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QUrl>

#include <optional>

struct ServerRecord
{
    QString name;
    std::optional<int> minutes;
    qint64 version = 0;
    friend bool operator==(const ServerRecord &, const ServerRecord &) = default;
};
using ServerState = QMap<QString, ServerRecord>; // by id

// What the sandbox holds, read over HTTP.
ServerState serverState(const QUrl &sandbox, const QString &token);

QString idOf(const ServerState &state, const QString &name);

// The workstreams (msdyn_liveworkstreams) and their two timers, read over HTTP.
struct ServerWorkstream
{
    QString name;
    std::optional<int> inactivity; // msdyn_autocloseafterinactivity
    std::optional<int> wrapUpBlock; // msdyn_blockcapacityforwrapup
    qint64 version = 0;
    friend bool operator==(const ServerWorkstream &, const ServerWorkstream &) = default;
};
using WorkstreamState = QMap<QString, ServerWorkstream>; // by id
WorkstreamState workstreamState(const QUrl &sandbox, const QString &token);
QString idOf(const WorkstreamState &state, const QString &name);
// The largest versionnumber of either table: the sandbox numbers every write from one counter, so each PATCH it
// carries out adds one.
qint64 lastVersion(const ServerState &configurations, const WorkstreamState &workstreams);

// A colleague's change: one PATCH of a record's columns over HTTP, with If-Match: * (any version).
TestReply colleaguePatch(const QUrl &sandbox, const QString &token, const QString &entitySet, const QString &id,
                         const QJsonObject &columns);

// A snapshot file's records edited: name → new minutes (empty optional: never).
QByteArray withMinutes(const QByteArray &snapshot, const QMap<QString, std::optional<int>> &changes);

// A snapshot file's workstream of that name with fields replaced (or added): {"autoCloseAfterInactivity": 60}.
QByteArray withWorkstream(const QByteArray &snapshot, const QString &name, const QJsonObject &fields);
