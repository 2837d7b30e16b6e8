#include "app/sandbox/StoreUpgrade.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"

#include <QCoreApplication>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {
Error upgradeError(const QSqlError &sqlError)
{
    Error e;
    e.kind = Error::Kind::Server;
    e.userMessage = QCoreApplication::translate("StoreUpgrade", "Cannot bring the sandbox database up to date.");
    e.serviceMessage = sqlError.text();
    return e;
}
} // namespace

Result<Done> StoreUpgrade::addMissingColumns(QSqlDatabase &db)
{
    for (const EntitySetDef &set : EntitySchema::all()) {
        QSqlQuery info(db);
        // The table name comes from the schema, never from a client.
        if (!info.exec(u"PRAGMA table_info("_s + set.logicalName + u')'))
            return upgradeError(info.lastError());
        QSet<QString> present;
        while (info.next())
            present.insert(info.value(1).toString());
        info.finish();
        for (const ColumnDef &c : set.columns) {
            if (present.contains(c.name))
                continue;
            QSqlQuery add(db);
            if (!add.exec(u"ALTER TABLE "_s + set.logicalName + u" ADD COLUMN "_s + c.name +
                          (c.type == ColumnDef::Type::Int ? u" INTEGER"_s : u" TEXT"_s)))
                return upgradeError(add.lastError());
        }
    }
    return Done {};
}

Result<Done> StoreUpgrade::ensureUser(QSqlDatabase &db, const QString &userId, const QString &fullName,
                                      const QDateTime &now)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT OR IGNORE INTO systemuser (systemuserid, fullname, versionnumber, createdon, modifiedon) "
              u"VALUES (?, ?, 1, ?, ?)"_s);
    q.addBindValue(userId);
    q.addBindValue(fullName);
    q.addBindValue(ODataFilter::storedDateTime(now));
    q.addBindValue(ODataFilter::storedDateTime(now));
    if (!q.exec())
        return upgradeError(q.lastError());
    return Done {};
}
