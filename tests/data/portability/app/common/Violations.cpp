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

// The headers added later, one a line; "Signal.h", "Process.h" and "Util.h" are project headers, not the system's.
// clang-format off
#include <winreg.h>
#include <wincred.h>
#include <fileapi.h>
#include <processthreadsapi.h>
#include <handleapi.h>
#include <consoleapi.h>
#include <wincon.h>
#include <errhandlingapi.h>
#include "winerror.h"
#include <shlwapi.h>
#include <util.h>
#include <copyfile.h>
#include <QtCore/private/qcore_unix_p.h>
#include <private/qsystemerror_win_p.h>
#include <process.h>
#include <signal.h>
#include "Signal.h"
#include "Process.h"
#include "Util.h"
#include "ui/ProcessList.h"
#include <private/qobject_p.h>
// clang-format on

// The calls added later, one a line, with std:: or :: before some.
void calls(QProcess &process, SnapshotFiles &files, const char *path, wchar_t *wide, char *buffer, long size)
{
    std::FILE *pipe = popen("ls", "r");
    pclose(pipe);
    setenv("A", "1", 1);
    ::unsetenv("A");
    std::tm when = {};
    localtime_r(&size, &when);
    ::gmtime_r(&size, &when);
    strerror_r(0, buffer, 8);
    mkstemp(buffer);
    mkdtemp(buffer);
    realpath(path, buffer);
    _fopen(path, "r");
    _wfopen(wide, L"r");
    _open(path, 0);
    ::_wopen(wide, 0);
    _chmod(path, 0);
    _wchmod(wide, 0);
    _setmode(0, 0);
    _putenv("A=1");
    std::signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    std::raise(SIGSEGV);
    ::raise(SIGABRT);
    const unsigned long error = GetLastError();
    const int fd = ::fileno(stdin);
    // Not the system's: through an object, a class's functions, a widget's raise(), a function of the project's.
    process.kill();
    files.read(path);
    SnapshotFiles::read(path);
    Files::signal(1);
    process.raise();
    raise();
    mySignal(1);
    myfileno(fd);
    files->popen(path);
    (void)error;
}

void permissions(const std::filesystem::path &path)
{
    std::filesystem::permissions(path, std::filesystem::perms::owner_read);
    QFile::permissions(QString()); // reading a mode is no rule's business
}
