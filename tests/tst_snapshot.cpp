// Snapshot files as pure functions: the deterministic JSON, the CSV, validation of broken files with the message
// each gets, record matching for compare and the apply plan, atomic writes and the audit log.
#include "app/platform/Platform.h"
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

#include <algorithm>
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

Workstream workstream(const QString &id, const QString &name, std::optional<int> channel, std::optional<int> inactivity,
                      std::optional<int> wrapUpBlock, qint64 version)
{
    Workstream w;
    w.id = id;
    w.name = name;
    w.streamSource = channel;
    w.inactivityMinutes = inactivity;
    w.wrapUpBlockMinutes = wrapUpBlock;
    w.etag = u"W/\"%1\""_s.arg(version);
    return w;
}

const QString IdOpen = u"11111111-1111-4111-8111-111111111111"_s;
const QString IdWrap = u"22222222-2222-4222-8222-222222222222"_s;
const QString IdSms = u"33333333-3333-4333-8333-333333333333"_s;
const QString IdSmsSupport = u"44444444-4444-4444-8444-444444444444"_s;
const QString IdChatSupport = u"55555555-5555-4555-8555-555555555555"_s;

// Version 2: the records and the workstreams.
Snapshot sample()
{
    Snapshot s;
    s.environmentUrl = u"https://contoso.crm.dynamics.com"_s;
    s.organizationId = u"6f0f0c4e-5a5a-4b4b-8c8c-0d0d0d0d0d0d"_s;
    s.exportedAt = QDateTime(QDate(2026, 5, 1), QTime(8, 0), Qt::UTC);
    s.toolVersion = u"0.1.0"_s;
    // Out of order on purpose: every export sorts them (channel, then state; workstreams by name).
    s.records = {record(IdWrap, u"Live Chat - Wrap-up"_s, 192360000, 4, 15, 1002),
                 record(IdSms, u"SMS, \"text\" - Open"_s, 192340000, 0, std::nullopt, 7),
                 record(IdOpen, u"Live Chat - Open"_s, 192360000, 0, 20, 1001)};
    s.workstreams = {workstream(IdSmsSupport, u"SMS support"_s, 192340000, 2880, std::nullopt, 12),
                     workstream(IdChatSupport, u"Chat, \"web\" support"_s, 192360000, std::nullopt, 30, 4)};
    return s;
}

// The same environment as a version 1 file holds it: no workstreams.
Snapshot sampleV1()
{
    Snapshot s = sample();
    s.schemaVersion = 1;
    s.workstreams.clear();
    return s;
}

