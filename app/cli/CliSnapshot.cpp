#include "app/cli/CliSnapshot.h"

#include "app/cli/Cli.h"
#include "app/session/EditSession.h"
#include "app/snapshot/SnapshotFiles.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/Duration.h"
#include "models/SnapshotDiff.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace CliSnapshot {
namespace {
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("CliSnapshot", text, disambiguation, n);
}

using Cli::fail;
using Cli::usage;

bool stdinIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stdin));
#else
    return isatty(fileno(stdin));
#endif
}

QString where(const ChannelStateConfig &c)
{
    return c.channelLabel() + u" · " + conversationStateLabel(c.state);
}

Result<Snapshot> capture(Cli::Environment &env)
{
    return Cli::wait<Snapshot>(
        [&](QObject *context, auto done) { SnapshotOps::capture(env.client(), context, std::move(done)); });
}

// The environment the command line names, signed in, and what it holds now.
struct Live
{
    std::unique_ptr<Cli::Environment> env;
    Snapshot snapshot;
};

Result<Live> readLive(const OpenLive &openLive)
{
    auto env = openLive({});
    if (!env)
        return env.error();
    auto snapshot = capture(*env.value());
    if (!snapshot)
        return snapshot.error();
    return Live {std::move(env).value(), std::move(snapshot).value()};
}

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

