// Breaks the rules of cmake/CheckPortability.cmake; every line it must report is in ../../expected.txt.
#include "app/common/Violations.h"

#include <QFile>
#include <QProcess>

#include <Windows.h>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>
// #include <fcntl.h> in a comment is no include
// Spellings a formatter would change:
// clang-format off
#  include "aclapi.h"
// clang-format on

/* A block comment naming calls: ::kill(pid, SIGTERM), isatty(0)
   and prctl(PR_SET_DUMPABLE, 0) over two lines. */

bool terminal()
{
    return isatty(fileno(stdin)) == 1; // isatty( again, in a comment
}

void stop(QProcess &process, long pid)
{
    process.kill(); // through an object: Qt's, not the system's
    ::kill(pid, SIGTERM);
    const char *text = "isatty( ::kill( prctl( // /* in a string, not calls and not a comment */";
    // Code after a comment that ends on the line:
    // clang-format off
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* a comment
    over two lines */ setrlimit(RLIMIT_CORE, nullptr);
    // clang-format on
    (void)text;
}

QByteArray json()
{
    return QByteArray(R"json({"note": "a raw string: ::read( isatty( // /*",
"still": "the raw string"})json");
}

bool mode(const QString &path)
{
    QFile::permissions(path); // reading a mode is no rule's business
    return QFile::setPermissions(path, QFileDevice::ReadOwner);
}

QString status()
{
    return QStringLiteral("/proc/self/status");
}
