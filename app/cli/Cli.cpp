#include "app/cli/Cli.h"

#include "app/cli/CommandTable.h"
#include "app/common/Version.h"
#include "app/dataverse/DataverseClient.h"
#include "models/Duration.h"
#include "models/MicrosoftDefaults.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

// What --help says after the commands (the table writes those).
const char *const HelpEpilogue =
    QT_TRANSLATE_NOOP("Cli",
                      "Sign-in:\n"
                      "  --profile NAME uses a saved profile (login first for browser and device code; client\n"
                      "  secrets come from the keychain; env-token profiles read their variable). Or give\n"
                      "  --url with --access-token-env VAR, the access token in the environment variable VAR,\n"
                      "  never on the command line (where other users could see it in the process list).\n"
                      "  AUTOCLOSE_CONFIG_DIR moves where profiles are kept.\n"
                      "\n"
                      "The Demo environment (--profile \"Demo environment\") needs no sign-in: each command\n"
                      "starts autoclose-sandbox, installed beside autoclose-cli, on the data the window's Demo\n"
                      "environment shows (--demo-data-dir DIR for other data), and stops it when it ends.\n"
                      "\n"
                      "Applied changes are logged, one JSON line each, in the audit log (audit.jsonl in the\n"
                      "application's data folder), with the \"before apply\" snapshots beside it.\n"
                      "\n"
                      "Exit codes (the same for every command):\n"
                      "  0 success (diff: no differences)   1 differences found (diff)\n"
                      "  2 usage error or bad input (a flag, a value, a snapshot file)\n"
                      "  3 sign-in missing or refused (401/403)\n"
                      "  4 the environment or the network failed (no reply, 404, throttled, 5xx, a bad reply)\n"
                      "  5 conflict: a record changed since it was read (412); nothing was overwritten\n"
                      "  6 history: auditing is off for the environment, the table or the column, so the\n"
                      "    environment keeps no history of the value (a missing privilege to read it is 3)\n");

QString pad(const QString &text, qsizetype width)
{
    return text.leftJustified(width, u' ');
}

} // namespace

Result<QString> Cli::resolveConfiguration(const QList<ChannelStateConfig> &configs, const QString &nameOrId)
{
    QStringList byName;
    for (const ChannelStateConfig &c : configs) {
        if (c.id.compare(nameOrId, Qt::CaseInsensitive) == 0)
            return c.id;
        if (c.name == nameOrId)
            byName << c.id;
    }
    if (byName.size() == 1)
        return byName.first();
    QStringList candidates;
    for (const ChannelStateConfig &c : configs) {
        if (byName.contains(c.id) || (byName.isEmpty() && c.name.contains(nameOrId, Qt::CaseInsensitive)))
            candidates << u"  %1  %2"_s.arg(c.id, c.name);
    }
    if (!byName.isEmpty())
        return Error::badInput(
            QCoreApplication::translate("Cli", "%1: %2 configurations have that name; give one of their ids:\n%3")
                .arg(nameOrId)
                .arg(byName.size())
                .arg(candidates.join(u'\n')));
    return Error::badInput(
        candidates.isEmpty()
            ? QCoreApplication::translate("Cli",
                                          "%1: no configuration has that id or name; 'autoclose-cli list --format "
                                          "json' shows them.")
                  .arg(nameOrId)
            : QCoreApplication::translate("Cli", "%1: no configuration has exactly that id or name. Did you mean:\n%2")
                  .arg(nameOrId, candidates.join(u'\n')));
}

Result<std::optional<TimerSetting>> Cli::parseSetting(const QString &value)
{
    if (value.isEmpty())
        return std::optional<TimerSetting>();
    if (const auto setting = TimerSettings::fromName(value))
        return std::optional<TimerSetting>(*setting);
    return Error::badInput(
        QCoreApplication::translate("Cli", "--setting must be channel-state, inactivity or wrap-up-block, not '%1'.")
            .arg(value));
}

