#include "app/sandbox/AuditStore.h"

#include "app/sandbox/ODataFilter.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("AuditStore", text);
}

Error storeError(const QSqlError &sqlError)
{
    Error e;
    e.kind = Error::Kind::Server;
    e.userMessage = tr("Cannot read or write the sandbox's audit history.");
    e.serviceMessage = sqlError.text();
    return e;
}

QJsonValue jsonOf(const ColumnDef &column, const QVariant &value)
{
    if (value.isNull())
        return QJsonValue::Null;
    return column.type == ColumnDef::Type::Int ? QJsonValue(value.toLongLong()) : QJsonValue(value.toString());
}

bool sameValue(const ColumnDef &column, const QVariant &a, const QVariant &b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() == b.isNull();
    return column.type == ColumnDef::Type::Int ? a.toLongLong() == b.toLongLong() : a.toString() == b.toString();
}

QString columnsField(const QStringList &columns)
{
    // ",a,b,": a column is found as ",name,".
    return u","_s + columns.join(u',') + u',';
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The columns history() and find() select, in the order changeAt() reads them.
const char *const ChangeColumns =
    "d.sequence, a.auditid, a.action, a.objecttypecode, a.objectid, a.userid, a.createdon, a.transactionid, "
    "d.oldvalue, d.newvalue, d.columns";

AuditStore::Change changeAt(const QSqlQuery &q)
{
    AuditStore::Change c;
    c.sequence = q.value(0).toLongLong();
    c.auditId = q.value(1).toString();
    c.action = q.value(2).toInt();
    c.table = q.value(3).toString();
    c.objectId = q.value(4).toString();
    c.userId = q.value(5).toString();
    c.createdOn = QDateTime::fromString(q.value(6).toString(), Qt::ISODate);
    c.transactionId = q.value(7).toString();
    c.oldValue = QJsonDocument::fromJson(q.value(8).toByteArray()).object();
    c.newValue = QJsonDocument::fromJson(q.value(9).toByteArray()).object();
    c.columns = q.value(10).toString().split(u',', Qt::SkipEmptyParts);
    return c;
}
} // namespace

Result<AuditSettings> AuditSettings::parse(const QStringList &auditOff)
{
    AuditSettings settings;
    for (const QString &item : auditOff) {
        if (item == u"organization"_s) {
            settings.m_organization = false;
            continue;
        }
        const QString table = item.section(u'.', 0, 0);
        const QString column = item.section(u'.', 1);
        const EntitySetDef *set = EntitySchema::findByLogicalName(table);
        if (!set || !set->audited) {
            QStringList audited;
            for (const EntitySetDef &def : EntitySchema::all()) {
                if (def.audited)
                    audited << def.logicalName;
            }
            return Error::badInput(tr("--audit-off %1: '%2' is not a table the sandbox audits. Give organization, "
                                      "one of %3, or <table>.<column>.")
                                       .arg(item, table, audited.join(u", "_s)));
        }
        if (column.isEmpty()) {
            settings.m_tablesOff.insert(table);
            continue;
        }
        const ColumnDef *def = set->column(column);
        if (!def || !def->audited) {
            QStringList audited;
            for (const ColumnDef &c : set->columns) {
                if (c.audited)
                    audited << c.name;
            }
            return Error::badInput(tr("--audit-off %1: '%2' is not an audited column of %3. Its audited columns: %4.")
                                       .arg(item, column, table, audited.join(u", "_s)));
        }
        settings.m_columnsOff.insert(item);
    }
    return settings;
}

bool AuditSettings::tableEnabled(const EntitySetDef &set) const
{
    return set.audited && !m_tablesOff.contains(set.logicalName);
}

bool AuditSettings::columnEnabled(const EntitySetDef &set, const ColumnDef &column) const
{
    return column.audited && !m_columnsOff.contains(set.logicalName + u'.' + column.name);
}

bool AuditSettings::records(const EntitySetDef &set, const ColumnDef &column) const
{
    return m_organization && tableEnabled(set) && columnEnabled(set, column);
}

Result<Done> AuditStore::createTables(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(u"CREATE TABLE IF NOT EXISTS sandbox_auditdetail (sequence INTEGER PRIMARY KEY AUTOINCREMENT, "
                u"auditid TEXT NOT NULL UNIQUE, oldvalue TEXT NOT NULL, newvalue TEXT NOT NULL, "
                u"columns TEXT NOT NULL)"_s) ||
        !q.exec(u"CREATE INDEX IF NOT EXISTS ix_audit_object ON audit (objectid, objecttypecode)"_s))
        return storeError(q.lastError());
    return Done {};
}

