#pragma once

#include "models/TimerSetting.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Who changed a value in the environment, and when: Dataverse's own audit history of one column of one record, as
// RetrieveAttributeChangeHistory returns it (docs/change-history.md). Not the product's local audit log
// (app/snapshot/AuditLog), which only knows what this product did.
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
    // When the change was made, in UTC; invalid when the reply did not say (Microsoft documents that the Web API's
    // change history may leave the audit record out: docs/change-history.md).
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

// A value as people read it in the history: "2 h", "Never" for an empty value of a setting that may be empty,
// "(empty)" for one that may not (the column is required, but an old record may still hold nothing).
QString valueText(std::optional<int> minutes, TimerSetting setting);
// "60 min → 2 h"; a creation, "created: 2 h".
QString changeText(const Entry &entry, TimerSetting setting);
// The person who made the change: the name, else the id, else "(not given)".
QString whoText(const Entry &entry);

// Whether Dataverse keeps a history of a value, and whether the signed-in user may read it: auditing must be on for
// the organization, the table and the column, and the user must hold prvReadRecordAuditHistory ("View Audit
// History" in a security role) (docs/change-history.md). When any is missing there is no history to show, and the
// product says which and who can change it, rather than show an empty list that reads as "nobody changed it".
struct AuditState
{
    TimerSetting setting = TimerSetting::ChannelState;
    bool organization = true; // organization.isauditenabled
    bool table = true; // EntityDefinitions' IsAuditEnabled.Value
    bool tableCanBeChanged = true; // its CanBeChanged: false when a managed solution locks it
    bool column = true; // the column's IsAuditEnabled.Value
    bool columnCanBeChanged = true;
    bool privilege = true; // prvReadRecordAuditHistory held
    QString missingPrivilege; // when privilege is false, the privilege the service named (empty: that one)

    // Why there is no history, the outermost first (the organization's switch before the table's, the table's
    // before the column's, auditing before the privilege).
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
    // "organization-auditing-off", "table-auditing-off", "column-auditing-off", "missing-privilege", "" (None): the
    // CLI's JSON.
    static QString reasonName(Reason reason);
    // What is missing and who can change it, in full: every switch that is off, named, with where a System
    // Administrator or System Customizer turns it on; the missing privilege and whom to ask. Empty when available.
    QString sentence() const;

    friend bool operator==(const AuditState &, const AuditState &) = default;
};

// The sentence for a missing privilege alone (also when the service refuses the history with 403 although the
// privileges read said otherwise). privilege: the name the service gave, prvReadRecordAuditHistory when empty.
QString missingPrivilegeSentence(const QString &privilege = {});

// The privilege RetrieveAttributeChangeHistory needs (docs/change-history.md).
inline constexpr char ReadHistoryPrivilege[] = "prvReadRecordAuditHistory";

} // namespace ChangeHistory
