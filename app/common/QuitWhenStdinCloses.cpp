#include "app/common/QuitWhenStdinCloses.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <unistd.h>
#else
#include <cstdio>
#include <thread>
#endif

QuitWhenStdinCloses::QuitWhenStdinCloses(QObject *parent)
    : QObject(parent)
{
#ifdef Q_OS_UNIX
    // Readable means data or the end: read what is there, and quit at the end (or when stdin cannot be read).
    m_notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char buffer[4096];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got > 0 || (got < 0 && (errno == EINTR || errno == EAGAIN)))
            return;
        m_notifier->setEnabled(false);
        QCoreApplication::quit();
    });
#else
    // Windows' pipes have no notifier: a thread reads until the end and asks the event loop to quit. It is left
    // blocked in its read when the process ends otherwise.
    std::thread([] {
        char buffer[4096];
        while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) { }
        if (QCoreApplication *app = QCoreApplication::instance())
            QMetaObject::invokeMethod(
                app, [] { QCoreApplication::quit(); }, Qt::QueuedConnection);
    }).detach();
#endif
}

QuitWhenStdinCloses::~QuitWhenStdinCloses() = default;
