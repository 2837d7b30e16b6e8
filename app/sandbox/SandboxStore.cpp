#include "app/sandbox/SandboxStore.h"

#include "app/common/PrivateFiles.h"

#include "app/sandbox/AuditStore.h"
#include "app/sandbox/DemoSeed.h"
#include "app/sandbox/Keyset.h"
#include "app/sandbox/PagingCookie.h"
#include "app/sandbox/StoreUpgrade.h"
#include "models/TextFormats.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QUuid>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("SandboxStore", text);
}

Error storeError(const QString &what, const QSqlError &sqlError)
{
    Error e;
    e.kind = Error::Kind::Server;
    e.userMessage = what;
    e.serviceMessage = sqlError.text();
    return e;
}

QString sqlType(ColumnDef::Type type)
{
    return type == ColumnDef::Type::Int ? u"INTEGER"_s : u"TEXT"_s;
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
} // namespace

SandboxStore::~SandboxStore()
{
    {
        QSqlDatabase database = QSqlDatabase::database(m_connectionName, false);
        if (database.isOpen())
            database.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase SandboxStore::db() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Result<std::unique_ptr<SandboxStore>> SandboxStore::open(const QString &dataDir)
{
    return open(dataDir, Seed {});
}

Result<std::unique_ptr<SandboxStore>> SandboxStore::open(const QString &dataDir, const Seed &seed)
{
    if (!PrivateFiles::makeDirectory(dataDir))
        return Error::badInput(tr("Cannot create the data directory %1. Choose a directory you can write to with "
                                  "--data-dir.")
                                   .arg(QDir::toNativeSeparators(dataDir)));
    std::unique_ptr<SandboxStore> store(new SandboxStore);
    store->m_connectionName = u"autoclose-sandbox-"_s + newId();
    store->m_path = QDir(dataDir).absoluteFilePath(u"sandbox.sqlite"_s);

    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s))
        return Error::badInput(
            tr("Qt's SQLite driver is not installed (on Debian: apt-get install libqt6sql6-sqlite)."));
    // Private from the start: SQLite gives its -wal and -shm files the database's mode.
    if (!PrivateFiles::createPrivately(store->m_path))
        return Error::badInput(tr("Cannot create the sandbox database %1 in a folder you can write to.")
                                   .arg(QDir::toNativeSeparators(store->m_path)));
    QSqlDatabase database = QSqlDatabase::addDatabase(u"QSQLITE"_s, store->m_connectionName);
    database.setDatabaseName(store->m_path);
    // Another process may serve the same database (the window's Demo environment and autoclose-cli's): a write
    // waits this long for the other's to end instead of failing with "database is locked". Writes take
    // milliseconds; seeding the demo data, well under a second.
    database.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(BusyTimeoutMs));
    if (!database.open())
        return storeError(tr("Cannot open the sandbox database %1.").arg(QDir::toNativeSeparators(store->m_path)),
                          database.lastError());
    QSqlQuery pragma(database);
    pragma.exec(u"PRAGMA journal_mode=WAL"_s);
    pragma.exec(u"PRAGMA foreign_keys=ON"_s);

    if (auto created = store->createSchema(seed); !created)
        return created.error();
    if (auto loaded = store->loadIdentity(); !loaded)
        return loaded.error();
    return store;
}

