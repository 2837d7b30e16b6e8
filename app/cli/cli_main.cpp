// autoclose-cli: see Cli::run.
#include "app/cli/Cli.h"
#include "app/common/NoCoreDumps.h"
#include "app/common/Translations.h"
#include "app/common/Version.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    NoCoreDumps::apply();
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"AutoCloseEditor"_s);
    QCoreApplication::setApplicationName(u"autoclose-cli"_s);
    QCoreApplication::setApplicationVersion(Version::describe());
    Translations::install(&app);
    QTextStream out(stdout);
    QTextStream err(stderr);
    return Cli::run(QCoreApplication::arguments(), out, err);
}
