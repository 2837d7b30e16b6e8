#include "app/common/PrivateFiles.h"

#include "app/platform/Platform.h"

#include <QDir>
#include <QFile>
#include <QSettings>

bool PrivateFiles::makeDirectory(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return false;
    return Platform::restrictToOwner(dir);
}

bool PrivateFiles::restrictFile(const QString &path)
{
    return Platform::restrictToOwner(path);
}

bool PrivateFiles::syncPrivately(QSettings &settings)
{
    settings.sync();
    return settings.status() == QSettings::NoError && restrictFile(settings.fileName());
}

bool PrivateFiles::createPrivately(const QString &path)
{
    if (QFile::exists(path))
        return restrictFile(path);
    QFile file(path);
    // NewOnly: never truncate a file that appeared meanwhile. Created with the owner's permissions only, so that a
    // process killed before the next line leaves no file others can read (SQLite then gives its journal files the
    // same mode); the layer then does the rest (an ACL on Windows, macOS's extended ACL).
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return QFile::exists(path) && restrictFile(path);
    return Platform::restrictToOwner(file);
}
