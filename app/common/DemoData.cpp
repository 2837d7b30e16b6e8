#include "app/common/DemoData.h"

#include <QCoreApplication>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

QString DemoData::defaultDirectory()
{
    // QStandardPaths ends AppDataLocation with "/<organization>/<application>" of the program asking (either left
    // out when empty); the editor's is the same base with the product's names, on every platform (Roaming on Windows,
    // Application Support on macOS, XDG_DATA_HOME or ~/.local/share on Linux).
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QString own;
    for (const QString &name : {QCoreApplication::organizationName(), QCoreApplication::applicationName()})
        if (!name.isEmpty())
            own += u'/' + name;
    if (dir.endsWith(own))
        dir.chop(own.size());
    return dir + u"/AutoCloseEditor/autoclose-editor/demo"_s;
}

QString DemoData::journalDirectory(const QString &dataDir)
{
    return dataDir + u"/journal"_s;
}
