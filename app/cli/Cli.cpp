#include "app/cli/Cli.h"

#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/OrgUrl.h"
#include "models/Duration.h"
#include "models/MicrosoftDefaults.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

const char *const HelpEpilogue =
    QT_TRANSLATE_NOOP("Cli",
                      "Commands:\n"
                      "  list                 Show every channel-state auto-close configuration.\n"
                      "\n"
                      "Sign-in:\n"
                      "  The access token is read from the environment variable named by --access-token-env,\n"
                      "  never from the command line (where other users could see it in the process list).\n"
                      "\n"
                      "Exit codes:\n"
                      "  0 success, 1 other failure, 2 usage error, 3 sign-in refused (401/403),\n"
                      "  4 network failure, 5 not found, 6 conflict (412), 7 throttled (429),\n"
                      "  8 server error (5xx), 9 unexpected reply from the environment.\n");

QString pad(const QString &text, qsizetype width)
{
    return text.leftJustified(width, u' ');
}
} // namespace

Cli::ExitCode Cli::exitCodeFor(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Auth:
        return AuthFailed;
    case Error::Kind::Network:
        return NetworkFailed;
    case Error::Kind::Throttled:
        return Throttled;
    case Error::Kind::Conflict:
        return Conflict;
    case Error::Kind::NotFound:
        return NotFound;
    case Error::Kind::Server:
        return ServerFailed;
    case Error::Kind::BadReply:
        return BadReply;
    case Error::Kind::BadInput:
        return Usage;
    }
    return Failure;
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

int Cli::run(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Read and change the auto-close timers of Dynamics 365 Omnichannel conversations."));
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, tr("Show this help."));
    const QCommandLineOption versionOption({u"v"_s, u"version"_s}, tr("Show the version."));
    const QCommandLineOption urlOption(u"url"_s,
                                       tr("The environment, e.g. https://contoso.crm.dynamics.com (http only for "
                                          "127.0.0.1)."),
                                       u"URL"_s);
    const QCommandLineOption tokenEnvOption(
        u"access-token-env"_s, tr("Name of the environment variable that holds the access token."), u"VAR"_s);
    const QCommandLineOption formatOption(u"format"_s, tr("Output format: table (default) or json."), u"FORMAT"_s,
                                          u"table"_s);
    parser.addOptions({helpOption, versionOption, urlOption, tokenEnvOption, formatOption});
    parser.addPositionalArgument(u"command"_s, tr("The command to run: list."));

    const auto usageError = [&err](const QString &message) {
        err << "autoclose-cli: " << message << '\n' << tr("Run 'autoclose-cli --help' for usage.") << '\n';
        return int(Usage);
    };
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        out << parser.helpText() << '\n' << tr(HelpEpilogue);
        return Ok;
    }
    if (parser.isSet(versionOption)) {
        out << "autoclose-cli " << AUTOCLOSE_VERSION << " (Qt " << qVersion() << ")\n";
        return Ok;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(tr("No command given."));
    const QString command = positional.constFirst();
    if (command != u"list"_s)
        return usageError(tr("Unknown command '%1'.").arg(command));
    if (positional.size() > 1)
        return usageError(tr("'%1' takes no arguments, but got '%2'.").arg(command, positional.at(1)));

    const QString format = parser.value(formatOption);
    if (format != u"table"_s && format != u"json"_s)
        return usageError(tr("--format must be table or json, not '%1'.").arg(format));

    if (!parser.isSet(urlOption))
        return usageError(tr("No environment given: pass --url https://<org>.crm.dynamics.com."));
    const auto org = OrgUrl::parse(parser.value(urlOption));
    if (!org)
        return usageError(org.error().userMessage);

    if (!parser.isSet(tokenEnvOption))
        return usageError(tr("No sign-in given: pass --access-token-env VAR, with the access token in the "
                             "environment variable VAR."));
    const QString tokenVar = parser.value(tokenEnvOption);
    const QString token = qEnvironmentVariable(tokenVar.toLocal8Bit().constData()).trimmed();
    if (token.isEmpty())
        return usageError(
            tr("The environment variable %1 is not set or empty; it should hold the access token.").arg(tokenVar));

    QNetworkAccessManager network;
    DataverseClient client(org.value(), &network);
    client.setAccessToken(token);

    // Waits the service asks for are shown, so a pipeline's log explains a slow run.
    QObject::connect(client.transport(), &WebApiTransport::throttled, [&err](int seconds) {
        err << "autoclose-cli: " << tr("throttled by the environment, retrying in %1 s").arg(seconds) << '\n';
        err.flush();
    });
    QObject::connect(client.transport(), &WebApiTransport::retrying,
                     [&err](int attempt, std::chrono::milliseconds delay, const QString &reason) {
                         err << "autoclose-cli: "
                             << tr("%1, retrying in %2 ms (attempt %3)").arg(reason).arg(delay.count()).arg(attempt)
                             << '\n';
                         err.flush();
                     });

    QEventLoop loop;
    int exitCode = Failure;
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
