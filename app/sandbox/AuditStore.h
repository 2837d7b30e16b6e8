#pragma once

#include "app/sandbox/EntitySchema.h"
#include "models/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantHash>

#include <optional>

// Which changes the sandbox audits: the organization's switch (organization.isauditenabled), each table's and each
// column's IsAuditEnabled (docs/change-history.md). By default every audited table of the schema and its audited
// columns are on; --audit-off turns parts off for the life of the process.
class AuditSettings
{
public:
    // Each item: "organization", "<table>" or "<table>.<column>" (logical names). A BadInput error names a wrong one.
    static Result<AuditSettings> parse(const QStringList &auditOff);

    bool organizationEnabled() const { return m_organization; }
    bool tableEnabled(const EntitySetDef &set) const;
    bool columnEnabled(const EntitySetDef &set, const ColumnDef &column) const;
    // Whether a change to this column is recorded now: the organization, the table and the column all audited.
    bool records(const EntitySetDef &set, const ColumnDef &column) const;

private:
    bool m_organization = true;
    QSet<QString> m_tablesOff; // logical names
    QSet<QString> m_columnsOff; // "<table>.<column>"
};

// The audit history in the sandbox's SQLite database: the audit table the Web API reads (EntitySchema's "audits"),
// and beside it, in a table of the sandbox's own, the old and new values of each change, which the Web API gives
// only through RetrieveRecordChangeHistory, RetrieveAttributeChangeHistory and RetrieveAuditDetails.
namespace AuditStore {

// One change of one record, as recorded.
struct Change
{
    QString auditId;
    qint64 sequence = 0; // the order of recording: newer changes have larger numbers
    int action = 2; // 1 Create, 2 Update
    QString table; // logical name
    QString objectId;
    QString userId;
    QDateTime createdOn;
    QString transactionId;
    QJsonObject oldValue; // audited columns as they were, by JSON name; an empty value is left out
    QJsonObject newValue; // as they became
    QStringList columns; // the logical names of the columns the change touched
};

// Creates the tables the history lives in, when missing. In createSchema's transaction.
Result<Done> createTables(QSqlDatabase &db);

// Records a write to a row of set in the current transaction: before holds the written columns' values as they were
// (empty for a created row), written the values stored. Records nothing when no recorded column changed or auditing
// is off (settings). The caller rolls back the audit with the write.
Result<Done> recordWrite(QSqlDatabase &db, const AuditSettings &settings, const EntitySetDef &set, const QString &key,
                         bool created, const QVariantHash &before, const QVariantHash &written, const QString &userId,
                         const QString &transactionId, const QDateTime &when);

// Stores one change as it is given (the demo's seeded history).
Result<Done> insert(QSqlDatabase &db, const Change &change);

// A record's changes, newest first; only those that touched column when one is given. A page: at most count changes
// after the change with sequence `after` (0: from the newest).
struct Page
{
    QList<Change> changes;
    bool more = false;
    qint64 total = 0;
};
Result<Page> history(const QSqlDatabase &db, const QString &table, const QString &objectId, const QString &column,
                     qint64 after, qint64 skip, int count);
Result<std::optional<Change>> find(const QSqlDatabase &db, const QString &auditId);

} // namespace AuditStore
