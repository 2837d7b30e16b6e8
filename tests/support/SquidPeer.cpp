#include "SquidPeer.h"

#include <QFile>
#include <QTcpServer>
#include <QTest>
#include <QUrl>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
constexpr auto SquidBinary = "/usr/sbin/squid";
constexpr auto NcsaAuth = "/usr/lib/squid/basic_ncsa_auth";

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}
} // namespace

SquidPeer::SquidPeer()
    : SquidPeer(Options {})
{ }

SquidPeer::SquidPeer(Options options)
    : m_options(std::move(options))
{ }

SquidPeer::~SquidPeer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate(); // shutdown_lifetime 0: it stops at once
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }
}

QString SquidPeer::path(const QString &name) const
{
    return m_dir.filePath(name);
}

quint16 SquidPeer::deadPort()
{
    return freePort(); // closed again as it returns
}

bool SquidPeer::start()
{
    if (!m_dir.isValid())
        return m_error = u"no temporary directory"_s, false;
    // Run as root (CI), squid drops to the user "proxy": its directory must be writable by it.
    QFile::setPermissions(m_dir.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                              QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                              QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther);
    if (m_options.authenticate) {
        QProcess htpasswd;
        htpasswd.start(u"htpasswd"_s, {u"-bc"_s, path(u"passwd"_s), m_options.user, m_options.password});
        if (!htpasswd.waitForFinished(10000) || htpasswd.exitCode() != 0)
            return m_error = u"htpasswd failed: "_s + QString::fromLocal8Bit(htpasswd.readAllStandardError()), false;
        QFile::setPermissions(path(u"passwd"_s),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                                  QFileDevice::ReadOther);
    }
    // A port chosen free may be taken before squid binds it: a few tries.
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_port = freePort();
        QString config = u"http_port 127.0.0.1:%1\n"
                         "pid_filename %2\n"
                         "cache_log %3\n"
                         "access_log stdio:%4\n"
                         "cache_store_log none\n"
                         "coredump_dir %5\n"
                         "netdb_filename none\n"
                         "cache deny all\n"
                         "shutdown_lifetime 0 seconds\n"_s.arg(m_port)
                             .arg(path(u"squid.pid"_s), path(u"cache.log"_s), path(u"access.log"_s), m_dir.path());
        if (m_options.authenticate)
            config += u"auth_param basic program %1 %2\n"
                      "auth_param basic realm autoclose-test\n"
                      "acl authenticated proxy_auth REQUIRED\n"
                      "http_access allow authenticated\n"_s.arg(QString::fromLatin1(NcsaAuth), path(u"passwd"_s));
        else
            config += u"acl loopback src 127.0.0.1\nhttp_access allow loopback\n"_s;
        config += u"http_access deny all\n"_s;
        QFile file(path(u"squid.conf"_s));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(config.toUtf8()) < 0)
            return m_error = u"cannot write squid.conf"_s, false;
        file.close();
        QFile::remove(path(u"cache.log"_s));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QString::fromLatin1(SquidBinary), {u"-N"_s, u"-f"_s, path(u"squid.conf"_s)});
        // It serves once cache.log says it accepts connections on the port.
        const bool listening = QTest::qWaitFor(
            [this] {
                QFile log(path(u"cache.log"_s));
                return m_process.state() == QProcess::NotRunning ||
                    (log.open(QIODevice::ReadOnly) && log.readAll().contains("Accepting HTTP Socket connections"));
            },
            20000);
        if (listening && m_process.state() == QProcess::Running)
            return true;
        QFile log(path(u"cache.log"_s));
        log.open(QIODevice::ReadOnly);
        m_error = u"squid did not start: "_s + QString::fromLocal8Bit(m_process.readAll() + log.readAll().right(2000));
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
    return false;
}

QString SquidPeer::hostPort() const
{
    return u"127.0.0.1:%1"_s.arg(m_port);
}

QString SquidPeer::url(bool withCredentials) const
{
    return withCredentials ? url(m_options.user, m_options.password) : u"http://"_s + hostPort();
}

QString SquidPeer::url(const QString &user, const QString &password) const
{
    return u"http://%1:%2@%3"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(user)),
                                    QString::fromLatin1(QUrl::toPercentEncoding(password)), hostPort());
}

QString SquidPeer::accessLog() const
{
    QFile log(path(u"access.log"_s));
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}

bool SquidPeer::waitForLog(const QString &text, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return accessLog().contains(text); }, timeoutMs);
}
