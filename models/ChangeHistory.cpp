#include "models/ChangeHistory.h"

#include "models/Duration.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChangeHistory", text);
}
} // namespace

namespace ChangeHistory {

QString operationName(Operation operation)
{
    switch (operation) {
    case Operation::Create:
        return u"create"_s;
    case Operation::Update:
        return u"update"_s;
    case Operation::Delete:
        return u"delete"_s;
    case Operation::Access:
        return u"access"_s;
    case Operation::Unknown:
        break;
    }
    return u"unknown"_s;
}

qsizetype Page::entriesWithoutAuditRecord() const
{
    return std::count_if(entries.cbegin(), entries.cend(), [](const Entry &e) { return !e.hasAuditRecord(); });
}

QString valueText(std::optional<int> minutes, TimerSetting setting)
{
    if (minutes)
        return Duration::format(minutes);
    // As the window shows them: an empty channel-state value is "never auto-close" (docs/closing-rule.md); an empty
    // wrap-up block is taken for the admin center's "Always block" (UNCONFIRMED, docs/dataverse-tables.md); an empty
    // inactivity timer is not set.
    switch (setting) {
    case TimerSetting::ChannelState:
        return Duration::format(std::nullopt);
    case TimerSetting::WrapUpBlock:
        return tr("Always block");
    case TimerSetting::Inactivity:
        break;
    }
    return tr("Not set");
}

QString changeText(const Entry &entry, TimerSetting setting)
{
    if (entry.operation == Operation::Create)
        return tr("created: %1").arg(valueText(entry.newMinutes, setting));
    if (entry.operation == Operation::Delete)
        return tr("deleted (was %1)").arg(valueText(entry.oldMinutes, setting));
    return valueText(entry.oldMinutes, setting) + u" → " + valueText(entry.newMinutes, setting);
}

QString whoText(const Entry &entry)
{
    if (!entry.userName.isEmpty())
        return entry.userName;
    if (!entry.userId.isEmpty())
        return entry.userId;
    return tr("(not given)");
}

QString privilegeLabel(const QString &privilege)
{
    // The privileges' names in a security role (docs/change-history.md).
    if (privilege == QLatin1String(ReadHistoryPrivilege))
        return tr("View Audit History");
    if (privilege == QLatin1String(ReadSummaryPrivilege))
        return tr("View Audit Summary");
    return privilege;
}

AuditState::Reason AuditState::reason() const
{
    if (!organization)
        return Reason::OrganizationAuditingOff;
    if (!table)
        return Reason::TableAuditingOff;
    if (!column)
        return Reason::ColumnAuditingOff;
    if (!missingPrivileges.isEmpty())
        return Reason::MissingPrivilege;
    return Reason::None;
}

QString AuditState::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::OrganizationAuditingOff:
        return u"organization-auditing-off"_s;
    case Reason::TableAuditingOff:
        return u"table-auditing-off"_s;
    case Reason::ColumnAuditingOff:
        return u"column-auditing-off"_s;
    case Reason::MissingPrivilege:
        return u"missing-privilege"_s;
    case Reason::None:
        break;
    }
    return {};
}

QString missingPrivilegeSentence(const QStringList &privileges)
{
    QStringList named;
    QStringList labels;
    for (const QString &privilege : privileges) {
        const QString label = privilegeLabel(privilege);
        named << (label == privilege ? privilege : u"%1 (\"%2\")"_s.arg(privilege, label));
        labels << u'"' + label + u'"';
    }
    const auto joined = [](const QStringList &words) {
        return words.size() < 2 ? words.value(0)
                                : tr("%1 and %2").arg(words.first(words.size() - 1).join(u", "_s), words.constLast());
    };
    return tr("You may not read the audit history of this environment: your security roles lack %1. This does not "
              "mean nobody changed the value. Ask an administrator for a security role with %2 (Power Platform admin "
              "center > Environments > this environment > Settings > Users + permissions > Security roles).")
        .arg(joined(named), joined(labels));
}

