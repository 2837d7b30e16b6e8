#include "app/cli/CliList.h"

#include "app/cli/Cli.h"
#include "app/cli/CliEnvironment.h"
#include "app/dataverse/DataverseClient.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QTextStream>

using namespace Qt::StringLiterals;

Cli::ListCommand::ListCommand(const GlobalOptions &global)
    : Command(u"list"_s)
    , m_global(global)
{ }

QString Cli::ListCommand::description() const
{
    return tr("Show every channel-state auto-close configuration.");
}

QList<Cli::OptionGroup> Cli::ListCommand::options() const
{
    return QList<OptionGroup> {{m_global.format}} + m_global.environment();
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
    DataverseClient &client = *env.value()->client();

    QEventLoop loop;
    int exitCode = ServiceFailed;
    client.fetchConfigurations(&loop, [&](Result<QList<ChannelStateConfig>> configs) {
        if (!configs) {
            err << "autoclose-cli: " << configs.error().describe() << '\n';
            exitCode = exitCodeFor(configs.error());
        } else if (format == u"json"_s) {
            out << QString::fromUtf8(formatJson(configs.value()));
            exitCode = Ok;
        } else {
            out << formatTable(configs.value());
            exitCode = Ok;
        }
        loop.quit();
    });
    loop.exec();
    return exitCode;
}
