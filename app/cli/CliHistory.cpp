#include "app/cli/CliHistory.h"

#include "app/cli/Cli.h"
#include "app/cli/CliEnvironment.h"
#include "app/dataverse/ChangeHistoryReader.h"
#include "app/dataverse/DataverseClient.h"
#include "models/ChangeHistory.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <limits>

using namespace Qt::StringLiterals;
using ChangeHistory::AuditState;

namespace {
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("HistoryCommand", text, disambiguation, n);
}

// --page and --page-size: a whole number from min to max.
std::optional<int> number(const QString &text, int min, int max)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok || n < min || n > max)
        return std::nullopt;
    return n;
}

// The record's name for people, from what was read to resolve it.
QString recordName(const QList<ChannelStateConfig> &configs, const QList<Workstream> &workstreams, const ValueRef &ref)
{
    for (const ChannelStateConfig &c : configs)
        if (c.id == ref.id)
            return c.name;
    for (const Workstream &w : workstreams)
        if (w.id == ref.id)
            return w.name;
    return {};
}

QString quoted(const QString &text)
{
    return text.contains(u' ') || text.isEmpty() ? u'"' + text + u'"' : text;
}

QJsonValue orNull(std::optional<int> minutes)
{
    return minutes ? QJsonValue(*minutes) : QJsonValue(QJsonValue::Null);
}

QJsonObject valueJson(const ValueRef &ref, const QString &name)
{
    return {{u"id"_s, ref.id},
            {u"name"_s, name},
            {u"setting"_s, TimerSettings::name(ref.setting)},
            {u"table"_s, TimerSettings::table(ref.setting)},
            {u"column"_s, TimerSettings::column(ref.setting)}};
}

QJsonObject unavailableJson(const AuditState &state)
{
    return {{u"reason"_s, AuditState::reasonName(state.reason())},
            {u"sentence"_s, state.sentence()},
            {u"organizationAuditing"_s, state.organization},
            {u"tableAuditing"_s, state.table},
            {u"columnAuditing"_s, state.column},
            {u"privilege"_s, state.privileged()},
            {u"missingPrivileges"_s, QJsonArray::fromStringList(state.missingPrivileges)}};
}

QJsonObject pageJson(const ChangeHistory::Page &page)
{
    QJsonArray changes;
    for (const ChangeHistory::Entry &e : page.entries) {
        changes.append(QJsonObject {
            {u"when"_s, e.when.isValid() ? QJsonValue(e.when.toUTC().toString(Qt::ISODate)) : QJsonValue()},
            {u"userId"_s, e.userId.isEmpty() ? QJsonValue() : QJsonValue(e.userId)},
            {u"userName"_s, e.userName.isEmpty() ? QJsonValue() : QJsonValue(e.userName)},
            {u"operation"_s, ChangeHistory::operationName(e.operation)},
            {u"oldMinutes"_s, orNull(e.oldMinutes)},
            {u"newMinutes"_s, orNull(e.newMinutes)},
        });
    }
    return {{u"page"_s, page.pageNumber},
            {u"pageSize"_s, page.pageSize},
            {u"moreRecords"_s, page.moreRecords},
            {u"totalRecordCount"_s,
             page.totalRecordCount ? QJsonValue(double(*page.totalRecordCount)) : QJsonValue(QJsonValue::Null)},
            {u"changes"_s, changes}};
}

QString whenText(const ChangeHistory::Entry &e)
{
    // Local time with its offset, so that a reader in another zone still knows the moment.
    return e.when.isValid() ? e.when.toOffsetFromUtc(e.when.toLocalTime().offsetFromUtc()).toString(Qt::ISODate)
                            : tr("(not given)");
}
} // namespace

Cli::HistoryCommand::HistoryCommand(const GlobalOptions &global)
    : Command(u"history"_s)
    , m_global(global)
{
    m_setting.setDescription(
        tr("history: which value of a workstream: inactivity (the default) or wrap-up-block; channel-state for a "
           "channel-state configuration."));
    m_page.setDescription(tr("history: the page to show, from 1 (the newest changes)."));
    m_pageSize.setDescription(tr("history: changes per page, 1 to %1 (default %2).")
                                  .arg(ChangeHistoryReader::MaxPageSize)
                                  .arg(DefaultPageSize));
}

QString Cli::HistoryCommand::syntax() const
{
    return tr("NAME_OR_ID [--setting SETTING] [--format table|json]\n[--page N] [--page-size N]");
}

QString Cli::HistoryCommand::description() const
{
    return tr("Who changed a value, when, and from what to what: the environment's\n"
              "audit history, newest first, a page at a time. --format json:\n"
              "{\"value\": {id, name, setting, table, column}, \"page\", \"pageSize\",\n"
              "\"moreRecords\", \"totalRecordCount\", \"changes\": [{\"when\" (UTC),\n"
              "\"userId\", \"userName\", \"operation\", \"oldMinutes\", \"newMinutes\"}]};\n"
              "null minutes = empty (never). No history to read (auditing off, or\n"
              "the privilege to read it missing): why, on stderr and as {\"value\",\n"
              "\"historyUnavailable\": {\"reason\", \"sentence\", …}}; exit 6 when\n"
              "auditing is off, 3 when the privilege is missing.");
}

