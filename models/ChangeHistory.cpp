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
    // An empty channel-state value is "never auto-close" (docs/closing-rule.md); an empty workstream timer is just
    // not set.
    return setting == TimerSetting::ChannelState ? Duration::format(std::nullopt) : tr("(empty)");
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

AuditState::Reason AuditState::reason() const
{
    if (!organization)
        return Reason::OrganizationAuditingOff;
    if (!table)
        return Reason::TableAuditingOff;
    if (!column)
        return Reason::ColumnAuditingOff;
    if (!privilege)
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

QString missingPrivilegeSentence(const QString &privilege)
{
    // "View Audit History" is the privilege's name in a security role (docs/change-history.md).
    return tr("You may not read the audit history of this environment: your security roles lack %1 (\"View Audit "
              "History\"). This does not mean nobody changed the value. Ask an administrator for a security role "
              "with \"View Audit History\" (Power Platform admin center > Environments > this environment > "
              "Settings > Users + permissions > Security roles).")
        .arg(privilege.isEmpty() ? QString::fromLatin1(ReadHistoryPrivilege) : privilege);
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
    if (!privilege)
        sentences << missingPrivilegeSentence(missingPrivilege);
    return sentences.join(u' ');
}

} // namespace ChangeHistory
