#include "app/cli/CliPreview.h"

#include "app/cli/Cli.h"
#include "app/cli/CliEnvironment.h"
#include "app/dataverse/DataverseClient.h"
#include "app/platform/Platform.h"
#include "app/preview/ClosurePreview.h"
#include "app/preview/ExactCount.h"
#include "app/preview/ListExport.h"
#include "models/Duration.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>
#include <QUuid>

#include <limits>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
struct PreviewOptions
{
    struct Set
    {
        QString text; // the whole --set, for messages
        QString nameOrId;
        std::optional<TimerSetting>
            setting; // NAME_OR_ID[SETTING]; empty: the record's own (inactivity for a workstream)
        QString value;
    };
    QList<Set> sets;
    QDateTime at;
    ClosingRule::Basis basis = ClosingRule::Basis::Created;
    QString output; // --output FILE; empty: standard output
};

// --at: ISO 8601 ("2026-05-01T08:00:00Z", an offset, or local time without one), or "+" and a duration as the
// editor reads it ("+8h", "+2d", "+1d 12h").
Result<QDateTime> parseAt(const QString &text, const QDateTime &now)
{
    const QString t = text.trimmed();
    if (t.startsWith(u'+')) {
        const auto minutes = Duration::parse(t.mid(1));
        if (!minutes || !minutes.value())
            return Error::badInput(
                QCoreApplication::translate("Cli", "--at %1: give a time (2026-05-01T08:00:00Z) or a delay (+8h, +2d).")
                    .arg(t));
        return now.addSecs(qint64(*minutes.value()) * 60);
    }
    const QDateTime at = QDateTime::fromString(t, Qt::ISODate);
    if (!at.isValid())
        return Error::badInput(
            QCoreApplication::translate("Cli", "--at %1: give a time (2026-05-01T08:00:00Z) or a delay (+8h, +2d).")
                .arg(t));
    return at.toUTC();
}

// --format json|csv: the list written as it is read (ListExport), to standard output or through a QSaveFile, so
// that memory stays the same for any number of rows and a failed read leaves no file. Progress goes to stderr only
// when it is a terminal and the list takes more than a second.
int writeList(DataverseClient &client, const PreviewScenario &scenario, const QList<ClosurePreview::Impact> &counts,
              const QString &format, const QString &output, QTextStream &out, QTextStream &err)
{
    std::unique_ptr<QSaveFile> file;
    QIODevice *device = nullptr;
    if (!output.isEmpty()) {
        file = std::make_unique<QSaveFile>(output);
        if (!file->open(QIODevice::WriteOnly))
            return Cli::fail(
                err,
                Error::badInput(
                    QCoreApplication::translate("Cli", "Cannot write %1: %2").arg(output, file->errorString())));
        device = file.get();
    } else {
        out.flush();
        device = out.device();
    }
    ListExport exporter(&client, scenario, format == u"json"_s ? ListExport::Format::Json : ListExport::Format::Csv);
    exporter.setCounts(counts);
    // Not when the rows go to the same terminal: the progress line would land in the middle of them.
    const bool terminal = Platform::isTerminal(stderr) && (file || !Platform::isTerminal(stdout));
    QElapsedTimer elapsed;
    elapsed.start();
    qint64 shownAt = -1;
    QEventLoop loop;
    std::optional<Result<qint64>> written;
    exporter.start(
        device, &loop,
        [&](const ListExport::Progress &progress) {
            // A line rewritten in place at most five times a second, once the list has taken a second.
            if (!terminal || elapsed.elapsed() < 1000 || (shownAt >= 0 && elapsed.elapsed() - shownAt < 200))
                return;
            shownAt = elapsed.elapsed();
            const int rows = int(progress.written);
            const QString line = progress.expected
                ? QCoreApplication::translate("Cli", "%1 of about %n conversation(s) written", nullptr,
                                              int(*progress.expected))
                      .arg(rows)
                : QCoreApplication::translate("Cli", "%n conversation(s) written", nullptr, rows);
            err << '\r' << line << "\x1b[K";
            err.flush();
        },
        [&](Result<qint64> result) {
            written = std::move(result);
            loop.quit();
        });
    if (!written)
        loop.exec();
    if (shownAt >= 0) {
        err << "\r\x1b[K";
        err.flush();
    }
    if (!written->ok()) {
        if (file)
            file->cancelWriting(); // whole or absent: no file, and an earlier one left as it was
        return Cli::fail(err, written->error());
    }
    if (!file) {
        // Standard output is buffered: a full disk or a closed pipe shows only here.
        auto *stdoutFile = qobject_cast<QFile *>(device);
        if (stdoutFile && (!stdoutFile->flush() || stdoutFile->error() != QFileDevice::NoError))
            return Cli::fail(err,
                             Error::badInput(QCoreApplication::translate(
                                                 "Cli",
                                                 "Cannot write to standard output (%1): check the disk or the "
                                                 "program it goes to, or write to a file with -o FILE.")
                                                 .arg(stdoutFile->errorString())));
        return Cli::Ok;
    }
    if (!file->commit())
        return Cli::fail(
            err,
            Error::badInput(
                QCoreApplication::translate("Cli", "Cannot write %1: %2").arg(output, file->errorString())));
    err << "autoclose-cli: "
        << QCoreApplication::translate("Cli", "%n conversation(s) written to %1", nullptr, int(written->value()))
               .arg(output)
        << '\n';
    return Cli::Ok;
}