int runDiff(const QStringList &positional, const QString &format, const OpenLive &openLive, QTextStream &out,
            QTextStream &err)
{
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

int runExport(const QCommandLineParser &parser, const Options &options, const QStringList &positional,
              const QString &format, const OpenLive &openLive, QTextStream &out, QTextStream &err)
{
    if (positional.size() > 1)
        return usage(err,
                     tr("export takes no operands, but got '%1'; write to a file with -o FILE.").arg(positional.at(1)));
    const auto live = readLive(openLive);
    if (!live)
        return fail(err, live.error());
    const Snapshot &snapshot = live.value().snapshot;
    const QByteArray bytes = format == u"csv"_s ? snapshot.toCsv() : snapshot.toJson();
    if (!parser.isSet(options.output)) {
        out << QString::fromUtf8(bytes);
        return Cli::Ok;
    }
    const QString path = parser.value(options.output);
    const auto written = SnapshotFiles::writeAtomically(path, bytes);
    if (!written)
        return fail(err, written.error());
    err << "autoclose-cli: " << tr("%n record(s) written to %1", nullptr, int(snapshot.records.size())).arg(path)
        << '\n';
    return Cli::Ok;
}

void printPlan(const ApplyPlan &plan, QTextStream &out)
{
    QList<QStringList> rows;
    for (const ApplyPlan::Change &c : plan.changes)
        rows << QStringList {c.current.channelLabel(), conversationStateLabel(c.current.state),
                             Duration::format(c.current.minutes) + u" → " + Duration::format(c.minutes),
                             c.current.name};
    if (!rows.isEmpty())
        out << Cli::formatColumns({tr("CHANNEL"), tr("STATE"), tr("CHANGE"), tr("NAME")}, rows);
}

bool confirm(const Cli::Environment &env, qsizetype changes, QTextStream &out)
{
    out << (env.isProduction()
                ? tr("Apply %n change(s) to %1, a PRODUCTION environment? Type yes to go on: ", nullptr, int(changes))
                : tr("Apply %n change(s) to %1? Type yes to go on: ", nullptr, int(changes)))
               .arg(env.label());
    out.flush();
    QTextStream in(stdin);
    return in.readLine().trimmed().compare(u"yes"_s, Qt::CaseInsensitive) == 0;
}

// Shows the plan, asks (unless --yes or --dry-run), applies it and reports each record. retry is the command line
// that applies what is left after a failure.
int applyPlan(Cli::Environment &env, const Snapshot &live, const ApplyPlan &plan, const QString &source, bool dryRun,
              bool yes, const QString &retry, QTextStream &out, QTextStream &err)
{
    if (!plan.ambiguous.isEmpty()) {
        err << "autoclose-cli: "
            << tr("Nothing was applied: these records cannot be matched with certainty (they share a channel "
                  "configuration, channel and state with another and have no matching id):")
            << '\n';
        for (const SnapshotDiff::Entry &e : plan.ambiguous)
            err << "  " << (e.left ? tr("snapshot: ") : tr("environment: ")) << where(e.record()) << "  "
                << e.record().name << "  " << e.record().id << '\n';
        return Cli::Usage;
    }
    for (const ChannelStateConfig &c : plan.notInEnvironment)
        err << "autoclose-cli: "
            << tr("warning: %1 (%2) is in the snapshot but not in %3; it is left out (records are not created).")
                   .arg(c.name, where(c), env.label())
            << '\n';
    if (plan.isEmpty()) {
        out << tr("Nothing to apply: %1 already holds these values.").arg(env.label()) << '\n';
        return Cli::Ok;
    }
    out << tr("Plan for %1:").arg(env.label()) << '\n';
    printPlan(plan, out);
    if (dryRun) {
        out << tr("Dry run: %n change(s) planned, nothing was changed.", nullptr, int(plan.changes.size())) << '\n';
        return Cli::Ok;
    }
    if (!yes) {
        if (!stdinIsTerminal())
            return usage(err,
                         tr("Not applied: confirm with --yes (no terminal to ask on), or look first with "
                            "--dry-run."));
        if (!confirm(env, plan.changes.size(), out)) {
            out << tr("Not applied.") << '\n';
            return Cli::Ok;
        }
    }
    EditSession session(env.client(), {env.user(), {}, {}});
    const auto outcome = Cli::wait<EditSession::Outcome>(
        [&](QObject *context, auto done) { session.apply(plan, live, source, context, std::move(done)); });
    if (!outcome)
        return fail(err, outcome.error());
    const EditSession::Outcome &o = outcome.value();
    for (qsizetype i = 0; i < o.results.size(); ++i) {
        const WriteResult &r = o.results.at(i);
        const ApplyPlan::Change &c = plan.changes.at(i);
        const QString change = Duration::format(c.current.minutes) + u" → " + Duration::format(c.minutes);
        switch (r.outcome) {
        case WriteResult::Outcome::Saved:
            out << tr("saved      %1  %2  %3").arg(where(c.current), change, c.current.name)
                << (r.confirmedByReading ? tr(" (its reply was lost; read back to confirm)") : QString()) << '\n';
            break;
        case WriteResult::Outcome::Failed:
            out << tr("FAILED     %1  %2  %3: %4").arg(where(c.current), change, c.current.name, r.error.userMessage)
                << '\n';
            break;
        case WriteResult::Outcome::NotSaved:
            out << tr("not saved  %1  %2  %3: %4")
                       .arg(where(c.current), change, c.current.name,
                            r.error.userMessage.isEmpty() ? tr("not sent") : r.error.userMessage)
                << '\n';
            break;
        }
    }
    out << tr("%1 as it was before: %2").arg(env.label(), o.beforeSnapshot) << '\n';
    if (!o.auditProblem.isEmpty())
        err << "autoclose-cli: " << tr("warning: ") << o.auditProblem << '\n';
    if (o.allSaved()) {
        out << tr("%n change(s) applied.", nullptr, int(o.results.size())) << '\n';
        return Cli::Ok;
    }
    const qsizetype saved = o.count(WriteResult::Outcome::Saved);
    err << "autoclose-cli: "
        << tr("Applied: %1; not applied: %2. The lines above say why. To apply the rest once that is dealt with "
              "(values already applied are not sent again):")
               .arg(saved)
               .arg(o.results.size() - saved)
        << '\n'
        << "  " << retry << '\n';
    const auto error = o.firstError();
    return error ? Cli::exitCodeFor(*error) : int(Cli::ServiceFailed);
}

int runApply(const QCommandLineParser &parser, const Options &options, const QStringList &positional,
             const OpenLive &openLive, QTextStream &out, QTextStream &err)
{
    if (positional.size() != 2)
        return usage(err,
                     tr("apply takes one snapshot file, as in 'autoclose-cli apply production.json "
                        "--dry-run'."));
    const QString path = positional.at(1);
    const auto desired = SnapshotFiles::read(path);
    if (!desired)
        return fail(err, desired.error());
    const auto live = readLive(openLive);
    if (!live)
        return fail(err, live.error());
    const Snapshot &now = live.value().snapshot;
    if (!desired.value().environmentUrl.isEmpty() && desired.value().environmentUrl != now.environmentUrl)
        out << tr("The snapshot was taken from %1; applying it to %2.")
                   .arg(desired.value().environmentUrl, now.environmentUrl)
            << '\n';
    const ApplyPlan plan = ApplyPlan::from(SnapshotDiff::compare(desired.value().records, now.records));
    const QString retry = u"autoclose-cli %1 apply %2 --yes"_s.arg(live.value().env->commandLineOptions(),
                                                                   path.contains(u' ') ? u'"' + path + u'"' : path);
    return applyPlan(*live.value().env, now, plan, u"apply "_s + path, parser.isSet(options.dryRun),
                     parser.isSet(options.yes), retry, out, err);
}

int runSet(const QCommandLineParser &parser, const Options &options, const QStringList &positional,
           const OpenLive &openLive, QTextStream &out, QTextStream &err)
{
    if (positional.size() != 3)
        return usage(err,
                     tr("set takes a configuration and a value, as in 'autoclose-cli set \"Live Chat - Open\" "
                        "45min'."));
    const auto minutes = Duration::parse(positional.at(2));
    if (!minutes)
        return usage(err, tr("set %1: %2").arg(positional.at(2), minutes.error().userMessage));
    const auto live = readLive(openLive);
    if (!live)
        return fail(err, live.error());
    const Snapshot &now = live.value().snapshot;
    const auto id = Cli::resolveConfiguration(now.records, positional.at(1));
    if (!id)
        return fail(err, id.error());
    ApplyPlan plan;
    for (const ChannelStateConfig &c : now.records)
        if (c.id == id.value() && c.minutes != minutes.value())
            plan.changes << ApplyPlan::Change {c, minutes.value()};
    const QString retry = u"autoclose-cli %1 set \"%2\" \"%3\" --yes"_s.arg(live.value().env->commandLineOptions(),
                                                                            positional.at(1), positional.at(2));
    return applyPlan(*live.value().env, now, plan, u"set"_s, parser.isSet(options.dryRun), parser.isSet(options.yes),
                     retry, out, err);
}
} // namespace

