#pragma once

#include "app/cli/Command.h"

#include <QCoreApplication>

#include <memory>
#include <vector>

namespace Cli {

// Every command of autoclose-cli and every option they take: what the dispatcher looks a command up in, refuses
// options by and writes --help from.
class CommandTable
{
    Q_DECLARE_TR_FUNCTIONS(CommandTable)

public:
    CommandTable();
    ~CommandTable();
    CommandTable(const CommandTable &) = delete;
    CommandTable &operator=(const CommandTable &) = delete;

    const GlobalOptions &global() const { return m_global; }
    // Every option, once, in the order --help lists them.
    const QList<OptionGroup> &options() const { return m_options; }
    // The command the positional arguments start with (one word, or two for a verb of a family such as
    // 'profiles add'); null, with *problem set, when none does.
    const Command *find(const QStringList &positional, QString *problem) const;
    // Why command refuses options it was given (their names as the parser found them, without dashes): which
    // commands take them ("-o goes with export."), or its own sentence; empty when it takes them all.
    QString refusal(const Command &command, const QStringList &given) const;
    // The commands' names, as --help lists them for the command argument: "list, preview, … or whoami".
    QString commandNames() const;
    // The Commands section of --help: each command's synopsis, then what it does from the description column on.
    QString commandsHelp() const;

private:
    const Command *named(const QString &name) const;
    bool isGlobal(const OptionGroup &group) const;
    void addOptions(const QList<OptionGroup> &groups);
    // The group of m_options an option of that name is in (null if none).
    const OptionGroup *groupOf(const QString &optionName) const;
    // The commands that take the group, as a refusal names them: "set", "'profiles add'".
    QStringList commandsTaking(const OptionGroup &group) const;

    const GlobalOptions m_global;
    std::vector<std::unique_ptr<Command>> m_commands;
    QList<OptionGroup> m_options;
};

// "a", "a and b", "a, b and c" (or with "or").
enum class Conjunction { And, Or };
QString listed(const QStringList &words, Conjunction conjunction);

} // namespace Cli
