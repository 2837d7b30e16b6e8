#pragma once

#include "models/Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// Refresh tokens and client secrets, kept only in the OS keychain through QtKeychain (Secret Service, Keychain,
// Credential Manager), keyed by service + "<profile id>/<kind>". Values longer than ChunkBytes are split across
// entries (Windows caps a credential at 2,560 bytes). There is no insecure fallback: without a keychain every
// call fails with a sentence that says so and what to do, unless the user opted in to the plaintext file
// (setPlaintextFile), which is then used instead, with mode 0600.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)
public:
    static constexpr qsizetype ChunkBytes = 2500;
    static QString defaultService() { return QStringLiteral("org.autocloseeditor.AutoCloseEditor"); }

    explicit SecretStore(QObject *parent = nullptr);
    explicit SecretStore(const QString &service, QObject *parent = nullptr);

    // Secrets go to this file instead of the keychain: only ever after the user's explicit opt-in.
    void setPlaintextFile(const QString &fileName) { m_plaintextFile = fileName; }
    QString plaintextFile() const { return m_plaintextFile; }
    static QString defaultPlaintextFile(); // secrets-plaintext.json beside the profiles

    using ReadCallback = std::function<void(Result<std::optional<QString>>)>; // nullopt: no such entry
    using DoneCallback = std::function<void(Result<Done>)>;

    void read(const QString &key, QObject *context, ReadCallback done);
    void write(const QString &key, const QString &value, QObject *context, DoneCallback done);
    void remove(const QString &key, QObject *context, DoneCallback done); // removing nothing succeeds

    // The sentence for "no keychain here", shared by the window and the CLI.
    static QString noKeychainMessage();

private:
    struct Outcome
    {
        bool ok = false;
        bool notFound = false;
        QString value;
        Error error;
    };
    using OutcomeCallback = std::function<void(Outcome)>;
    void readEntry(const QString &key, OutcomeCallback done);
    void writeEntry(const QString &key, const QString &value, OutcomeCallback done);
    void deleteEntry(const QString &key, OutcomeCallback done);
    void writeChunks(const QString &key, QStringList parts, int index, QObject *context, DoneCallback done);
    void readChunks(const QString &key, int count, int index, QString sofar, QObject *context, ReadCallback done);
    void deleteChunks(const QString &key, int count, QObject *context, DoneCallback done);

    Result<std::optional<QString>> fileRead(const QString &key) const;
    Result<Done> fileWrite(const QString &key, const std::optional<QString> &value) const;

    QString m_service;
    QString m_plaintextFile;
};
