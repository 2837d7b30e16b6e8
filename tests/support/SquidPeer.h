#pragma once

// A real squid (Debian's /usr/sbin/squid) on 127.0.0.1 for proxy tests: its own minimal configuration in a
// temporary directory (no cache, no daemon, stopped with SIGTERM at once), with Basic authentication against a
// password file made by htpasswd, or open to the loopback. The access log says which requests went through it, as
// whom, and which it refused (TCP_DENIED/407).
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

class SquidPeer
{
public:
    struct Options
    {
        bool authenticate = true;
        QString user = QStringLiteral("alice");
        QString password = QStringLiteral("p@ss:w rd"); // needs percent-encoding in a URL
    };
    SquidPeer();
    explicit SquidPeer(Options options);
    ~SquidPeer();
    SquidPeer(const SquidPeer &) = delete;
    SquidPeer &operator=(const SquidPeer &) = delete;

    // Starts squid and waits until it accepts connections; false with errorString() when it did not.
    bool start();
    QString errorString() const { return m_error; }

    quint16 port() const { return m_port; }
    QString hostPort() const; // 127.0.0.1:<port>
    // http://127.0.0.1:<port>, with the user and password (percent-encoded) when withCredentials.
    QString url(bool withCredentials = false) const;
    QString url(const QString &user, const QString &password) const;
    const Options &options() const { return m_options; }

    QString accessLog() const;
    // Waits until the access log holds text (squid writes a line when a request ends).
    bool waitForLog(const QString &text, int timeoutMs = 5000) const;

    // A port of 127.0.0.1 where nothing listens (for a dead proxy).
    static quint16 deadPort();

private:
    QString path(const QString &name) const;

    Options m_options;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};
