#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QString>

// Metadata: EntityDefinitions(LogicalName='…')/Attributes(LogicalName='…'), with the IntegerAttributeMetadata
// cast that gives a column's MinValue and MaxValue (docs/web-api.md).
class MetadataHandler final
{
    Q_DISABLE_COPY_MOVE(MetadataHandler)
public:
    MetadataHandler() = default;

    HttpResponse attributeMetadata(const HttpRequest &request, const QString &entity, const QString &attribute,
                                   bool integerCast) const;
};
