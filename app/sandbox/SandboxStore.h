#pragma once

#include "app/sandbox/AuditStore.h"
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"
#include "models/Result.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <optional>

// The sandbox's data: one SQLite file under the data directory, a table per entity set, seeded with the demo
// environment on first open. Rows come out in Web API JSON shape.
class SandboxStore final
{
    Q_DISABLE_COPY_MOVE(SandboxStore)
public:
    struct Identity
    {
        QString organizationId;
        QString tenantId;
        QString userId;
        QString businessUnitId;
    };

    // What to read: the columns (all when empty), an expanded lookup with its columns, and the window of rows.
    struct Query
    {
        QList<const ColumnDef *> select;
        const ColumnDef *expand = nullptr;
        QList<const ColumnDef *> expandSelect;
        SqlCondition where; // from $filter; empty = every row
        QStringList orderBy; // "column ASC|DESC", from $orderby; the key always breaks ties
        // Keyset paging: only the rows after the one with this sort key (Keyset::after); empty: from the first row.
        QVariantList after;
        qint64 limit = 5000;
    };

    // What a write found, so the Web API can answer 204, 404 or 412 as Dataverse does.
    enum class WriteOutcome { Updated, Created, NotFound, Stale, Exists };
    struct WriteConditions
    {
        QString ifMatch; // empty: none; "*": must exist; else the etag it must still have
        bool ifNoneMatchAny = false; // If-None-Match: * — create only, never update
    };

    // What an empty database is filled with.
    struct Seed
    {
        QString file; // a seed file; empty: the demo environment
        int conversations = 360; // demo conversations to generate
        quint32 randomSeed = 20240501;
        bool required = false; // the user asked for this seed: refuse a data directory that already has data
    };

    // Opens (creating when needed) <dataDir>/sandbox.sqlite; an empty database gets the seed. Several processes may
    // open and serve the same directory at once (the window's Demo environment and autoclose-cli's): of two opening a
    // new one together, one seeds it while the other waits, then finds it seeded.
    static Result<std::unique_ptr<SandboxStore>> open(const QString &dataDir, const Seed &seed);
    static Result<std::unique_ptr<SandboxStore>> open(const QString &dataDir);
    ~SandboxStore();

    Identity identity() const { return m_identity; }
    // The key paging cookies are signed with (PagingCookie): one per data directory, so that every process serving
    // it accepts the others' @odata.nextLink.
    QByteArray pagingSecret() const { return m_pagingSecret; }
    QString databasePath() const { return m_path; }
    // Which writes the audit history records (docs/change-history.md); every audited column by default.
    void setAuditSettings(const AuditSettings &settings) { m_audit = settings; }
    const AuditSettings &auditSettings() const { return m_audit; }
    // The connection, for reads of what SandboxStore does not model itself (the audit history).
    QSqlDatabase database() const { return db(); }

    // The rows of a page, with each row's sort key (where the page after it would start: Keyset) in sortKeys when
    // it is given.
    Result<QList<QJsonObject>> list(const EntitySetDef &set, const Query &query,
                                    QList<QVariantList> *sortKeys = nullptr) const;
    // The rows list() reads, as JSON text instead of objects — the elements of a "value" array, comma-separated,
    // keys in the order QJsonDocument writes them — for pages without $expand. At most `write` rows are written;
    // the number read (at most query.limit) is returned, and the sort key of the last row written in lastKey.
    Result<qsizetype> writeList(const EntitySetDef &set, const Query &query, qsizetype write, QByteArray *out,
                                QVariantList *lastKey = nullptr) const;
    Result<std::optional<QJsonObject>> get(const EntitySetDef &set, const QString &key, const Query &query) const;
    Result<qint64> count(const EntitySetDef &set, const SqlCondition &where = {}) const;

    // One row per distinct combination of the group columns with how many rows have it, as $apply's
    // groupby(…, aggregate($count as alias)) returns them; ordered by the group columns.
    Result<QList<QJsonObject>> groupCount(const EntitySetDef &set, const SqlCondition &where,
                                          const QList<const ColumnDef *> &groupBy, const QString &alias) const;

    // Nested atomic units (SQLite savepoints): what a change set writes commits or rolls back as a whole. The
    // outermost one is a transaction holding the write lock from its start, so that two processes serving the same
    // data directory write one after the other.
    Result<Done> savepoint(const QString &name);
    Result<Done> release(const QString &name);
    void rollbackTo(const QString &name);

    // PATCH semantics: update the row, or create it when it is missing and the conditions allow (an upsert).
    // values maps column names to values already checked against the schema. Atomic, with the audit row the write
    // makes (AuditStore), by the signed-in user.
    Result<WriteOutcome> upsert(const EntitySetDef &set, const QString &key, const QVariantHash &values,
                                const WriteConditions &conditions);

private:
    SandboxStore() = default;
    Result<Done> createSchema(const Seed &seed);
    Result<Done> loadIdentity();
    QSqlDatabase db() const;
    Result<qint64> nextVersion();
    struct RowLayout;
    // Runs the query of one page (list and writeList share it); q is then on the rows, each followed by its sort
    // key where layout says.
    Result<Done> selectPage(class QSqlQuery &q, const EntitySetDef &set, const Query &query, RowLayout &layout) const;
    // The current row's sort key, as selectPage selects it after the row's columns.
    static QVariantList sortKeyOf(const class QSqlQuery &row, const RowLayout &layout);
    static RowLayout layoutFor(const EntitySetDef &set, const QList<const ColumnDef *> &select,
                               const Query *expandFrom);
    // The current row of a query whose columns are laid out as layout says, as the Web API writes a record.
    QJsonObject toJson(const class QSqlQuery &row, const RowLayout &layout, const Query *expandFrom) const;

    // How long a write waits for another connection's (another process's) to end before it fails.
    static constexpr int BusyTimeoutMs = 10000;

    QString m_connectionName;
    QString m_path;
    int m_savepoints = 0; // open savepoints; the outermost began the transaction
    QString m_transactionId; // the current transaction's, for its audit rows
    AuditSettings m_audit;
    Identity m_identity;
    QByteArray m_pagingSecret;
};
