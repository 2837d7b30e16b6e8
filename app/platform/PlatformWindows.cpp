// The platform layer on Windows (app/platform/Platform.h). It is built by the hosted Windows CI only; here a
// syntax check with MinGW's headers (the ctest platform_windows_syntax) keeps it compiling.
#include "app/platform/Platform.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDevice>
#include <QFileInfo>
#include <QMetaObject>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <aclapi.h>
#include <io.h>
#if defined(__MINGW32__)
// MinGW's werapi.h does not compile (it uses HREPORT without declaring it): for the syntax check, the two functions
// used here, as the Windows SDK's werapi.h declares them.
extern "C" HRESULT WINAPI WerAddExcludedApplication(PCWSTR exeName, BOOL allUsers);
extern "C" HRESULT WINAPI WerRemoveExcludedApplication(PCWSTR exeName, BOOL allUsers);
#else
#include <werapi.h>
#endif

namespace Platform {

namespace {
std::wstring nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path).toStdWString();
}

// The path of this program's executable; empty if it cannot be read.
std::wstring executablePath()
{
    std::wstring path(MAX_PATH, L'\0');
    for (;;) {
        const DWORD length = GetModuleFileNameW(nullptr, path.data(), DWORD(path.size()));
        if (length == 0)
            return {};
        if (length < path.size()) {
            path.resize(length);
            return path;
        }
        if (path.size() >= 32768)
            return {};
        path.resize(path.size() * 2);
    }
}

// The current user's SID, read from the process's token; empty if it cannot be read.
std::vector<BYTE> currentUserSid()
{
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return {};
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::vector<BYTE> buffer(size);
    const bool read = size > 0 && GetTokenInformation(token, TokenUser, buffer.data(), size, &size);
    CloseHandle(token);
    if (!read)
        return {};
    const PSID user = reinterpret_cast<const TOKEN_USER *>(buffer.data())->User.Sid;
    std::vector<BYTE> sid(GetLengthSid(user));
    if (!CopySid(DWORD(sid.size()), sid.data(), user))
        return {};
    return sid;
}

// What LocalAlloc gave (an ACL, a security descriptor), freed with it.
struct LocalMemory
{
    void *memory = nullptr;
    LocalMemory() = default;
    LocalMemory(const LocalMemory &) = delete;
    LocalMemory &operator=(const LocalMemory &) = delete;
    ~LocalMemory()
    {
        if (memory != nullptr)
            LocalFree(memory);
    }
};

// A DACL with one entry: full control for the current user, inherited by what a folder holds when forFolder.
bool ownerOnlyAcl(bool forFolder, LocalMemory &acl)
{
    std::vector<BYTE> sid = currentUserSid();
    if (sid.empty())
        return false;
    EXPLICIT_ACCESS_W access = {};
    access.grfAccessPermissions = FILE_ALL_ACCESS;
    access.grfAccessMode = SET_ACCESS;
    access.grfInheritance = forFolder ? SUB_CONTAINERS_AND_OBJECTS_INHERIT : NO_INHERITANCE;
    access.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    access.Trustee.TrusteeType = TRUSTEE_IS_USER;
    access.Trustee.ptstrName = reinterpret_cast<LPWSTR>(sid.data());
    PACL made = nullptr;
    if (SetEntriesInAclW(1, &access, nullptr, &made) != ERROR_SUCCESS)
        return false;
    acl.memory = made;
    return true;
}

// The DACL alone, protected: nothing is inherited from the folder above.
constexpr SECURITY_INFORMATION ProtectedDacl = DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION;

// Whether setting a DACL ended well. A file system without ACLs (FAT, exFAT, some network shares) refuses with
// ERROR_NOT_SUPPORTED or ERROR_INVALID_FUNCTION: it has no DACL to set, which is no failure, as macOS takes ENOTSUP
// for a file system without extended ACLs (docs/architecture.md, "The platform layer"). The file is then as private
// as that file system makes anything, and isOwnerOnly says it is not.
bool daclSet(DWORD error)
{
    return error == ERROR_SUCCESS || error == ERROR_NOT_SUPPORTED || error == ERROR_INVALID_FUNCTION;
}
} // namespace

