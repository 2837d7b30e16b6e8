// Tests may set a script's mode and read /proc (under Q_OS_LINUX), but call the system through the layer only.
#include <QFile>
#include <csignal>

bool script(const QString &path)
{
    return QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ExeOwner) &&
        QFile::exists(QStringLiteral("/proc/self/status"));
}

void stop(long pid)
{
    ::kill(pid, SIGKILL);
}

void modes(const std::filesystem::path &path)
{
    std::filesystem::permissions(path, std::filesystem::perms::owner_all); // a test may, as with setPermissions
    std::signal(SIGINT, SIG_IGN);
}
