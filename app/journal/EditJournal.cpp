#include "app/journal/EditJournal.h"

#include "app/common/PrivateFiles.h"
#include "app/platform/Platform.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace {
constexpr int FormatVersion = 1;

QString tr(const char *text)
{
    return QCoreApplication::translate("EditJournal", text);
}
} // namespace

EditJournal::EditJournal(const QString &environmentKey, const QString &dir)
    : m_key(environmentKey)
{
    // One file per environment; the name is a digest so that any key makes a valid file name.
    const QByteArray digest = QCryptographicHash::hash(environmentKey.toUtf8(), QCryptographicHash::Sha256).toHex();
    m_path = QDir(dir).filePath(u"pending-"_s + QString::fromLatin1(digest.left(16)) + u".json"_s);
}

QString EditJournal::savingKey(const ValueRef &ref)
{
    return ref.setting == TimerSetting::ChannelState ? ref.id : ref.id + u'/' + TimerSettings::name(ref.setting);
}

QString EditJournal::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/journal"_s;
}

QByteArray EditJournal::serialize(const QString &environmentKey, const QList<PendingEdit> &edits,
                                  const QStringList &saving)
{
    QJsonArray array;
    for (const PendingEdit &edit : edits) {
        QJsonObject object {
            {u"id"_s, edit.id},
            {u"minutes"_s, edit.minutes ? QJsonValue(*edit.minutes) : QJsonValue(QJsonValue::Null)},
            {u"baseEtag"_s, edit.baseEtag},
            {u"baseMinutes"_s, edit.baseMinutes ? QJsonValue(*edit.baseMinutes) : QJsonValue(QJsonValue::Null)},
        };
        // Channel-state values carry no setting, as every journal written before workstreams did.
        if (edit.setting != TimerSetting::ChannelState)
            object.insert(u"setting"_s, TimerSettings::name(edit.setting));
        if (saving.contains(savingKey(edit.ref())))
            object.insert(u"saving"_s, true);
        array.append(object);
    }
    const QJsonObject root {{u"version"_s, FormatVersion}, {u"environment"_s, environmentKey}, {u"edits"_s, array}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<QList<PendingEdit>> EditJournal::parse(const QByteArray &content, const QString &environmentKey,
                                              QStringList *saving)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(content, &parseError);
    const auto damaged = [](const QString &why) {
        return Error::badInput(tr("The saved edits could not be read (%1).").arg(why));
    };
    if (!doc.isObject())
        return damaged(parseError.error != QJsonParseError::NoError ? parseError.errorString() : tr("not an object"));
    const QJsonObject root = doc.object();
    if (root.value(u"version"_s).toInt() != FormatVersion)
        return damaged(tr("unknown version %1").arg(root.value(u"version"_s).toVariant().toString()));
    if (root.value(u"environment"_s).toString() != environmentKey)
        return damaged(tr("they belong to %1").arg(root.value(u"environment"_s).toString()));
    const auto minutes = [](const QJsonValue &value, bool *ok) -> std::optional<int> {
        if (value.isNull())
            return std::nullopt;
        const double d = value.toDouble(-1);
        *ok = *ok && value.isDouble() && d >= 0 && d <= 2147483647.0 && d == double(qint64(d));
        return int(d);
    };
    QList<PendingEdit> edits;
    for (const QJsonValue &item : root.value(u"edits"_s).toArray()) {
        const QJsonObject o = item.toObject();
        bool ok = o.value(u"id"_s).isString() && o.value(u"baseEtag"_s).isString() &&
            (!o.contains(u"saving"_s) || o.value(u"saving"_s).isBool());
        PendingEdit edit;
        edit.id = o.value(u"id"_s).toString();
        edit.baseEtag = o.value(u"baseEtag"_s).toString();
        edit.minutes = minutes(o.value(u"minutes"_s), &ok);
        edit.baseMinutes = minutes(o.value(u"baseMinutes"_s), &ok);
        if (o.contains(u"setting"_s)) {
            const auto setting = TimerSettings::fromName(o.value(u"setting"_s).toString());
            ok = ok && setting.has_value();
            edit.setting = setting.value_or(TimerSetting::ChannelState);
        }
        if (!ok)
            return damaged(
                tr("edit %1 of %2 is malformed").arg(edits.size() + 1).arg(root.value(u"edits"_s).toArray().size()));
        edits << edit;
        if (saving && o.value(u"saving"_s).toBool())
            saving->append(savingKey(edit.ref()));
    }
    return edits;
}

Result<Done> EditJournal::write(const QList<PendingEdit> &edits, const QStringList &saving) const
{
    if (edits.isEmpty()) {
        if (QFile::exists(m_path) && !QFile::remove(m_path))
            return Error::badInput(tr("Cannot remove %1.").arg(QDir::toNativeSeparators(m_path)));
        return Done {};
    }
    if (!PrivateFiles::makeDirectory(QFileInfo(m_path).absolutePath()))
        return Error::badInput(tr("Cannot create the folder for unsaved edits, %1.")
                                   .arg(QDir::toNativeSeparators(QFileInfo(m_path).absolutePath())));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::badInput(
            tr("Cannot write your unsaved edits to %1: %2.").arg(QDir::toNativeSeparators(m_path), file.errorString()));
    Platform::restrictToOwner(file);
    file.write(serialize(m_key, edits, saving));
    if (!file.commit())
        return Error::badInput(
            tr("Cannot write your unsaved edits to %1: %2.").arg(QDir::toNativeSeparators(m_path), file.errorString()));
    return Done {};
}

Result<QList<PendingEdit>> EditJournal::read(QStringList *saving) const
{
    QFile file(m_path);
    if (!file.exists())
        return QList<PendingEdit>();
    if (!file.open(QIODevice::ReadOnly))
        return Error::badInput(tr("Cannot read your unsaved edits from %1: %2.")
                                   .arg(QDir::toNativeSeparators(m_path), file.errorString()));
    return parse(file.readAll(), m_key, saving);
}
