#include "app/cli/CommandTable.h"

#include "app/cli/CliAuth.h"
#include "app/cli/CliDiff.h"
#include "app/cli/CliDiscovery.h"
#include "app/cli/CliHistory.h"
#include "app/cli/CliList.h"
#include "app/cli/CliPreview.h"
#include "app/cli/CliProfiles.h"
#include "app/cli/CliSet.h"
#include "app/cli/CliSnapshot.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cli {
namespace {
QString firstName(const OptionGroup &group)
{
    return group.constFirst().names().constFirst();
}

// "-o", "--dry-run"
QString spelled(const QCommandLineOption &option)
{
    const QString name = option.names().constFirst();
    return (name.size() == 1 ? u"-"_s : u"--"_s) + name;
}

bool hasGroup(const QList<OptionGroup> &groups, const OptionGroup &group)
{
    return std::any_of(groups.cbegin(), groups.cend(),
                       [&group](const OptionGroup &g) { return firstName(g) == firstName(group); });
}
} // namespace

CommandTable::CommandTable()
{
    using CliAuth::SignInCommand;
    m_commands.push_back(std::make_unique<ListCommand>(m_global));
    m_commands.push_back(std::make_unique<PreviewCommand>(m_global));
    m_commands.push_back(std::make_unique<CliSnapshot::ExportCommand>(m_global));
    m_commands.push_back(std::make_unique<CliSnapshot::DiffCommand>(m_global));
    m_commands.push_back(std::make_unique<SetCommand>(m_global));
    m_commands.push_back(std::make_unique<CliSnapshot::ApplyCommand>(m_global));
    m_commands.push_back(std::make_unique<HistoryCommand>(m_global));
    m_commands.push_back(std::make_unique<CliDiscovery::EnvironmentsCommand>(m_global));
    m_commands.push_back(std::make_unique<CliProfiles::ProfilesList>(m_global));
    m_commands.push_back(std::make_unique<CliProfiles::ProfilesAdd>(m_global));
    m_commands.push_back(std::make_unique<CliProfiles::ProfilesRemove>());
    m_commands.push_back(std::make_unique<CliProfiles::ProfilesPlaintextSecrets>());
    m_commands.push_back(std::make_unique<SignInCommand>(SignInCommand::Verb::Login, m_global));
    m_commands.push_back(std::make_unique<SignInCommand>(SignInCommand::Verb::Logout, m_global));
    m_commands.push_back(std::make_unique<SignInCommand>(SignInCommand::Verb::WhoAmI, m_global));

    // --help lists the options in the order they came to the CLI: the general ones, preview's, --timeout, --profile
    // and --demo-data-dir, profiles add's, then the rest in the order of the commands (export's, set's and apply's).
    const auto ownOptions = [this](const QString &name) {
        QList<OptionGroup> own = named(name)->options();
        own.removeIf([this](const OptionGroup &group) { return isGlobal(group); });
        return own;
    };
    addOptions({{m_global.help}, {m_global.version}, {m_global.url}, {m_global.accessTokenEnv}, {m_global.format}});
    addOptions(ownOptions(u"preview"_s));
    addOptions({{m_global.timeout}, {m_global.profile}, {m_global.demoDataDir}});
    addOptions(ownOptions(u"profiles add"_s));
    for (const auto &command : m_commands)
        addOptions(command->options());
}

CommandTable::~CommandTable() = default;

const Command *CommandTable::find(const QStringList &positional, QString *problem) const
{
    const QString first = positional.constFirst();
    QStringList verbs;
    for (const auto &command : m_commands) {
        const QStringList words = command->name().split(u' ');
        if (words.constFirst() != first)
            continue;
        if (words.size() == 1 || words.at(1) == positional.value(1))
            return command.get();
        verbs << words.at(1);
    }
    *problem = verbs.isEmpty() ? tr("Unknown command '%1'.").arg(first)
                               : tr("%1 takes %2.").arg(first, listed(verbs, Conjunction::Or));
    return nullptr;
}

