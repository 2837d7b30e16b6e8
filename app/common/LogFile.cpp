#include "app/common/LogFile.h"

#include "app/common/NetworkProxy.h"
#include "app/common/PrivateFiles.h"
#include "app/platform/Platform.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace {
struct State
{
    QMutex mutex;
    QFile file;
    QString path;
    LogFile::Options options;
    QtMessageHandler previous = nullptr;
    bool installed = false;
};

State &state()
{
    static State s;
    return s;
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "?";
}

bool openLog(State &s)
{
    s.file.setFileName(s.path);
    if (!s.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        return false;
    Platform::restrictToOwner(s.file);
    return true;
}

// name.log → name.log.1 → … → name.log.N, the oldest dropped.
void rotate(State &s)
{
    s.file.close();
    QFile::remove(s.path + u'.' + QString::number(s.options.keep));
    for (int i = s.options.keep - 1; i >= 1; --i)
        QFile::rename(s.path + u'.' + QString::number(i), s.path + u'.' + QString::number(i + 1));
    if (s.options.keep > 0)
        QFile::rename(s.path, s.path + u".1"_s);
    else
        QFile::remove(s.path);
    openLog(s);
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    State &s = state();
    const QString safe = LogFile::redact(message);
    {
        QMutexLocker lock(&s.mutex);
        if (s.installed && s.file.isOpen()) {
            const QByteArray line =
                (QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' ' + QLatin1String(levelName(type)) +
                 u' ' + QLatin1String(context.category ? context.category : "default") + u": "_s + safe + u'\n')
                    .toUtf8();
            if (s.file.size() + line.size() > s.options.maxBytes)
                rotate(s);
            s.file.write(line);
            s.file.flush();
        }
    }
    // The file has everything; the terminal only what needs attention.
    if (s.previous && type != QtDebugMsg && type != QtInfoMsg)
        s.previous(type, context, safe);
}
} // namespace

QString LogFile::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/logs"_s;
}

QString LogFile::redact(const QString &message)
{
    static const QList<std::pair<QRegularExpression, QString>> rules = {
        // Authorization: Bearer <token>
        {QRegularExpression(u"(Bearer\\s+)[A-Za-z0-9\\-._~+/]+=*"_s, QRegularExpression::CaseInsensitiveOption),
         u"\\1***"_s},
        // form and query fields: access_token=…, refresh_token=…, client_secret=…, code=…, password=…
        {QRegularExpression(u"\\b(access_token|refresh_token|id_token|client_secret|client_assertion|password|"
                            u"code_verifier|device_code|code)=[^&\\s\"']+"_s,
                            QRegularExpression::CaseInsensitiveOption),
         u"\\1=***"_s},
        // the same as JSON members
        {QRegularExpression(u"\"(access_token|refresh_token|id_token|client_secret|password|device_code)\"\\s*:\\s*"
                            u"\"[^\"]*\""_s,
                            QRegularExpression::CaseInsensitiveOption),
         u"\"\\1\":\"***\""_s},
        // anything that looks like a JWT
        {QRegularExpression(u"eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"_s), u"***"_s},
    };
    QString text = message;
    for (const auto &[pattern, replacement] : rules)
        text.replace(pattern, replacement);
    // a proxy's URL with its password: scheme://user:***@host (docs/networking.md)
    return NetworkProxy::redacted(text);
}

Result<QString> LogFile::install(const QString &dir, const QString &name, Options options)
{
    State &s = state();
    QMutexLocker lock(&s.mutex);
    if (!PrivateFiles::makeDirectory(dir))
        return Error::badInput(QCoreApplication::translate("LogFile", "Cannot create the log folder %1.")
                                   .arg(QDir::toNativeSeparators(dir)));
    if (s.file.isOpen())
        s.file.close();
    s.path = QDir(dir).filePath(name + u".log"_s);
    s.options = options;
    if (!openLog(s))
        return Error::badInput(QCoreApplication::translate("LogFile", "Cannot write the log file %1: %2.")
                                   .arg(QDir::toNativeSeparators(s.path), s.file.errorString()));
    if (!s.installed) {
        s.previous = qInstallMessageHandler(handler);
        s.installed = true;
    }
    return s.path;
}

void LogFile::uninstall()
{
    State &s = state();
    QMutexLocker lock(&s.mutex);
    if (!s.installed)
        return;
    qInstallMessageHandler(s.previous);
    s.installed = false;
    s.file.close();
}