void disableCoreDumps()
{
    // Windows Error Reporting's exclusion is kept in the user's registry (HKCU) and outlives the process: the switch
    // takes it away again, so that a program run with it is reported as any other (a failure, or no exclusion to
    // take away, changes nothing).
    const std::wstring exe = executablePath();
    if (qgetenv("AUTOCLOSE_ALLOW_CORE_DUMPS") == "1") {
        if (!exe.empty())
            (void)WerRemoveExcludedApplication(exe.c_str(), FALSE);
        return;
    }
    // No "has stopped working" dialog (which offers to send a report with the process's memory) ...
    SetErrorMode(GetErrorMode() | SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    // ... and Windows Error Reporting leaves this program out, for the current user (no administrator needed). A
    // failure (a policy forbids it) leaves the system's choice.
    if (!exe.empty())
        (void)WerAddExcludedApplication(exe.c_str(), FALSE);
}

bool coreDumpsDisabled()
{
    return (GetErrorMode() & SEM_NOGPFAULTERRORBOX) != 0;
}

bool restrictToOwner(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return false;
    // Setting a folder's DACL reaches, through inheritance, everything the folder already holds: a folder already the
    // user's alone (the journal's, at every write; a --data-dir given again) is not written again.
    if (isOwnerOnly(path))
        return true;
    LocalMemory acl;
    if (!ownerOnlyAcl(info.isDir(), acl))
        return false;
    std::wstring name = nativePath(path);
    return daclSet(SetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT, ProtectedDacl, nullptr, nullptr,
                                         static_cast<PACL>(acl.memory), nullptr));
}

bool restrictToOwner(QFileDevice &openFile)
{
    const int fd = openFile.handle();
    if (fd < 0)
        return false;
    const auto handle = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
    if (handle == INVALID_HANDLE_VALUE)
        return false;
    LocalMemory acl;
    if (!ownerOnlyAcl(false, acl))
        return false;
    // Qt opened the file to read and write its data, not its DACL: a second handle on the same file may.
    HANDLE dacl =
        ReOpenFile(handle, READ_CONTROL | WRITE_DAC, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 0);
    if (dacl == INVALID_HANDLE_VALUE)
        return false;
    const bool done = daclSet(
        SetSecurityInfo(dacl, SE_FILE_OBJECT, ProtectedDacl, nullptr, nullptr, static_cast<PACL>(acl.memory), nullptr));
    CloseHandle(dacl);
    return done;
}

bool isOwnerOnly(const QString &path)
{
    const std::vector<BYTE> sid = currentUserSid();
    if (sid.empty())
        return false;
    const std::wstring name = nativePath(path);
    PACL dacl = nullptr;
    LocalMemory descriptor;
    PSECURITY_DESCRIPTOR read = nullptr;
    if (GetNamedSecurityInfoW(name.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, &dacl, nullptr,
                              &read) != ERROR_SUCCESS)
        return false;
    descriptor.memory = read;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision = 0;
    // No DACL at all lets everyone in; an unprotected one takes in what the folder above allows.
    if (dacl == nullptr || !GetSecurityDescriptorControl(read, &control, &revision) ||
        (control & SE_DACL_PROTECTED) == 0)
        return false;
    ACL_SIZE_INFORMATION size = {};
    if (!GetAclInformation(dacl, &size, DWORD(sizeof size), AclSizeInformation))
        return false;
    bool userAllowed = false;
    for (DWORD i = 0; i < size.AceCount; ++i) {
        void *ace = nullptr;
        if (!GetAce(dacl, i, &ace))
            return false;
        const BYTE type = static_cast<const ACE_HEADER *>(ace)->AceType;
        if (type == ACCESS_DENIED_ACE_TYPE)
            continue; // takes away, gives nothing
        if (type != ACCESS_ALLOWED_ACE_TYPE)
            return false;
        auto *allowed = static_cast<ACCESS_ALLOWED_ACE *>(ace);
        if (!EqualSid(reinterpret_cast<PSID>(&allowed->SidStart), const_cast<BYTE *>(sid.data())))
            return false;
        userAllowed = true;
    }
    return userAllowed;
}

