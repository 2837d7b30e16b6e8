#include "app/snapshot/SnapshotFiles.h"

#include "app/platform/Platform.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;

Result<Snapshot> SnapshotFiles::read(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error::badInput(Snapshot::tr("%1: no such file.").arg(path));
    if (info.isDir())
        return Error::badInput(Snapshot::tr("%1 is a folder; give a snapshot file.").arg(path));
    if (info.size() > Snapshot::MaxFileBytes)
        return Error::badInput(
            Snapshot::tr("%1 is not a snapshot this version can apply: it is %2 MB; a snapshot is at most %3 MB (an "
                         "environment's records take well under 1 MB).")
                .arg(path)
                .arg(info.size() / (1024 * 1024))
                .arg(Snapshot::MaxFileBytes / (1024 * 1024)));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::badInput(Snapshot::tr("Cannot read %1: %2").arg(path, file.errorString()));
    // One byte more than allowed, so a file that grew since the size check is still refused.
    return Snapshot::fromJson(file.read(Snapshot::MaxFileBytes + 1), path);
}

Result<Done> SnapshotFiles::writeAtomically(const QString &path, const QByteArray &bytes)
{
    const QFileInfo info(path);
    if (!info.absoluteDir().exists() && !QDir().mkpath(info.absolutePath()))
        return Error::badInput(Snapshot::tr("Cannot create the folder %1.").arg(info.absolutePath()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::badInput(Snapshot::tr("Cannot write %1: %2").arg(path, file.errorString()));
    Platform::restrictToOwner(file);
    if (file.write(bytes) != bytes.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return Error::badInput(
            Snapshot::tr("Cannot write %1: %2 (nothing was written; any earlier file is intact).").arg(path, why));
    }
    if (!file.commit())
        return Error::badInput(Snapshot::tr("Cannot write %1: %2 (nothing was written; any earlier file is intact).")
                                   .arg(path, file.errorString()));
    return Done {};
}

QString SnapshotFiles::dataDirectory()
{
    const QString dir = qEnvironmentVariable("AUTOCLOSE_DATA_DIR");
    return dir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/AutoCloseEditor"_s
                         : dir;
}

QString SnapshotFiles::defaultDirectory()
{
    return dataDirectory() + u"/snapshots"_s;
}

QString SnapshotFiles::fileName(const QString &prefix, const QString &environmentUrl, const QDateTime &at)
{
    QString host = QUrl(environmentUrl).host();
    const qsizetype port = QUrl(environmentUrl).port();
    if (port > 0)
        host += u'-' + QString::number(port);
    if (host.isEmpty())
        host = u"environment"_s;
    return u"%1-%2-%3.json"_s.arg(prefix, host, at.toUTC().toString(u"yyyyMMdd'T'HHmmss.zzz'Z'"_s));
}
