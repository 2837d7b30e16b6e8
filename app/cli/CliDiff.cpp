#include "app/cli/CliDiff.h"

#include "app/cli/Cli.h"
#include "app/snapshot/SnapshotFiles.h"
#include "models/Duration.h"
#include "models/SnapshotDiff.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <array>

using namespace Qt::StringLiterals;

namespace CliSnapshot {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliSnapshot", text);
}

using Cli::fail;
using Cli::usage;

// One side of a diff: a file, "live" or "profile:NAME".
struct Side
{
    QString label;
    Snapshot snapshot;
};

Result<Side> loadSide(const QString &operand, const OpenLive &openLive)
{
    const auto fromEnvironment = [](Result<std::unique_ptr<Cli::Environment>> env) -> Result<Side> {
        if (!env)
            return env.error();
        const auto snapshot = capture(*env.value());
        if (!snapshot)
            return snapshot.error();
        return Side {tr("%1 (live)").arg(env.value()->label()), snapshot.value()};
    };
    if (operand == u"live"_s)
        return fromEnvironment(openLive({}));
    if (operand.startsWith(u"profile:"_s)) {
        const QString name = operand.mid(8);
        if (name.isEmpty())
            return Error::badInput(tr("profile: needs a profile name, as in profile:Production."));
        return fromEnvironment(openLive(name));
    }
    const auto snapshot = SnapshotFiles::read(operand);
    if (!snapshot)
        return snapshot.error();
    return Side {operand, snapshot.value()};
}

QString minutesText(const std::optional<ChannelStateConfig> &c)
{
    return c ? Duration::format(c->minutes) : u"—"_s;
}

QJsonValue minutesJson(const std::optional<int> &minutes)
{
    return minutes ? QJsonValue(*minutes) : QJsonValue(QJsonValue::Null);
}

QJsonValue sideJson(const std::optional<ChannelStateConfig> &c)
{
    if (!c)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject {{u"id"_s, c->id}, {u"name"_s, c->name}, {u"minutes"_s, minutesJson(c->minutes)}};
}

QJsonValue workstreamSideJson(const std::optional<Workstream> &w, TimerSetting setting)
{
    if (!w)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject {
        {u"id"_s, w->id}, {u"name"_s, w->name}, {u"minutes"_s, minutesJson(SnapshotDiff::minutesOf(*w, setting))}};
}

QString workstreamMinutesText(const SnapshotDiff::WorkstreamEntry &e, bool left)
{
    if (left ? !e.left : !e.right)
        return u"—"_s;
    return SnapshotDiff::format(e.setting, left ? e.leftMinutes() : e.rightMinutes());
}

using Kind = SnapshotDiff::Kind;
constexpr std::array<Kind, 5> Kinds = {Kind::Same, Kind::Changed, Kind::OnlyLeft, Kind::OnlyRight, Kind::Ambiguous};

QString matchedByName(SnapshotDiff::MatchedBy by, const QString &naturalKey)
{
    switch (by) {
    case SnapshotDiff::MatchedBy::Id:
        return u"id"_s;
    case SnapshotDiff::MatchedBy::NaturalKey:
        return naturalKey;
    case SnapshotDiff::MatchedBy::Nothing:
        break;
    }
    return {};
}

// The workstreams' part of diff --format json: whether they were compared (and why not), counts per kind and the
// values that differ.
QJsonObject workstreamsJson(const SnapshotDiff &diff, const QString &leftLabel, const QString &rightLabel)
{
    if (!diff.workstreamsCompared())
        return QJsonObject {{u"compared"_s, false}, {u"reason"_s, diff.workstreamsNotCompared(leftLabel, rightLabel)}};
    QJsonArray differences;
    for (const SnapshotDiff::WorkstreamEntry &e : diff.workstreams) {
        if (e.kind == Kind::Same)
            continue;
        const Workstream &w = e.workstream();
        differences.append(QJsonObject {
            {u"kind"_s, SnapshotDiff::kindName(e.kind)},
            {u"matchedBy"_s, matchedByName(e.matchedBy, u"name"_s)},
            {u"setting"_s, TimerSettings::name(e.setting)},
            {u"workstream"_s, w.name},
            {u"channel"_s, w.streamSource ? QJsonValue(*w.streamSource) : QJsonValue(QJsonValue::Null)},
            {u"left"_s, workstreamSideJson(e.left, e.setting)},
            {u"right"_s, workstreamSideJson(e.right, e.setting)},
        });
    }
    QJsonObject counts;
    for (Kind kind : Kinds)
        counts.insert(SnapshotDiff::kindName(kind), double(diff.workstreamCount(kind)));
    return QJsonObject {{u"compared"_s, true}, {u"counts"_s, counts}, {u"differences"_s, differences}};
}
} // namespace

DiffCommand::DiffCommand(const Cli::GlobalOptions &global)
    : SnapshotCommand(u"diff"_s, global)
{ }

QString DiffCommand::syntax() const
{
    return tr("A B [--format table|json]");
}

QString DiffCommand::description() const
{
    return tr("Compare two sides, each a snapshot file, live (the environment of\n"
              "--profile or --url) or profile:NAME: channel states and workstreams\n"
              "(not compared with a version 1 file). Exit 1 when they differ.");
}

QList<Cli::OptionGroup> DiffCommand::options() const
{
    return QList<Cli::OptionGroup> {{m_global.format}} + m_global.environment();
}