bool isTerminal(std::FILE *stream)
{
    if (stream == nullptr)
        return false;
    const int fd = _fileno(stream);
    if (fd < 0)
        return false;
    // A console, not merely a character device (_isatty says yes to NUL).
    const auto handle = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
    DWORD mode = 0;
    return handle != INVALID_HANDLE_VALUE && GetConsoleMode(handle, &mode) != 0;
}

namespace {
std::mutex g_requestsMutex;
TerminationRequests *g_requests = nullptr; // the one TerminationRequests, guarded by g_requestsMutex

// Runs on a thread the system starts for the event.
BOOL WINAPI onConsoleEvent(DWORD event)
{
    if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT && event != CTRL_CLOSE_EVENT)
        return FALSE;
    {
        const std::lock_guard lock(g_requestsMutex);
        if (g_requests == nullptr)
            return FALSE; // the default: the process ends
        TerminationRequests *requests = g_requests;
        QMetaObject::invokeMethod(
            requests, [requests] { emit requests->requested(); }, Qt::QueuedConnection);
    }
    // The system ends the process as soon as this returns for a closing console: wait here instead, while the
    // program quits and returns from main (which ends this thread), or until the system stops waiting.
    if (event == CTRL_CLOSE_EVENT)
        Sleep(INFINITE);
    return TRUE;
}
} // namespace

TerminationRequests::TerminationRequests(QObject *parent)
    : QObject(parent)
{
    {
        const std::lock_guard lock(g_requestsMutex);
        g_requests = this;
    }
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
}

TerminationRequests::~TerminationRequests()
{
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
    const std::lock_guard lock(g_requestsMutex);
    if (g_requests == this)
        g_requests = nullptr;
}

// What the reading thread shares with its StdinWatcher: the watcher, until it is destroyed.
struct StdinThread
{
    std::mutex mutex;
    StdinWatcher *watcher = nullptr;
};

StdinWatcher::StdinWatcher(QObject *parent)
    : QObject(parent)
    , m_thread(std::make_shared<StdinThread>())
{
    m_thread->watcher = this;
    // Windows' pipes have no notifier: a thread reads until the end. It is left blocked in its read when the process
    // ends otherwise.
    // It reads the handle itself, not the C runtime's stdin: the CRT's text mode takes a 0x1A byte for the end, and a
    // thread blocked in fread holds the CRT's lock on stdin while the process exits.
    std::thread([shared = m_thread] {
        const HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
        if (input != INVALID_HANDLE_VALUE && input != nullptr) {
            char buffer[4096];
            DWORD read = 0;
            // FALSE for the end of a pipe (ERROR_BROKEN_PIPE) or any other error; 0 bytes for the end of a file.
            while (ReadFile(input, buffer, DWORD(sizeof buffer), &read, nullptr) && read > 0) { }
        }
        const std::lock_guard lock(shared->mutex);
        if (StdinWatcher *watcher = shared->watcher)
            QMetaObject::invokeMethod(
                watcher, [watcher] { emit watcher->ended(); }, Qt::QueuedConnection);
    }).detach();
}

StdinWatcher::~StdinWatcher()
{
    const std::lock_guard lock(m_thread->mutex);
    m_thread->watcher = nullptr;
}

bool signalProcess(qint64 pid, ProcessSignal sig)
{
    // No signals here: ending a process is all there is (Interrupt and Crash have no equivalent).
    if (pid <= 0 || (sig != ProcessSignal::Terminate && sig != ProcessSignal::Kill))
        return false;
    HANDLE process = OpenProcess(PROCESS_TERMINATE, FALSE, DWORD(pid));
    if (process == nullptr)
        return false;
    const bool done = TerminateProcess(process, 1) != 0;
    CloseHandle(process);
    return done;
}

PseudoTerminal::PseudoTerminal() = default;

PseudoTerminal::~PseudoTerminal() = default;

QByteArray PseudoTerminal::readAvailable()
{
    return {};
}

} // namespace Platform
