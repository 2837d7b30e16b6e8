#include "app/sandbox/EntitySchema.h"

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

QList<EntitySetDef> makeSchema()
{
    QList<EntitySetDef> sets;
    sets << EntitySetDef {u"msdyn_occhannelconfigurations"_s, u"msdyn_occhannelconfiguration"_s,
                          u"msdyn_occhannelconfigurationid"_s,
                          withSystemColumns({
                              {u"msdyn_occhannelconfigurationid"_s, T::Guid, {}},
                              {u"msdyn_name"_s, T::Text, {}},
                              {u"msdyn_streamsource"_s, T::Int, {}},
                          })};
    sets << EntitySetDef {u"msdyn_occhannelstateconfigurations"_s, u"msdyn_occhannelstateconfiguration"_s,
                          u"msdyn_occhannelstateconfigurationid"_s,
                          withSystemColumns({
                              {u"msdyn_occhannelstateconfigurationid"_s, T::Guid, {}},
                              {u"msdyn_name"_s, T::Text, {}},
                              // Range from the column's metadata (DESIGN.md §2).
                              {u"msdyn_autocloseliveworkitemafter"_s, T::Int, {}, false, 0, 2147483647},
                              {u"msdyn_ocliveworkitemstate"_s, T::Int, {}},
                              {u"msdyn_occhannelconfigurationid"_s, T::Lookup, u"msdyn_occhannelconfigurations"_s},
                          })};
    sets << EntitySetDef {u"msdyn_liveworkstreams"_s, u"msdyn_liveworkstream"_s, u"msdyn_liveworkstreamid"_s,
                          withSystemColumns({
                              {u"msdyn_liveworkstreamid"_s, T::Guid, {}},
                              {u"msdyn_name"_s, T::Text, {}},
                              {u"msdyn_streamsource"_s, T::Int, {}},
                              {u"msdyn_autocloseafterinactivity"_s, T::Int, {}},
                          })};
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
    return sets;
}
} // namespace

const QList<EntitySetDef> &EntitySchema::all()
{
    static const QList<EntitySetDef> schema = makeSchema();
    return schema;
}

const EntitySetDef *EntitySchema::find(const QString &entitySet)
{
    for (const EntitySetDef &def : all()) {
        if (def.entitySet == entitySet)
            return &def;
    }
    return nullptr;
}
