#include "BulkConversations.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

Result<Done> BulkConversations::insert(const QString &databasePath, const Spec &spec)
{
    const QString connection = u"bulk-conversations-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto fail = [&connection](const QString &what) -> Result<Done> {
        QSqlDatabase::removeDatabase(connection);
        return Error::badInput(what);
    };
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(databasePath);
        // The sandbox may be reading or writing the same file.
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=30000"_s);
        if (!db.open())
            return fail(db.lastError().text());
        QSqlQuery q(db);
        if (!q.exec(u"BEGIN IMMEDIATE"_s))
            return fail(q.lastError().text());
        // Ids shaped as GUIDs (version 4), random; times to the second, as the Web API writes them.
        q.prepare(u"WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < ?) "
                  u"INSERT INTO msdyn_ocliveworkitem (activityid, statecode, statuscode, msdyn_channel, createdon, "
                  u"modifiedon, msdyn_modifiedon, subject, msdyn_title, msdyn_liveworkstreamid, versionnumber) "
                  u"SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
                  u"substr(hex(randomblob(2)), 2) || '-8' || substr(hex(randomblob(2)), 2) || '-' || "
                  u"hex(randomblob(6))), 0, ?, ?, t, t, t, 'Bulk conversation ' || k, 'Customer ' || k, ?, 1 "
                  u"FROM (SELECT k, strftime('%Y-%m-%dT%H:%M:%SZ', ?, '+' || (k * ?) || ' seconds') AS t FROM n)"_s);
        q.addBindValue(spec.count);
        q.addBindValue(spec.statusCode);
        q.addBindValue(QString::number(spec.channel));
        // Stored as the sandbox stores a lookup: the GUID in lower case, without braces.
        q.addBindValue(spec.workstreamId.isEmpty()
                           ? QVariant(QMetaType(QMetaType::QString))
                           : QVariant(QUuid::fromString(spec.workstreamId).toString(QUuid::WithoutBraces)));
        q.addBindValue(spec.first.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s));
        q.addBindValue(spec.stepSeconds);
        if (!q.exec()) {
            const QString error = q.lastError().text();
            QSqlQuery(db).exec(u"ROLLBACK"_s);
            return fail(error);
        }
        if (!q.exec(u"COMMIT"_s))
            return fail(q.lastError().text());
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return Done {};
}