Result<Done> SandboxStore::createSchema(const Seed &seed)
{
    QSqlDatabase database = db();
    // IMMEDIATE: the write lock from the start, so that of two processes opening a new data directory at once one
    // creates and seeds it while the other waits (the busy timeout), then finds it seeded.
    QSqlQuery q(database);
    if (!q.exec(u"BEGIN IMMEDIATE"_s))
        return storeError(tr("Cannot start a transaction on the sandbox database."), q.lastError());

    // Everything below commits together: a failed first start leaves an empty database, never a half-filled one.
    const auto fail = [&database](const QString &what, const QSqlError &error) -> Result<Done> {
        QSqlQuery(database).exec(u"ROLLBACK"_s);
        return storeError(what, error);
    };
    if (!q.exec(u"CREATE TABLE IF NOT EXISTS sandbox_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s))
        return fail(tr("Cannot create the sandbox's tables."), q.lastError());
    // Created when missing, in data directories older than paging cookies too; the write lock held since BEGIN
    // IMMEDIATE makes it one secret for every process opening the directory.
    QSqlQuery secret(database);
    secret.prepare(u"INSERT OR IGNORE INTO sandbox_meta (key, value) VALUES ('pagingsecret', ?)"_s);
    secret.addBindValue(QString::fromLatin1(PagingCookie::newSecret().toHex()));
    if (!secret.exec())
        return fail(tr("Cannot write the sandbox database."), secret.lastError());
    for (const EntitySetDef &set : EntitySchema::all()) {
        QStringList columns;
        for (const ColumnDef &c : set.columns)
            columns << c.name + u' ' + sqlType(c.type) + (c.name == set.key ? u" PRIMARY KEY"_s : QString());
        if (!q.exec(u"CREATE TABLE IF NOT EXISTS "_s + set.logicalName + u" ("_s + columns.join(u", "_s) + u')'))
            return fail(tr("Cannot create the sandbox's tables."), q.lastError());
    }
    // A data directory made by an older version gains the columns added since, and the audit history's tables.
    if (auto upgraded = StoreUpgrade::addMissingColumns(database); !upgraded)
        return fail(upgraded.error().userMessage, QSqlError(upgraded.error().serviceMessage, {}));
    if (auto audit = AuditStore::createTables(database); !audit)
        return fail(audit.error().userMessage, QSqlError(audit.error().serviceMessage, {}));
    // What the preview's queries filter on (state, time, channel) and the key they are paged by, in covering
    // indexes: a page's rows are chosen and ordered from an index alone, and only the page's rows are read from the
    // table. With (statuscode, createdon) only, a 5000-row page of a million conversations read every matching row.
    // ContainValues on the channel (see ODataFilter) uses the second index for rows with one channel (equality) and
    // the partial third for rows with several; both hold every time the preview's timer bases read.
    if (!q.exec(u"DROP INDEX IF EXISTS ix_ocliveworkitem_status_created"_s) || // the one data directories had
        !q.exec(u"CREATE INDEX IF NOT EXISTS ix_ocliveworkitem_preview ON msdyn_ocliveworkitem "
                u"(statuscode, createdon, msdyn_channel, activityid)"_s) ||
        !q.exec(u"CREATE INDEX IF NOT EXISTS ix_ocliveworkitem_bychannel ON msdyn_ocliveworkitem "
                u"(statuscode, msdyn_channel, createdon, activityid, msdyn_wrapupinitiatedon, msdyn_modifiedon, "
                u"modifiedon)"_s) ||
        !q.exec(u"CREATE INDEX IF NOT EXISTS ix_ocliveworkitem_multi ON msdyn_ocliveworkitem "
                u"(statuscode, createdon, activityid, msdyn_wrapupinitiatedon, msdyn_modifiedon, modifiedon) "
                u"WHERE msdyn_channel GLOB '*,*'"_s) ||
        // Reads of every conversation in creation order, and the counts of creation-time ranges that split such a
        // read for ParallelReader, from an index instead of a scan of the table.
        !q.exec(
            u"CREATE INDEX IF NOT EXISTS ix_ocliveworkitem_created ON msdyn_ocliveworkitem (createdon, activityid)"_s))
        return fail(tr("Cannot create the sandbox's tables."), q.lastError());

    if (!q.exec(u"SELECT COUNT(*) FROM sandbox_meta WHERE key = 'organizationid'"_s) || !q.next())
        return fail(tr("Cannot read the sandbox database."), q.lastError());
    const bool seeding = q.value(0).toInt() == 0;
    if (seeding) {
        QSqlQuery insert(database);
        insert.prepare(u"INSERT INTO sandbox_meta (key, value) VALUES (?, ?)"_s);
        const QList<std::pair<QString, QString>> meta = {
            {u"organizationid"_s, newId()},
            {u"tenantid"_s, newId()},
            {u"userid"_s, newId()},
            {u"businessunitid"_s, newId()},
            {u"seededon"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
        for (const auto &[key, value] : meta) {
            insert.addBindValue(key);
            insert.addBindValue(value);
            if (!insert.exec())
                return fail(tr("Cannot write the sandbox database."), insert.lastError());
        }
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString userId = meta.at(2).second;
        auto seeded = seed.file.isEmpty() ? DemoSeed::fill(database, now, userId, seed.conversations, seed.randomSeed)
                                          : DemoSeed::fillFromFile(database, seed.file, now);
        if (!seeded) {
            q.finish();
            QSqlQuery(database).exec(u"ROLLBACK"_s);
            return seeded.error();
        }
    } else if (seed.required) {
        q.finish();
        QSqlQuery(database).exec(u"ROLLBACK"_s);
        return Error::badInput(tr("%1 already holds a sandbox; --seed and --conversations only fill an empty data "
                                  "directory. Choose a new --data-dir, or leave them out to use the data there.")
                                   .arg(QDir::toNativeSeparators(QFileInfo(m_path).absolutePath())));
    }
    // The signed-in user, whom the audit history names, in every data directory (older ones had no users).
    if (!q.exec(u"SELECT value FROM sandbox_meta WHERE key = 'userid'"_s) || !q.next())
        return fail(tr("Cannot read the sandbox database."), q.lastError());
    const QString userId = q.value(0).toString();
    q.finish();
    if (auto user = StoreUpgrade::ensureUser(database, userId, QString::fromLatin1(StoreUpgrade::SignedInUserFullName),
                                             QDateTime::currentDateTimeUtc());
        !user)
        return fail(user.error().userMessage, QSqlError(user.error().serviceMessage, {}));
    if (QSqlQuery commit(database); !commit.exec(u"COMMIT"_s))
        return fail(tr("Cannot write the sandbox database."), commit.lastError());
    if (!seeding)
        return Done {};
    // A fresh seed sits entirely in the write-ahead log; until it is copied into the database file every page read
    // searches the log's index, which made a 5000-row page of a million conversations several times slower.
    QSqlQuery checkpoint(database);
    if (!checkpoint.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s))
        return storeError(tr("Cannot write the sandbox database."), checkpoint.lastError());
    return Done {};
}

Result<Done> SandboxStore::loadIdentity()
{
    QSqlQuery q(db());
    if (!q.exec(u"SELECT key, value FROM sandbox_meta"_s))
        return storeError(tr("Cannot read the sandbox database."), q.lastError());
    while (q.next()) {
        const QString key = q.value(0).toString();
        const QString value = q.value(1).toString();
        if (key == u"organizationid"_s)
            m_identity.organizationId = value;
        else if (key == u"tenantid"_s)
            m_identity.tenantId = value;
        else if (key == u"userid"_s)
            m_identity.userId = value;
        else if (key == u"businessunitid"_s)
            m_identity.businessUnitId = value;
        else if (key == u"pagingsecret"_s)
            m_pagingSecret = QByteArray::fromHex(value.toLatin1());
    }
    return Done {};
}

// The columns a reply reads, in the order a SELECT names them: the version, the key, the selected columns (all when
// none are), and the lookup an $expand follows.
struct SandboxStore::RowLayout
{
    QList<const ColumnDef *> columns; // position i + 1 in the result (0 is versionnumber)
    int expandAt = -1; // position of the expanded lookup's id, when there is one
    QString sqlColumns;
    int width = 0; // the number of sqlColumns
    // Where selectPage puts the sort key, after sqlColumns, and how many values it has.
    int sortKeyAt = -1;
    int sortKeySize = 0;
};

SandboxStore::RowLayout SandboxStore::layoutFor(const EntitySetDef &set, const QList<const ColumnDef *> &select,
                                                const Query *expandFrom)
{
    RowLayout layout;
    // The key comes with every row, selected or not, as the Web API does.
    layout.columns << set.column(set.key);
    if (select.isEmpty()) {
        for (const ColumnDef &c : set.columns)
            layout.columns << &c;
    } else {
        layout.columns << select;
    }
    // Position 0 is the row's version, or NULL for a table without versions (no @odata.etag).
    QStringList names {set.versioned ? u"versionnumber"_s : u"NULL"_s};
    for (const ColumnDef *c : std::as_const(layout.columns))
        names << c->name;
    if (expandFrom && expandFrom->expand) {
        layout.expandAt = int(names.size());
        names << expandFrom->expand->name;
    }
    layout.sqlColumns = names.join(u", "_s);
    layout.width = int(names.size());
    return layout;
}

QJsonObject SandboxStore::toJson(const QSqlQuery &row, const RowLayout &layout, const Query *expandFrom) const
{
    QJsonObject object;
    if (!row.value(0).isNull())
        object.insert(u"@odata.etag"_s, QString(u"W/\""_s + QString::number(row.value(0).toLongLong()) + u'"'));
    for (qsizetype i = 0; i < layout.columns.size(); ++i) {
        const ColumnDef &c = *layout.columns.at(i);
        const QVariant value = row.value(int(i) + 1);
        if (value.isNull())
            object.insert(c.jsonName(), QJsonValue::Null);
        else if (c.type == ColumnDef::Type::Int)
            object.insert(c.jsonName(), value.toLongLong());
        else
            object.insert(c.jsonName(), value.toString());
    }
    if (layout.expandAt >= 0) {
        const ColumnDef &lookup = *expandFrom->expand;
        const EntitySetDef *target = EntitySchema::find(lookup.lookupEntitySet);
        const QVariant id = row.value(layout.expandAt);
        QJsonValue expanded = QJsonValue::Null;
        if (target && !id.isNull()) {
            Query nested;
            nested.select = expandFrom->expandSelect;
            const auto found = get(*target, id.toString(), nested);
            if (found && found.value())
                expanded = *found.value();
        }
        object.insert(lookup.name, expanded);
    }
    return object;
}

Result<Done> SandboxStore::selectPage(QSqlQuery &q, const EntitySetDef &set, const Query &query,
                                      RowLayout &layout) const
{
    q.setForwardOnly(true);
    // The key ends every ordering, so pages never overlap or skip rows.
    const auto page = Keyset::page(set, query.orderBy, query.where, query.after);
    if (!page) // QueryOptions takes only cookies whose key fits the ordering: this one was made some other way
        return storeError(tr("Cannot read the sandbox database."), QSqlError());
    layout.sortKeyAt = layout.width;
    layout.sortKeySize = int(page->keyColumns.size());
    const QString where = page->where.sql.isEmpty() ? QString() : u" WHERE "_s + page->where.sql;
    // The page is chosen by rowid first, so that an index holding the filtered and ordered columns answers it
    // without reading the rows that are not on the page; it starts at the cursor, never after an OFFSET, which
    // SQLite can only count through.
    q.prepare(u"SELECT "_s + layout.sqlColumns + u", "_s + page->keyColumns.join(u", "_s) + u" FROM "_s +
              set.logicalName + u" WHERE rowid IN (SELECT rowid FROM "_s + set.logicalName + where + u" ORDER BY "_s +
              page->orderBy + u" LIMIT ?) ORDER BY "_s + page->orderBy);
    for (const QVariant &value : page->where.binds)
        q.addBindValue(value);
    q.addBindValue(query.limit);
    if (!q.exec())
        return storeError(tr("Cannot read the sandbox database."), q.lastError());
    return Done {};
}

QVariantList SandboxStore::sortKeyOf(const QSqlQuery &row, const RowLayout &layout)
{
    QVariantList key;
    for (int i = 0; i < layout.sortKeySize; ++i)
        key << row.value(layout.sortKeyAt + i);
    return key;
}

Result<qsizetype> SandboxStore::writeList(const EntitySetDef &set, const Query &query, qsizetype write, QByteArray *out,
                                          QVariantList *lastKey) const
{
    Q_ASSERT(!query.expand);
    QSqlQuery q(db());
    RowLayout layout = layoutFor(set, query.select, nullptr);
    if (auto selected = selectPage(q, set, query, layout); !selected)
        return selected.error();
    // QJsonDocument writes an object's keys sorted, once each; "@odata.etag" sorts first.
    struct Field
    {
        QByteArray key; // "name":
        int position;
        bool integer;
    };
    QList<Field> fields;
    for (qsizetype i = 0; i < layout.columns.size(); ++i) {
        const ColumnDef &c = *layout.columns.at(i);
        fields << Field {'"' + c.jsonName().toUtf8() + "\":", int(i) + 1, c.type == ColumnDef::Type::Int};
    }
    std::stable_sort(fields.begin(), fields.end(), [](const Field &a, const Field &b) { return a.key < b.key; });
    fields.erase(
        std::unique(fields.begin(), fields.end(), [](const Field &a, const Field &b) { return a.key == b.key; }),
        fields.end());
    qsizetype read = 0;
    while (q.next()) {
        if (read++ >= write)
            continue; // read only to tell whether another page follows
        if (read > 1)
            out->append(',');
        bool first = q.value(0).isNull();
        if (first) {
            out->append('{');
        } else {
            out->append("{\"@odata.etag\":\"W/\\\"");
            out->append(QByteArray::number(q.value(0).toLongLong()));
            out->append("\\\"\"");
        }
        for (const Field &f : std::as_const(fields)) {
            if (!std::exchange(first, false))
                out->append(',');
            out->append(f.key);
            const QVariant value = q.value(f.position);
            if (value.isNull())
                out->append("null");
            else if (f.integer)
                out->append(QByteArray::number(value.toLongLong()));
            else
                TextFormats::appendJsonString(out, value.toString());
        }
        out->append('}');
        if (lastKey && read == write)
            *lastKey = sortKeyOf(q, layout);
    }
    return read;
}

Result<QList<QJsonObject>> SandboxStore::list(const EntitySetDef &set, const Query &query,
                                              QList<QVariantList> *sortKeys) const
{
    QSqlQuery q(db());
    RowLayout layout = layoutFor(set, query.select, &query);
    if (auto selected = selectPage(q, set, query, layout); !selected)
        return selected.error();
    QList<QJsonObject> rows;
    while (q.next()) {
        rows.append(toJson(q, layout, &query));
        if (sortKeys)
            sortKeys->append(sortKeyOf(q, layout));
    }
    return rows;
}

Result<std::optional<QJsonObject>> SandboxStore::get(const EntitySetDef &set, const QString &key,
                                                     const Query &query) const
{
    QSqlQuery q(db());
    const RowLayout layout = layoutFor(set, query.select, &query);
    q.prepare(u"SELECT "_s + layout.sqlColumns + u" FROM "_s + set.logicalName + u" WHERE "_s + set.key + u" = ?"_s);
    q.addBindValue(key.toLower());
    if (!q.exec())
        return storeError(tr("Cannot read the sandbox database."), q.lastError());
    if (!q.next())
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(toJson(q, layout, &query));
}

Result<qint64> SandboxStore::count(const EntitySetDef &set, const SqlCondition &where) const
{
    QSqlQuery q(db());
    q.prepare(u"SELECT COUNT(*) FROM "_s + set.logicalName +
              (where.sql.isEmpty() ? QString() : u" WHERE "_s + where.sql));
    for (const QVariant &value : where.binds)
        q.addBindValue(value);
    if (!q.exec() || !q.next())
        return storeError(tr("Cannot read the sandbox database."), q.lastError());
    return q.value(0).toLongLong();
}

Result<QList<QJsonObject>> SandboxStore::groupCount(const EntitySetDef &set, const SqlCondition &where,
                                                    const QList<const ColumnDef *> &groupBy, const QString &alias) const
{
    QStringList columns;
    for (const ColumnDef *c : groupBy)
        columns << c->name;
    const QString group = columns.join(u", "_s);
    QSqlQuery q(db());
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + (group.isEmpty() ? QString() : group + u", "_s) + u"COUNT(*) FROM "_s + set.logicalName +
              (where.sql.isEmpty() ? QString() : u" WHERE "_s + where.sql) +
              (group.isEmpty() ? QString() : u" GROUP BY "_s + group + u" ORDER BY "_s + group));
    for (const QVariant &value : where.binds)
        q.addBindValue(value);
    if (!q.exec())
        return storeError(tr("Cannot read the sandbox database."), q.lastError());
    QList<QJsonObject> rows;
    while (q.next()) {
        QJsonObject row;
        for (qsizetype i = 0; i < groupBy.size(); ++i) {
            const QVariant value = q.value(int(i));
            const ColumnDef &c = *groupBy.at(i);
            row.insert(c.jsonName(),
                       value.isNull()                       ? QJsonValue(QJsonValue::Null)
                           : c.type == ColumnDef::Type::Int ? QJsonValue(value.toLongLong())
                                                            : QJsonValue(value.toString()));
        }
        row.insert(alias, q.value(int(groupBy.size())).toLongLong());
        rows << row;
    }
    return rows;
}

Result<Done> SandboxStore::savepoint(const QString &name)
{
    QSqlQuery q(db());
    // The outermost unit is a transaction that takes the write lock at once (waiting for another process's write to
    // end): begun as a plain savepoint, it would read first and could not then write over a snapshot another process
    // has written since (SQLITE_BUSY_SNAPSHOT, which no waiting cures).
    if (m_savepoints == 0 && !q.exec(u"BEGIN IMMEDIATE"_s))
        return storeError(tr("Cannot write the sandbox database."), q.lastError());
    if (m_savepoints == 0)
        m_transactionId = newId(); // the audit rows of one transaction share it (docs/change-history.md)
    if (!q.exec(u"SAVEPOINT "_s + name)) {
        if (m_savepoints == 0)
            QSqlQuery(db()).exec(u"ROLLBACK"_s);
        return storeError(tr("Cannot write the sandbox database."), q.lastError());
    }
    ++m_savepoints;
    return Done {};
}

Result<Done> SandboxStore::release(const QString &name)
{
    QSqlQuery q(db());
    if (!q.exec(u"RELEASE "_s + name))
        return storeError(tr("Cannot write the sandbox database."), q.lastError());
    if (--m_savepoints == 0 && !q.exec(u"COMMIT"_s)) {
        QSqlQuery(db()).exec(u"ROLLBACK"_s);
        return storeError(tr("Cannot write the sandbox database."), q.lastError());
    }
    return Done {};
}

void SandboxStore::rollbackTo(const QString &name)
{
    QSqlQuery q(db());
    if (m_savepoints == 0)
        return; // released already, or never begun
    q.exec(u"ROLLBACK TO "_s + name);
    q.exec(u"RELEASE "_s + name);
    if (--m_savepoints == 0)
        q.exec(u"ROLLBACK"_s);
}

Result<qint64> SandboxStore::nextVersion()
{
    // One counter for the whole organization, like Dataverse's rowversion: every write gets a larger number.
    QSqlQuery q(db());
    if (!q.exec(u"UPDATE sandbox_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'versionnumber'"_s) ||
        !q.exec(u"SELECT value FROM sandbox_meta WHERE key = 'versionnumber'"_s) || !q.next())
        return storeError(tr("Cannot write the sandbox database."), q.lastError());
    return q.value(0).toLongLong();
}

Result<SandboxStore::WriteOutcome> SandboxStore::upsert(const EntitySetDef &set, const QString &key,
                                                        const QVariantHash &values, const WriteConditions &conditions)
{
    QSqlDatabase database = db();
    // A savepoint, not a transaction, so that an upsert can run inside a change set's savepoint.
    if (auto begun = savepoint(u"upsert"_s); !begun)
        return begun.error();
    const auto finish = [this](Result<WriteOutcome> outcome) -> Result<WriteOutcome> {
        if (outcome && (outcome.value() == WriteOutcome::Updated || outcome.value() == WriteOutcome::Created)) {
            if (auto released = release(u"upsert"_s); !released) {
                rollbackTo(u"upsert"_s);
                return released.error();
            }
        } else {
            rollbackTo(u"upsert"_s);
        }
        return outcome;
    };

    // The version, and the written columns as they are, for the audit history.
    const QStringList written = values.keys();
    QSqlQuery current(database);
    current.prepare(u"SELECT "_s + QStringList(QStringList {u"versionnumber"_s} + written).join(u", "_s) + u" FROM "_s +
                    set.logicalName + u" WHERE "_s + set.key + u" = ?"_s);
    current.addBindValue(key);
    if (!current.exec())
        return finish(storeError(tr("Cannot read the sandbox database."), current.lastError()));
    const bool exists = current.next();
    const qint64 version = exists ? current.value(0).toLongLong() : 0;
    QVariantHash before;
    for (qsizetype i = 0; exists && i < written.size(); ++i)
        before.insert(written.at(i), current.value(int(i) + 1));
    current.finish();

    if (!conditions.ifMatch.isEmpty()) {
        if (!exists)
            return finish(WriteOutcome::NotFound);
        if (conditions.ifMatch != u"*"_s && conditions.ifMatch != u"W/\"%1\""_s.arg(version))
            return finish(WriteOutcome::Stale);
    }
    if (exists && conditions.ifNoneMatchAny)
        return finish(WriteOutcome::Exists);

    const auto newVersion = nextVersion();
    if (!newVersion)
        return finish(newVersion.error());
    const QDateTime writtenAt = QDateTime::currentDateTimeUtc();
    const QString now = ODataFilter::storedDateTime(writtenAt);

    QVariantHash row = values;
    row.insert(u"versionnumber"_s, newVersion.value());
    row.insert(u"modifiedon"_s, now);
    QSqlQuery write(database);
    if (exists) {
        QStringList assignments;
        for (auto it = row.cbegin(); it != row.cend(); ++it)
            assignments << it.key() + u" = ?"_s;
        write.prepare(u"UPDATE "_s + set.logicalName + u" SET "_s + assignments.join(u", "_s) + u" WHERE "_s + set.key +
                      u" = ?"_s);
        for (auto it = row.cbegin(); it != row.cend(); ++it)
            write.addBindValue(it.value());
        write.addBindValue(key);
    } else {
        row.insert(set.key, key);
        row.insert(u"createdon"_s, now);
        if (!row.contains(u"statecode"_s))
            row.insert(u"statecode"_s, 0);
        if (!row.contains(u"statuscode"_s))
            row.insert(u"statuscode"_s, 1);
        QStringList names;
        QStringList marks;
        for (auto it = row.cbegin(); it != row.cend(); ++it) {
            names << it.key();
            marks << u"?"_s;
        }
        write.prepare(u"INSERT INTO "_s + set.logicalName + u" ("_s + names.join(u", "_s) + u") VALUES ("_s +
                      marks.join(u", "_s) + u')');
        for (auto it = row.cbegin(); it != row.cend(); ++it)
            write.addBindValue(it.value());
    }
    if (!write.exec())
        return finish(storeError(tr("Cannot write the sandbox database."), write.lastError()));
    // In the same savepoint as the write: a change set rolled back takes its audit rows with it.
    if (auto audited = AuditStore::recordWrite(database, m_audit, set, key, !exists, before, values, m_identity.userId,
                                               m_transactionId, writtenAt);
        !audited)
        return finish(audited.error());
    return finish(exists ? WriteOutcome::Updated : WriteOutcome::Created);
}