QList<Cli::OptionGroup> Cli::HistoryCommand::options() const
{
    return QList<OptionGroup> {{m_setting}, {m_global.format}, {m_page}, {m_pageSize}} + m_global.environment();
}

int Cli::HistoryCommand::run(const Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const QStringList &positional = call.positional;
    if (positional.size() != 2)
        return usage(err,
                     tr("history takes one configuration or workstream, as in 'autoclose-cli history "
                        "\"Live Chat - Open\"'."));
    const QString format = parser.value(m_global.format);
    if (format != u"table"_s && format != u"json"_s)
        return usage(err, tr("--format must be table or json, not '%1'.").arg(format));
    const auto setting = parseSetting(parser.value(m_setting));
    if (!setting)
        return usage(err, setting.error().userMessage);
    const auto page =
        parser.isSet(m_page) ? number(parser.value(m_page), 1, std::numeric_limits<int>::max()) : std::optional(1);
    if (!page)
        return usage(err, tr("--page must be a whole number from 1, not '%1'.").arg(parser.value(m_page)));
    const auto pageSize = parser.isSet(m_pageSize)
        ? number(parser.value(m_pageSize), 1, ChangeHistoryReader::MaxPageSize)
        : std::optional(int(DefaultPageSize));
    if (!pageSize)
        return usage(err,
                     tr("--page-size must be a whole number from 1 to %1, not '%2'.")
                         .arg(ChangeHistoryReader::MaxPageSize)
                         .arg(parser.value(m_pageSize)));

    auto env = openLive(call, err)({});
    if (!env)
        return openFailed(err, env.error());
    DataverseClient *client = env.value()->client();

    // The name: read both tables, as set does, and resolve it (nothing else is sent for a name that names nothing).
    const auto configs = wait<QList<ChannelStateConfig>>(
        [client](QObject *context, auto done) { client->fetchConfigurations(context, std::move(done)); });
    if (!configs)
        return fail(err, configs.error());
    const auto workstreams = wait<QList<Workstream>>(
        [client](QObject *context, auto done) { client->fetchWorkstreams(context, std::move(done)); });
    if (!workstreams)
        return fail(err, workstreams.error());
    const auto ref = resolveValue(configs.value(), workstreams.value(), positional.at(1), setting.value());
    if (!ref)
        return fail(err, ref.error());
    const QString name = recordName(configs.value(), workstreams.value(), ref.value());

    const ChangeHistoryReader reader(client);
    const auto reading = wait<ChangeHistoryReader::Reading>(
        [&](QObject *context, auto done) { reader.read(ref.value(), *page, *pageSize, context, std::move(done)); });
    if (!reading)
        return fail(err, reading.error());
    const AuditState &state = reading.value().state;
    const ChangeHistory::Page &history = reading.value().page;

    if (!state.available()) {
        if (format == u"json"_s)
            out << QString::fromUtf8(QJsonDocument(QJsonObject {{u"value"_s, valueJson(ref.value(), name)},
                                                                {u"historyUnavailable"_s, unavailableJson(state)}})
                                         .toJson(QJsonDocument::Indented));
        err << "autoclose-cli: " << state.sentence() << '\n';
        return state.auditingOff() ? HistoryUnavailable : AuthFailed;
    }

    if (format == u"json"_s) {
        QJsonObject root = pageJson(history);
        root.insert(u"value"_s, valueJson(ref.value(), name));
        out << QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
        return Ok;
    }

    out << tr("Changes to \"%1\" of %2 (%3), newest first:")
               .arg(TimerSettings::label(ref.value().setting), name.isEmpty() ? ref.value().id : name, ref.value().id)
        << '\n';
    if (history.entries.isEmpty()) {
        out << (*page == 1 ? tr("No change to this value is recorded: auditing is on, and nobody has changed it since "
                                "it was turned on (or the records have passed the environment's retention period).")
                           : tr("Page %1 holds no changes; there are fewer.").arg(*page))
            << '\n';
        return Ok;
    }
    QList<QStringList> rows;
    for (const ChangeHistory::Entry &e : history.entries)
        rows << QStringList {whenText(e), ChangeHistory::whoText(e), ChangeHistory::changeText(e, ref.value().setting)};
    out << formatColumns({tr("WHEN"), tr("WHO"), tr("CHANGE")}, rows);

    const int first = (*page - 1) * *pageSize + 1;
    const int last = first + int(history.entries.size()) - 1;
    out << (history.totalRecordCount ? tr("Changes %1 to %2 of %3.").arg(first).arg(last).arg(*history.totalRecordCount)
                                     : tr("Changes %1 to %2.").arg(first).arg(last));
    if (history.moreRecords) {
        QString next =
            u"autoclose-cli %1 history %2"_s.arg(env.value()->commandLineOptions(), quoted(positional.at(1)));
        if (parser.isSet(m_setting))
            next += u" --setting "_s + parser.value(m_setting);
        next += u" --page %1"_s.arg(*page + 1);
        if (parser.isSet(m_pageSize))
            next += u" --page-size %1"_s.arg(*pageSize);
        out << ' ' << tr("Older changes follow: %1").arg(next);
    }
    out << '\n';
    return Ok;
}
