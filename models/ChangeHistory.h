#pragma once

#include "models/TimerSetting.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Who changed a value in the environment, and when: Dataverse's own audit history of one column of one record
// (docs/change-history.md): who and when from the audit table, old and new values from the change-history functions.
// Not the product's local audit log (app/snapshot/AuditLog), which only knows what this product did.
namespace ChangeHistory {

// audit.operation (docs/change-history.md): what kind of change made the entry.
enum class Operation {
    Unknown = 0,
    Create = 1,
    Update = 2,
    Delete = 3,
    Access = 4,
};
// "create", "update", "delete", "access", "unknown": the CLI's JSON.
QString operationName(Operation operation);

// One change of the value.
struct Entry
{
    // When the change was made, in UTC; invalid when the reply did not say (the change-history functions' details
    // carry no audit record over the Web API: docs/change-history.md).
    QDateTime when;
    QString userId; // the audit record's _userid_value; empty when not given
    QString userName; // its formatted value, the user's full name; empty when not given
    std::optional<int> oldMinutes; // empty: the column was empty ("never", or not set)
    std::optional<int> newMinutes;
    Operation operation = Operation::Unknown;
    QString auditId;

    // Whether the reply carried the audit record (who and when).
    bool hasAuditRecord() const { return when.isValid(); }
    friend bool operator==(const Entry &, const Entry &) = default;
};

// One page of the history, newest first.
struct Page
{
    QList<Entry> entries;
    int pageNumber = 1;
    int pageSize = 0;
    bool moreRecords = false; // another page follows
    std::optional<qint64> totalRecordCount; // empty when the service did not count
    QString pagingCookie;

    // How many entries lack who and when.
    qsizetype entriesWithoutAuditRecord() const;
};

// A value as people read it in the history, as the window shows it: "2 h"; empty, "Never" (channel-state), "Always
// block" (wrap-up block, UNCONFIRMED) or "Not set" (inactivity).
QString valueText(std::optional<int> minutes, TimerSetting setting);
// "60 min → 2 h"; a creation, "created: 2 h".
QString changeText(const Entry &entry, TimerSetting setting);
// The person who made the change: the name, else the id, else "(not given)".
QString whoText(const Entry &entry);

// The privileges that let a user read the history (docs/change-history.md): the change-history functions and
// RetrieveAuditDetails need both, the audit table (who and when) the first.
inline constexpr char ReadSummaryPrivilege[] = "prvReadAuditSummary"; // "View Audit Summary"
inline constexpr char ReadHistoryPrivilege[] = "prvReadRecordAuditHistory"; // "View Audit History"
// The privilege's name in a security role ("View Audit History"), or the privilege itself when it is another.
QString privilegeLabel(const QString &privilege);

// Whether Dataverse keeps a history of a value, and whether the signed-in user may read it: auditing must be on for
// the organization, the table and the column, and the user must hold both privileges above (docs/change-history.md).
// When any is missing there is no history to show, and the product says which and who can change it, rather than
// show an empty list that reads as "nobody changed it".
struct AuditState
{
    TimerSetting setting = TimerSetting::ChannelState;
    bool organization = true; // organization.isauditenabled
    bool table = true; // EntityDefinitions' IsAuditEnabled.Value
    bool tableCanBeChanged = true; // its CanBeChanged: false when a managed solution locks it
    bool column = true; // the column's IsAuditEnabled.Value
    bool columnCanBeChanged = true;
    QStringList missingPrivileges; // the privileges the user lacks, as RetrieveUserPrivileges or a 403 says

    // Why there is no history, the outermost first (the organization's switch before the table's, the table's
    // before the column's, auditing before the privileges).
    enum class Reason {
        None,
        OrganizationAuditingOff,
        TableAuditingOff,
        ColumnAuditingOff,
        MissingPrivilege,
    };
    Reason reason() const;
    bool available() const { return reason() == Reason::None; }
    bool auditingOff() const { return !organization || !table || !column; }
    bool privileged() const { return missingPrivileges.isEmpty(); }
    // "organization-auditing-off", "table-auditing-off", "column-auditing-off", "missing-privilege", "" (None): the
    // CLI's JSON.
    static QString reasonName(Reason reason);
    // What is missing and who can change it, in full: every switch that is off, named, with where a System
    // Administrator or System Customizer turns it on; the missing privileges and whom to ask. Empty when available.
    QString sentence() const;

    friend bool operator==(const AuditState &, const AuditState &) = default;
};

// The sentence for missing privileges alone: each named with its label in a security role, and whom to ask.
QString missingPrivilegeSentence(const QStringList &privileges);

// Puts entries newest first: by time, and changes made within the same second (the audit table's times have whole
// seconds, and their order within one is the service's choice) in the order their values follow each other, each
// change's old value the new value of the one before it. current, when known, is the value the record holds now: the
// newest change set it (which tells 60 → 45 → 60 from 45 → 60 → 45 within one second).
void sortNewestFirst(QList<Entry> &entries, std::optional<std::optional<int>> current = std::nullopt);

} // namespace ChangeHistory
