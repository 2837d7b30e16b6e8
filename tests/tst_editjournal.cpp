// The journal of pending edits: what it writes reads back exactly, damage is reported, and the file is private.
#include "app/journal/EditJournal.h"
#include "app/platform/Platform.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestEditJournal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesAndReadsBack()
    {
        QTemporaryDir dir;
        const QString org = u"https://contoso.crm.dynamics.com"_s;
        EditJournal journal(org, dir.path() + u"/nested"_s);
        QVERIFY(journal.read().value().isEmpty()); // no journal yet: nothing to restore
        const QList<PendingEdit> edits {{u"a"_s, 45, u"W/\"12\""_s, 20}, {u"b"_s, std::nullopt, u"W/\"3\""_s, 0}};
        QVERIFY(journal.write(edits).ok());
        QCOMPARE(journal.read().value(), edits);
        // The user's alone, as the system says (an ACL on Windows, which QFile::permissions does not read), and on
        // POSIX no group or other mode bit.
        QVERIFY(Platform::isOwnerOnly(journal.path()));
#ifdef Q_OS_UNIX
        QCOMPARE(QFile::permissions(journal.path()) & 0x0077, QFileDevice::Permissions());
#endif
        // Another environment has its own journal.
        EditJournal other(u"https://fabrikam.crm.dynamics.com"_s, dir.path() + u"/nested"_s);
        QVERIFY(other.path() != journal.path());
        QVERIFY(other.read().value().isEmpty());
        // Which edits were being saved is kept too (an interrupted save, told apart at the next start).
        QVERIFY(journal.write(edits, {u"b"_s}).ok());
        QStringList saving;
        QCOMPARE(journal.read(&saving).value(), edits);
        QCOMPARE(saving, QStringList {u"b"_s});
        // No edits left: no file left.
        QVERIFY(journal.write({}).ok());
        QVERIFY(!QFile::exists(journal.path()));
    }

    void damageIsReported_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        const QByteArray head = "{\"version\": 1, \"environment\": \"https://contoso.crm.dynamics.com\", \"edits\": ";
        QTest::newRow("truncated") << QByteArray("{\"version\": 1, \"edi") << u"could not be read"_s;
        QTest::newRow("not an object") << QByteArray("[]") << u"not an object"_s;
        QTest::newRow("unknown version") << QByteArray("{\"version\": 7}") << u"unknown version 7"_s;
        QTest::newRow("other environment")
            << QByteArray("{\"version\": 1, \"environment\": \"https://other\", \"edits\": []}") << u"belong to"_s;
        QTest::newRow("minutes as text") << head +
                "[{\"id\": \"a\", \"baseEtag\": \"1\", \"minutes\": \"45\", \"baseMinutes\": 1}]}"
                                         << u"edit 1 of 1 is malformed"_s;
        QTest::newRow("negative minutes")
            << head + "[{\"id\": \"a\", \"baseEtag\": \"1\", \"minutes\": -4, \"baseMinutes\": 1}]}" << u"malformed"_s;
        QTest::newRow("saving as text") << head +
                "[{\"id\": \"a\", \"baseEtag\": \"1\", \"minutes\": 4, \"baseMinutes\": 1, \"saving\": \"yes\"}]}"
                                        << u"malformed"_s;
        QTest::newRow("no id") << head + "[{\"baseEtag\": \"1\", \"minutes\": 4, \"baseMinutes\": 1}]}"
                               << u"malformed"_s;
    }
    void damageIsReported()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const auto parsed = EditJournal::parse(content, u"https://contoso.crm.dynamics.com"_s);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().userMessage.contains(message), qPrintable(parsed.error().userMessage));
    }
};

QTEST_GUILESS_MAIN(TestEditJournal)
#include "tst_editjournal.moc"