// "workstream SMS support", "workstreams A, B", or the rest of a configuration's conversations.
QString partLabel(const ClosurePreview::Part &part, const PreviewScenario &scenario)
{
    if (part.others)
        return QCoreApplication::translate("Cli", "other workstreams or none");
    QStringList names;
    for (const QString &id : part.workstreamIds) {
        QString name = id;
        for (const Workstream &w : scenario.editedWorkstreams) {
            if (QUuid::fromString(w.id) == QUuid::fromString(id))
                name = w.name;
        }
        names << name;
    }
    return (names.size() == 1 ? QCoreApplication::translate("Cli", "workstream %1")
                              : QCoreApplication::translate("Cli", "workstreams %1"))
        .arg(names.join(u", "_s));
}

int runPreview(DataverseClient &client, const PreviewOptions &options, const QString &format, QTextStream &out,
               QTextStream &err)
{
    const auto fail = [&err](const Error &error) {
        err << "autoclose-cli: " << error.describe() << '\n';
        return int(error.kind == Error::Kind::BadInput ? Cli::Usage : Cli::exitCodeFor(error));
    };
    QEventLoop loop;
    std::optional<Result<QList<ChannelStateConfig>>> configs;
    client.fetchConfigurations(&loop, [&](Result<QList<ChannelStateConfig>> r) {
        configs = std::move(r);
        loop.quit();
    });
    loop.exec();
    if (!configs->ok())
        return fail(configs->error());
    // The workstreams time Waiting and Wrap-up conversations of some channels (docs/closing-rule.md): without them the
    // answer would be wrong for those, so a failed read fails the command.
    std::optional<Result<QList<Workstream>>> workstreams;
    client.fetchWorkstreams(&loop, [&](Result<QList<Workstream>> r) {
        workstreams = std::move(r);
        loop.quit();
    });
    loop.exec();
    if (!workstreams->ok()) {
        Error e = workstreams->error();
        e.userMessage = QCoreApplication::translate("Cli",
                                                    "Cannot read the workstreams, whose settings close Waiting and "
                                                    "Wrap-up conversations of some channels: %1")
                            .arg(e.userMessage);
        return fail(e);
    }
    QHash<ValueRef, std::optional<int>> edits;
    for (const PreviewOptions::Set &set : options.sets) {
        const auto ref = Cli::resolveValue(configs->value(), workstreams->value(), set.nameOrId, set.setting);
        if (!ref) {
            Error e = ref.error();
            e.userMessage.prepend(u"--set "_s);
            return fail(e);
        }
        // The column's range (docs/dataverse-tables.md): the block is at most 30 days; inactivity is required.
        const Duration::Range range {
            0, ref.value().setting == TimerSetting::WrapUpBlock ? 43200 : qint64(std::numeric_limits<int>::max())};
        const auto minutes = Duration::parse(set.value, range);
        if (!minutes)
            return fail(Error::badInput(u"--set %1: %2"_s.arg(set.text, minutes.error().userMessage)));
        if (!minutes.value() && !TimerSettings::allowsEmpty(ref.value().setting))
            return fail(Error::badInput(
                QCoreApplication::translate("Cli", "--set %1: a workstream's %2 cannot be never; give a duration.")
                    .arg(set.text, TimerSettings::label(ref.value().setting).toLower())));
        edits.insert(ref.value(), minutes.value());
    }
    PreviewScenario scenario =
        PreviewScenario::make(configs->value(), workstreams->value(), edits, options.at, options.basis);
    // What would close under the values given: the edited side of the scenario alone.
    scenario.saved = scenario.edited;
    scenario.savedWorkstreams = scenario.editedWorkstreams;

    std::optional<Result<QList<ClosurePreview::Impact>>> impacts;
    ClosurePreview::countImpact(&client, scenario, &loop, [&](Result<QList<ClosurePreview::Impact>> r) {
        impacts = std::move(r);
        loop.quit();
    });
    loop.exec();
    if (!impacts->ok())
        return fail(impacts->error());

    if (format == u"json"_s || format == u"csv"_s)
        return writeList(client, scenario, impacts->value(), format, options.output, out, err);
    QHash<QString, const ChannelStateConfig *> byId;
    for (const ChannelStateConfig &c : scenario.edited)
        byId.insert(c.id, &c);
    const QString at = scenario.at.toString(Qt::ISODate);

    ClosurePreview::Lister lister(&client, scenario);
    QList<PreviewRow> rows;
    std::optional<Error> listError;
    while (!lister.atEnd() && !listError) {
        lister.fetchNext(5000, &loop, [&](Result<QList<PreviewRow>> page, bool) {
            if (!page)
                listError = page.error();
            else
                rows << page.value();
            loop.quit();
        });
        loop.exec();
    }
    if (listError)
        return fail(*listError);

    out << QCoreApplication::translate("Cli", "Conversations that would auto-close by %1 (timer from %2):")
               .arg(at,
                    scenario.basis == ClosingRule::Basis::Created
                        ? QCoreApplication::translate("Cli", "creation; wrap-up start in Wrap-up")
                        : QCoreApplication::translate("Cli", "last modification"))
        << '\n';
    bool anyCapped = false;
    const auto countText = [](qint64 count, bool capped) {
        return capped ? QCoreApplication::translate("Cli", "more than %1").arg(count) : QString::number(count);
    };
    for (const ClosurePreview::Impact &impact : impacts->value()) {
        const ChannelStateConfig *c = byId.value(impact.configurationId);
        const bool edited = edits.contains(ValueRef {impact.configurationId, TimerSetting::ChannelState});
        if (!c || (impact.closesUnderBoth == 0 && !edited && !impact.workstreamEdited))
            continue;
        anyCapped = anyCapped || impact.capped;
        out << "  " << QString(c->channelLabel() + u" · " + conversationStateLabel(c->state)).leftJustified(34)
            << Duration::format(impact.editedMinutes).leftJustified(12)
            << countText(impact.closesUnderBoth, impact.capped) << '\n';
        // A configuration whose conversations are timed by their workstream: how many each part closes, with the
        // minutes that time it.
        for (const ClosurePreview::Impact::PartCount &part : impact.parts) {
            // A long name keeps a space before the minutes.
            out << "    " << partLabel(part.part, scenario).leftJustified(31) << ' '
                << Duration::format(part.part.editedMinutes).leftJustified(12)
                << countText(part.closesUnderBoth, part.capped) << '\n';
        }
    }
    if (anyCapped)
        out << "  " << ExactCount::cappedReason() << '\n';
    out << '\n'
        << QCoreApplication::translate("Cli", "Eligible since").leftJustified(22)
        << QCoreApplication::translate("Cli", "Configuration").leftJustified(34)
        << QCoreApplication::translate("Cli", "Conversation") << '\n';
    for (const PreviewRow &row : rows) {
        const ChannelStateConfig *c = byId.value(row.configurationId);
        out << row.eligibleSince.toString(Qt::ISODate).leftJustified(22)
            << (c ? QString(c->channelLabel() + u" · " + conversationStateLabel(c->state)) : row.configurationId)
                   .leftJustified(34)
            << (row.conversation.title.isEmpty() ? row.conversation.id : row.conversation.title) << '\n';
    }
    out << QCoreApplication::translate(
               "Cli",
               "%1 conversations. The job runs about every 5 minutes, so each closes within about 5 minutes of "
               "becoming eligible.")
               .arg(rows.size())
        << '\n';
    return Cli::Ok;
}
} // namespace

