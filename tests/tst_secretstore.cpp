// SecretStore against the real keychain of the system it runs on: the Secret Service on Linux (the test command's
// D-Bus session with an unlocked gnome-keyring), the Credential Manager on Windows, the Keychain on macOS — the
// hosted CI runs this test there too (label keychain). Values longer than SecretStore::ChunkBytes are split, since
// Windows caps a credential at 2,560 bytes.
#include "KeychainCalls.h"

#include "app/auth/SecretStore.h"

#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SecretStore> m_secrets;

    std::optional<QString> stored(const QString &key) { return KeychainCalls::read(*m_secrets, key); }
    bool write(const QString &key, const QString &value) { return KeychainCalls::write(*m_secrets, key, value); }

private slots:
    void initTestCase()
    {
        // Entries of this run only, so that parallel or earlier runs never meet.
        m_secrets = std::make_unique<SecretStore>(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
    }

    void writeReadReplaceRemove()
    {
        const QString key = u"round-trip/client-secret"_s;
        QVERIFY(!stored(key).has_value());
        QVERIFY(write(key, u"first"_s));
        QCOMPARE(stored(key), std::optional<QString>(u"first"_s));
        QVERIFY(write(key, u"second"_s));
        QCOMPARE(stored(key), std::optional<QString>(u"second"_s));
        QVERIFY(KeychainCalls::remove(*m_secrets, key));
        QVERIFY(!stored(key).has_value());
        // Removing what is not there succeeds.
        QVERIFY(KeychainCalls::remove(*m_secrets, key));
    }

    void longSecretsAreSplit()
    {
        const QString key = u"chunk-test/refresh-token"_s;
        QString value;
        for (int i = 0; i < 6001; ++i)
            value += QChar(u'a' + i % 26);
        QVERIFY(write(key, value));
        QCOMPARE(stored(key), std::optional<QString>(value));
        const auto firstPart = stored(key + u"#1"_s);
        const auto lastPart = stored(key + u"#3"_s);
        QVERIFY(firstPart.has_value() && lastPart.has_value());
        QCOMPARE(firstPart->size(), SecretStore::ChunkBytes);
        QCOMPARE(lastPart->size(), 6001 - 2 * SecretStore::ChunkBytes);
        // A shorter value replaces it without leaving parts behind.
        QVERIFY(write(key, u"short"_s));
        QCOMPARE(stored(key), std::optional<QString>(u"short"_s));
        QVERIFY(!stored(key + u"#1"_s).has_value());
        QVERIFY(KeychainCalls::remove(*m_secrets, key));
        QVERIFY(!stored(key).has_value());
    }

    void partsNeverSplitACharacter()
    {
        // Three bytes of UTF-8 each: a part holds whole characters, at most ChunkBytes of them in bytes.
        const QString key = u"chunk-test/multibyte"_s;
        const QString value(3000, QChar(0x20AC)); // €
        QVERIFY(write(key, value));
        QCOMPARE(stored(key), std::optional<QString>(value));
        qsizetype total = 0;
        for (int part = 1; part <= 4; ++part) {
            const auto text = stored(key + u"#"_s + QString::number(part));
            QVERIFY2(text.has_value(), qPrintable(u"part %1"_s.arg(part)));
            QVERIFY(text->toUtf8().size() <= SecretStore::ChunkBytes);
            QVERIFY(text->toUtf8().size() % 3 == 0);
            total += text->size();
        }
        QCOMPARE(total, value.size()); // 9,000 bytes: four parts of at most 2,500
        QVERIFY(!stored(key + u"#5"_s).has_value());
        QVERIFY(KeychainCalls::remove(*m_secrets, key));
        QVERIFY(!stored(key + u"#1"_s).has_value());
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