int DiffCommand::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QStringList &positional = call.positional;
    const QString format = call.parser.value(m_global.format);
    if (format != u"table"_s && format != u"json"_s)
        return usage(err, tr("--format must be table or json, not '%1'.").arg(format));
    const OpenLive openLive = Cli::openLive(call, err);
    if (positional.size() != 3)
        return usage(err,
                     tr("diff takes two operands, each a snapshot file, live or profile:NAME, as in "
                        "'autoclose-cli diff production.json live'."));
    const auto left = loadSide(positional.at(1), openLive);
    if (!left)
        return fail(err, left.error());
    const auto right = loadSide(positional.at(2), openLive);
    if (!right)
        return fail(err, right.error());
    const SnapshotDiff diff = SnapshotDiff::compare(left.value().snapshot, right.value().snapshot);
    if (format == u"json"_s) {
        QJsonArray differences;
        for (const SnapshotDiff::Entry &e : diff.entries) {
            if (e.kind == Kind::Same)
                continue;
            const ChannelStateConfig &r = e.record();
            differences.append(QJsonObject {
                {u"kind"_s, SnapshotDiff::kindName(e.kind)},
                {u"matchedBy"_s, matchedByName(e.matchedBy, u"channel-state"_s)},
                {u"channel"_s, r.streamSource ? QJsonValue(*r.streamSource) : QJsonValue(QJsonValue::Null)},
                {u"channelConfiguration"_s, r.channelName},
                {u"state"_s, r.state},
                {u"left"_s, sideJson(e.left)},
                {u"right"_s, sideJson(e.right)},
            });
        }
        QJsonObject counts;
        for (Kind kind : Kinds)
            counts.insert(SnapshotDiff::kindName(kind), double(diff.count(kind)));
        out << QString::fromUtf8(
            QJsonDocument(
                QJsonObject {{u"left"_s, left.value().label},
                             {u"right"_s, right.value().label},
                             {u"counts"_s, counts},
                             {u"differences"_s, differences},
                             {u"workstreams"_s, workstreamsJson(diff, left.value().label, right.value().label)}})
                .toJson(QJsonDocument::Indented));
    } else {
        out << tr("Left:  %1").arg(left.value().label) << '\n' << tr("Right: %1").arg(right.value().label) << '\n';
        QList<QStringList> rows;
        for (const SnapshotDiff::Entry &e : diff.entries) {
            if (e.kind == Kind::Same)
                continue;
            const ChannelStateConfig &r = e.record();
            rows << QStringList {SnapshotDiff::kindLabel(e.kind),
                                 r.channelLabel(),
                                 conversationStateLabel(r.state),
                                 minutesText(e.left),
                                 minutesText(e.right),
                                 r.name};
        }
        if (!rows.isEmpty())
            out << '\n'
                << Cli::formatColumns(
                       {tr("DIFFERENCE"), tr("CHANNEL"), tr("STATE"), tr("LEFT"), tr("RIGHT"), tr("NAME")}, rows);
        // The workstreams' values, one line per value that differs.
        QList<QStringList> workstreamRows;
        for (const SnapshotDiff::WorkstreamEntry &e : diff.workstreams) {
            if (e.kind == Kind::Same)
                continue;
            const Workstream &w = e.workstream();
            workstreamRows << QStringList {
                SnapshotDiff::kindLabel(e.kind), w.streamSource ? StreamSource::label(*w.streamSource) : QString(),
                TimerSettings::label(e.setting), workstreamMinutesText(e, true),
                workstreamMinutesText(e, false), w.name};
        }
        if (!workstreamRows.isEmpty())
            out << '\n'
                << Cli::formatColumns({tr("DIFFERENCE"), tr("CHANNEL"), tr("WORKSTREAM SETTING"), tr("LEFT"),
                                       tr("RIGHT"), tr("WORKSTREAM")},
                                      workstreamRows);
        const auto counts = [&diff](bool workstreams) {
            const auto n = [&](Kind kind) {
                return workstreams ? diff.workstreamCount(kind) : diff.count(kind);
            };
            return tr("%1 changed, %2 only left, %3 only right, %4 ambiguous; %5 the same.")
                .arg(n(Kind::Changed))
                .arg(n(Kind::OnlyLeft))
                .arg(n(Kind::OnlyRight))
                .arg(n(Kind::Ambiguous))
                .arg(n(Kind::Same));
        };
        out << '\n' << tr("Channel-state records: %1").arg(counts(false)) << '\n';
        if (diff.workstreamsCompared())
            out << tr("Workstream values: %1").arg(counts(true)) << '\n';
        else
            out << diff.workstreamsNotCompared(left.value().label, right.value().label) << '\n';
        if (diff.count(Kind::Ambiguous))
            out << tr("Ambiguous records share their channel configuration, channel and state with another record "
                      "and have no id on the other side, so which pairs with which is not known. Compare snapshots "
                      "that carry ids, or remove the duplicate.")
                << '\n';
        if (!workstreamRows.isEmpty())
            out << SnapshotDiff::workstreamUnitAssumption() << '\n';
        if (diff.workstreamCount(Kind::Ambiguous))
            out << tr("Ambiguous workstreams share their name with another workstream and have no id on the other "
                      "side, so which pairs with which is not known. Compare snapshots that carry ids, or rename the "
                      "duplicate.")
                << '\n';
    }
    return diff.hasDifferences() ? Cli::Differences : Cli::Ok;
}

} // namespace CliSnapshot
