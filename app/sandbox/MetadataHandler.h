#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QString>

class SandboxStore;

// Metadata: EntityDefinitions(LogicalName='…') with IsAuditEnabled, and
// EntityDefinitions(LogicalName='…')/Attributes(LogicalName='…') with IsAuditEnabled, RequiredLevel and, through the
// IntegerAttributeMetadata cast, a column's MinValue and MaxValue (docs/web-api.md, docs/change-history.md).
class MetadataHandler final
{
    Q_DISABLE_COPY_MOVE(MetadataHandler)
public:
    // The store's audit settings say which tables and columns are audited.
    explicit MetadataHandler(const SandboxStore *store);

    HttpResponse entityMetadata(const HttpRequest &request, const QString &entity) const;
    HttpResponse attributeMetadata(const HttpRequest &request, const QString &entity, const QString &attribute,
                                   bool integerCast) const;

private:
    const SandboxStore *m_store;
};
