#pragma once

#include "app/sandbox/SandboxHttp.h"
#include "models/Result.h"

#include <QSet>
#include <QString>
#include <QStringList>

struct EntitySetDef;

// What the signed-in user may do: the privileges RetrieveUserPrivileges lists and every request is checked against
// (docs/web-api.md, docs/change-history.md). By default all of them: read and write on each table of the schema, and
// the two audit privileges. --read-only-user takes every prvWrite away, --without-privilege one privilege.
class SandboxUser
{
public:
    static constexpr const char *ReadAuditSummary = "prvReadAuditSummary"; // the audit table
    static constexpr const char *ReadRecordAuditHistory = "prvReadRecordAuditHistory"; // the change-history functions

    void setReadOnly(bool readOnly) { m_readOnly = readOnly; }
    bool readOnly() const { return m_readOnly; }
    // A BadInput error when the sandbox knows no privilege of that name.
    Result<Done> withhold(const QString &privilege);

    bool has(const QString &privilege) const;
    QStringList privileges() const; // the ones held, in a stable order

    // Every privilege the sandbox knows, in the order RetrieveUserPrivileges lists them.
    static QStringList allPrivileges();
    // The privilege a read of the table needs (prvReadAuditSummary for the audit table); empty when none.
    static QString readPrivilege(const EntitySetDef &set);
    static QString writePrivilege(const EntitySetDef &set);
    static QString privilegeId(const QString &privilege);

    // The service's 403 for a user without the privilege, naming it and the table (0x80040220, PrivilegeDenied).
    static HttpResponse refusal(const QString &userId, const QString &privilege, const EntitySetDef &set);

private:
    bool m_readOnly = false;
    QSet<QString> m_withheld;
};
