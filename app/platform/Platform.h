#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QtGlobal>

#include <cstdio>
#include <memory>

class QFileDevice;
class QSocketNotifier;

// Every call the C++ standard and Qt do not cover — file modes and ACLs, core dumps, terminals, signals and console
// events, the end of standard input, signals sent to a process — is made here and nowhere else (docs/architecture.md,
// "The platform layer"). CMake compiles PlatformPosix.cpp with PlatformLinux.cpp or PlatformMac.cpp, or
// PlatformWindows.cpp; cmake/CheckPortability.cmake fails the build's tests when a file outside app/platform/
// includes a system header or makes one of these calls itself.
namespace Platform {

// A core dump of a process holding an access token, a refresh token or a client secret would carry them to disk or to
// a crash reporter. Linux: the core file size limit is zero and the process is not dumpable (which also covers a
// core_pattern that pipes to a crash collector); macOS: the core file size limit is zero; Windows: no crash dialog,
// and Windows Error Reporting leaves this program's executable out (for the user, where the system allows it: an
// exclusion kept in the user's registry, which outlives the process). Failures are ignored.
// AUTOCLOSE_ALLOW_CORE_DUMPS=1, for debugging, leaves the process's settings alone and, on Windows, takes that
// exclusion away again.
void disableCoreDumps();
// Whether this process is kept from dumping core as disableCoreDumps does it, read back from the system: Linux, a
// core file size limit of zero and not dumpable; macOS, the limit; Windows, the error mode without the crash dialog.
bool coreDumpsDisabled();

// Makes path the user's alone: on POSIX a file 0600 and a folder 0700 (on macOS without extended ACL entries); on
// Windows a protected DACL (nothing inherited) with one entry, full control for the current user, inherited by what
// a folder holds, what it already holds included (so a path already isOwnerOnly is left as it is on Windows). A file
// system without ACLs (macOS: ENOTSUP; Windows: FAT, exFAT, some shares) has none to set, which is no failure. False
// if it cannot.
bool restrictToOwner(const QString &path);
// The same for a file open for writing, before anything is written to it: for a QSaveFile, whose temporary file has
// no name the caller knows (or none at all). False if it cannot.
bool restrictToOwner(QFileDevice &openFile);
// Whether path is the user's alone, read back from the system: on POSIX owned by the user with no group or other
// permission bits (on macOS no extended ACL entry allowing anything); on Windows a protected DACL whose entries all
// allow the current user only. False if it cannot be read.
bool isOwnerOnly(const QString &path);

// Whether stream is an interactive terminal (a Windows console).
bool isTerminal(std::FILE *stream);

// Emits requested() each time the user or the system asks the process to end: SIGINT and SIGTERM on POSIX (the
// handler writes a byte to a socket pair; the signal is emitted from the event loop); Ctrl+C, Ctrl+Break and the
// console window closing on Windows (the system runs the handler on a thread of its own: the signal is queued to
// this object's thread; for a closing console the handler then sleeps, holding the process open while the program
// quits, until the process exits or the system's few seconds run out and it ends the process, whether or not this
// object is destroyed meanwhile). One at a time in a process; its destructor restores the default handling.
class TerminationRequests final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminationRequests)
public:
    explicit TerminationRequests(QObject *parent = nullptr);
    ~TerminationRequests() override;

Q_SIGNALS:
    void requested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

struct StdinThread;

// Emits ended() once when standard input reaches its end (or can no longer be read); what arrives before is read and
// dropped. POSIX: a socket notifier on descriptor 0; Windows, whose pipes have no notifier: a thread that reads the
// standard input handle (ReadFile, not the C runtime's text-mode stdin) until the end or an error and queues the
// signal (left blocked in its read when the process ends otherwise). One at a time in a process.
class StdinWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdinWatcher)
public:
    explicit StdinWatcher(QObject *parent = nullptr);
    ~StdinWatcher() override;

Q_SIGNALS:
    void ended();

private:
    QSocketNotifier *m_notifier = nullptr; // POSIX
    std::shared_ptr<StdinThread> m_thread; // Windows: what the reading thread shares with this object
};

// For the tests, which must start and stop processes the way a user or the system does.
enum class ProcessSignal {
    Interrupt, // POSIX SIGINT (Ctrl+C)
    Terminate, // POSIX SIGTERM; Windows TerminateProcess
    Kill, // POSIX SIGKILL; Windows TerminateProcess
    Crash, // POSIX SIGSEGV
};
// Sends sig to process pid. False if it could not be sent, or has no equivalent here (Interrupt and Crash on
// Windows).
bool signalProcess(qint64 pid, ProcessSignal sig);

// A pseudo-terminal, for tests of what a program does when its output is a terminal: give name() to the program as
// its standard output or error, and read what it wrote with readAvailable(). POSIX only: on Windows isOpen() is
// false.
class PseudoTerminal final
{
    Q_DISABLE_COPY_MOVE(PseudoTerminal)
public:
    PseudoTerminal();
    ~PseudoTerminal();

    bool isOpen() const { return m_master >= 0; }
    // The terminal's device, to open as a program's standard output or error.
    QString name() const { return m_name; }
    // Everything written to the terminal and not read yet, without waiting for more.
    QByteArray readAvailable();

private:
    int m_master = -1;
    QString m_name;
};

} // namespace Platform

Q_DECLARE_METATYPE(Platform::ProcessSignal)
