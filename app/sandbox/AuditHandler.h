#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <QString>

#include <optional>

class ReadHandler;
class SandboxStore;
class SandboxUser;

// Dataverse's auditing as the Web API offers it (docs/change-history.md): the organization's switch
// (organizations?$select=isauditenabled), the functions RetrieveRecordChangeHistory and
// RetrieveAttributeChangeHistory, and audits(<id>)/Microsoft.Dynamics.CRM.RetrieveAuditDetails. The audit table
// itself (audits) is read like any other entity set (ReadHandler); writes are recorded by the store (AuditStore).
class AuditHandler final
{
    Q_DISABLE_COPY_MOVE(AuditHandler)
public:
    // reads annotates old and new values as it annotates rows.
    AuditHandler(const SandboxStore *store, const SandboxUser *user, const ReadHandler *reads);

    // GET organizations, or organizations(<key>): the one organization row with its audit settings.
    HttpResponse organizations(const HttpRequest &request, const QString &key) const;
    // GET RetrieveRecordChangeHistory(…) or RetrieveAttributeChangeHistory(…): function is the name, parameters the
    // text between the parentheses ("Target=@t,PagingInfo=@p"), aliases resolved from the query.
    HttpResponse changeHistory(const HttpRequest &request, const QString &function, const QString &parameters) const;
    // GET audits(<id>)/Microsoft.Dynamics.CRM.RetrieveAuditDetails.
    HttpResponse auditDetails(const HttpRequest &request, const QString &auditId) const;

private:
    // The 403 for the first of the audit privileges the user lacks (both: change-history messages), if any.
    std::optional<HttpResponse> refusedAuditRead(bool history) const;

    const SandboxStore *m_store;
    const SandboxUser *m_user;
    const ReadHandler *m_reads;
};
