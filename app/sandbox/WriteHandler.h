#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QString>

struct EntitySetDef;
class SandboxStore;

// Writes: PATCH <set>(<key>) as Dataverse does it, an upsert guarded by If-Match and If-None-Match, answering 204 or,
// with return=representation, the row as saved (docs/web-api.md).
class WriteHandler final
{
    Q_DISABLE_COPY_MOVE(WriteHandler)
public:
    explicit WriteHandler(SandboxStore *store);

    // The user's privilege to write is checked before (SandboxApi).
    HttpResponse patch(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;

private:
    SandboxStore *m_store;
};
