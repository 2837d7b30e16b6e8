#include "app/cli/CliSet.h"

#include "app/cli/Cli.h"
#include "app/cli/CliEnvironment.h"
#include "app/common/Version.h"
#include "app/platform/Platform.h"
#include "app/session/EditSession.h"
#include "models/Duration.h"
#include "models/EditRisks.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <limits>

using namespace Qt::StringLiterals;

namespace Cli {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliSet", text);
}

bool stdinIsTerminal()
{
    return Platform::isTerminal(stdin);
}

// A range's end for messages (the metadata could report one past what a value can hold).
QString formatEnd(qint64 minutes)
{
    return Duration::format(int(std::clamp<qint64>(minutes, 0, std::numeric_limits<int>::max())));
}

// A value as people read it: an empty inactivity is not set (the column is required), an empty block is taken for
// "Always block" (UNCONFIRMED, docs/dataverse-tables.md), an empty channel-state value is never.
QString shown(TimerSetting setting, std::optional<int> minutes)
{
    if (!minutes && setting == TimerSetting::Inactivity)
        return tr("not set");
    if (!minutes && setting == TimerSetting::WrapUpBlock)
        return tr("always block");
    return Duration::format(minutes);
}

// The value the command line names, as the environment holds it now.
struct Target
{
    ValueRef ref;
    QString name; // the record's msdyn_name
    QString etag; // the version read: the save's If-Match
    std::optional<int> current;
    std::optional<ChannelStateConfig> config; // a channel-state value's record
    // How the result lines name it: "Live chat · Open" and the record's name; "SMS support · Auto-close after
    // inactivity" alone.
    QString where;
    QString recordName;
};

Target targetOf(const ValueRef &ref, const QList<ChannelStateConfig> &configs, const QList<Workstream> &workstreams)
{
    Target t;
    t.ref = ref;
    if (ref.setting == TimerSetting::ChannelState) {
        for (const ChannelStateConfig &c : configs) {
            if (c.id == ref.id) {
                t.name = c.name;
                t.etag = c.etag;
                t.current = c.minutes;
                t.config = c;
                t.where = c.channelLabel() + u" · " + conversationStateLabel(c.state);
                t.recordName = c.name;
            }
        }
        return t;
    }
    for (const Workstream &w : workstreams) {
        if (w.id == ref.id) {
            t.name = w.name;
            t.etag = w.etag;
            t.current = ref.setting == TimerSetting::WrapUpBlock ? w.wrapUpBlockMinutes : w.inactivityMinutes;
            t.where = w.name + u" · " + TimerSettings::label(ref.setting);
        }
    }
    return t;
}

void printPlan(const Target &target, std::optional<int> minutes, const QString &environment, QTextStream &out)
{
    const TimerSetting setting = target.ref.setting;
    const QString change = shown(setting, target.current) + u" → " + shown(setting, minutes);
    out << tr("Plan for %1:").arg(environment) << '\n';
    if (target.config) {
        const ChannelStateConfig &c = *target.config;
        out << formatColumns({tr("CHANNEL"), tr("STATE"), tr("CHANGE"), tr("NAME")},
                             {{c.channelLabel(), conversationStateLabel(c.state), change, c.name}});
    } else {
        out << formatColumns({tr("WORKSTREAM"), tr("SETTING"), tr("CHANGE")},
                             {{target.name, TimerSettings::label(setting), change}});
    }
    // Flagged, never refused: an admin may have a reason (the window flags the same values).
    const QList<EditRisk> risks =
        target.config ? EditRisks::assess(*target.config, minutes) : EditRisks::assessWorkstream(setting, minutes);
    for (const EditRisk &risk : risks)
        out << tr("Risky: %1").arg(risk.message) << '\n';
}

bool confirm(const Environment &env, const Target &target, std::optional<int> minutes, QTextStream &out)
{
    const QString value = shown(target.ref.setting, minutes);
    out << (env.isProduction() ? tr("Set %1 to %2 in %3, a PRODUCTION environment? Type yes to go on: ")
                               : tr("Set %1 to %2 in %3? Type yes to go on: "))
               .arg(target.where, value, env.label());
    out.flush();
    QTextStream in(stdin);
    return in.readLine().trimmed().compare(u"yes"_s, Qt::CaseInsensitive) == 0;
}

struct Request
{
    QString nameOrId;
    QString value; // as typed
    std::optional<int> parsed; // without the column's range yet
    std::optional<TimerSetting> setting; // --setting
    bool dryRun = false;
    bool yes = false;
};

