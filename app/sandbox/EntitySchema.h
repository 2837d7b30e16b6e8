#pragma once

#include "models/Result.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QVariant>

// The subset of Dataverse tables the sandbox serves, described once: the SQLite schema, the JSON shape and the
// query validation all follow from it.
struct ColumnDef
{
    enum class Type { Guid, Text, Int, DateTime, Lookup };
    QString name; // the attribute's logical name (for a lookup, also its navigation property)
    Type type = Type::Text;
    QString lookupEntitySet; // for a lookup: the entity set it points to
    bool readOnly = false; // set by the service only (version, timestamps)
    // For integers: the column's range, as IntegerAttributeMetadata's MinValue and MaxValue give it.
    qint64 minValue = -2147483648LL;
    qint64 maxValue = 2147483647LL;
    // AttributeMetadata.RequiredLevel. Dataverse enforces only SystemRequired; ApplicationRequired ("Business
    // required") is for apps to enforce (docs/dataverse-tables.md), so the sandbox accepts an empty value as it does.
    enum class Required { None, Application, System };
    Required required = Required::None;
    // AttributeMetadata.IsAuditEnabled as the sandbox ships it; --audit-off turns it off (docs/change-history.md).
    bool audited = false;

    // The property name in Web API JSON: "_x_value" for a lookup, the name otherwise.
    QString jsonName() const { return type == Type::Lookup ? u'_' + name + QStringLiteral("_value") : name; }
};

struct EntitySetDef
{
    QString entitySet; // msdyn_occhannelstateconfigurations
    QString logicalName; // msdyn_occhannelstateconfiguration (also the SQLite table)
    QString key; // msdyn_occhannelstateconfigurationid
    QList<ColumnDef> columns;
    QString primaryName = QStringLiteral("msdyn_name"); // PrimaryNameAttribute: a lookup's formatted value
    // The privileges on the table are prvRead<privilegeName> and prvWrite<privilegeName> (empty: none of that form).
    QString privilegeName = logicalName;
    int objectTypeCode = 0; // as the service's privilege errors name the table
    bool versioned = true; // rows have a versionnumber, given as @odata.etag
    bool writable = true; // PATCH takes it
    bool audited = false; // EntityMetadata.IsAuditEnabled as the sandbox ships it (docs/change-history.md)

    int columnNumber(const ColumnDef &column) const; // AttributeMetadata.ColumnNumber: the column's place, from 1

    const ColumnDef *column(const QString &name) const;
    const ColumnDef *columnByJsonName(const QString &jsonName) const;
};

namespace EntitySchema {
const QList<EntitySetDef> &all();
const EntitySetDef *find(const QString &entitySet);
const EntitySetDef *findByLogicalName(const QString &logicalName);

// A JSON value as stored for this column, or an Error whose serviceCode is Dataverse's for the problem
// (0x80048d19 wrong type, 0x80044331 outside the column's range) and whose message names the column.
Result<QVariant> storedValue(const EntitySetDef &set, const ColumnDef &column, const QJsonValue &value);
} // namespace EntitySchema
