// autoclose-sandbox: a local Dataverse for demos and tests.
#include "app/common/NoCoreDumps.h"
#include "app/common/QuitOnSignals.h"
#include "app/common/QuitWhenStdinCloses.h"
#include "app/common/Translations.h"
#include "app/common/Version.h"
#include "app/sandbox/DemoSeed.h"
#include "app/sandbox/FaultInjector.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/sandbox/SandboxApi.h"
#include "app/sandbox/SandboxUser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    NoCoreDumps::apply();
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"AutoCloseEditor"_s);
    QCoreApplication::setApplicationName(u"autoclose-sandbox"_s);
    QCoreApplication::setApplicationVersion(Version::describe());
    Translations::install(&app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate(
            "main",
            "A local Dataverse Web API with a demo Omnichannel environment, listening on 127.0.0.1 only.\n"
            "Prints \"Listening on http://127.0.0.1:<port>\" on stdout once it accepts connections;\n"
            "stops cleanly on SIGINT or SIGTERM. Requests need \"Authorization: Bearer <token>\"\n"
            "with a token given by --token or --token-env, or one from the demo token endpoint; others\n"
            "get 401 as Dataverse answers them.\n\n"
            "Demo token endpoint (OAuth 2.0 client credentials):\n"
            "  POST <url>/<tenant>/oauth2/v2.0/token  (tenant: from WWW-Authenticate, or organizations)\n"
            "  grant_type=client_credentials  client_id=%1\n"
            "  client_secret=%2  scope=<url>/.default")
            .arg(QLatin1String(SandboxApi::DemoClientId), QLatin1String(SandboxApi::DemoClientSecret)));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOption(
        u"port"_s, QCoreApplication::translate("main", "TCP port to listen on; 0 picks a free one."), u"P"_s, u"0"_s);
    const QCommandLineOption dataDirOption(
        u"data-dir"_s,
        QCoreApplication::translate("main",
                                    "Directory for the sandbox's SQLite database (created and seeded with "
                                    "the demo environment when empty)."),
        u"DIR"_s);
    const QCommandLineOption tokenOption(
        u"token"_s,
        QCoreApplication::translate("main",
                                    "Accept this bearer token (repeatable). Without any, a random token is "
                                    "made and printed on stderr."),
        u"T"_s);
    const QCommandLineOption tokenEnvOption(
        u"token-env"_s,
        QCoreApplication::translate("main",
                                    "Accept the bearer token held in the environment variable VAR, which other "
                                    "users cannot read as they can read the command line."),
        u"VAR"_s);
    const QCommandLineOption stdinOption(
        u"exit-when-stdin-closes"_s,
        QCoreApplication::translate("main",
                                    "Stop cleanly once standard input reaches its end: for a parent process that "
                                    "starts the sandbox with a pipe on its stdin, so that it ends with the parent "
                                    "however the parent ends (autoclose-cli does so for the Demo environment)."));
    const QCommandLineOption jwtKeyOption(
        u"jwt-key-env"_s,
        QCoreApplication::translate("main",
                                    "Also accept JWT access tokens signed (HS256) with the hex key held in the "
                                    "environment variable VAR, unexpired and with this sandbox as audience (for "
                                    "an OAuth server under test)."),
        u"VAR"_s);
    const QCommandLineOption lifetimeOption(
        u"token-lifetime"_s,
        QCoreApplication::translate("main", "Seconds that tokens from the demo token endpoint stay valid."), u"S"_s,
        u"3600"_s);
    const QCommandLineOption seedOption(
        u"seed"_s,
        QCoreApplication::translate("main",
                                    "What an empty data directory is filled with: demo (the default) or a "
                                    "JSON file with one array per entity set, records in Web API shape."),
        u"demo|FILE"_s, u"demo"_s);
    const QCommandLineOption conversationsOption(
        u"conversations"_s,
        QCoreApplication::translate("main", "With --seed demo: how many conversations to generate."), u"N"_s,
        QString::number(DemoSeed::DefaultConversationCount));
    const QCommandLineOption randomSeedOption(
        u"random-seed"_s,
        QCoreApplication::translate("main", "With --seed demo: the seed of the generator (same seed, same data)."),
        u"S"_s, QString::number(DemoSeed::DefaultRandomSeed));
    const QCommandLineOption faultsOption(
        u"faults"_s,
        QCoreApplication::translate(
            "main",
            "Inject faults, deterministically, for tests. SPEC is RULE[;RULE]..., RULE is KIND[:PARAM]...\n"
            "KIND: 400 | 429 | 500 | 502 | 503 | expired (401 as for an expired token) | claims (401 with a "
            "claims challenge for the authentication context c1, to a Web API request whose token does not carry "
            "c1 in its acrs claim) | reset (connection "
            "dropped mid-body) | truncate (a 200 with half its JSON) | slow (a late reply) | hold (the request acted "
            "on late, or never if the client has gone) | loop (a collection page whose next link leads back to "
            "itself).\n"
            "PARAM: every=K (every K-th matching request; default 1) | times=N (at most N times) | after=N (once N "
            "matching requests have passed) | path=TEXT (paths containing TEXT) | query=TEXT (decoded queries "
            "containing TEXT) | method=M | retry-after=S (429) | ms=N (slow, hold; default 2000) | satisfiable=no "
            "(claims: challenge even a token that carries c1).\n"
            "Example: --faults '429:every=3:retry-after=1;slow:ms=5000:path=msdyn_ocliveworkitems'"),
        u"SPEC"_s);
    const QCommandLineOption readOnlyOption(
        u"read-only-user"_s,
        QCoreApplication::translate("main",
                                    "The signed-in user may read but not write (RetrieveUserPrivileges "
                                    "lacks prvWrite; PATCH answers 403)."));
    const QCommandLineOption auditOffOption(
        u"audit-off"_s,
        QCoreApplication::translate(
            "main",
            "Do not audit (repeatable): organization (organizations' isauditenabled is false), a table "
            "(msdyn_liveworkstream, msdyn_occhannelstateconfiguration: its IsAuditEnabled is false) or "
            "<table>.<column> (that column's IsAuditEnabled is false). Writes to what is not audited add nothing to "
            "the change history. By default both tables and all their writable columns are audited."),
        u"WHAT"_s);
    const QCommandLineOption withoutPrivilegeOption(
        u"without-privilege"_s,
        QCoreApplication::translate("main",
                                    "The signed-in user lacks this privilege (repeatable): RetrieveUserPrivileges "
                                    "leaves it out and requests that need it get 403, e.g. prvReadRecordAuditHistory "
                                    "(the change-history functions), prvReadAuditSummary (the audits table and the "
                                    "change-history functions) or prvWritemsdyn_liveworkstream. By default the user "
                                    "has every privilege: %1.")
            .arg(SandboxUser::allPrivileges().join(u", "_s)),
        u"NAME"_s);
    const QCommandLineOption discoveryOption(
        u"discovery-instances"_s,
        QCoreApplication::translate("main",
                                    "A JSON file holding an array of Global Discovery Service instances (FriendlyName, "
                                    "UniqueName, Url, Version, State, Region, EnvironmentId, …) that "
                                    "/api/discovery/v2.0/Instances lists after the sandbox itself."),
        u"FILE"_s);
    parser.addOptions({discoveryOption, readOnlyOption, withoutPrivilegeOption, auditOffOption, portOption,
                       dataDirOption, tokenOption, tokenEnvOption, jwtKeyOption, lifetimeOption, seedOption,
                       conversationsOption, randomSeedOption, faultsOption, stdinOption});
    parser.process(app);

    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "autoclose-sandbox: unexpected argument '%s'. See --help.\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "autoclose-sandbox: --port must be a number from 0 to 65535, not '%s'.\n",
                     qPrintable(parser.value(portOption)));
        return 2;
    }
    bool lifetimeOk = false;
    const int lifetime = parser.value(lifetimeOption).toInt(&lifetimeOk);
    if (!lifetimeOk || lifetime < 1) {
        std::fprintf(stderr,
                     "autoclose-sandbox: --token-lifetime must be a whole number of seconds (1 or more), not '%s'.\n",
                     qPrintable(parser.value(lifetimeOption)));
        return 2;
    }
    SandboxStore::Seed seed;
    seed.required = parser.isSet(seedOption) || parser.isSet(conversationsOption) || parser.isSet(randomSeedOption);
    if (parser.value(seedOption) != u"demo"_s) {
        seed.file = parser.value(seedOption);
        if (parser.isSet(conversationsOption) || parser.isSet(randomSeedOption)) {
            std::fprintf(stderr, "autoclose-sandbox: --conversations and --random-seed go with --seed demo only.\n");
            return 2;
        }
    }
    bool countOk = false;
    seed.conversations = parser.value(conversationsOption).toInt(&countOk);
    if (!countOk || seed.conversations < 0 || seed.conversations > 10000000) {
        std::fprintf(stderr,
                     "autoclose-sandbox: --conversations must be a whole number from 0 to 10000000, not '%s'.\n",
                     qPrintable(parser.value(conversationsOption)));
        return 2;
    }
    bool randomOk = false;
    seed.randomSeed = parser.value(randomSeedOption).toUInt(&randomOk);
    if (!randomOk) {
        std::fprintf(stderr,
                     "autoclose-sandbox: --random-seed must be a whole number from 0 to 4294967295, not '%s'.\n",
                     qPrintable(parser.value(randomSeedOption)));
        return 2;
    }
    if (parser.isSet(faultsOption)) {
        if (const auto faults = FaultInjector::parse(parser.value(faultsOption)); !faults) {
            std::fprintf(stderr, "autoclose-sandbox: %s\n", qPrintable(faults.error().userMessage));
            return 2;
        }
    }
    if (const auto audit = AuditSettings::parse(parser.values(auditOffOption)); !audit) {
        std::fprintf(stderr, "autoclose-sandbox: %s\n", qPrintable(audit.error().userMessage));
        return 2;
    }
    for (const QString &privilege : parser.values(withoutPrivilegeOption)) {
        if (const auto known = SandboxUser().withhold(privilege); !known) {
            std::fprintf(stderr, "autoclose-sandbox: %s\n", qPrintable(known.error().userMessage));
            return 2;
        }
    }
    const QString dataDir = parser.isSet(dataDirOption)
        ? parser.value(dataDirOption)
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/sandbox"_s;

    QStringList tokens = parser.values(tokenOption);
    if (parser.isSet(tokenEnvOption)) {
        const QString var = parser.value(tokenEnvOption);
        const QString token = qEnvironmentVariable(var.toLocal8Bit().constData()).trimmed();
        if (token.isEmpty()) {
            std::fprintf(stderr, "autoclose-sandbox: --token-env %s: the variable is not set or empty.\n",
                         qPrintable(var));
            return 2;
        }
        tokens << token;
    }
    if (tokens.isEmpty()) {
        tokens << LocalSandbox::generateToken();
        std::fprintf(stderr, "autoclose-sandbox: no --token given; accepting the bearer token %s\n",
                     qPrintable(tokens.constFirst()));
    }

    QByteArray jwtKey;
    if (parser.isSet(jwtKeyOption)) {
        const QString var = parser.value(jwtKeyOption);
        const QByteArray hex = qgetenv(var.toLocal8Bit().constData()).trimmed();
        jwtKey = QByteArray::fromHex(hex);
        if (hex.isEmpty() || jwtKey.size() < 32 || jwtKey.toHex() != hex.toLower()) {
            std::fprintf(stderr,
                         "autoclose-sandbox: --jwt-key-env %s: the variable must hold a hex key of at least 32 "
                         "bytes.\n",
                         qPrintable(var));
            return 2;
        }
    }

    QJsonArray discoveryInstances;
    if (parser.isSet(discoveryOption)) {
        QFile file(parser.value(discoveryOption));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "autoclose-sandbox: --discovery-instances: cannot read %s: %s\n",
                         qPrintable(file.fileName()), qPrintable(file.errorString()));
            return 2;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isArray()) {
            std::fprintf(stderr, "autoclose-sandbox: --discovery-instances: %s must hold a JSON array of instances.\n",
                         qPrintable(file.fileName()));
            return 2;
        }
        discoveryInstances = doc.array();
    }

    QuitOnSignals quitOnSignals;
    std::optional<QuitWhenStdinCloses> quitWhenStdinCloses;
    if (parser.isSet(stdinOption))
        quitWhenStdinCloses.emplace();
    LocalSandbox::Options options;
    options.discoveryInstances = discoveryInstances;
    options.trustedJwtKey = jwtKey;
    options.dataDir = dataDir;
    options.port = quint16(port);
    options.acceptedTokens = tokens;
    options.tokenLifetime = std::chrono::seconds(lifetime);
    options.seed = seed;
    options.faults = parser.value(faultsOption);
    options.readOnlyUser = parser.isSet(readOnlyOption);
    options.withoutPrivileges = parser.values(withoutPrivilegeOption);
    options.auditOff = parser.values(auditOffOption);
    auto sandbox = LocalSandbox::start(options);
    if (!sandbox) {
        std::fprintf(stderr, "autoclose-sandbox: %s\n", qPrintable(sandbox.error().describe()));
        return 1;
    }
    std::fprintf(stderr, "autoclose-sandbox: data in %s\n", qPrintable(QDir::toNativeSeparators(dataDir)));
    std::fprintf(stdout, "Listening on %s\n", qPrintable(sandbox.value()->url().toString()));
    std::fflush(stdout);
    return app.exec();
}
