#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QString>

struct EntitySetDef;
class SandboxStore;

// Aggregates: GET <set>?$apply=filter(…)/groupby((…),aggregate($count as …)), counted on the server within the
// Web API's 50,000-row limit (docs/web-api.md).
class AggregateHandler final
{
    Q_DISABLE_COPY_MOVE(AggregateHandler)
public:
    explicit AggregateHandler(SandboxStore *store);

    HttpResponse apply(const HttpRequest &request, const EntitySetDef &set, const QString &transformations) const;

private:
    SandboxStore *m_store;
};