QString CommandTable::refusal(const Command &command, const QStringList &given) const
{
    QList<const OptionGroup *> refused;
    for (const QString &name : given) {
        const OptionGroup *group = groupOf(name);
        if (!group || command.takes(name))
            continue;
        if (const QString own = command.refusal(group->constFirst()); !own.isEmpty())
            return own;
        // A command outside the family that shares the option is told of all the family's options it does not
        // take ("-o goes with export; --dry-run and --yes go with set and apply"); one of the family, of that one.
        QList<const OptionGroup *> toName {group};
        for (const auto &other : m_commands) {
            const QList<OptionGroup> family = other->familyOptions();
            if (!hasGroup(family, *group) || hasGroup(command.familyOptions(), *group))
                continue;
            toName.clear();
            for (const OptionGroup &member : family)
                if (!command.takes(firstName(member)))
                    toName << groupOf(firstName(member));
            break;
        }
        for (const OptionGroup *g : std::as_const(toName))
            if (!refused.contains(g))
                refused << g;
    }
    if (refused.isEmpty())
        return {};
    // Named in the order --help lists them (the groups are m_options' own), those that go with the same commands
    // together: "--auth and --tenant go with 'profiles add'".
    std::sort(refused.begin(), refused.end());
    QList<std::pair<QStringList, QStringList>> clauses; // commands, options
    for (const OptionGroup *group : std::as_const(refused)) {
        const QStringList commands = commandsTaking(*group);
        const auto same = std::find_if(clauses.begin(), clauses.end(),
                                       [&commands](const auto &clause) { return clause.first == commands; });
        QStringList &options =
            same != clauses.end() ? same->second : clauses.emplaceBack(commands, QStringList {}).second;
        for (const QCommandLineOption &option : *group)
            options << spelled(option);
    }
    QStringList sentences;
    for (const auto &[commands, options] : std::as_const(clauses))
        sentences << (options.size() == 1 ? tr("%1 goes with %2") : tr("%1 go with %2"))
                         .arg(listed(options, Conjunction::And), listed(commands, Conjunction::And));
    return sentences.join(u"; "_s) + u'.';
}

QString CommandTable::commandNames() const
{
    QStringList names;
    for (const auto &command : m_commands)
        if (const QString first = command->name().section(u' ', 0, 0); !names.contains(first))
            names << first;
    return listed(names, Conjunction::Or);
}

QString CommandTable::commandsHelp() const
{
    constexpr qsizetype Indent = 2;
    constexpr qsizetype DescriptionColumn = 23;
    const QString continuation(DescriptionColumn, u' ');
    QString text;
    for (const auto &command : m_commands) {
        QStringList synopsis = QString(command->name() + u' ' + command->syntax()).trimmed().split(u'\n');
        QStringList description = command->description().split(u'\n', Qt::SkipEmptyParts);
        // A short synopsis has its description beside it; a long one, below.
        if (synopsis.size() == 1 && !description.isEmpty() &&
            Indent + synopsis.constFirst().size() < DescriptionColumn) {
            text += QString(Indent, u' ') + synopsis.constFirst().leftJustified(DescriptionColumn - Indent) +
                description.takeFirst() + u'\n';
        } else {
            text += QString(Indent, u' ') + synopsis.takeFirst() + u'\n';
            for (const QString &line : std::as_const(synopsis))
                text += continuation + line + u'\n';
        }
        for (const QString &line : std::as_const(description))
            text += continuation + line + u'\n';
    }
    return text;
}

const Command *CommandTable::named(const QString &name) const
{
    const auto it = std::find_if(m_commands.cbegin(), m_commands.cend(),
                                 [&name](const auto &command) { return command->name() == name; });
    // Only names of the table are asked for. Not Q_UNREACHABLE() followed by a return: MSVC calls that return
    // unreachable code (C4702), and Q_UNREACHABLE_RETURN is not in Qt 6.4.
    Q_ASSERT(it != m_commands.cend());
    return it != m_commands.cend() ? it->get() : nullptr;
}

bool CommandTable::isGlobal(const OptionGroup &group) const
{
    const GlobalOptions &g = m_global;
    return hasGroup(
        {{g.help}, {g.version}, {g.url}, {g.accessTokenEnv}, {g.format}, {g.timeout}, {g.profile}, {g.demoDataDir}},
        group);
}

void CommandTable::addOptions(const QList<OptionGroup> &groups)
{
    for (const OptionGroup &group : groups)
        if (!hasGroup(m_options, group))
            m_options << group;
}

const OptionGroup *CommandTable::groupOf(const QString &optionName) const
{
    for (const OptionGroup &group : m_options)
        for (const QCommandLineOption &option : group)
            if (hasName(option, optionName))
                return &group;
    return nullptr;
}

QStringList CommandTable::commandsTaking(const OptionGroup &group) const
{
    QStringList commands;
    for (const auto &command : m_commands)
        if (command->takes(firstName(group)))
            commands << (command->name().contains(u' ') ? u'\'' + command->name() + u'\'' : command->name());
    return commands;
}

QString listed(const QStringList &words, Conjunction conjunction)
{
    if (words.size() < 2)
        return words.value(0);
    const QString head = words.first(words.size() - 1).join(u", "_s);
    return conjunction == Conjunction::And ? CommandTable::tr("%1 and %2").arg(head, words.constLast())
                                           : CommandTable::tr("%1 or %2").arg(head, words.constLast());
}

} // namespace Cli