QString AuditState::sentence() const
{
    if (available())
        return {};
    const QString tableName = TimerSettings::table(setting);
    const QString columnName = TimerSettings::column(setting);
    QStringList off;
    if (!organization)
        off << tr("for the environment");
    if (!table)
        off << tr("for the table %1").arg(tableName);
    if (!column)
        off << tr("for the column %1").arg(columnName);
    QStringList sentences;
    if (!off.isEmpty()) {
        const QString which = off.size() == 1
            ? off.first()
            : tr("%1 and %2").arg(off.first(off.size() - 1).join(u", "_s), off.constLast());
        sentences << tr("Dataverse keeps no history of this value: auditing is off %1, so nobody's changes to it "
                        "are recorded (which does not mean nobody changed it).")
                         .arg(which);
        // Who may turn each on, and where (docs/change-history.md): a System Administrator or System Customizer.
        if (!organization)
            sentences << tr("A System Administrator or System Customizer can start auditing for the environment in "
                            "the Power Platform admin center: Environments > this environment > Settings > Audit "
                            "and logs > Audit settings > Start Auditing.");
        if (!table)
            sentences << (tableCanBeChanged
                              ? tr("A System Administrator or System Customizer can turn it on for the table in Power "
                                   "Apps: Tables > %1 > Properties > Advanced options > \"Audit changes to its "
                                   "data\".")
                                    .arg(tableName)
                              : tr("The table's auditing setting is locked by the managed solution that brings %1 "
                                   "(its managed property canmodifyauditsettings): only the solution's publisher can "
                                   "change it.")
                                    .arg(tableName));
        if (!column)
            sentences << (columnCanBeChanged
                              ? tr("A System Administrator or System Customizer can turn it on for the column in Power "
                                   "Apps: Tables > %1 > Columns > %2 > Advanced options > \"Enable auditing\".")
                                    .arg(tableName, columnName)
                              : tr("The column's auditing setting is locked by the managed solution that brings %1 "
                                   "(its managed property canmodifyauditsettings): only the solution's publisher can "
                                   "change it.")
                                    .arg(tableName));
        sentences << tr("Only changes made after auditing is on are recorded.");
    }
    if (!missingPrivileges.isEmpty())
        sentences << missingPrivilegeSentence(missingPrivileges);
    return sentences.join(u' ');
}

void sortNewestFirst(QList<Entry> &entries, std::optional<std::optional<int>> current)
{
    std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        if (a.when.isValid() != b.when.isValid())
            return a.when.isValid(); // who knows when goes before who does not
        return a.when > b.when;
    });
    // Within one second: follow the values. The change after (newer than) the run went from the value the run's
    // newest change set (for the newest run, the record holds it now); each change's old value is the next older
    // one's new value.
    for (qsizetype start = 0; start < entries.size();) {
        qsizetype end = start + 1;
        while (end < entries.size() && entries.at(end).when.isValid() && entries.at(end).when == entries.at(start).when)
            ++end;
        if (end - start > 1 && entries.at(start).when.isValid()) {
            QList<Entry> run(entries.begin() + start, entries.begin() + end);
            QList<Entry> ordered;
            std::optional<std::optional<int>> expected = current;
            if (start > 0)
                expected = entries.at(start - 1).oldMinutes;
            while (!run.isEmpty()) {
                qsizetype pick = -1;
                if (expected) {
                    for (qsizetype i = 0; i < run.size() && pick < 0; ++i)
                        if (run.at(i).newMinutes == *expected)
                            pick = i;
                }
                // Else the newest: the change whose new value no other change of the run went on from.
                for (qsizetype i = 0; i < run.size() && pick < 0; ++i) {
                    const bool followed = std::any_of(run.cbegin(), run.cend(), [&](const Entry &other) {
                        return &other != &run.at(i) && other.oldMinutes == run.at(i).newMinutes;
                    });
                    if (!followed)
                        pick = i;
                }
                if (pick < 0)
                    pick = 0;
                expected = run.at(pick).oldMinutes;
                ordered << run.takeAt(pick);
            }
            std::copy(ordered.cbegin(), ordered.cend(), entries.begin() + start);
        }
        start = end;
    }
}

} // namespace ChangeHistory