// Reads what set needs, checks the value, shows the plan, asks, and saves. Nothing is written before every check
// has passed.
int setValue(Environment &env, const Request &request, QTextStream &out, QTextStream &err)
{
    DataverseClient *client = env.client();
    const auto configs = wait<QList<ChannelStateConfig>>(
        [client](QObject *context, auto done) { client->fetchConfigurations(context, std::move(done)); });
    if (!configs)
        return fail(err, configs.error());
    const auto identity = wait<WebApiReply::Identity>(
        [client](QObject *context, auto done) { client->whoAmI(context, std::move(done)); });
    if (!identity)
        return fail(err, identity.error());
    // Both tables, whatever --setting says: a name given with the wrong one is then told which fits.
    const auto workstreamsRead = wait<QList<Workstream>>(
        [client](QObject *context, auto done) { client->fetchWorkstreams(context, std::move(done)); });
    if (!workstreamsRead)
        return fail(err, workstreamsRead.error());
    const QList<Workstream> &workstreams = workstreamsRead.value();
    const auto ref = resolveValue(configs.value(), workstreams, request.nameOrId, request.setting);
    if (!ref)
        return fail(err, ref.error());
    const Target target = targetOf(ref.value(), configs.value(), workstreams);

    if (!request.parsed && !TimerSettings::allowsEmpty(target.ref.setting))
        return fail(err,
                    Error::badInput(tr("set %1: %2 is required, so it cannot be never; give a time (45, 2h, "
                                       "1d 12h). It is %3 now.")
                                        .arg(request.value, target.where, shown(target.ref.setting, target.current))));
    // The column's range as the environment reports it (docs/web-api.md). The write checks it again (as apply
    // does), so a range that cannot be read stops here, before anything is planned or sent.
    const auto reported = wait<WebApiReply::ColumnRange>([client, &target](QObject *context, auto done) {
        client->fetchRange(target.ref.setting, context, std::move(done));
    });
    if (!reported) {
        Error e = reported.error();
        e.userMessage = tr("Nothing was applied: the range of %1 could not be read from the environment's metadata, "
                           "so the value cannot be checked. %2")
                            .arg(TimerSettings::column(target.ref.setting), e.userMessage);
        return fail(err, e);
    }
    const Duration::Range range {reported.value().minValue, reported.value().maxValue};
    const QString rangeSource = tr("the column's range in the environment's metadata");
    const auto minutes = Duration::parse(request.value, range);
    if (!minutes)
        return fail(err,
                    Error::badInput(tr("set %1: %2 %3 takes %4 to %5 (%6).")
                                        .arg(request.value, minutes.error().userMessage, target.where,
                                             formatEnd(range.min), formatEnd(range.max), rangeSource)));
    if (minutes.value() == target.current) {
        out << tr("Nothing to apply: %1 already holds %2.").arg(target.where, shown(target.ref.setting, target.current))
            << '\n';
        return Ok;
    }

    printPlan(target, minutes.value(), env.label(), out);
    if (request.dryRun) {
        out << tr("Dry run: 1 change planned, nothing was changed.") << '\n';
        return Ok;
    }
    if (!request.yes) {
        if (!stdinIsTerminal())
            return usage(err,
                         tr("Not applied: confirm with --yes (no terminal to ask on), or look first with "
                            "--dry-run."));
        if (!confirm(env, target, minutes.value(), out)) {
            out << tr("Not applied.") << '\n';
            return Ok;
        }
    }

    // Like apply: the environment as it was is kept in a "before apply" snapshot first (nothing is sent when it
    // cannot be), then the one change goes through the edit session with If-Match and into the audit log.
    Snapshot before;
    before.environmentUrl = client->orgUrl().toString();
    before.organizationId = identity.value().organizationId;
    before.exportedAt = QDateTime::currentDateTimeUtc();
    before.toolVersion = Version::product();
    before.records = configs.value();
    before.workstreams = workstreams;
    before.normalize();
    ApplyPlan plan;
    if (target.ref.setting == TimerSetting::ChannelState) {
        plan.changes << ApplyPlan::Change {*target.config, minutes.value()};
    } else {
        const auto live = std::find_if(workstreams.cbegin(), workstreams.cend(),
                                       [&target](const Workstream &w) { return w.id == target.ref.id; });
        plan.workstreamChanges << ApplyPlan::WorkstreamChange {*live, target.ref.setting, minutes.value()};
    }
    EditSession session(client, {env.user(), {}});
    session.setIdentity(identity.value().organizationId, identity.value().userId);
    const auto applied = wait<EditSession::Outcome>([&session, &plan, &before](QObject *context, auto done) {
        session.apply(plan, before, u"set"_s, context, std::move(done));
    });
    if (!applied)
        return fail(err, applied.error());
    const EditSession::Outcome &o = applied.value();
    if (!o.beforeSnapshot.isEmpty())
        out << tr("%1 as it was before: %2").arg(env.label(), o.beforeSnapshot) << '\n';
    const WriteResult result = o.results.value(0);
    const QString line = target.where + u"  "_s + shown(target.ref.setting, target.current) + u" → "_s +
        shown(target.ref.setting, minutes.value()) +
        (target.recordName.isEmpty() ? QString() : u"  "_s + target.recordName);
    switch (result.outcome) {
    case WriteResult::Outcome::Saved:
        out << tr("saved      %1").arg(line)
            << (result.confirmedByReading ? tr(" (its reply was lost; read back to confirm)") : QString()) << '\n';
        break;
    case WriteResult::Outcome::Failed:
        out << tr("FAILED     %1: %2").arg(line, result.error.userMessage) << '\n';
        break;
    case WriteResult::Outcome::NotSaved:
        out << tr("not saved  %1: %2")
                   .arg(line, result.error.userMessage.isEmpty() ? tr("not sent") : result.error.userMessage)
            << '\n';
        break;
    }
    if (!o.auditProblem.isEmpty())
        err << "autoclose-cli: " << tr("warning: ") << o.auditProblem << '\n';
    if (o.allSaved() && !o.results.isEmpty()) {
        out << tr("1 change applied.") << '\n';
        return Ok;
    }
    const auto quoted = [](const QString &text) -> QString {
        return u'"' + text + u'"';
    };
    QString retry =
        u"autoclose-cli %1 set %2 %3"_s.arg(env.commandLineOptions(), quoted(request.nameOrId), quoted(request.value));
    if (target.ref.setting != TimerSetting::ChannelState)
        retry += u" --setting "_s + TimerSettings::name(target.ref.setting);
    err << "autoclose-cli: " << tr("Not applied; the line above says why. To set it once that is dealt with:") << '\n'
        << "  " << retry << " --yes\n";
    const auto error = o.firstError();
    return error ? exitCodeFor(*error) : int(ServiceFailed);
}
} // namespace

