#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>

class QCommandLineParser;
class QTextStream;

namespace Cli {

// Options a command takes all of or none of, and that a refusal names together ("--dry-run and --yes go with set
// and apply.").
using OptionGroup = QList<QCommandLineOption>;

// The options several commands share, declared once: help and version, the environment and its sign-in, the
// timeout and the output format.
struct GlobalOptions
{
    QCommandLineOption help {{QStringLiteral("h"), QStringLiteral("help")}};
    QCommandLineOption version {{QStringLiteral("v"), QStringLiteral("version")}};
    QCommandLineOption url {QStringLiteral("url"), QString(), QStringLiteral("URL")};
    QCommandLineOption accessTokenEnv {QStringLiteral("access-token-env"), QString(), QStringLiteral("VAR")};
    QCommandLineOption format {QStringLiteral("format"), QString(), QStringLiteral("FORMAT"), QStringLiteral("table")};
    QCommandLineOption timeout {QStringLiteral("timeout"), QString(), QStringLiteral("SECONDS")};
    QCommandLineOption profile {QStringLiteral("profile"), QString(), QStringLiteral("NAME")};
    // Where the Demo environment's data is, when a command reaches it (CliDemo.h).
    QCommandLineOption demoDataDir {QStringLiteral("demo-data-dir"), QString(), QStringLiteral("DIR")};
    // Which Microsoft cloud: profiles add and environments (docs/discovery.md).
    QCommandLineOption cloud {QStringLiteral("cloud"), QString(), QStringLiteral("CLOUD")};
    GlobalOptions(); // fills in the descriptions (translated)
    // What a command that reads or changes an environment takes: --profile, --url, --access-token-env, --timeout,
    // --demo-data-dir.
    QList<OptionGroup> environment() const;
};

// The command line as the dispatcher hands it to a command: parsed with every option of the table (the command
// has been given only options it takes), positional[0] its name.
struct Invocation
{
    const QCommandLineParser &parser;
    const GlobalOptions &global;
    QStringList positional;
    std::chrono::milliseconds timeout {0}; // --timeout, checked; 0 when not given
};

// One command of autoclose-cli, or one verb of a family ("profiles add"): its name, what --help says of it, the
// options it takes and what it does.
class Command
{
public:
    virtual ~Command();
    Command(const Command &) = delete;
    Command &operator=(const Command &) = delete;

    // The words a command line starts with: "list", "profiles add".
    QString name() const { return m_name; }
    // What follows the name in its synopsis in --help: operands and options ("A B [--format table|json]"); further
    // lines continue the synopsis.
    virtual QString syntax() const { return {}; }
    // What it does, as --help says it (a sentence, wrapped to the help's width).
    virtual QString description() const = 0;
    // Every option it takes, besides --help and --version; the dispatcher refuses the others.
    virtual QList<OptionGroup> options() const = 0;
    // The option groups of its family: a command outside the family that is given one is told of them all.
    virtual QList<OptionGroup> familyOptions() const { return {}; }
    // A sentence of its own for refusing an option, where "goes with" would not say why; empty otherwise.
    virtual QString refusal(const QCommandLineOption &option) const;
    // Runs it and returns the exit code.
    virtual int run(const Invocation &call, QTextStream &out, QTextStream &err) const = 0;

    // Whether it takes the option of that name (any of its names, without dashes).
    bool takes(const QString &optionName) const;

protected:
    explicit Command(QString name);

private:
    QString m_name;
};

// Whether an option has that name (any of its names, without dashes).
bool hasName(const QCommandLineOption &option, const QString &name);

} // namespace Cli