Result<ValueRef> Cli::resolveValue(const QList<ChannelStateConfig> &configs, const QList<Workstream> &workstreams,
                                   const QString &nameOrId, std::optional<TimerSetting> setting)
{
    // --setting says which table is meant: channel-state the configurations, inactivity and wrap-up-block the
    // workstreams; without it both are searched.
    const bool wantConfig = !setting || *setting == TimerSetting::ChannelState;
    const bool wantWorkstream = !setting || *setting != TimerSetting::ChannelState;
    QList<const ChannelStateConfig *> configById, configByName;
    QList<const Workstream *> workstreamById, workstreamByName;
    for (const ChannelStateConfig &c : configs) {
        if (c.id.compare(nameOrId, Qt::CaseInsensitive) == 0)
            configById << &c;
        else if (c.name == nameOrId)
            configByName << &c;
    }
    for (const Workstream &w : workstreams) {
        if (w.id.compare(nameOrId, Qt::CaseInsensitive) == 0)
            workstreamById << &w;
        else if (w.name == nameOrId)
            workstreamByName << &w;
    }
    // An id names one record: it wins over names.
    const bool byId = !configById.isEmpty() || !workstreamById.isEmpty();
    QList<const ChannelStateConfig *> matchedConfigs = byId ? configById : configByName;
    QList<const Workstream *> matchedWorkstreams = byId ? workstreamById : workstreamByName;
    // Only the table --setting leaves out has it: say which --setting fits.
    if (!wantWorkstream && matchedConfigs.isEmpty() && !matchedWorkstreams.isEmpty())
        return Error::badInput(
            QCoreApplication::translate(
                "Cli",
                "%1 is a workstream: --setting must be inactivity or wrap-up-block (or left out, for inactivity).")
                .arg(nameOrId));
    if (!wantConfig && matchedWorkstreams.isEmpty() && !matchedConfigs.isEmpty())
        return Error::badInput(QCoreApplication::translate(
                                   "Cli",
                                   "%1 is a channel-state configuration: --setting %2 is for workstreams; leave it "
                                   "out for a configuration.")
                                   .arg(nameOrId, TimerSettings::name(*setting)));
    if (!wantConfig)
        matchedConfigs.clear();
    if (!wantWorkstream)
        matchedWorkstreams.clear();

    const auto configLine = [](const ChannelStateConfig &c) -> QString {
        return u"  %1  %2"_s.arg(c.id, c.name);
    };
    const auto workstreamLine = [](const Workstream &w) -> QString {
        return u"  %1  %2  "_s.arg(w.id, w.name) + QCoreApplication::translate("Cli", "(workstream)");
    };
    const qsizetype found = matchedConfigs.size() + matchedWorkstreams.size();
    if (found == 1) {
        if (!matchedConfigs.isEmpty())
            return ValueRef {matchedConfigs.first()->id, TimerSetting::ChannelState};
        return ValueRef {matchedWorkstreams.first()->id, setting.value_or(TimerSetting::Inactivity)};
    }
    if (found > 1) {
        QStringList candidates;
        for (const ChannelStateConfig *c : std::as_const(matchedConfigs))
            candidates << configLine(*c);
        for (const Workstream *w : std::as_const(matchedWorkstreams))
            candidates << workstreamLine(*w);
        const QString which = matchedWorkstreams.isEmpty()
            ? QCoreApplication::translate("Cli", "%1: %2 configurations have that name; give one of their ids:\n%3")
            : matchedConfigs.isEmpty()
            ? QCoreApplication::translate("Cli", "%1: %2 workstreams have that name; give one of their ids:\n%3")
            : QCoreApplication::translate("Cli",
                                          "%1: %2 configurations and workstreams have that name; give the id of the "
                                          "one you mean:\n%3");
        return Error::badInput(which.arg(nameOrId).arg(found).arg(candidates.join(u'\n')));
    }

    // Nothing has exactly that id or name: offer those whose name contains it.
    QStringList candidates;
    if (wantConfig) {
        for (const ChannelStateConfig &c : configs)
            if (c.name.contains(nameOrId, Qt::CaseInsensitive))
                candidates << configLine(c);
    }
    if (wantWorkstream) {
        for (const Workstream &w : workstreams)
            if (w.name.contains(nameOrId, Qt::CaseInsensitive))
                candidates << workstreamLine(w);
    }
    if (!candidates.isEmpty()) {
        const QString which = !wantWorkstream
            ? QCoreApplication::translate("Cli", "%1: no configuration has exactly that id or name. Did you mean:\n%2")
            : !wantConfig
            ? QCoreApplication::translate("Cli", "%1: no workstream has exactly that id or name. Did you mean:\n%2")
            : QCoreApplication::translate(
                  "Cli", "%1: no configuration or workstream has exactly that id or name. Did you mean:\n%2");
        return Error::badInput(which.arg(nameOrId, candidates.join(u'\n')));
    }
    const QString which = !wantWorkstream
        ? QCoreApplication::translate("Cli",
                                      "%1: no configuration has that id or name; 'autoclose-cli list' shows them.")
        : !wantConfig
        ? QCoreApplication::translate(
              "Cli", "%1: no workstream has that id or name; 'autoclose-cli list --workstreams' shows them.")
        : QCoreApplication::translate(
              "Cli",
              "%1: no configuration has that id or name, and no workstream either; 'autoclose-cli "
              "list' shows the configurations, 'autoclose-cli list --workstreams' the workstreams.");
    return Error::badInput(which.arg(nameOrId));
}