Options::Options()
{
    // (QCoreApplication::translate, not tr: lupdate would file tr() here under "CliSnapshot::Options".)
    output.setDescription(
        QCoreApplication::translate("CliSnapshot", "export: write to FILE (atomically) instead of standard output."));
    dryRun.setDescription(QCoreApplication::translate("CliSnapshot", "set, apply: show the plan and change nothing."));
    yes.setDescription(QCoreApplication::translate("CliSnapshot", "set, apply: apply without asking."));
}

QList<QCommandLineOption> Options::all() const
{
    return {output, dryRun, yes};
}

bool isSnapshotCommand(const QString &command)
{
    return command == u"export"_s || command == u"diff"_s || command == u"set"_s || command == u"apply"_s;
}

int run(const QCommandLineParser &parser, const Options &options, const QStringList &positional, const QString &format,
        const OpenLive &openLive, QTextStream &out, QTextStream &err)
{
    const QString command = positional.constFirst();
    if (parser.isSet(options.output) && command != u"export"_s)
        return usage(err, tr("-o goes with export."));
    if ((parser.isSet(options.dryRun) || parser.isSet(options.yes)) && command != u"set"_s && command != u"apply"_s)
        return usage(err, tr("--dry-run and --yes go with set and apply."));
    if (command == u"export"_s)
        return runExport(parser, options, positional, format, openLive, out, err);
    if (command == u"diff"_s)
        return runDiff(positional, format, openLive, out, err);
    if (command == u"set"_s)
        return runSet(parser, options, positional, openLive, out, err);
    return runApply(parser, options, positional, openLive, out, err);
}

} // namespace CliSnapshot
