#include "app/sandbox/MetadataHandler.h"

#include "app/sandbox/EntitySchema.h"

#include <QJsonObject>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

HttpResponse MetadataHandler::attributeMetadata(const HttpRequest &request, const QString &entity,
                                                const QString &attribute, bool integerCast) const
{
    const EntitySetDef *set = nullptr;
    for (const EntitySetDef &candidate : EntitySchema::all()) {
        if (candidate.logicalName == entity)
            set = &candidate;
    }
    const ColumnDef *column = set ? set->column(attribute) : nullptr;
    if (!column)
        return error(404, CodeRecordNotFound,
                     u"Could not find an attribute with LogicalName '%1' on entity '%2'."_s.arg(attribute, entity));
    if (integerCast && column->type != ColumnDef::Type::Int)
        return badQuery(u"The attribute '%1' is not an IntegerAttributeMetadata."_s.arg(attribute));
    QJsonObject body {
        {u"@odata.context"_s,
         QString(apiRoot(request) + u"$metadata#EntityDefinitions('"_s + entity +
                 u"')/Attributes/Microsoft.Dynamics.CRM.IntegerAttributeMetadata/$entity"_s)},
        {u"LogicalName"_s, attribute},
        {u"MetadataId"_s,
         QUuid::createUuidV5(QUuid(), QString(entity + u'.' + attribute)).toString(QUuid::WithoutBraces)},
    };
    if (column->type == ColumnDef::Type::Int) {
        body.insert(u"MinValue"_s, column->minValue);
        body.insert(u"MaxValue"_s, column->maxValue);
    }
    // $select narrows the reply to the named properties (MetadataId always comes along).
    const QString select = QUrlQuery(request.url).queryItemValue(u"$select"_s, QUrl::FullyDecoded);
    if (!select.isEmpty()) {
        QJsonObject narrowed {{u"@odata.context"_s, body.value(u"@odata.context"_s)},
                              {u"MetadataId"_s, body.value(u"MetadataId"_s)}};
        for (const QString &name : select.split(u',')) {
            if (!body.contains(name.trimmed()))
                return badQuery(u"Could not find a property named '%1' on type "
                                u"'Microsoft.Dynamics.CRM.IntegerAttributeMetadata'."_s.arg(name.trimmed()));
            narrowed.insert(name.trimmed(), body.value(name.trimmed()));
        }
        body = narrowed;
    }
    return json(200, body);
}
