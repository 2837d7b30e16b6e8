#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QJsonObject>
#include <QString>

struct EntitySetDef;
class SandboxStore;
class SandboxUser;

// Reads: collections (paged, counted, annotated), single records with conditional reads, a set's row count, WhoAmI
// and the signed-in user's privileges (docs/web-api.md).
class ReadHandler final
{
    Q_DISABLE_COPY_MOVE(ReadHandler)
public:
    // The user is the signed-in user, whose privileges RetrieveUserPrivileges lists.
    ReadHandler(SandboxStore *store, const SandboxUser *user);

    // GET <set> or GET <set>(<key>) (key empty: the collection), with their query options.
    HttpResponse get(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;
    // GET <set>/$count: the number of rows as plain text, capped like $count=true.
    HttpResponse count(const EntitySetDef &set) const;
    HttpResponse whoAmI(const HttpRequest &request) const;
    // systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges: what the signed-in user may do.
    HttpResponse userPrivileges(const HttpRequest &request, const QString &userId) const;

    // Adds the annotations a row of set gets: formatted values, and the lookups' logical names and navigation
    // properties (docs/web-api.md).
    void annotate(QJsonObject &row, const EntitySetDef &set, bool formatted, bool lookups) const;

private:
    HttpResponse record(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;
    HttpResponse collection(const HttpRequest &request, const EntitySetDef &set) const;

    SandboxStore *m_store;
    const SandboxUser *m_user;
};
