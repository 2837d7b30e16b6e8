#pragma once

#include "app/sandbox/EntitySchema.h"
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
        qint64 offset = 0;
        qint64 limit = 5000;
    };

    // Opens (creating when needed) <dataDir>/sandbox.sqlite; an empty database gets the demo data.
    static Result<std::unique_ptr<SandboxStore>> open(const QString &dataDir);
    ~SandboxStore();

    Identity identity() const { return m_identity; }
    QString databasePath() const { return m_path; }

    Result<QList<QJsonObject>> list(const EntitySetDef &set, const Query &query) const;
    Result<std::optional<QJsonObject>> get(const EntitySetDef &set, const QString &key, const Query &query) const;
    Result<qint64> count(const EntitySetDef &set) const;

private:
    SandboxStore() = default;
    Result<Done> createSchema();
    Result<Done> loadIdentity();
    QSqlDatabase db() const;
    QJsonObject toJson(const EntitySetDef &set, const class QSqlRecord &record, const QList<const ColumnDef *> &select,
                       const Query *expandFrom) const;

    QString m_connectionName;
    QString m_path;
    Identity m_identity;
};
