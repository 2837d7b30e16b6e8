#include "app/sandbox/EntitySchema.h"

#include "app/sandbox/ODataFilter.h"

#include <QUuid>

#include <cmath>

using namespace Qt::StringLiterals;

const ColumnDef *EntitySetDef::column(const QString &name) const
{
    for (const ColumnDef &c : columns) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

const ColumnDef *EntitySetDef::columnByJsonName(const QString &jsonName) const
{
    for (const ColumnDef &c : columns) {
        if (c.jsonName() == jsonName)
            return &c;
    }
    return nullptr;
}

namespace {
using T = ColumnDef::Type;

// Columns every table has.
QList<ColumnDef> withSystemColumns(QList<ColumnDef> columns)
{
    columns << ColumnDef {u"statecode"_s, T::Int, {}} << ColumnDef {u"statuscode"_s, T::Int, {}}
            << ColumnDef {u"versionnumber"_s, T::Int, {}, true} << ColumnDef {u"createdon"_s, T::DateTime, {}, true}
            << ColumnDef {u"modifiedon"_s, T::DateTime, {}, true};
    return columns;
}

// Every column a client may write is audited, as Dataverse enables auditing for new columns; the system's own
// (version, timestamps) are not.
void auditWritableColumns(EntitySetDef &set)
{
    set.audited = true;
    for (ColumnDef &c : set.columns)
        c.audited = !c.readOnly && c.name != set.key;
}

QList<EntitySetDef> makeSchema()
{
    QList<EntitySetDef> sets;
    // Object type codes of the Omnichannel tables differ between environments; these are the sandbox's own.
    sets << EntitySetDef {u"msdyn_occhannelconfigurations"_s, u"msdyn_occhannelconfiguration"_s,
                          u"msdyn_occhannelconfigurationid"_s,
                          withSystemColumns({
                              {u"msdyn_occhannelconfigurationid"_s, T::Guid, {}},
                              {u"msdyn_name"_s, T::Text, {}},
                              {u"msdyn_streamsource"_s, T::Int, {}},
                          })};
    sets.last().objectTypeCode = 10601;
    sets << EntitySetDef {u"msdyn_occhannelstateconfigurations"_s, u"msdyn_occhannelstateconfiguration"_s,
                          u"msdyn_occhannelstateconfigurationid"_s,
                          withSystemColumns({
                              {u"msdyn_occhannelstateconfigurationid"_s, T::Guid, {}},
                              {u"msdyn_name"_s, T::Text, {}},
                              // Range from the column's metadata (docs/dataverse-tables.md).
                              {u"msdyn_autocloseliveworkitemafter"_s, T::Int, {}, false, 0, 2147483647},
                              {u"msdyn_ocliveworkitemstate"_s, T::Int, {}},
                              {u"msdyn_occhannelconfigurationid"_s, T::Lookup, u"msdyn_occhannelconfigurations"_s},
                          })};
    sets.last().objectTypeCode = 10602;
    auditWritableColumns(sets.last());
    sets << EntitySetDef {
        u"msdyn_liveworkstreams"_s, u"msdyn_liveworkstream"_s, u"msdyn_liveworkstreamid"_s,
        withSystemColumns({
            {u"msdyn_liveworkstreamid"_s, T::Guid, {}},
            {u"msdyn_name"_s, T::Text, {}},
            {u"msdyn_streamsource"_s, T::Int, {}},
            // Ranges and requirement levels from the columns' reference pages
            // (docs/dataverse-tables.md).
            {u"msdyn_autocloseafterinactivity"_s, T::Int, {}, false, 0, 2147483647, ColumnDef::Required::Application},
            {u"msdyn_blockcapacityforwrapup"_s, T::Int, {}, false, 0, 43200},
            {u"msdyn_blockcapacityforwrapupinseconds"_s, T::Int, {}, false, 0, 43200},
        })};
    sets.last().objectTypeCode = 10603;
    auditWritableColumns(sets.last());
    sets << EntitySetDef {u"msdyn_ocliveworkitems"_s, u"msdyn_ocliveworkitem"_s, u"activityid"_s,
                          withSystemColumns({
                              {u"activityid"_s, T::Guid, {}},
                              {u"msdyn_ocliveworkitemid"_s, T::Text, {}},
                              {u"subject"_s, T::Text, {}},
                              {u"msdyn_title"_s, T::Text, {}},
                              {u"msdyn_channel"_s, T::Text, {}},
                              {u"msdyn_wrapupinitiatedon"_s, T::DateTime, {}},
                              {u"msdyn_modifiedon"_s, T::DateTime, {}},
                              {u"msdyn_statusupdatedon"_s, T::DateTime, {}},
                              {u"msdyn_liveworkstreamid"_s, T::Lookup, u"msdyn_liveworkstreams"_s},
                          })};
    sets.last().objectTypeCode = 10604;
    sets.last().primaryName = u"subject"_s;
    // The users the audit history names (docs/change-history.md): the signed-in user and the colleagues of the demo.
    sets << EntitySetDef {u"systemusers"_s,
                          u"systemuser"_s,
                          u"systemuserid"_s,
                          {
                              {u"systemuserid"_s, T::Guid, {}},
                              {u"fullname"_s, T::Text, {}, true},
                              {u"versionnumber"_s, T::Int, {}, true},
                              {u"createdon"_s, T::DateTime, {}, true},
                              {u"modifiedon"_s, T::DateTime, {}, true},
                          }};
    sets.last().primaryName = u"fullname"_s;
    sets.last().privilegeName = u"User"_s;
    sets.last().objectTypeCode = 8;
    sets.last().writable = false;
    // The audit table as the Web API's audit EntityType has it (docs/change-history.md): read-only, no versions; the
    // old and new values are not columns of it but the change-history functions' answer (AuditStore).
    sets << EntitySetDef {u"audits"_s,
                          u"audit"_s,
                          u"auditid"_s,
                          {
                              {u"auditid"_s, T::Guid, {}, true},
                              {u"action"_s, T::Int, {}, true},
                              {u"operation"_s, T::Int, {}, true},
                              {u"objecttypecode"_s, T::Text, {}, true},
                              {u"objectid"_s, T::Lookup, {}, true}, // any audited table: no one target
                              {u"userid"_s, T::Lookup, u"systemusers"_s, true},
                              {u"callinguserid"_s, T::Lookup, u"systemusers"_s, true},
                              {u"regardingobjectid"_s, T::Lookup, {}, true},
                              {u"attributemask"_s, T::Text, {}, true},
                              {u"transactionid"_s, T::Guid, {}, true},
                              {u"useradditionalinfo"_s, T::Text, {}, true},
                              {u"createdon"_s, T::DateTime, {}, true},
                          }};
    sets.last().primaryName.clear();
    sets.last().privilegeName.clear();
    sets.last().objectTypeCode = 4567;
    sets.last().versioned = false;
    sets.last().writable = false;
    return sets;
}
} // namespace

const QList<EntitySetDef> &EntitySchema::all()
{
    static const QList<EntitySetDef> schema = makeSchema();
    return schema;
}

int EntitySetDef::columnNumber(const ColumnDef &column) const
{
    return int(&column - columns.constData()) + 1;
}

const EntitySetDef *EntitySchema::findByLogicalName(const QString &logicalName)
{
    for (const EntitySetDef &def : all()) {
        if (def.logicalName == logicalName)
            return &def;
    }
    return nullptr;
}

const EntitySetDef *EntitySchema::find(const QString &entitySet)
{
    for (const EntitySetDef &def : all()) {
        if (def.entitySet == entitySet)
            return &def;
    }
    return nullptr;
}

Result<QVariant> EntitySchema::storedValue(const EntitySetDef &set, const ColumnDef &column, const QJsonValue &value)
{
    const auto wrongType = [&column](const QString &edmType, const QString &hint = {}) {
        Error e = Error::badInput(
            u"Cannot convert the value of %1 to the expected type '%2'%3."_s.arg(column.jsonName(), edmType, hint));
        e.serviceCode = u"0x80048d19"_s;
        return e;
    };
    if (value.isNull())
        return QVariant();
    switch (column.type) {
    case ColumnDef::Type::Int: {
        const double d = value.toDouble();
        if (!value.isDouble() || std::trunc(d) != d)
            return wrongType(u"Edm.Int32"_s, u" (a whole number)"_s);
        if (d < double(column.minValue) || d > double(column.maxValue)) {
            // Dataverse's validation error for a value outside the column's range.
            Error e = Error::badInput(u"A validation error occurred. The value %1 of '%2' on record of type '%3' is "
                                      u"outside the valid range. Accepted Range: %4 to %5."_s.arg(
                                          QString::number(d, 'f', 0), column.name, set.logicalName,
                                          QString::number(column.minValue), QString::number(column.maxValue)));
            e.serviceCode = u"0x80044331"_s;
            return e;
        }
        return QVariant(qint64(d));
    }
    case ColumnDef::Type::Text:
        if (!value.isString())
            return wrongType(u"Edm.String"_s);
        return QVariant(value.toString());
    case ColumnDef::Type::DateTime: {
        const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!value.isString() || !t.isValid())
            return wrongType(u"Edm.DateTimeOffset"_s);
        return QVariant(ODataFilter::storedDateTime(t));
    }
    case ColumnDef::Type::Guid:
    case ColumnDef::Type::Lookup: {
        const QUuid id = QUuid::fromString(value.toString());
        if (!value.isString() || id.isNull())
            return wrongType(u"Edm.Guid"_s);
        return QVariant(id.toString(QUuid::WithoutBraces));
    }
    }
    return wrongType(u"?"_s);
}