QByteArray golden(const QString &name)
{
    QFile file(QStringLiteral(AUTOCLOSE_TEST_DATA) + u'/' + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString problemOf(const Result<Snapshot> &r)
{
    return r ? u"(accepted)"_s : r.error().userMessage;
}

QByteArray validJsonWith(const std::function<void(QJsonObject &root, QJsonArray &records)> &change,
                         const QString &list = u"records"_s)
{
    QJsonObject root = QJsonDocument::fromJson(sample().toJson()).object();
    QJsonArray records = root.value(list).toArray();
    change(root, records);
    if (root.contains(list)) // unless the change removed them
        root.insert(list, records);
    return QJsonDocument(root).toJson();
}

// The sample's workstreams (in file order: "Chat, \"web\" support", then "SMS support") changed.
QByteArray validJsonWithWorkstreams(const std::function<void(QJsonObject &root, QJsonArray &workstreams)> &change)
{
    return validJsonWith(change, u"workstreams"_s);
}

// One field of the file's second workstream ("SMS support") set to value, or removed when value is undefined.
QByteArray smsSupportWith(const QString &field, const QJsonValue &value)
{
    return validJsonWithWorkstreams([&](QJsonObject &, QJsonArray &workstreams) {
        QJsonObject w = workstreams.at(1).toObject();
        if (value.isUndefined())
            w.remove(field);
        else
            w.insert(field, value);
        workstreams.replace(1, w);
    });
}

// Readable and writable by the owner, by no one else: as the system says (an ACL on Windows, which QFile::permissions
// does not read), and on POSIX also by the mode bits, read independently of the platform layer.
bool ownerOnly(const QString &path)
{
    if (!Platform::isOwnerOnly(path))
        return false;
#ifdef Q_OS_UNIX
    const QFileDevice::Permissions p = QFile::permissions(path);
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
        QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    return p.testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner) && !(p & others);
#else
    return true;
#endif
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
        // 192340000 before Live chat 192360000; Open before Wrap-up), then the workstreams by name, exportedAt on
        // line 6, a final newline.
        const QByteArray expected = golden(u"snapshot-golden-v2.json"_s);
        QVERIFY(!expected.isEmpty());
        const QByteArray actual = sample().toJson();
        if (actual != expected)
            qWarning().noquote() << "toJson() wrote:\n" << actual;
        QCOMPARE(actual, expected);
        QVERIFY(actual.endsWith("}\n"));
        QCOMPARE(actual.split('\n').at(5), QByteArray("  \"exportedAt\": \"2026-05-01T08:00:00Z\","));
        QVERIFY(actual.contains("\"schemaVersion\": 2,"));
    }

    void versionOneIsStillReadAndWritten()
    {
        // The version 1 golden file, as exports wrote it before workstreams: read with its records and no
        // workstreams, and known to say nothing about them.
        const QByteArray v1 = golden(u"snapshot-golden.json"_s);
        QVERIFY(!v1.isEmpty());
        QVERIFY(!v1.contains("workstreams"));
        const auto read = Snapshot::fromJson(v1, u"v1.json"_s);
        QVERIFY2(read.ok(), qPrintable(problemOf(read)));
        QCOMPARE(read.value().schemaVersion, 1);
        QVERIFY(!read.value().hasWorkstreams());
        QVERIFY(read.value().workstreams.isEmpty());
        Snapshot sorted = sample();
        sorted.normalize();
        QCOMPARE(read.value().records, sorted.records);
        // Written again it stays version 1, byte for byte: a rewrite never claims there are no workstreams.
        QCOMPARE(read.value().toJson(), v1);
        QCOMPARE(sampleV1().toJson(), v1);
        // A capture is the current version.
        QCOMPARE(Snapshot().schemaVersion, Snapshot::SchemaVersion);
        QVERIFY(Snapshot().hasWorkstreams());
    }

    void twoExportsDifferOnlyInTheExportTime()
    {
        Snapshot later = sample();
        later.exportedAt = later.exportedAt.addSecs(3600);
        std::reverse(later.records.begin(), later.records.end()); // the order records arrive in does not matter
        std::reverse(later.workstreams.begin(), later.workstreams.end());
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
        QCOMPARE(read.value().schemaVersion, 2);
        QCOMPARE(read.value().records, sorted.records);
        QCOMPARE(read.value().workstreams, sorted.workstreams);
        QCOMPARE(read.value().workstreams.first().name, u"Chat, \"web\" support"_s); // by name
        QCOMPARE(read.value().workstreams.first().inactivityMinutes, std::nullopt);
        QCOMPARE(read.value().workstreams.first().wrapUpBlockMinutes, 30);
        QCOMPARE(read.value().workstreams.last().inactivityMinutes, 2880);
        QCOMPARE(read.value().workstreams.last().etag, u"W/\"12\""_s);
        QCOMPARE(read.value().environmentUrl, original.environmentUrl);
        QCOMPARE(read.value().organizationId, original.organizationId);
        QCOMPARE(read.value().exportedAt, original.exportedAt);
        QCOMPARE(read.value().toolVersion, original.toolVersion);
        QCOMPARE(read.value().toJson(), original.toJson());
    }

    void workstreamsAreSortedByNameThenId()
    {
        Snapshot s;
        s.workstreams = {workstream(IdSmsSupport, u"Support"_s, std::nullopt, 1, 1, 1),
                         workstream(IdChatSupport, u"Billing"_s, std::nullopt, 2, 2, 2),
                         workstream(IdChatSupport.toUpper().replace(u'5', u'3'), u"Support"_s, std::nullopt, 3, 3, 3)};
        s.normalize();
        QCOMPARE(s.workstreams.at(0).name, u"Billing"_s);
        QCOMPARE(s.workstreams.at(1).inactivityMinutes, 3); // 3333… before 4444…, whatever the case
        QCOMPARE(s.workstreams.at(2).inactivityMinutes, 1);
    }

    void theFileRangesAreTheSchemas()
    {
        // The limits live in one place (Snapshot::fileRange); the JSON Schema must say the same.
        QFile file(QStringLiteral(AUTOCLOSE_TEST_DATA "/../../resources/schema/snapshot.schema.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject defs = QJsonDocument::fromJson(file.readAll()).object().value(u"$defs"_s).toObject();
        const auto maximum = [&defs](const QString &def, const QString &property) {
            const QJsonArray choices = defs.value(def)
                                           .toObject()
                                           .value(u"properties"_s)
                                           .toObject()
                                           .value(property)
                                           .toObject()
                                           .value(u"oneOf"_s)
                                           .toArray();
            return choices.at(0).toObject().value(u"maximum"_s).toInteger(-1);
        };
        QCOMPARE(maximum(u"record"_s, u"minutes"_s), Snapshot::fileRange(TimerSetting::ChannelState).maximum);
        QCOMPARE(maximum(u"workstream"_s, u"autoCloseAfterInactivity"_s),
                 Snapshot::fileRange(TimerSetting::Inactivity).maximum);
        QCOMPARE(maximum(u"workstream"_s, u"blockCapacityForWrapUp"_s),
                 Snapshot::fileRange(TimerSetting::WrapUpBlock).maximum);
        QCOMPARE(Snapshot::fileRange(TimerSetting::WrapUpBlock).maximum, 43200);
    }

    void csvHasAHeaderAndQuotes()
    {
        const QList<QByteArray> lines = sample().toCsv().split('\n');
        QCOMPARE(lines.at(0),
                 QByteArray("id,name,channel,channel_label,channel_configuration,state,state_label,minutes,"
                            "versionnumber,setting\r"));
        QCOMPARE(lines.at(1),
                 IdSms.toUtf8() + ",\"SMS, \"\"text\"\" - Open\",192340000,SMS,Contoso,0,Open,,7,channel-state\r");
        QCOMPARE(lines.at(2),
                 IdOpen.toUtf8() + ",Live Chat - Open,192360000,Live chat,Contoso,0,Open,20,1001,channel-state\r");
        // Then two lines per workstream, by name: its inactivity, then its wrap-up block.
        QCOMPARE(lines.at(4),
                 IdChatSupport.toUtf8() + ",\"Chat, \"\"web\"\" support\",192360000,Live chat,,,,,4,inactivity\r");
        QCOMPARE(lines.at(5),
                 IdChatSupport.toUtf8() + ",\"Chat, \"\"web\"\" support\",192360000,Live chat,,,,30,4,wrap-up-block\r");
        QCOMPARE(lines.at(6), IdSmsSupport.toUtf8() + ",SMS support,192340000,SMS,,,,2880,12,inactivity\r");
        QCOMPARE(lines.size(),
                 9); // three records, four workstream values and the empty piece after the last line break
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
            root.insert(u"schemaVersion"_s, 3);
        }) << u"its schema version is 3 and this version of Auto-Close Editor reads versions up to 2; update"_s;
        QTest::newRow("version 0") << validJsonWith([](QJsonObject &root, QJsonArray &) {
            root.insert(u"schemaVersion"_s, 0);
        }) << u"its schema version 0 is unknown (this version reads versions 1 to 2)"_s;
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
        // Workstreams (version 2): named by position and name, and the field.
        QTest::newRow("workstream block over its maximum")
            << smsSupportWith(u"blockCapacityForWrapUp"_s, 50000)
            << u"workstream 2 (\"SMS support\"), field \"blockCapacityForWrapUp\": must be a whole number of minutes "
               u"from 0 to 43200, or null for an empty block, not 50000"_s;
        QTest::newRow("workstream inactivity over its maximum")
            << smsSupportWith(u"autoCloseAfterInactivity"_s, 2147483648.0)
            << u"workstream 2 (\"SMS support\"), field \"autoCloseAfterInactivity\": must be a whole number of "
               u"minutes from 0 to 2147483647, or null when the environment holds none, not 2147483648"_s;
        QTest::newRow("workstream inactivity negative")
            << smsSupportWith(u"autoCloseAfterInactivity"_s, -1)
            << u"field \"autoCloseAfterInactivity\": must be a whole number of minutes from 0 to 2147483647"_s;
        QTest::newRow("workstream inactivity as text")
            << smsSupportWith(u"autoCloseAfterInactivity"_s, u"2 days"_s)
            << u"workstream 2 (\"SMS support\"), field \"autoCloseAfterInactivity\": must be a whole number of "
               u"minutes from 0 to 2147483647, or null when the environment holds none, not \"2 days\""_s;
        QTest::newRow("workstream inactivity missing")
            << smsSupportWith(u"autoCloseAfterInactivity"_s, QJsonValue(QJsonValue::Undefined))
            << u"workstream 2 (\"SMS support\"), field \"autoCloseAfterInactivity\": is missing (a workstream's "
               u"auto-close after inactivity is required: a whole number of minutes)"_s;
        QTest::newRow("workstream block missing")
            << smsSupportWith(u"blockCapacityForWrapUp"_s, QJsonValue(QJsonValue::Undefined))
            << u"field \"blockCapacityForWrapUp\": is missing (use null for an empty block)"_s;
        QTest::newRow("workstream block fractional")
            << smsSupportWith(u"blockCapacityForWrapUp"_s, 2.5) << u"field \"blockCapacityForWrapUp\""_s;
        QTest::newRow("workstream name missing") << smsSupportWith(u"name"_s, QJsonValue(QJsonValue::Undefined))
                                                 << u"workstream 2, field \"name\": is missing"_s;
        QTest::newRow("workstream id not a guid")
            << smsSupportWith(u"id"_s, u"sms"_s)
            << u"workstream 2 (\"SMS support\"), field \"id\": must be a record id"_s;
        QTest::newRow("workstream not an object")
            << validJsonWithWorkstreams([](QJsonObject &, QJsonArray &workstreams) { workstreams.append(u"x"_s); })
            << u"workstream 3: must be an object, not text"_s;
        QTest::newRow("duplicate workstream") << validJsonWithWorkstreams([](QJsonObject &, QJsonArray &workstreams) {
            QJsonObject copy = workstreams.at(1).toObject();
            copy.insert(u"name"_s, u"SMS support (copy)"_s);
            workstreams.append(copy);
        }) << u"workstream 3 (\"SMS support (copy)\") has the same id as workstream 2 (\"SMS support\")"_s;
        QTest::newRow("version 2 without workstreams")
            << validJsonWithWorkstreams([](QJsonObject &root, QJsonArray &) { root.remove(u"workstreams"_s); })
            << u"field \"workstreams\": is missing (a version 2 snapshot lists the workstreams; use [] for none)"_s;
        QTest::newRow("workstreams not a list")
            << validJsonWith([](QJsonObject &root, QJsonArray &) { root.insert(u"workstreams"_s, QJsonObject {}); })
            << u"field \"workstreams\": must be a list, not an object"_s;
        QTest::newRow("version 1 with workstreams") << validJsonWithWorkstreams([](QJsonObject &root, QJsonArray &) {
            root.insert(u"schemaVersion"_s, 1);
        }) << u"field \"workstreams\": a version 1 snapshot has none; make \"schemaVersion\" 2 to include workstreams"_s;
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

    void workstreamsMatchByIdThenByName()
    {
        const Snapshot left = sample();
        Snapshot right = sample();
        right.workstreams[0].inactivityMinutes = 60; // SMS support's inactivity changed
        right.workstreams[0].name = u"SMS support (renamed)"_s; // names may differ: the id matches
        right.workstreams[1].id.clear(); // no id on the right: matched by name, without regard to case and spaces
        right.workstreams[1].name = u"  chat, \"WEB\" support "_s;
        right.workstreams[1].wrapUpBlockMinutes = 45;
        const SnapshotDiff diff = SnapshotDiff::compare(left, right);
        QVERIFY(diff.workstreamsCompared());
        QCOMPARE(diff.count(SnapshotDiff::Kind::Same), 3); // the records
        QCOMPARE(diff.workstreams.size(), 4); // one entry per value: each timer its own line
        QCOMPARE(diff.workstreamCount(SnapshotDiff::Kind::Changed), 2);
        QCOMPARE(diff.workstreamCount(SnapshotDiff::Kind::Same), 2);
        QVERIFY(diff.hasDifferences());
        const auto &chatInactivity = diff.workstreams.at(0);
        QCOMPARE(chatInactivity.workstream().name, u"Chat, \"web\" support"_s);
        QCOMPARE(chatInactivity.setting, TimerSetting::Inactivity);
        QCOMPARE(chatInactivity.kind, SnapshotDiff::Kind::Same);
        QCOMPARE(chatInactivity.matchedBy, SnapshotDiff::MatchedBy::NaturalKey);
        const auto &chatBlock = diff.workstreams.at(1);
        QCOMPARE(chatBlock.setting, TimerSetting::WrapUpBlock);
        QCOMPARE(chatBlock.kind, SnapshotDiff::Kind::Changed);
        QCOMPARE(chatBlock.leftMinutes(), 30);
        QCOMPARE(chatBlock.rightMinutes(), 45);
        const auto &smsInactivity = diff.workstreams.at(2);
        QCOMPARE(smsInactivity.kind, SnapshotDiff::Kind::Changed);
        QCOMPARE(smsInactivity.matchedBy, SnapshotDiff::MatchedBy::Id);
        QCOMPARE(smsInactivity.leftMinutes(), 2880);
        QCOMPARE(smsInactivity.rightMinutes(), 60);
        QCOMPARE(diff.workstreams.at(3).kind, SnapshotDiff::Kind::Same);
        QVERIFY(!SnapshotDiff::compare(left, left).hasDifferences());

        // A workstream on one side only: a line per value.
        Snapshot fewer = sample();
        fewer.workstreams.removeAt(0);
        const SnapshotDiff onlyLeft = SnapshotDiff::compare(left, fewer);
        QCOMPARE(onlyLeft.workstreamCount(SnapshotDiff::Kind::OnlyLeft), 2);
        QCOMPARE(SnapshotDiff::compare(fewer, left).workstreamCount(SnapshotDiff::Kind::OnlyRight), 2);
    }

    void aVersionOneSideComparesNoWorkstreams()
    {
        // A version 1 file says nothing about workstreams: they are not reported as only on the other side.
        const SnapshotDiff diff = SnapshotDiff::compare(sampleV1(), sample());
        QVERIFY(!diff.workstreamsCompared());
        QVERIFY(diff.workstreams.isEmpty());
        QVERIFY(!diff.hasDifferences());
        QCOMPARE(diff.workstreamsNotCompared(u"old.json"_s, u"Contoso (live)"_s),
                 u"Workstreams were not compared: old.json is a version 1 snapshot, which says nothing about "
                 u"workstreams."_s);
        QVERIFY(SnapshotDiff::compare(sample(), sampleV1())
                    .workstreamsNotCompared(u"Contoso (live)"_s, u"old.json"_s)
                    .contains(u": old.json is a version 1"_s));
        QVERIFY(SnapshotDiff::compare(sampleV1(), sampleV1())
                    .workstreamsNotCompared(u"a"_s, u"b"_s)
                    .contains(u"both sides are version 1 snapshots"_s));
        QVERIFY(SnapshotDiff::compare(sample(), sample()).workstreamsNotCompared(u"a"_s, u"b"_s).isEmpty());

        // Applying it leaves the workstreams alone, whatever the environment holds.
        Snapshot live = sample();
        live.workstreams[0].inactivityMinutes = 5;
        Snapshot desired = sampleV1();
        desired.records[2].minutes = 45;
        const ApplyPlan plan = ApplyPlan::from(SnapshotDiff::compare(desired, live));
        QVERIFY(plan.workstreamsLeftAlone);
        QCOMPARE(plan.changes.size(), 1);
        QVERIFY(plan.workstreamChanges.isEmpty());
        QVERIFY(plan.workstreamRefusals().isEmpty());
        QCOMPARE(plan.settings(), QList<TimerSetting> {TimerSetting::ChannelState});
        QVERIFY(!ApplyPlan::from(SnapshotDiff::compare(sample(), live)).workstreamsLeftAlone);
    }

    void workstreamAmbiguityIsShownNeverGuessed()
    {
        // Two live workstreams share a name; the file's has no id. Which one it means is unknown.
        Snapshot desired = sample();
        desired.workstreams = {workstream(QString(), u"Support"_s, std::nullopt, 10, 10, 1)};
        Snapshot live = sample();
        live.workstreams = {workstream(IdSmsSupport, u"Support"_s, std::nullopt, 20, 20, 5),
                            workstream(IdChatSupport, u"support "_s, std::nullopt, 20, 20, 6)};
        const SnapshotDiff diff = SnapshotDiff::compare(desired, live);
        QCOMPARE(diff.workstreamCount(SnapshotDiff::Kind::Ambiguous), 6); // three workstreams, two values each
        QVERIFY(diff.workstreams.at(0).left.has_value()); // the file's first, then the candidates
        QVERIFY(diff.workstreams.at(1).left.has_value());
        const ApplyPlan plan = ApplyPlan::from(diff);
        QVERIFY(plan.isEmpty());
        QCOMPARE(plan.ambiguousWorkstreams.size(), 3);
        const QStringList refusals = plan.workstreamRefusals();
        QCOMPARE(refusals.size(), 1);
        QVERIFY2(refusals.first().startsWith(u"The workstream \"Support\" cannot be matched with certainty"_s),
                 qPrintable(refusals.first()));
        // With the id it is no longer ambiguous.
        desired.workstreams[0].id = IdSmsSupport;
        const ApplyPlan byId = ApplyPlan::from(SnapshotDiff::compare(desired, live));
        QCOMPARE(byId.workstreamChanges.size(), 2);
        QVERIFY(byId.workstreamRefusals().isEmpty());
    }

    void workstreamPlanCarriesTheLiveEtag()
    {
        Snapshot desired = sample();
        desired.records[2].minutes = 45;
        desired.workstreams[0].inactivityMinutes = 60; // SMS support
        desired.workstreams[0].wrapUpBlockMinutes = 15;
        desired.workstreams[0].etag = u"W/\"1\""_s; // the file's version is not what is sent
        const ApplyPlan plan = ApplyPlan::from(SnapshotDiff::compare(desired, sample()));
        QCOMPARE(plan.changes.size(), 1);
        QCOMPARE(plan.workstreamChanges.size(), 2);
        QCOMPARE(plan.size(), 3);
        QVERIFY(plan.workstreamRefusals().isEmpty());
        for (const ApplyPlan::WorkstreamChange &c : plan.workstreamChanges) {
            QCOMPARE(c.current.id, IdSmsSupport);
            QCOMPARE(c.current.etag, u"W/\"12\""_s);
        }
        // What EditSession::apply sends, in order: the records' values, then the workstreams'.
        const QList<ApplyPlan::Item> items = plan.items();
        QCOMPARE(items.size(), 3);
        QCOMPARE(items.at(0).setting, TimerSetting::ChannelState);
        QCOMPARE(items.at(0).id, IdOpen);
        QCOMPARE(items.at(0).before, 20);
        QCOMPARE(items.at(0).after, 45);
        QCOMPARE(items.at(1).setting, TimerSetting::Inactivity);
        QCOMPARE(items.at(1).table, u"Workstream"_s);
        QCOMPARE(items.at(1).where, u"SMS support · Auto-close after inactivity"_s);
        QCOMPARE(items.at(1).etag, u"W/\"12\""_s);
        QCOMPARE(items.at(1).before, 2880);
        QCOMPARE(items.at(1).after, 60);
        QCOMPARE(items.at(2).setting, TimerSetting::WrapUpBlock);
        QCOMPARE(items.at(2).before, std::nullopt);
        QCOMPARE(items.at(2).after, 15);
        QCOMPARE(
            plan.settings(),
            (QList<TimerSetting> {TimerSetting::ChannelState, TimerSetting::Inactivity, TimerSetting::WrapUpBlock}));

        // The environment's metadata may allow less than the file does.
        QVERIFY(plan.outOfRange(TimerSetting::WrapUpBlock, 0, 43200).isEmpty());
        QCOMPARE(plan.outOfRange(TimerSetting::WrapUpBlock, 0, 10),
                 QStringList {u"SMS support · Block capacity for wrap-up: 15 minutes is more than the environment "
                              u"allows (at most 10, from the column's metadata)."_s});
        QCOMPARE(plan.outOfRange(TimerSetting::Inactivity, 100, 2147483647).size(), 1);
        QCOMPARE(plan.outOfRange(TimerSetting::ChannelState, 0, 44).size(), 1);
    }

    void workstreamsTheEnvironmentCannotTakeAreRefused()
    {
        // A workstream matched to nothing live: it cannot be created, and the file asked for its values.
        Snapshot unknown = sample();
        unknown.workstreams[0].id.clear();
        unknown.workstreams[0].name = u"Nobody's workstream"_s;
        const ApplyPlan plan = ApplyPlan::from(SnapshotDiff::compare(unknown, sample()));
        QCOMPARE(plan.workstreamsNotInEnvironment.size(), 1); // once, not once per value
        QVERIFY(plan.isEmpty());
        QCOMPARE(plan.workstreamRefusals(),
                 QStringList {u"The snapshot's workstream \"Nobody's workstream\" matches no workstream of the "
                              u"environment, by id or by name, and workstreams are never created: correct its name "
                              u"or id in the file, or remove it."_s});

        // Emptying the required inactivity over a value.
        Snapshot emptied = sample();
        emptied.workstreams[0].inactivityMinutes = std::nullopt;
        const QStringList refused = ApplyPlan::from(SnapshotDiff::compare(emptied, sample())).workstreamRefusals();
        QCOMPARE(refused.size(), 1);
        QVERIFY2(refused.first().startsWith(u"The snapshot empties \"Auto-close after inactivity\" of the workstream "
                                            u"\"SMS support\""_s),
                 qPrintable(refused.first()));
        QVERIFY(refused.first().contains(u"that value is required"_s));
        // Null where the environment holds none is no change; an empty wrap-up block is allowed.
        Snapshot blockEmptied = sample();
        blockEmptied.workstreams[1].wrapUpBlockMinutes = std::nullopt;
        const ApplyPlan allowed = ApplyPlan::from(SnapshotDiff::compare(blockEmptied, sample()));
        QCOMPARE(allowed.workstreamChanges.size(), 1);
        QVERIFY(allowed.workstreamRefusals().isEmpty());
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
