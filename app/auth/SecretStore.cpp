#include "app/auth/SecretStore.h"

#include "app/common/PrivateFiles.h"
#include "app/platform/Platform.h"

#include "app/auth/Profile.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace {
constexpr QLatin1StringView ChunkedPrefix = "autoclose-chunked:"_L1;

// QtKeychain's finished signal can come before the context is gone or after; the callback runs only while the
// context lives.
template<typename Callback, typename Value>
void deliver(const QPointer<QObject> &context, const Callback &done, Value &&value)
{
    if (context)
        done(std::forward<Value>(value));
}
} // namespace

SecretStore::SecretStore(QObject *parent)
    : SecretStore(defaultService(), parent)
{ }

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{ }

QString SecretStore::defaultPlaintextFile()
{
    return QDir(ProfileStore::configDirectory()).filePath(u"secrets-plaintext.json"_s);
}

QString SecretStore::noKeychainMessage()
{
    return tr("No keychain is available (on Linux: no Secret Service such as GNOME Keyring or KWallet is running "
              "and unlocked), so nothing can be remembered: you will sign in on each run. Start and unlock a "
              "keychain, or, knowing that anyone who can read your files can then use it, opt in to keeping "
              "secrets in a plaintext file (in the window: Environment → Profiles; in a terminal: autoclose-cli "
              "profiles plaintext-secrets on).");
}

namespace {
Error keychainError(QKeychain::Error code, const QString &detail)
{
    Error e;
    e.kind = Error::Kind::Auth;
    e.serviceCode = u"QKeychain %1"_s.arg(int(code));
    e.serviceMessage = detail;
    switch (code) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        e.userMessage = SecretStore::noKeychainMessage();
        break;
    case QKeychain::OtherError:
        // libsecret reports a missing Secret Service as "other": its D-Bus name is not on the bus.
        e.userMessage = detail.contains(u"org.freedesktop.secrets"_s) || detail.contains(u"ServiceUnknown"_s) ||
                detail.contains(u"not provided by any .service"_s) || detail.contains(u"No such secret"_s)
            ? SecretStore::noKeychainMessage()
            : SecretStore::tr("The keychain refused the request: %1. Check that it is unlocked, then try again.")
                  .arg(detail);
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        e.userMessage =
            SecretStore::tr("The keychain denied access. Unlock it, or allow Auto-Close Editor to use it, then try "
                            "again.");
        break;
    default:
        e.userMessage = SecretStore::tr("The keychain failed: %1.").arg(detail);
        break;
    }
    return e;
}
} // namespace

void SecretStore::readEntry(const QString &key, OutcomeCallback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [job, done](QKeychain::Job *) {
        Outcome o;
        if (job->error() == QKeychain::NoError) {
            o.ok = true;
            o.value = job->textData();
        } else if (job->error() == QKeychain::EntryNotFound) {
            o.ok = true;
            o.notFound = true;
        } else {
            o.error = keychainError(job->error(), job->errorString());
        }
        done(o);
    });
    job->start();
}

void SecretStore::writeEntry(const QString &key, const QString &value, OutcomeCallback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, this, [job, done](QKeychain::Job *) {
        Outcome o;
        o.ok = job->error() == QKeychain::NoError;
        if (!o.ok)
            o.error = keychainError(job->error(), job->errorString());
        done(o);
    });
    job->start();
}

void SecretStore::deleteEntry(const QString &key, OutcomeCallback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [job, done](QKeychain::Job *) {
        Outcome o;
        o.ok = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        if (!o.ok)
            o.error = keychainError(job->error(), job->errorString());
        done(o);
    });
    job->start();
}

void SecretStore::read(const QString &key, QObject *context, ReadCallback done)
{
    QPointer<QObject> guard(context);
    if (!m_plaintextFile.isEmpty()) {
        const auto value = fileRead(key);
        QMetaObject::invokeMethod(
            this, [guard, done, value] { deliver(guard, done, value); }, Qt::QueuedConnection);
        return;
    }
    readEntry(key, [this, key, guard, done](Outcome o) {
        if (!o.ok)
            return deliver(guard, done, Result<std::optional<QString>>(o.error));
        if (o.notFound)
            return deliver(guard, done, Result<std::optional<QString>>(std::optional<QString>()));
        if (o.value.startsWith(ChunkedPrefix)) {
            bool numeric = false;
            const int count = o.value.mid(ChunkedPrefix.size()).toInt(&numeric);
            if (numeric && count > 0 && count < 1000)
                return readChunks(key, count, 1, QString(), guard, done);
        }
        deliver(guard, done, Result<std::optional<QString>>(std::optional<QString>(o.value)));
    });
}

void SecretStore::readChunks(const QString &key, int count, int index, QString sofar, QObject *context,
                             ReadCallback done)
{
    QPointer<QObject> guard(context);
    readEntry(key + u'#' + QString::number(index), [=, this](Outcome o) mutable {
        if (!o.ok)
            return deliver(guard, done, Result<std::optional<QString>>(o.error));
        if (o.notFound) {
            Error e;
            e.kind = Error::Kind::Auth;
            e.userMessage =
                tr("Part %1 of %2 of a secret is missing from the keychain; sign in again.").arg(index).arg(count);
            return deliver(guard, done, Result<std::optional<QString>>(e));
        }
        sofar += o.value;
        if (index == count)
            return deliver(guard, done, Result<std::optional<QString>>(std::optional<QString>(sofar)));
        readChunks(key, count, index + 1, sofar, guard, done);
    });
}

