#include "app/cli/CliList.h"

#include "app/cli/Cli.h"
#include "app/cli/CliEnvironment.h"
#include "app/dataverse/DataverseClient.h"

#include <QCommandLineParser>
#include <QTextStream>

using namespace Qt::StringLiterals;

Cli::ListCommand::ListCommand(const GlobalOptions &global)
    : Command(u"list"_s)
    , m_global(global)
{
    m_workstreams.setDescription(QCoreApplication::translate(
        "Cli", "list: the workstreams and their two timers instead of the channel-state configurations."));
}

QString Cli::ListCommand::syntax() const
{
    return tr("[--workstreams] [--format table|json]");
}

QString Cli::ListCommand::description() const
{
    return tr("Show every channel-state auto-close configuration; with\n"
              "--workstreams, every workstream's auto-close after inactivity and\n"
              "block capacity for wrap-up.");
}

QList<Cli::OptionGroup> Cli::ListCommand::options() const
{
    return QList<OptionGroup> {{m_global.format}, {m_workstreams}} + m_global.environment();
}

int Cli::ListCommand::run(const Invocation &call, QTextStream &out, QTextStream &err) const
{
    const QStringList &positional = call.positional;
    const QString format = call.parser.value(m_global.format);
    if (positional.size() > 1)
        return usage(err, tr("'%1' takes no arguments, but got '%2'.").arg(name(), positional.at(1)));
    if (format != u"table"_s && format != u"json"_s)
        return usage(err, tr("--format must be table or json, not '%1'.").arg(format));

    auto env = openLive(call, err)({});
    if (!env)
        return openFailed(err, env.error());
    DataverseClient *client = env.value()->client();

    if (call.parser.isSet(m_workstreams)) {
        const auto workstreams = wait<QList<Workstream>>(
            [client](QObject *context, auto done) { client->fetchWorkstreams(context, std::move(done)); });
        if (!workstreams)
            return fail(err, workstreams.error());
        out << (format == u"json"_s ? QString::fromUtf8(formatWorkstreamsJson(workstreams.value()))
                                    : formatWorkstreamsTable(workstreams.value()));
        return Ok;
    }
    const auto configs = wait<QList<ChannelStateConfig>>(
        [client](QObject *context, auto done) { client->fetchConfigurations(context, std::move(done)); });
    if (!configs)
        return fail(err, configs.error());
    if (format == u"json"_s) {
        out << QString::fromUtf8(formatJson(configs.value()));
    } else {
        // The workstreams' timers are a table of their own (docs/dataverse-tables.md): say where they are.
        out << formatTable(configs.value()) << '\n'
            << tr("The workstreams' timers (inactivity, wrap-up block): 'autoclose-cli list --workstreams'.") << '\n';
    }
    return Ok;
}
