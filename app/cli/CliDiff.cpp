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
    QList<ChannelStateConfig> records;
};

Result<Side> loadSide(const QString &operand, const OpenLive &openLive)
{
    const auto fromEnvironment = [](Result<std::unique_ptr<Cli::Environment>> env) -> Result<Side> {
        if (!env)
            return env.error();
        const auto snapshot = capture(*env.value());
        if (!snapshot)
            return snapshot.error();
        return Side {tr("%1 (live)").arg(env.value()->label()), snapshot.value().records};
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
    return Side {operand, snapshot.value().records};
}

QString minutesText(const std::optional<ChannelStateConfig> &c)
{
    return c ? Duration::format(c->minutes) : u"—"_s;
}

QJsonValue sideJson(const std::optional<ChannelStateConfig> &c)
{
    if (!c)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject {{u"id"_s, c->id},
                        {u"name"_s, c->name},
                        {u"minutes"_s, c->minutes ? QJsonValue(*c->minutes) : QJsonValue(QJsonValue::Null)}};
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
              "--profile or --url) or profile:NAME. Exit 1 when they differ.");
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
    const SnapshotDiff diff = SnapshotDiff::compare(left.value().records, right.value().records);
    using Kind = SnapshotDiff::Kind;
    if (format == u"json"_s) {
        QJsonArray differences;
        for (const SnapshotDiff::Entry &e : diff.entries) {
            if (e.kind == Kind::Same)
                continue;
            const ChannelStateConfig &r = e.record();
            differences.append(QJsonObject {
                {u"kind"_s, SnapshotDiff::kindName(e.kind)},
                {u"matchedBy"_s,
                 e.matchedBy == SnapshotDiff::MatchedBy::Id               ? u"id"_s
                     : e.matchedBy == SnapshotDiff::MatchedBy::NaturalKey ? u"channel-state"_s
                                                                          : QString()},
                {u"channel"_s, r.streamSource ? QJsonValue(*r.streamSource) : QJsonValue(QJsonValue::Null)},
                {u"channelConfiguration"_s, r.channelName},
                {u"state"_s, r.state},
                {u"left"_s, sideJson(e.left)},
                {u"right"_s, sideJson(e.right)},
            });
        }
        QJsonObject counts;
        for (Kind kind : {Kind::Same, Kind::Changed, Kind::OnlyLeft, Kind::OnlyRight, Kind::Ambiguous})
            counts.insert(SnapshotDiff::kindName(kind), double(diff.count(kind)));
        out << QString::fromUtf8(QJsonDocument(QJsonObject {{u"left"_s, left.value().label},
                                                            {u"right"_s, right.value().label},
                                                            {u"counts"_s, counts},
                                                            {u"differences"_s, differences}})
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
        out << '\n'
            << tr("%1 changed, %2 only left, %3 only right, %4 ambiguous; %5 the same.")
                   .arg(diff.count(Kind::Changed))
                   .arg(diff.count(Kind::OnlyLeft))
                   .arg(diff.count(Kind::OnlyRight))
                   .arg(diff.count(Kind::Ambiguous))
                   .arg(diff.count(Kind::Same))
            << '\n';
        if (diff.count(Kind::Ambiguous))
            out << tr("Ambiguous records share their channel configuration, channel and state with another record "
                      "and have no id on the other side, so which pairs with which is not known. Compare snapshots "
                      "that carry ids, or remove the duplicate.")
                << '\n';
    }
    return diff.hasDifferences() ? Cli::Differences : Cli::Ok;
}

} // namespace CliSnapshot
