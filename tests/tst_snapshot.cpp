// Snapshot files as pure functions: the deterministic JSON, the CSV, validation of broken files with the message
// each gets, record matching for compare and the apply plan, atomic writes and the audit log.
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"
#include "models/Snapshot.h"
#include "models/SnapshotDiff.h"
#include "models/TextFormats.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

namespace {
ChannelStateConfig record(const QString &id, const QString &name, std::optional<int> channel, int state,
                          std::optional<int> minutes, qint64 version, const QString &channelName = u"Contoso"_s)
{
    ChannelStateConfig c;
    c.id = id;
    c.name = name;
    c.streamSource = channel;
    c.state = state;
    c.minutes = minutes;
    c.etag = u"W/\"%1\""_s.arg(version);
    c.channelName = channelName;
    c.channelConfigId = u"0b6f3c2e-0000-4000-8000-00000000000a"_s;
    return c;
}

const QString IdOpen = u"11111111-1111-4111-8111-111111111111"_s;
const QString IdWrap = u"22222222-2222-4222-8222-222222222222"_s;
const QString IdSms = u"33333333-3333-4333-8333-333333333333"_s;

Snapshot sample()
{
    Snapshot s;
    s.environmentUrl = u"https://contoso.crm.dynamics.com"_s;
    s.organizationId = u"6f0f0c4e-5a5a-4b4b-8c8c-0d0d0d0d0d0d"_s;
    s.exportedAt = QDateTime(QDate(2026, 5, 1), QTime(8, 0), Qt::UTC);
    s.toolVersion = u"0.1.0"_s;
    // Out of order on purpose: every export sorts them (channel, then state).
    s.records = {record(IdWrap, u"Live Chat - Wrap-up"_s, 192360000, 4, 15, 1002),
                 record(IdSms, u"SMS, \"text\" - Open"_s, 192340000, 0, std::nullopt, 7),
                 record(IdOpen, u"Live Chat - Open"_s, 192360000, 0, 20, 1001)};
    return s;
}

QString problemOf(const Result<Snapshot> &r)
{
    return r ? u"(accepted)"_s : r.error().userMessage;
}

QByteArray validJsonWith(const std::function<void(QJsonObject &root, QJsonArray &records)> &change)
{
    QJsonObject root = QJsonDocument::fromJson(sample().toJson()).object();
    QJsonArray records = root.value(u"records"_s).toArray();
    change(root, records);
    if (root.contains(u"records"_s)) // unless the change removed them
        root.insert(u"records"_s, records);
    return QJsonDocument(root).toJson();
}

// Readable and writable by the owner, by no one else.
bool ownerOnly(const QString &path)
{
    const QFileDevice::Permissions p = QFile::permissions(path);
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
        QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    return p.testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner) && !(p & others);
}

QJsonObject first(QJsonArray &records)
{
    return records.at(0).toObject();
}
} // namespace

class TestSnapshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonIsTheDocumentedFormat()
    {
        // The whole file, byte for byte: keys sorted, two-space indentation, records in channel/state order (SMS
        // 192340000 before Live chat 192360000; Open before Wrap-up), exportedAt on line 6, a final newline.
        QFile golden(QStringLiteral(AUTOCLOSE_TEST_DATA "/snapshot-golden.json"));
        QVERIFY(golden.open(QIODevice::ReadOnly));
        const QByteArray expected = golden.readAll();
        const QByteArray actual = sample().toJson();
        if (actual != expected)
            qWarning().noquote() << "toJson() wrote:\n" << actual;
        QCOMPARE(actual, expected);
        QVERIFY(actual.endsWith("}\n"));
        QCOMPARE(actual.split('\n').at(5), QByteArray("  \"exportedAt\": \"2026-05-01T08:00:00Z\","));
    }

    void twoExportsDifferOnlyInTheExportTime()
    {
        Snapshot later = sample();
        later.exportedAt = later.exportedAt.addSecs(3600);
        std::reverse(later.records.begin(), later.records.end()); // the order records arrive in does not matter
        const QList<QByteArray> a = sample().toJson().split('\n');
        const QList<QByteArray> b = later.toJson().split('\n');
        QCOMPARE(a.size(), b.size());
        QList<qsizetype> differing;
        for (qsizetype i = 0; i < a.size(); ++i)
            if (a.at(i) != b.at(i))
                differing << i;
        QCOMPARE(differing, QList<qsizetype> {5});
    }

    void roundTrip()
    {
        const Snapshot original = sample();
        const auto read = Snapshot::fromJson(original.toJson(), u"sample.json"_s);
        QVERIFY2(read.ok(), qPrintable(problemOf(read)));
        Snapshot sorted = original;
        sorted.normalize();
        QCOMPARE(read.value().records, sorted.records);
        QCOMPARE(read.value().environmentUrl, original.environmentUrl);
        QCOMPARE(read.value().organizationId, original.organizationId);
        QCOMPARE(read.value().exportedAt, original.exportedAt);
        QCOMPARE(read.value().toolVersion, original.toolVersion);
        QCOMPARE(read.value().toJson(), original.toJson());
    }

    void csvHasAHeaderAndQuotes()
    {
        const QList<QByteArray> lines = sample().toCsv().split('\n');
        QCOMPARE(lines.at(0),
                 QByteArray("id,name,channel,channel_label,channel_configuration,state,state_label,minutes,"
                            "versionnumber\r"));
        QCOMPARE(lines.at(1), IdSms.toUtf8() + ",\"SMS, \"\"text\"\" - Open\",192340000,SMS,Contoso,0,Open,,7\r");
        QCOMPARE(lines.at(2), IdOpen.toUtf8() + ",Live Chat - Open,192360000,Live chat,Contoso,0,Open,20,1001\r");
        QCOMPARE(lines.size(), 5); // three records and the empty piece after the last line break
    }

    void csvAndJsonFields_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("csv");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("plain") << u"Billing"_s << u"Billing"_s << QByteArray("\"Billing\"");
        QTest::newRow("comma and quotes") << u"a, \"b\""_s << u"\"a, \"\"b\"\"\""_s << QByteArray("\"a, \\\"b\\\"\"");
        QTest::newRow("line break") << u"a\nb"_s << u"\"a\nb\""_s << QByteArray("\"a\\nb\"");
        // A customer's title that a spreadsheet would run: kept as text.
        QTest::newRow("formula") << u"=HYPERLINK(\"http://x\")"_s << u"\"'=HYPERLINK(\"\"http://x\"\")\""_s
                                 << QByteArray("\"=HYPERLINK(\\\"http://x\\\")\"");
        QTest::newRow("plus, minus, at") << u"+1 -2"_s << u"'+1 -2"_s << QByteArray("\"+1 -2\"");
        QTest::newRow("at") << u"@sum"_s << u"'@sum"_s << QByteArray("\"@sum\"");
        // Outside the Basic Multilingual Plane: one character, four bytes of UTF-8.
        QTest::newRow("emoji") << QString::fromUtf8("\xF0\x9F\x98\x80 ok") << QString::fromUtf8("\xF0\x9F\x98\x80 ok")
                               << QByteArray("\"\xF0\x9F\x98\x80 ok\"");
        QTest::newRow("control") << u"a\u0001"_s << u"a\u0001"_s << QByteArray("\"a\\u0001\"");
    }

    void csvAndJsonFields()
    {
        QFETCH(QString, text);
        QFETCH(QString, csv);
        QFETCH(QByteArray, json);
        QCOMPARE(TextFormats::csvField(text), csv);
        QCOMPARE(TextFormats::jsonString(text), json);
        // As QJsonDocument writes it, so that a page written by hand reads the same.
        const QByteArray document = QJsonDocument(QJsonArray {text}).toJson(QJsonDocument::Compact);
        QCOMPARE(document, "[" + json + "]");
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        const QByteArray valid = sample().toJson();
        QTest::newRow("truncated") << valid.left(valid.size() / 2) << u"is not valid JSON"_s;
        QTest::newRow("empty file") << QByteArray() << u"is not valid JSON"_s;
        QTest::newRow("a list") << QByteArray("[1, 2]") << u"holds a list where a snapshot holds an object"_s;
        QTest::newRow("unknown version") << validJsonWith([](QJsonObject &root, QJsonArray &) {
            root.insert(u"schemaVersion"_s, 2);
        }) << u"its schema version is 2 and this version of Auto-Close Editor reads version 1"_s;
        QTest::newRow("version as text") << validJsonWith([](QJsonObject &root, QJsonArray &) {
            root.insert(u"schemaVersion"_s, u"1"_s);
        }) << u"\"schemaVersion\" must be a whole number, not text"_s;
        QTest::newRow("no version") << validJsonWith([](QJsonObject &root, QJsonArray &) {
            root.remove(u"schemaVersion"_s);
        }) << u"the field \"schemaVersion\" is missing"_s;
        QTest::newRow("no records") << validJsonWith([](QJsonObject &root, QJsonArray &) { root.remove(u"records"_s); })
                                    << u"field \"records\": is missing"_s;
        QTest::newRow("minutes as text")
            << validJsonWith([](QJsonObject &, QJsonArray &records) {
                   QJsonObject r = first(records);
                   r.insert(u"minutes"_s, u"20 min"_s);
                   records.replace(0, r);
               })
            << u"record 1 (\"SMS, \"text\" - Open\"), field \"minutes\": must be a whole number of minutes from 0 to "
               u"2147483647, or null for never, not \"20 min\""_s;
        QTest::newRow("negative minutes") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = records.at(1).toObject();
            r.insert(u"minutes"_s, -5);
            records.replace(1, r);
        }) << u"record 2 (\"Live Chat - Open\"), field \"minutes\": must be a whole number"_s;
        QTest::newRow("fractional minutes") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = records.at(1).toObject();
            r.insert(u"minutes"_s, 2.5);
            records.replace(1, r);
        }) << u"not 2.5"_s;
        QTest::newRow("missing minutes") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = first(records);
            r.remove(u"minutes"_s);
            records.replace(0, r);
        }) << u"field \"minutes\": is missing (use null for \"never auto-close\")"_s;
        QTest::newRow("missing name") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = records.at(2).toObject();
            r.remove(u"name"_s);
            records.replace(2, r);
        }) << u"record 3, field \"name\": is missing"_s;
        QTest::newRow("state out of range") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = first(records);
            r.insert(u"state"_s, QJsonObject {{u"code"_s, 7}});
            records.replace(0, r);
        }) << u"field \"state.code\": must be 0 (Open), 1 (Active), 2 (Waiting), 3 (Closed) or 4 (Wrap-up), not 7"_s;
        QTest::newRow("state as a number") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = first(records);
            r.insert(u"state"_s, 0);
            records.replace(0, r);
        }) << u"field \"state\": must be an object, not a number"_s;
        QTest::newRow("channel code as text") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = first(records);
            r.insert(u"channel"_s, QJsonObject {{u"code"_s, u"sms"_s}});
            records.replace(0, r);
        }) << u"field \"channel.code\": must be a msdyn_streamsource code such as 192360000, not text"_s;
        QTest::newRow("id not a guid") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject r = first(records);
            r.insert(u"id"_s, u"42"_s);
            records.replace(0, r);
        }) << u"field \"id\": must be a record id"_s;
        QTest::newRow("record not an object")
            << validJsonWith([](QJsonObject &, QJsonArray &records) { records.append(5); })
            << u"record 4: must be an object, not a number"_s;
        QTest::newRow("duplicate record") << validJsonWith([](QJsonObject &, QJsonArray &records) {
            QJsonObject copy = records.at(1).toObject();
            copy.insert(u"minutes"_s, 99);
            records.append(copy);
        }) << u"record 4 (\"Live Chat - Open\") has the same id as record 2 (\"Live Chat - Open\")"_s;
        QTest::newRow("several problems at once")
            << validJsonWith([](QJsonObject &root, QJsonArray &records) {
                   root.remove(u"exportedAt"_s);
                   QJsonObject r = records.at(2).toObject();
                   r.remove(u"state"_s);
                   records.replace(2, r);
               })
            << u"problems found (2):\n  field \"exportedAt\": must be a time such as 2026-05-01T08:00:00Z, not "
               u"nothing\n  record 3 (\"Live Chat - Wrap-up\"), field \"state\": is missing"_s;
    }
    void brokenFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const auto read = Snapshot::fromJson(json, u"broken.json"_s);
        QVERIFY(!read.ok());
        QCOMPARE(read.error().kind, Error::Kind::BadInput);
        QVERIFY2(read.error().userMessage.startsWith(u"broken.json is not a snapshot this version can apply: "_s),
                 qPrintable(read.error().userMessage));
        QVERIFY2(read.error().userMessage.contains(message), qPrintable(read.error().userMessage));
    }

    void aFiftyMegabyteFileIsRefusedUnread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"huge.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(50 * 1024 * 1024));
        file.close();
        const auto read = SnapshotFiles::read(path);
        QVERIFY(!read.ok());
        QVERIFY2(read.error().userMessage.contains(u"it is 50 MB; a snapshot is at most 8 MB"_s),
                 qPrintable(read.error().userMessage));
    }

    void writesAreAtomicAndPrivate()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"sub/snap.json"_s);
        QVERIFY(SnapshotFiles::writeAtomically(path, "first\n").ok());
        QVERIFY(ownerOnly(path));
        // A write that cannot happen (the target is a folder) leaves nothing behind and reports it.
        QVERIFY(QDir().mkpath(dir.filePath(u"taken"_s)));
        const auto refused = SnapshotFiles::writeAtomically(dir.filePath(u"taken"_s), "second\n");
        QVERIFY(!refused.ok());
        QVERIFY(QFileInfo(dir.filePath(u"taken"_s)).isDir());
        // A parent that is a file: refused, the existing file untouched.
        const auto underFile = SnapshotFiles::writeAtomically(path + u"/inside.json"_s, "third\n");
        QVERIFY(!underFile.ok());
        QFile kept(path);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("first\n"));
        QCOMPARE(QDir(dir.filePath(u"sub"_s)).entryList(QDir::Files | QDir::Hidden), QStringList {u"snap.json"_s});
    }

    void matchesByIdThenByChannelAndState()
    {
        const QList<ChannelStateConfig> left = sample().records;
        QList<ChannelStateConfig> right = sample().records;
        right[0].minutes = 30; // Live Chat - Wrap-up changed
        right[0].name = u"Renamed"_s; // names may differ: the id matches
        right[1].id.clear(); // the SMS record has no id on the right: matched by channel configuration and state
        right[1].minutes = 5;
        right[2].id = right[2].id.toUpper(); // ids compare without case
        const SnapshotDiff diff = SnapshotDiff::compare(left, right);
        QCOMPARE(diff.entries.size(), 3);
        QCOMPARE(diff.count(SnapshotDiff::Kind::Changed), 2);
        QCOMPARE(diff.count(SnapshotDiff::Kind::Same), 1);
        QCOMPARE(diff.entries.at(0).record().name, u"SMS, \"text\" - Open"_s);
        QCOMPARE(diff.entries.at(0).matchedBy, SnapshotDiff::MatchedBy::NaturalKey);
        QCOMPARE(diff.entries.at(1).kind, SnapshotDiff::Kind::Same);
        QCOMPARE(diff.entries.at(1).matchedBy, SnapshotDiff::MatchedBy::Id);
        QCOMPARE(diff.entries.at(2).matchedBy, SnapshotDiff::MatchedBy::Id);
        QCOMPARE(diff.entries.at(2).right->minutes, 30);
        QVERIFY(diff.hasDifferences());
        QVERIFY(!SnapshotDiff::compare(left, left).hasDifferences());
    }

    void onlyOnOneSide()
    {
        QList<ChannelStateConfig> left = sample().records;
        QList<ChannelStateConfig> right = sample().records;
        left.removeAt(1); // SMS only on the right
        right.removeAt(2); // Live Chat - Open only on the left
        const SnapshotDiff diff = SnapshotDiff::compare(left, right);
        QCOMPARE(diff.count(SnapshotDiff::Kind::OnlyLeft), 1);
        QCOMPARE(diff.count(SnapshotDiff::Kind::OnlyRight), 1);
        QCOMPARE(diff.count(SnapshotDiff::Kind::Same), 1);
        const ApplyPlan plan = ApplyPlan::from(diff);
        QVERIFY(plan.isEmpty());
        QCOMPARE(plan.notInEnvironment.size(), 1);
        QCOMPARE(plan.notInEnvironment.first().name, u"Live Chat - Open"_s);
    }

    void ambiguityIsShownNeverGuessed()
    {
        // Two live records share channel configuration, channel and state; the snapshot's record has no id. Which
        // one it means is unknown.
        ChannelStateConfig fromFile = record(QString(), u"Chat - Open"_s, 192360000, 0, 10, 1);
        const ChannelStateConfig liveA = record(IdOpen, u"Chat - Open"_s, 192360000, 0, 20, 5);
        const ChannelStateConfig liveB = record(IdWrap, u"Chat - Open (copy)"_s, 192360000, 0, 20, 6);
        const SnapshotDiff diff = SnapshotDiff::compare({fromFile}, {liveA, liveB});
        QCOMPARE(diff.count(SnapshotDiff::Kind::Ambiguous), 3);
        QVERIFY(diff.entries.at(0).left.has_value()); // the file's record first, then the candidates
        const ApplyPlan plan = ApplyPlan::from(diff);
        QVERIFY(plan.isEmpty());
        QCOMPARE(plan.ambiguous.size(), 3);
        // With the id it is no longer ambiguous.
        fromFile.id = IdOpen;
        const SnapshotDiff byId = SnapshotDiff::compare({fromFile}, {liveA, liveB});
        QCOMPARE(byId.count(SnapshotDiff::Kind::Changed), 1);
        QCOMPARE(byId.count(SnapshotDiff::Kind::OnlyRight), 1);
        QCOMPARE(ApplyPlan::from(byId).changes.size(), 1);
    }

    void planCarriesTheLiveEtag()
    {
        QList<ChannelStateConfig> desired = sample().records;
        desired[2].minutes = 45;
        desired[2].etag = u"W/\"1\""_s; // the file's version is not what is sent
        const ApplyPlan plan = ApplyPlan::from(SnapshotDiff::compare(desired, sample().records));
        QCOMPARE(plan.changes.size(), 1);
        QCOMPARE(plan.changes.first().current.id, IdOpen);
        QCOMPARE(plan.changes.first().current.etag, u"W/\"1001\""_s);
        QCOMPARE(plan.changes.first().current.minutes, 20);
        QCOMPARE(plan.changes.first().minutes, 45);
    }

    void auditLogAppendsAndReads()
    {
        QTemporaryDir dir;
        const AuditLog log(dir.filePath(u"audit.jsonl"_s));
        AuditLog::Entry e;
        e.at = QDateTime(QDate(2026, 5, 1), QTime(8, 0, 0, 250), Qt::UTC);
        e.user = u"admin@contoso.com"_s;
        e.osUser = u"admin"_s;
        e.environmentUrl = u"https://contoso.crm.dynamics.com"_s;
        e.recordId = IdOpen;
        e.recordName = u"Live Chat - Open"_s;
        e.oldMinutes = 20;
        e.newMinutes = std::nullopt;
        e.result = u"saved"_s;
        e.source = u"set"_s;
        QVERIFY(log.append({e}).ok());
        QVERIFY(ownerOnly(log.path()));
        // A line cut short (a crash mid-write) is skipped, and the next entry starts on a line of its own.
        {
            QFile f(log.path());
            QVERIFY(f.open(QIODevice::Append));
            f.write("{\"at\":\"2026-05-01T09:");
        }
        AuditLog::Entry second = e;
        second.result = u"failed"_s;
        second.error = u"Someone changed it."_s;
        QVERIFY(log.append({second}).ok());
        int skipped = -1;
        const auto entries = log.read(&skipped);
        QVERIFY(entries.ok());
        QCOMPARE(skipped, 1);
        QCOMPARE(entries.value(), (QList<AuditLog::Entry> {e, second}));
    }
};

QTEST_GUILESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