SetCommand::SetCommand(const GlobalOptions &global)
    : SnapshotCommand(u"set"_s, global)
{
    // (QCoreApplication::translate, not tr: lupdate would file tr() here under "Cli::SetCommand".)
    m_setting.setDescription(QCoreApplication::translate(
        "CliSet",
        "set: which value of the record: channel-state (a configuration's), or a workstream's inactivity (the "
        "default for a workstream) or wrap-up-block."));
}

QString SetCommand::syntax() const
{
    return tr("NAME_OR_ID VALUE [--setting inactivity|wrap-up-block|channel-state]\n"
              "[--dry-run] [--yes]");
}

QString SetCommand::description() const
{
    return tr("Change one value (45, 2h, 1d 12h, never) of a channel-state\n"
              "configuration or a workstream (its auto-close after inactivity,\n"
              "or with --setting wrap-up-block its block capacity for wrap-up),\n"
              "checked against the column's range and against the version read\n"
              "(If-Match).");
}

QList<OptionGroup> SetCommand::options() const
{
    return QList<OptionGroup> {{m_setting}, {m_options.dryRun, m_options.yes}} + m_global.environment();
}

int SetCommand::run(const Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const QStringList &positional = call.positional;
    const OpenLive open = openLive(call, err);
    if (positional.size() != 3)
        return usage(err,
                     tr("set takes a configuration or workstream and a value, as in 'autoclose-cli set \"Live Chat - "
                        "Open\" 45min' or 'autoclose-cli set \"SMS support\" 2d'."));
    Request request;
    request.nameOrId = positional.at(1);
    request.value = positional.at(2);
    request.dryRun = parser.isSet(m_options.dryRun);
    request.yes = parser.isSet(m_options.yes);
    const auto setting = parseSetting(parser.value(m_setting));
    if (!setting)
        return usage(err, setting.error().userMessage);
    request.setting = setting.value();
    // The value is read before anything is asked of the environment; its range is checked once the column's is known.
    const auto parsed = Duration::parse(request.value);
    if (!parsed)
        return usage(err, tr("set %1: %2").arg(request.value, parsed.error().userMessage));
    request.parsed = parsed.value();
    if (!request.parsed && request.setting && !TimerSettings::allowsEmpty(*request.setting))
        return usage(err,
                     tr("set never: a workstream's auto-close after inactivity is required, so it cannot be "
                        "never; give a time (45, 2h, 1d 12h)."));
    auto env = open({});
    if (!env)
        return openFailed(err, env.error());
    return setValue(*env.value(), request, out, err);
}

} // namespace Cli
