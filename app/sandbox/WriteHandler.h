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

    // The signed-in user may read but not write (as an Omnichannel administrator without Write privilege).
    void setReadOnlyUser(bool readOnly) { m_readOnlyUser = readOnly; }

    HttpResponse patch(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;

private:
    SandboxStore *m_store;
    bool m_readOnlyUser = false;
};
