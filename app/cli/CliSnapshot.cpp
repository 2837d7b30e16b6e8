#include "app/cli/CliSnapshot.h"

#include "app/cli/Cli.h"
#include "app/platform/Platform.h"
#include "app/session/EditSession.h"
#include "app/snapshot/SnapshotFiles.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/Duration.h"
#include "models/SnapshotDiff.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

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
    return Platform::isTerminal(stdin);
}

QString where(const ChannelStateConfig &c)
{
    return c.channelLabel() + u" · " + conversationStateLabel(c.state);
}

} // namespace

Result<Snapshot> capture(Cli::Environment &env)
{
    return Cli::wait<Snapshot>(
        [&](QObject *context, auto done) { SnapshotOps::capture(env.client(), context, std::move(done)); });
}

namespace {
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

} // namespace

int ExportCommand::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const Options &options = m_options;
    const QStringList &positional = call.positional;
    const QString format = parser.isSet(m_global.format) ? parser.value(m_global.format) : u"json"_s;
    if (format != u"json"_s && format != u"csv"_s)
        return usage(err, tr("--format must be json or csv for export, not '%1'.").arg(format));
    const OpenLive openLive = Cli::openLive(call, err);
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
    err << "autoclose-cli: "
        << tr("%1 and %2 written to %3")
               .arg(tr("%n record(s)", nullptr, int(snapshot.records.size())),
                    tr("%n workstream(s)", nullptr, int(snapshot.workstreams.size())), path)
        << '\n';
    return Cli::Ok;
}