Result<Done> AuditStore::insert(QSqlDatabase &db, const Change &change)
{
    const EntitySetDef *set = EntitySchema::findByLogicalName(change.table);
    QStringList mask;
    for (const QString &name : change.columns) {
        if (const ColumnDef *c = set ? set->column(name) : nullptr)
            mask << QString::number(set->columnNumber(*c));
    }
    QSqlQuery audit(db);
    audit.prepare(u"INSERT INTO audit (auditid, action, operation, objecttypecode, objectid, userid, attributemask, "
                  u"transactionid, createdon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    audit.addBindValue(change.auditId);
    audit.addBindValue(change.action);
    audit.addBindValue(change.action); // operation: 1 Create, 2 Update, as action for these two
    audit.addBindValue(change.table);
    audit.addBindValue(change.objectId);
    audit.addBindValue(change.userId);
    audit.addBindValue(mask.join(u','));
    audit.addBindValue(change.transactionId);
    audit.addBindValue(ODataFilter::storedDateTime(change.createdOn));
    QSqlQuery detail(db);
    detail.prepare(u"INSERT INTO sandbox_auditdetail (auditid, oldvalue, newvalue, columns) VALUES (?, ?, ?, ?)"_s);
    detail.addBindValue(change.auditId);
    detail.addBindValue(QString::fromUtf8(compact(change.oldValue)));
    detail.addBindValue(QString::fromUtf8(compact(change.newValue)));
    detail.addBindValue(columnsField(change.columns));
    if (!audit.exec())
        return storeError(audit.lastError());
    if (!detail.exec())
        return storeError(detail.lastError());
    return Done {};
}

Result<Done> AuditStore::recordWrite(QSqlDatabase &db, const AuditSettings &settings, const EntitySetDef &set,
                                     const QString &key, bool created, const QVariantHash &before,
                                     const QVariantHash &written, const QString &userId, const QString &transactionId,
                                     const QDateTime &when)
{
    Change change;
    for (auto it = written.cbegin(); it != written.cend(); ++it) {
        const ColumnDef *c = set.column(it.key());
        if (!c || !settings.records(set, *c))
            continue;
        const QVariant was = created ? QVariant() : before.value(it.key());
        if (sameValue(*c, was, it.value()))
            continue; // unchanged (for a created row: left empty)
        change.columns << c->name;
        if (!was.isNull())
            change.oldValue.insert(c->jsonName(), jsonOf(*c, was));
        if (!it.value().isNull())
            change.newValue.insert(c->jsonName(), jsonOf(*c, it.value()));
    }
    if (change.columns.isEmpty())
        return Done {};
    std::sort(change.columns.begin(), change.columns.end(), [&set](const QString &a, const QString &b) {
        return set.columnNumber(*set.column(a)) < set.columnNumber(*set.column(b));
    });
    change.auditId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    change.action = created ? 1 : 2;
    change.table = set.logicalName;
    change.objectId = key;
    change.userId = userId;
    change.createdOn = when;
    change.transactionId = transactionId;
    return insert(db, change);
}

Result<AuditStore::Page> AuditStore::history(const QSqlDatabase &db, const QString &table, const QString &objectId,
                                             const QString &column, qint64 after, qint64 skip, int count)
{
    QString where = u" WHERE a.objectid = ? AND a.objecttypecode = ?"_s;
    QVariantList binds {objectId, table};
    if (!column.isEmpty()) {
        where += u" AND instr(d.columns, ?) > 0"_s;
        binds << QString(u","_s + column + u","_s);
    }
    const QString from = u" FROM sandbox_auditdetail d JOIN audit a ON a.auditid = d.auditid"_s;
    Page page;
    QSqlQuery total(db);
    total.prepare(u"SELECT COUNT(*)"_s + from + where);
    for (const QVariant &value : std::as_const(binds))
        total.addBindValue(value);
    if (!total.exec() || !total.next())
        return storeError(total.lastError());
    page.total = total.value(0).toLongLong();

    // Newest first; a page after another starts below the other's last change, so that changes recorded between
    // the two requests move nothing (docs/change-history.md).
    if (after > 0) {
        where += u" AND d.sequence < ?"_s;
        binds << after;
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + QString::fromLatin1(ChangeColumns) + from + where +
              u" ORDER BY d.sequence DESC LIMIT ? OFFSET ?"_s);
    for (const QVariant &value : std::as_const(binds))
        q.addBindValue(value);
    q.addBindValue(count + 1);
    q.addBindValue(after > 0 ? 0 : skip);
    if (!q.exec())
        return storeError(q.lastError());
    while (q.next()) {
        if (page.changes.size() == count) {
            page.more = true;
            break;
        }
        page.changes << changeAt(q);
    }
    return page;
}

Result<std::optional<AuditStore::Change>> AuditStore::find(const QSqlDatabase &db, const QString &auditId)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT "_s + QString::fromLatin1(ChangeColumns) +
              u" FROM sandbox_auditdetail d JOIN audit a ON a.auditid = d.auditid WHERE a.auditid = ?"_s);
    q.addBindValue(auditId.toLower());
    if (!q.exec())
        return storeError(q.lastError());
    if (!q.next())
        return std::optional<Change>();
    return std::optional<Change>(changeAt(q));
}