void SecretStore::write(const QString &key, const QString &value, QObject *context, DoneCallback done)
{
    QPointer<QObject> guard(context);
    if (!m_plaintextFile.isEmpty()) {
        const auto written = fileWrite(key, value);
        QMetaObject::invokeMethod(
            this, [guard, done, written] { deliver(guard, done, written); }, Qt::QueuedConnection);
        return;
    }
    // Whatever was there (one entry or parts) goes first, so no stale part outlives a shorter value.
    remove(key, this, [this, key, value, guard, done](Result<Done> removed) {
        if (!removed)
            return deliver(guard, done, removed);
        const QByteArray utf8 = value.toUtf8();
        if (utf8.size() <= ChunkBytes) {
            writeEntry(key, value, [guard, done](Outcome o) {
                deliver(guard, done, o.ok ? Result<Done>(Done {}) : Result<Done>(o.error));
            });
            return;
        }
        // Split on characters, each part at most ChunkBytes of UTF-8 (tokens are ASCII, so parts are even).
        QStringList parts;
        QString part;
        qsizetype partBytes = 0;
        for (const QChar c : value) {
            const qsizetype bytes = QString(c).toUtf8().size();
            if (partBytes + bytes > ChunkBytes) {
                parts << part;
                part.clear();
                partBytes = 0;
            }
            part += c;
            partBytes += bytes;
        }
        if (!part.isEmpty())
            parts << part;
        writeChunks(key, parts, 0, guard, done);
    });
}

void SecretStore::writeChunks(const QString &key, QStringList parts, int index, QObject *context, DoneCallback done)
{
    QPointer<QObject> guard(context);
    if (index == parts.size()) {
        // The head last: a reader never finds a head whose parts are not all there.
        writeEntry(key, ChunkedPrefix + QString::number(parts.size()), [guard, done](Outcome o) {
            deliver(guard, done, o.ok ? Result<Done>(Done {}) : Result<Done>(o.error));
        });
        return;
    }
    writeEntry(key + u'#' + QString::number(index + 1), parts.at(index), [=, this](Outcome o) {
        if (!o.ok)
            return deliver(guard, done, Result<Done>(o.error));
        writeChunks(key, parts, index + 1, guard, done);
    });
}

void SecretStore::remove(const QString &key, QObject *context, DoneCallback done)
{
    QPointer<QObject> guard(context);
    if (!m_plaintextFile.isEmpty()) {
        const auto written = fileWrite(key, std::nullopt);
        QMetaObject::invokeMethod(
            this, [guard, done, written] { deliver(guard, done, written); }, Qt::QueuedConnection);
        return;
    }
    readEntry(key, [this, key, guard, done](Outcome o) {
        if (!o.ok)
            return deliver(guard, done, Result<Done>(o.error));
        if (o.notFound)
            return deliver(guard, done, Result<Done>(Done {}));
        int count = 0;
        if (o.value.startsWith(ChunkedPrefix))
            count = o.value.mid(ChunkedPrefix.size()).toInt();
        // The head first: once it is gone, no reader assembles the parts.
        deleteEntry(key, [this, key, count, guard, done](Outcome deleted) {
            if (!deleted.ok)
                return deliver(guard, done, Result<Done>(deleted.error));
            deleteChunks(key, count, guard, done);
        });
    });
}

void SecretStore::deleteChunks(const QString &key, int count, QObject *context, DoneCallback done)
{
    QPointer<QObject> guard(context);
    if (count <= 0)
        return deliver(guard, done, Result<Done>(Done {}));
    deleteEntry(key + u'#' + QString::number(count), [=, this](Outcome o) {
        if (!o.ok)
            return deliver(guard, done, Result<Done>(o.error));
        deleteChunks(key, count - 1, guard, done);
    });
}

Result<std::optional<QString>> SecretStore::fileRead(const QString &key) const
{
    QFile file(m_plaintextFile);
    if (!file.exists())
        return std::optional<QString>();
    if (!file.open(QIODevice::ReadOnly))
        return Error::badInput(
            tr("Could not read %1: %2").arg(QDir::toNativeSeparators(m_plaintextFile), file.errorString()));
    const QJsonObject all = QJsonDocument::fromJson(file.readAll()).object();
    if (!all.contains(key))
        return std::optional<QString>();
    return std::optional<QString>(all.value(key).toString());
}

Result<Done> SecretStore::fileWrite(const QString &key, const std::optional<QString> &value) const
{
    QJsonObject all;
    if (QFile existing(m_plaintextFile); existing.open(QIODevice::ReadOnly))
        all = QJsonDocument::fromJson(existing.readAll()).object();
    if (value)
        all.insert(key, *value);
    else if (!all.contains(key))
        return Done {};
    else
        all.remove(key);
    PrivateFiles::makeDirectory(QFileInfo(m_plaintextFile).absolutePath());
    QSaveFile file(m_plaintextFile);
    if (!file.open(QIODevice::WriteOnly))
        return Error::badInput(
            tr("Could not write %1: %2").arg(QDir::toNativeSeparators(m_plaintextFile), file.errorString()));
    Platform::restrictToOwner(file);
    file.write(QJsonDocument(all).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error::badInput(
            tr("Could not write %1: %2").arg(QDir::toNativeSeparators(m_plaintextFile), file.errorString()));
    return Done {};
}