namespace {
QString change(const ApplyPlan::Item &item)
{
    return SnapshotDiff::format(item.setting, item.before) + u" → " + SnapshotDiff::format(item.setting, item.after);
}

// Both tables' values, old → new: a record's channel and state, a workstream's channel and setting.
void printPlan(const ApplyPlan &plan, QTextStream &out)
{
    QList<QStringList> rows;
    for (const ApplyPlan::Item &item : plan.items())
        rows << QStringList {item.table, item.channel, item.stateOrSetting, change(item), item.name};
    if (!rows.isEmpty())
        out << Cli::formatColumns({tr("TABLE"), tr("CHANNEL"), tr("STATE OR SETTING"), tr("CHANGE"), tr("NAME")}, rows);
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
    const QStringList refusals = plan.workstreamRefusals();
    if (!refusals.isEmpty()) {
        err << "autoclose-cli: " << tr("Nothing was applied:") << '\n';
        for (const QString &refusal : refusals)
            err << "  " << refusal << '\n';
        return Cli::Usage;
    }
    for (const ChannelStateConfig &c : plan.notInEnvironment)
        err << "autoclose-cli: "
            << tr("warning: %1 (%2) is in the snapshot but not in %3; it is left out (records are not created).")
                   .arg(c.name, where(c), env.label())
            << '\n';
    if (plan.workstreamsLeftAlone)
        out << tr("The snapshot is a version 1 file: it says nothing about workstreams, so those of %1 are left as "
                  "they are.")
                   .arg(env.label())
            << '\n';
    if (plan.isEmpty()) {
        out << tr("Nothing to apply: %1 already holds these values.").arg(env.label()) << '\n';
        return Cli::Ok;
    }
    // Each value against the range the environment's metadata gives, before the plan is shown (a dry run says it
    // too); EditSession::apply checks again before sending.
    const auto inRange = Cli::wait<Done>(
        [&](QObject *context, auto done) { SnapshotOps::checkRanges(env.client(), plan, context, std::move(done)); });
    if (!inRange)
        return fail(err, inRange.error());
    out << tr("Plan for %1:").arg(env.label()) << '\n';
    printPlan(plan, out);
    if (!plan.workstreamChanges.isEmpty())
        out << SnapshotDiff::workstreamUnitAssumption() << '\n';
    if (dryRun) {
        out << tr("Dry run: %n change(s) planned, nothing was changed.", nullptr, int(plan.size())) << '\n';
        return Cli::Ok;
    }
    if (!yes) {
        if (!stdinIsTerminal())
            return usage(err,
                         tr("Not applied: confirm with --yes (no terminal to ask on), or look first with "
                            "--dry-run."));
        if (!confirm(env, plan.size(), out)) {
            out << tr("Not applied.") << '\n';
            return Cli::Ok;
        }
    }
    EditSession session(env.client(), {env.user(), {}});
    const auto outcome = Cli::wait<EditSession::Outcome>(
        [&](QObject *context, auto done) { session.apply(plan, live, source, context, std::move(done)); });
    if (!outcome)
        return fail(err, outcome.error());
    const EditSession::Outcome &o = outcome.value();
    const QList<ApplyPlan::Item> items = plan.items(); // in the order of the results
    for (qsizetype i = 0; i < o.results.size() && i < items.size(); ++i) {
        const WriteResult &r = o.results.at(i);
        const ApplyPlan::Item &c = items.at(i);
        switch (r.outcome) {
        case WriteResult::Outcome::Saved:
            out << tr("saved      %1  %2  %3").arg(c.where, change(c), c.name)
                << (r.confirmedByReading ? tr(" (its reply was lost; read back to confirm)") : QString()) << '\n';
            break;
        case WriteResult::Outcome::Failed:
            out << tr("FAILED     %1  %2  %3: %4").arg(c.where, change(c), c.name, r.error.userMessage) << '\n';
            break;
        case WriteResult::Outcome::NotSaved:
            out << tr("not saved  %1  %2  %3: %4")
                       .arg(c.where, change(c), c.name,
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
} // namespace

int ApplyCommand::run(const Cli::Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const Options &options = m_options;
    const QStringList &positional = call.positional;
    const OpenLive openLive = Cli::openLive(call, err);
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
    const ApplyPlan plan = ApplyPlan::from(SnapshotDiff::compare(desired.value(), now));
    const QString retry = u"autoclose-cli %1 apply %2 --yes"_s.arg(live.value().env->commandLineOptions(),
                                                                   path.contains(u' ') ? u'"' + path + u'"' : path);
    return applyPlan(*live.value().env, now, plan, u"apply "_s + path, parser.isSet(options.dryRun),
                     parser.isSet(options.yes), retry, out, err);
}

Options::Options()
{
    // (QCoreApplication::translate, not tr: lupdate would file tr() here under "CliSnapshot::Options".)
    output.setDescription(
        QCoreApplication::translate("CliSnapshot", "export: write to FILE (atomically) instead of standard output."));
    dryRun.setDescription(QCoreApplication::translate("CliSnapshot", "set, apply: show the plan and change nothing."));
    yes.setDescription(QCoreApplication::translate("CliSnapshot", "set, apply: apply without asking."));
}

SnapshotCommand::SnapshotCommand(QString name, const Cli::GlobalOptions &global)
    : Command(std::move(name))
    , m_global(global)
{ }

QList<Cli::OptionGroup> SnapshotCommand::familyOptions() const
{
    return {{m_options.output}, {m_options.dryRun, m_options.yes}};
}

ExportCommand::ExportCommand(const Cli::GlobalOptions &global)
    : SnapshotCommand(u"export"_s, global)
{ }

QString ExportCommand::syntax() const
{
    return tr("[-o FILE] [--format json|csv]");
}

QString ExportCommand::description() const
{
    return tr("A snapshot of the environment (stdout without -o; the file is\n"
              "written whole or not at all).");
}

QList<Cli::OptionGroup> ExportCommand::options() const
{
    return QList<Cli::OptionGroup> {{m_options.output}, {m_global.format}} + m_global.environment();
}

ApplyCommand::ApplyCommand(const Cli::GlobalOptions &global)
    : SnapshotCommand(u"apply"_s, global)
{ }

QString ApplyCommand::syntax() const
{
    return tr("FILE [--dry-run] [--yes]");
}

QString ApplyCommand::description() const
{
    return tr("Make the environment hold a snapshot's values (channel states and,\n"
              "from a version 2 file, workstreams): shows the plan (old -> new),\n"
              "keeps a snapshot of the environment first, then saves all changes\n"
              "in one all-or-nothing batch. Asks first unless --yes.");
}

QList<Cli::OptionGroup> ApplyCommand::options() const
{
    return QList<Cli::OptionGroup> {{m_options.dryRun, m_options.yes}} + m_global.environment();
}

} // namespace CliSnapshot
