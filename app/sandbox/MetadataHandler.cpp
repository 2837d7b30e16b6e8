#include "app/sandbox/MetadataHandler.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/SandboxStore.h"

#include <QJsonObject>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

namespace {
// A BooleanManagedProperty such as IsAuditEnabled (docs/change-history.md).
QJsonObject managedProperty(const QJsonValue &value, const QString &logicalName)
{
    return {{u"Value"_s, value}, {u"CanBeChanged"_s, true}, {u"ManagedPropertyLogicalName"_s, logicalName}};
}

QString metadataId(const QString &name)
{
    return QUuid::createUuidV5(QUuid(), name).toString(QUuid::WithoutBraces);
}

// $select narrows the reply to the named properties; MetadataId, the key, always comes along (so LogicalName only
// when selected).
std::optional<HttpResponse> narrow(const HttpRequest &request, QJsonObject &body, const QString &type)
{
    const QString select = QUrlQuery(request.url).queryItemValue(u"$select"_s, QUrl::FullyDecoded);
    if (select.isEmpty())
        return std::nullopt;
    QJsonObject narrowed {{u"@odata.context"_s, body.value(u"@odata.context"_s)},
                          {u"MetadataId"_s, body.value(u"MetadataId"_s)}};
    for (const QString &raw : select.split(u',')) {
        const QString name = raw.trimmed();
        if (!body.contains(name))
            return badQuery(
                u"Could not find a property named '%1' on type 'Microsoft.Dynamics.CRM.%2'."_s.arg(name, type));
        narrowed.insert(name, body.value(name));
    }
    body = narrowed;
    return std::nullopt;
}

const EntitySetDef *tableNamed(const QString &logicalName)
{
    return EntitySchema::findByLogicalName(logicalName);
}
} // namespace

MetadataHandler::MetadataHandler(const SandboxStore *store)
    : m_store(store)
{ }

HttpResponse MetadataHandler::entityMetadata(const HttpRequest &request, const QString &entity) const
{
    const EntitySetDef *set = tableNamed(entity);
    if (!set)
        return error(404, CodeRecordNotFound, u"Could not find an entity with LogicalName '%1'."_s.arg(entity));
    QJsonObject body {
        {u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#EntityDefinitions/$entity"_s)},
        {u"LogicalName"_s, entity},
        {u"MetadataId"_s, metadataId(entity)},
        {u"EntitySetName"_s, set->entitySet},
        {u"PrimaryIdAttribute"_s, set->key},
        {u"PrimaryNameAttribute"_s, set->primaryName},
        {u"ObjectTypeCode"_s, set->objectTypeCode},
        {u"IsAuditEnabled"_s,
         managedProperty(m_store->auditSettings().tableEnabled(*set), u"canmodifyauditsettings"_s)},
    };
    if (auto refused = narrow(request, body, u"EntityMetadata"_s))
        return *refused;
    return json(200, body);
}

HttpResponse MetadataHandler::attributeMetadata(const HttpRequest &request, const QString &entity,
                                                const QString &attribute, bool integerCast) const
{
    const EntitySetDef *set = tableNamed(entity);
    const ColumnDef *column = set ? set->column(attribute) : nullptr;
    if (!column)
        return error(404, CodeRecordNotFound,
                     u"Could not find an attribute with LogicalName '%1' on entity '%2'."_s.arg(attribute, entity));
    if (integerCast && column->type != ColumnDef::Type::Int)
        return badQuery(u"The attribute '%1' is not an IntegerAttributeMetadata."_s.arg(attribute));
    static const QStringList requiredLevels = {u"None"_s, u"ApplicationRequired"_s, u"SystemRequired"_s};
    QJsonObject body {
        {u"@odata.context"_s,
         QString(apiRoot(request) + u"$metadata#EntityDefinitions('"_s + entity +
                 u"')/Attributes/Microsoft.Dynamics.CRM.IntegerAttributeMetadata/$entity"_s)},
        {u"LogicalName"_s, attribute},
        {u"MetadataId"_s, metadataId(entity + u'.' + attribute)},
        {u"ColumnNumber"_s, set->columnNumber(*column)},
        {u"IsAuditEnabled"_s,
         managedProperty(m_store->auditSettings().columnEnabled(*set, *column), u"canmodifyauditsettings"_s)},
        {u"RequiredLevel"_s,
         managedProperty(requiredLevels.at(int(column->required)), u"canmodifyrequirementlevelsettings"_s)},
    };
    if (column->type == ColumnDef::Type::Int) {
        body.insert(u"MinValue"_s, column->minValue);
        body.insert(u"MaxValue"_s, column->maxValue);
    }
    if (auto refused = narrow(request, body, u"IntegerAttributeMetadata"_s))
        return *refused;
    return json(200, body);
}