Cli::ExitCode Cli::exitCodeFor(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Auth:
        return AuthFailed;
    case Error::Kind::Conflict:
        return Conflict;
    case Error::Kind::BadInput:
        return Usage;
    case Error::Kind::Network:
    case Error::Kind::Throttled:
    case Error::Kind::NotFound:
    case Error::Kind::Server:
    case Error::Kind::BadReply:
        break;
    }
    return ServiceFailed;
}

int Cli::fail(QTextStream &err, const Error &error)
{
    err << "autoclose-cli: " << error.describe() << '\n';
    return exitCodeFor(error);
}

int Cli::openFailed(QTextStream &err, const Error &error)
{
    return error.kind == Error::Kind::BadInput
        ? usage(err, error.userMessage)
        : (err << "autoclose-cli: " << error.describe() << '\n', int(exitCodeFor(error)));
}

int Cli::usage(QTextStream &err, const QString &message)
{
    err << "autoclose-cli: " << message << '\n'
        << QCoreApplication::translate("Cli", "Run 'autoclose-cli --help' for usage.") << '\n';
    return Usage;
}

QString Cli::formatColumns(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (qsizetype col = 0; col < headers.size(); ++col) {
        qsizetype w = headers.at(col).size();
        for (const QStringList &row : rows)
            w = std::max(w, row.at(col).size());
        widths << w;
    }
    const auto line = [&widths](const QStringList &cells) -> QString {
        QStringList padded;
        for (qsizetype col = 0; col < cells.size(); ++col)
            padded << (col + 1 == cells.size() ? cells.at(col) : pad(cells.at(col), widths.at(col)));
        return padded.join(u"  "_s) + u'\n';
    };
    QString text = line(headers);
    for (const QStringList &row : rows)
        text += line(row);
    return text;
}

QString Cli::formatTable(const QList<ChannelStateConfig> &configs)
{
    const QStringList headers = {tr("CHANNEL"), tr("STATE"), tr("AUTO-CLOSE"), tr("MINUTES"),
                                 tr("DEFAULT"), tr("NAME"),  tr("ID")};
    QList<QStringList> rows;
    for (const ChannelStateConfig &c : configs) {
        const auto def = MicrosoftDefaults::lookup(c.streamSource, c.state);
        rows << QStringList {c.channelLabel(),
                             conversationStateLabel(c.state),
                             Duration::format(c.minutes),
                             c.minutes ? QString::number(*c.minutes) : u"null"_s,
                             def ? Duration::format(def->minutes) : u"-"_s,
                             c.name,
                             c.id};
    }
    return formatColumns(headers, rows);
}

QByteArray Cli::formatJson(const QList<ChannelStateConfig> &configs)
{
    QJsonArray array;
    for (const ChannelStateConfig &c : configs) {
        array.append(QJsonObject {
            {u"id"_s, c.id},
            {u"name"_s, c.name},
            {u"channel"_s, c.streamSource ? QJsonValue(*c.streamSource) : QJsonValue(QJsonValue::Null)},
            {u"state"_s, c.state},
            {u"minutes"_s, c.minutes ? QJsonValue(*c.minutes) : QJsonValue(QJsonValue::Null)},
            {u"etag"_s, c.etag},
        });
    }
    return QJsonDocument(QJsonObject {{u"configurations"_s, array}}).toJson(QJsonDocument::Indented);
}