Cli::PreviewCommand::PreviewCommand(const GlobalOptions &global)
    : Command(u"preview"_s)
    , m_global(global)
{
    m_set.setDescription(
        tr("preview: a configuration's or a workstream's value, NAME_OR_ID=VALUE or NAME_OR_ID[SETTING]=VALUE."));
    m_at.setDescription(tr("preview: when, as ISO 8601 or +8h, +2d (default: now)."));
    m_basis.setDescription(tr("preview: timer basis, created (default) or modified."));
    m_output.setDescription(
        tr("preview (json, csv), export: write to FILE instead of standard output, whole or not at all."));
}

QString Cli::PreviewCommand::description() const
{
    return tr("List the conversations that would auto-close at a time, under the\n"
              "saved values with --set overrides, filtered by the server. Waiting\n"
              "conversations of persistent chat, SMS, social channels and Teams are\n"
              "timed by their workstream's auto-close after inactivity; Wrap-up\n"
              "chats by the longer of the value and the workstream's wrap-up block:\n"
              "  --set NAME_OR_ID=VALUE  a value as the editor takes it (45, 2h,\n"
              "                          1d 12h, never); repeatable. A\n"
              "                          configuration's value, or a workstream's\n"
              "                          inactivity; NAME_OR_ID[wrap-up-block]=VALUE\n"
              "                          for a workstream's wrap-up block\n"
              "  --at ISO8601|+8h|+2d    when (default: now)\n"
              "  --basis created|modified  what the timer counts from\n"
              "                          (default: created; the docs disagree)\n"
              "  --format table|json|csv  json and csv are written as the\n"
              "                          conversations arrive\n"
              "  -o FILE                 write json or csv to FILE, whole or not\n"
              "                          at all");
}

