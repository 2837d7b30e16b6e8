// The platform layer on Linux and macOS (app/platform/Platform.h); what differs between the two is in
// PlatformLinux.cpp and PlatformMac.cpp.
#include "app/platform/PlatformPosix.h"
#include "app/platform/Platform.h"

#include <QFile>
#include <QFileDevice>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstdlib>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Platform {

void disableCoreDumps()
{
    if (qgetenv("AUTOCLOSE_ALLOW_CORE_DUMPS") == "1")
        return;
    const rlimit none {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    Os::forbidDumping();
}

bool coreDumpsDisabled()
{
    rlimit limit {};
    return getrlimit(RLIMIT_CORE, &limit) == 0 && limit.rlim_cur == 0 && limit.rlim_max == 0 && Os::dumpingForbidden();
}

bool restrictToOwner(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat info = {};
    if (::stat(name.constData(), &info) != 0)
        return false;
    const mode_t mode = S_ISDIR(info.st_mode) ? S_IRWXU : (S_IRUSR | S_IWUSR);
    return ::chmod(name.constData(), mode) == 0 && Os::clearExtraAccess(name.constData());
}

bool restrictToOwner(QFileDevice &openFile)
{
    const int fd = openFile.handle();
    return fd >= 0 && ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 && Os::clearExtraAccess(fd);
}

bool isOwnerOnly(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat info = {};
    return ::stat(name.constData(), &info) == 0 && info.st_uid == ::geteuid() &&
        (info.st_mode & (S_IRWXG | S_IRWXO)) == 0 && Os::hasNoExtraAccess(name.constData());
}

bool isTerminal(std::FILE *stream)
{
    return stream && ::isatty(::fileno(stream)) == 1;
}

namespace {
// The socket pair of the one TerminationRequests: the handler writes to [0], the event loop reads [1].
int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const int saved = errno;
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFds[0], &byte, 1);
    errno = saved;
}

void handle(int signalNumber, void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(signalNumber, &action, nullptr);
}
} // namespace

TerminationRequests::TerminationRequests(QObject *parent)
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    // A burst of signals must never block the handler: what does not fit is one request more, not one less.
    ::fcntl(g_signalFds[0], F_SETFL, O_NONBLOCK);
    m_notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalFds[1], &byte, 1);
        emit requested();
    });
    handle(SIGINT, onSignal);
    handle(SIGTERM, onSignal);
}

TerminationRequests::~TerminationRequests()
{
    handle(SIGINT, SIG_DFL);
    handle(SIGTERM, SIG_DFL);
    for (int &fd : g_signalFds) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

StdinWatcher::StdinWatcher(QObject *parent)
    : QObject(parent)
{
    // Readable means data or the end: read what is there, and report the end (or stdin that cannot be read).
    m_notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char buffer[4096];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got > 0 || (got < 0 && (errno == EINTR || errno == EAGAIN)))
            return;
        m_notifier->setEnabled(false);
        emit ended();
    });
}

StdinWatcher::~StdinWatcher() = default;

bool signalProcess(qint64 pid, ProcessSignal sig)
{
    // 0 and negative numbers name process groups: never one of those.
    if (pid <= 0)
        return false;
    int number = SIGKILL;
    switch (sig) {
    case ProcessSignal::Interrupt:
        number = SIGINT;
        break;
    case ProcessSignal::Terminate:
        number = SIGTERM;
        break;
    case ProcessSignal::Kill:
        number = SIGKILL;
        break;
    case ProcessSignal::Crash:
        number = SIGSEGV;
        break;
    }
    return ::kill(pid_t(pid), number) == 0;
}

PseudoTerminal::PseudoTerminal()
{
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0)
        return;
    const char *name = nullptr;
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || (name = ::ptsname(master)) == nullptr ||
        ::fcntl(master, F_SETFL, O_NONBLOCK) != 0) {
        ::close(master);
        return;
    }
    m_master = master;
    m_name = QFile::decodeName(name);
}

PseudoTerminal::~PseudoTerminal()
{
    if (m_master >= 0)
        ::close(m_master);
}

QByteArray PseudoTerminal::readAvailable()
{
    QByteArray read;
    char buffer[4096];
    for (ssize_t n; m_master >= 0 && (n = ::read(m_master, buffer, sizeof buffer)) > 0;)
        read.append(buffer, n);
    return read;
}

} // namespace Platform