QString Cli::formatWorkstreamsTable(const QList<Workstream> &workstreams)
{
    const QStringList headers = {tr("WORKSTREAM"),    tr("CHANNEL"),  tr("INACTIVITY"),
                                 tr("WRAP-UP BLOCK"), tr("MODIFIED"), tr("ID")};
    QList<QStringList> rows;
    for (const Workstream &w : workstreams) {
        // Inactivity is required (docs/dataverse-tables.md): empty, it is not set rather than "never"; an empty
        // block is taken for the admin center's "Always block" (UNCONFIRMED), as the window shows it.
        rows << QStringList {w.name,
                             w.streamSource ? StreamSource::label(*w.streamSource) : u"-"_s,
                             w.inactivityMinutes ? Duration::format(w.inactivityMinutes) : tr("not set"),
                             w.wrapUpBlockMinutes ? Duration::format(w.wrapUpBlockMinutes) : tr("always block"),
                             w.modifiedOn.isValid() ? w.modifiedOn.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s)
                                                    : u"-"_s,
                             w.id};
    }
    return formatColumns(headers, rows);
}

QByteArray Cli::formatWorkstreamsJson(const QList<Workstream> &workstreams)
{
    const auto orNull = [](std::optional<int> value) {
        return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
    };
    QJsonArray array;
    for (const Workstream &w : workstreams) {
        array.append(QJsonObject {
            {u"id"_s, w.id},
            {u"name"_s, w.name},
            {u"channel"_s, orNull(w.streamSource)},
            {u"inactivityMinutes"_s, orNull(w.inactivityMinutes)},
            {u"wrapUpBlockMinutes"_s, orNull(w.wrapUpBlockMinutes)},
            {u"modifiedOn"_s,
             w.modifiedOn.isValid() ? QJsonValue(w.modifiedOn.toUTC().toString(Qt::ISODate)) : QJsonValue()},
            {u"etag"_s, w.etag},
        });
    }
    return QJsonDocument(QJsonObject {{u"workstreams"_s, array}}).toJson(QJsonDocument::Indented);
}

int Cli::run(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const CommandTable table;
    const GlobalOptions &global = table.global();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Read and change the auto-close timers of Dynamics 365 Omnichannel conversations."));
    for (const OptionGroup &group : table.options())
        parser.addOptions(group);
    parser.addPositionalArgument(u"command"_s, tr("The command to run: %1.").arg(table.commandNames()));

    if (!parser.parse(arguments)) {
        // "-5" reads as options to the parser; say what it is.
        static const QRegularExpression negative(u"^-\\d"_s);
        for (const QString &argument : arguments.mid(1))
            if (negative.match(argument).hasMatch())
                return usage(err,
                             tr("%1: a value cannot be negative. Type minutes (45), hours (2h), days (1d 12h) "
                                "or never.")
                                 .arg(argument));
        return usage(err, parser.errorText());
    }
    if (parser.isSet(global.help)) {
        out << parser.helpText() << '\n' << tr("Commands:") << '\n' << table.commandsHelp() << '\n' << tr(HelpEpilogue);
        return Ok;
    }
    if (parser.isSet(global.version)) {
        out << "autoclose-cli " << Version::describe() << '\n';
        return Ok;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usage(err, tr("No command given."));
    QString problem;
    const Command *command = table.find(positional, &problem);
    if (!command)
        return usage(err, problem);
    if (const QString refused = table.refusal(*command, parser.optionNames()); !refused.isEmpty())
        return usage(err, refused);

    Invocation call {parser, global, positional};
    if (parser.isSet(global.timeout)) {
        bool ok = false;
        const double seconds = parser.value(global.timeout).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 3600)
            return usage(err,
                         tr("--timeout takes seconds, from 0.1 to 3600, not '%1'.").arg(parser.value(global.timeout)));
        call.timeout = std::chrono::milliseconds(qint64(seconds * 1000));
    }
    return command->run(call, out, err);
}