QList<Cli::OptionGroup> Cli::PreviewCommand::options() const
{
    return QList<OptionGroup> {{m_set, m_at, m_basis}, {m_output}, {m_global.format}} + m_global.environment();
}

int Cli::PreviewCommand::run(const Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QCommandLineParser &parser = call.parser;
    const QStringList &positional = call.positional;
    const QString format = parser.value(m_global.format);
    if (positional.size() > 1)
        return usage(err, tr("'%1' takes no arguments, but got '%2'.").arg(name(), positional.at(1)));
    if (format != u"table"_s && format != u"json"_s && format != u"csv"_s)
        return usage(err, tr("--format must be table, json or csv, not '%1'.").arg(format));

    PreviewOptions previewOptions;
    if (parser.isSet(m_output)) {
        if (format == u"table"_s)
            return usage(err, tr("-o writes json or csv; add --format json or --format csv."));
        previewOptions.output = parser.value(m_output);
    }
    const auto basis = ClosingRule::basisFromName(parser.value(m_basis));
    if (!basis)
        return usage(err, tr("--basis must be created or modified, not '%1'.").arg(parser.value(m_basis)));
    previewOptions.basis = *basis;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (parser.isSet(m_at)) {
        const auto at = parseAt(parser.value(m_at), now);
        if (!at)
            return usage(err, at.error().userMessage);
        previewOptions.at = at.value();
    } else {
        previewOptions.at = now;
    }
    for (const QString &set : parser.values(m_set)) {
        const qsizetype eq = set.lastIndexOf(u'=');
        if (eq <= 0)
            return usage(err,
                         tr("--set takes NAME_OR_ID=VALUE, as in --set \"Live Chat - Open=45\"; got '%1'.").arg(set));
        // The value is read once the setting is known (its range depends on it); a duration it cannot be is refused
        // now, before anything is read.
        const auto minutes = Duration::parse(set.mid(eq + 1));
        if (!minutes)
            return usage(err, tr("--set %1: %2").arg(set, minutes.error().userMessage));
        PreviewOptions::Set parsed {set, set.left(eq).trimmed(), std::nullopt, set.mid(eq + 1)};
        // NAME_OR_ID[SETTING]: a workstream's wrap-up block, or naming the setting outright. Brackets that do not hold
        // a setting's name are part of the name.
        if (parsed.nameOrId.endsWith(u']')) {
            const qsizetype open = parsed.nameOrId.lastIndexOf(u'[');
            const auto setting =
                open > 0 ? TimerSettings::fromName(parsed.nameOrId.mid(open + 1).chopped(1).trimmed()) : std::nullopt;
            if (setting) {
                parsed.setting = setting;
                parsed.nameOrId = parsed.nameOrId.left(open).trimmed();
            }
        }
        previewOptions.sets.append(parsed);
    }

    auto env = openLive(call, err)({});
    if (!env)
        return openFailed(err, env.error());
    return runPreview(*env.value()->client(), previewOptions, format, out, err);
}
