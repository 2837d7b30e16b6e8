#include "app/snapshot/AuditLog.h"

#include "app/common/PrivateFiles.h"
#include "app/platform/Platform.h"

#include "app/snapshot/SnapshotFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
QJsonValue minutesValue(const std::optional<int> &minutes)
{
    return minutes ? QJsonValue(*minutes) : QJsonValue(QJsonValue::Null);
}

std::optional<int> minutesFrom(const QJsonValue &value)
{
    return value.isDouble() ? std::optional<int>(value.toInt()) : std::nullopt;
}
} // namespace

AuditLog::AuditLog(QString path)
    : m_path(std::move(path))
{ }

QString AuditLog::defaultPath()
{
    return SnapshotFiles::dataDirectory() + u"/audit.jsonl"_s;
}

QString AuditLog::currentOsUser()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return user;
}

Result<Done> AuditLog::append(const QList<Entry> &entries) const
{
    QByteArray lines;
    for (const Entry &e : entries) {
        QJsonObject object {
            {u"at"_s, e.at.toUTC().toString(Qt::ISODateWithMs)},
            {u"user"_s, e.user},
            {u"osUser"_s, e.osUser},
            {u"environment"_s, e.environmentUrl},
            {u"organizationId"_s, e.organizationId},
            {u"recordId"_s, e.recordId},
            {u"recordName"_s, e.recordName},
            {u"old"_s, minutesValue(e.oldMinutes)},
            {u"new"_s, minutesValue(e.newMinutes)},
            {u"result"_s, e.result},
            {u"error"_s, e.error},
            {u"source"_s, e.source},
            {u"beforeSnapshot"_s, e.beforeSnapshot},
        };
        // Which value of the record: absent for a channel-state value, as in every entry written before workstreams.
        if (e.setting != TimerSetting::ChannelState)
            object.insert(u"setting"_s, TimerSettings::name(e.setting));
        lines += QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    }
    const QFileInfo info(m_path);
    if (!info.absoluteDir().exists() && !PrivateFiles::makeDirectory(info.absolutePath()))
        return Error::badInput(tr("Cannot create the folder %1 for the audit log.").arg(info.absolutePath()));
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return Error::badInput(tr("Cannot write the audit log %1: %2").arg(m_path, file.errorString()));
    Platform::restrictToOwner(file);
    // A line cut short by a crash would otherwise glue onto the next: start on a fresh line.
    if (file.size() > 0) {
        QFile tail(m_path);
        if (tail.open(QIODevice::ReadOnly) && tail.seek(file.size() - 1) && tail.read(1) != "\n")
            lines.prepend('\n');
    }
    if (file.write(lines) != lines.size() || !file.flush())
        return Error::badInput(tr("Cannot write the audit log %1: %2").arg(m_path, file.errorString()));
    return Done {};
}

Result<QList<AuditLog::Entry>> AuditLog::read(int *skipped) const
{
    if (skipped)
        *skipped = 0;
    QList<Entry> entries;
    QFile file(m_path);
    if (!file.exists())
        return entries;
    if (!file.open(QIODevice::ReadOnly))
        return Error::badInput(tr("Cannot read the audit log %1: %2").arg(m_path, file.errorString()));
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QDateTime at = QDateTime::fromString(o.value(u"at"_s).toString(), Qt::ISODateWithMs);
        if (o.isEmpty() || !at.isValid()) {
            if (skipped)
                ++*skipped;
            continue;
        }
        entries << Entry {
            at,
            o.value(u"user"_s).toString(),
            o.value(u"osUser"_s).toString(),
            o.value(u"environment"_s).toString(),
            o.value(u"organizationId"_s).toString(),
            o.value(u"recordId"_s).toString(),
            o.value(u"recordName"_s).toString(),
            minutesFrom(o.value(u"old"_s)),
            minutesFrom(o.value(u"new"_s)),
            o.value(u"result"_s).toString(),
            o.value(u"error"_s).toString(),
            o.value(u"source"_s).toString(),
            o.value(u"beforeSnapshot"_s).toString(),
            TimerSettings::fromName(o.value(u"setting"_s).toString()).value_or(TimerSetting::ChannelState)};
    }
    return entries;
}
