#include "app/common/Version.h"

#include "GitCommit.h" // generated at build time by cmake/GitCommit.cmake

using namespace Qt::StringLiterals;

QString Version::product()
{
    return QStringLiteral(AUTOCLOSE_VERSION);
}

QString Version::commit()
{
    return QStringLiteral(AUTOCLOSE_GIT_COMMIT);
}

QString Version::describe()
{
    const QString runtime = QString::fromLatin1(qVersion());
    const QString built = QStringLiteral(QT_VERSION_STR);
    return u"%1 (commit %2, Qt %3%4)"_s.arg(product(), commit(), runtime,
                                            runtime == built ? QString() : u", built with %1"_s.arg(built));
}
