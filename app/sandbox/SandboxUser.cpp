#include "app/sandbox/SandboxUser.h"

#include "app/sandbox/EntitySchema.h"

#include <QCoreApplication>
#include <QUuid>

using namespace Qt::StringLiterals;

Result<Done> SandboxUser::withhold(const QString &privilege)
{
    const QStringList known = allPrivileges();
    if (!known.contains(privilege))
        return Error::badInput(QCoreApplication::translate("SandboxUser",
                                                           "--without-privilege %1: the sandbox knows no such "
                                                           "privilege. Give one of: %2.")
                                   .arg(privilege, known.join(u", "_s)));
    m_withheld.insert(privilege);
    return Done {};
}

bool SandboxUser::has(const QString &privilege) const
{
    if (m_withheld.contains(privilege))
        return false;
    return !(m_readOnly && privilege.startsWith(u"prvWrite"_s));
}

QStringList SandboxUser::privileges() const
{
    QStringList held;
    for (const QString &privilege : allPrivileges()) {
        if (has(privilege))
            held << privilege;
    }
    return held;
}

QStringList SandboxUser::allPrivileges()
{
    QStringList names;
    for (const EntitySetDef &set : EntitySchema::all()) {
        if (set.privilegeName.isEmpty())
            continue;
        names << u"prvRead"_s + set.privilegeName << u"prvWrite"_s + set.privilegeName;
    }
    names << QString::fromLatin1(ReadAuditSummary) << QString::fromLatin1(ReadRecordAuditHistory);
    return names;
}

QString SandboxUser::readPrivilege(const EntitySetDef &set)
{
    if (set.logicalName == u"audit"_s)
        return QString::fromLatin1(ReadAuditSummary);
    return set.privilegeName.isEmpty() ? QString() : u"prvRead"_s + set.privilegeName;
}

QString SandboxUser::writePrivilege(const EntitySetDef &set)
{
    return set.privilegeName.isEmpty() ? QString() : u"prvWrite"_s + set.privilegeName;
}

QString SandboxUser::privilegeId(const QString &privilege)
{
    return QUuid::createUuidV5(QUuid(), privilege).toString(QUuid::WithoutBraces);
}

HttpResponse SandboxUser::refusal(const QString &userId, const QString &privilege, const EntitySetDef &set)
{
    // "Principal user is missing privilege on OTC for entity", error -2147220960 (docs/change-history.md). The exact
    // wording of the whole message is UNCONFIRMED.
    return SandboxHttp::error(403, u"0x80040220"_s,
                              u"Principal user (Id=%1, type=8) is missing %2 privilege (Id=%3) on OTC=%4 for entity "
                              u"'%5'."_s.arg(userId, privilege, privilegeId(privilege))
                                  .arg(set.objectTypeCode)
                                  .arg(set.logicalName));
}
