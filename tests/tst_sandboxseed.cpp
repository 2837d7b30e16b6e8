// Seeding: demo data of a chosen size and seed, seed files, and the errors of bad seed files.
#include "TestHttp.h"
#include "app/sandbox/LocalSandbox.h"
#include "models/ChannelStateConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"seed-test-token"_s;

Result<std::unique_ptr<LocalSandbox>> start(const QString &dir, const SandboxStore::Seed &seed)
{
    LocalSandbox::Options options;
    options.dataDir = dir;
    options.acceptedTokens = {Token};
    options.seed = seed;
    return LocalSandbox::start(options);
}

QJsonArray rows(const LocalSandbox &sandbox, const QString &query)
{
    const TestReply reply = testGet(QUrl(sandbox.url().toString() + u"/api/data/v9.2/"_s + query), Token.toLatin1());
    return QJsonDocument::fromJson(reply.body).object().value(u"value"_s).toArray();
}
} // namespace

class TestSandboxSeed : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void generatedConversationsAreDeterministic()
    {
        QTemporaryDir a;
        QTemporaryDir b;
        SandboxStore::Seed seed;
        seed.conversations = 50;
        seed.randomSeed = 7;
        auto first = start(a.path(), seed);
        auto second = start(b.path(), seed);
        QVERIFY(first.ok() && second.ok());
        const QString query = u"msdyn_ocliveworkitems?$select=subject,statuscode,msdyn_channel"_s;
        const QJsonArray one = rows(*first.value(), query);
        QCOMPARE(one.size(), 50);
        QCOMPARE(one, rows(*second.value(), query));

        QTemporaryDir c;
        seed.randomSeed = 8;
        auto other = start(c.path(), seed);
        QVERIFY(other.ok());
        QVERIFY(rows(*other.value(), query) != one);
    }

    // One workstream per channel (docs/dataverse-tables.md): inactivity where Microsoft offers it, the wrap-up block
    // empty ("Always block") but for web chat, whose value the demo's history explains.
    void demoWorkstreams()
    {
        QTemporaryDir dir;
        auto sandbox = start(dir.path(), {});
        QVERIFY(sandbox.ok());
        const QJsonArray all = rows(*sandbox.value(),
                                    u"msdyn_liveworkstreams?$select=msdyn_name,msdyn_streamsource,"
                                    u"msdyn_autocloseafterinactivity,msdyn_blockcapacityforwrapup,"
                                    u"msdyn_blockcapacityforwrapupinseconds&$orderby=msdyn_name"_s);
        QCOMPARE(all.size(), 6);
        const auto value = [](const QJsonValue &v) {
            return v.isNull() ? -1 : v.toInt();
        };
        QMap<QString, QList<int>> byName; // source, inactivity, block, block in seconds (-1: empty)
        for (const QJsonValue &w : all)
            byName.insert(w[u"msdyn_name"_s].toString(),
                          {w[u"msdyn_streamsource"_s].toInt(), value(w[u"msdyn_autocloseafterinactivity"_s]),
                           value(w[u"msdyn_blockcapacityforwrapup"_s]),
                           value(w[u"msdyn_blockcapacityforwrapupinseconds"_s])});
        const QMap<QString, QList<int>> expected {
            {u"Web chat support"_s, {StreamSource::LiveChat, -1, 20, -1}},
            {u"SMS support"_s, {StreamSource::Sms, 2880, -1, -1}},
            {u"Phone support"_s, {StreamSource::Voice, -1, -1, -1}},
            {u"Internal IT help desk"_s, {StreamSource::Teams, 2880, -1, -1}},
            {u"Social care"_s, {StreamSource::Facebook, 4320, -1, -1}},
            {u"WhatsApp support"_s, {StreamSource::WhatsApp, 2880, -1, -1}},
        };
        QCOMPARE(byName, expected);
        // Every channel configuration has its workstream.
        QSet<int> channels;
        for (const QJsonValue &c :
             rows(*sandbox.value(), u"msdyn_occhannelconfigurations?$select=msdyn_streamsource"_s))
            channels.insert(c[u"msdyn_streamsource"_s].toInt());
        QSet<int> covered;
        for (const QList<int> &w : expected)
            covered.insert(w.first());
        QCOMPARE(covered, channels);
    }

    // The demo's audit history (docs/change-history.md): earlier changes by a colleague and by the signed-in user,
    // the same every time.
    void demoHistory()
    {
        QTemporaryDir a;
        QTemporaryDir b;
        auto first = start(a.path(), {});
        auto second = start(b.path(), {});
        QVERIFY(first.ok() && second.ok());
        const QString query = u"audits?$select=auditid,objecttypecode,_objectid_value,action,operation,attributemask"
                              u"&$orderby=createdon desc"_s;
        const QJsonArray audits = rows(*first.value(), query);
        QCOMPARE(audits.size(), 4);
        QCOMPARE(rows(*second.value(), query), audits);

        const QByteArray annotations = "odata.include-annotations=\"*\"";
        const TestReply named =
            testGet(QUrl(first.value()->url().toString() +
                         u"/api/data/v9.2/audits?$select=createdon,_userid_value&$orderby=createdon desc"_s),
                    Token.toLatin1(), {{"Prefer", annotations}});
        QStringList who;
        for (const QJsonValue &row : named.json()[u"value"_s].toArray())
            who << row[u"_userid_value@OData.Community.Display.V1.FormattedValue"_s].toString();
        QCOMPARE(
            who,
            (QStringList {u"Demo Administrator"_s, u"Patti Fernandez"_s, u"Patti Fernandez"_s, u"Patti Fernandez"_s}));

        // Live Chat - Wrap-up went to 30 and back to Microsoft's 15; modifiedon is its last change.
        const QJsonObject wrapUp = rows(*first.value(),
                                        u"msdyn_occhannelstateconfigurations?$filter=msdyn_name eq "
                                        u"'Live Chat - Wrap-up'"_s)
                                       .first()
                                       .toObject();
        QCOMPARE(wrapUp[u"msdyn_autocloseliveworkitemafter"_s].toInt(), 15);
        const QString target =
            QString::fromLatin1(QUrl::toPercentEncoding(u"{'@odata.id':'msdyn_occhannelstateconfigurations(%1)'}"_s.arg(
                wrapUp[u"msdyn_occhannelstateconfigurationid"_s].toString())));
        const QJsonArray details =
            testGet(QUrl::fromEncoded(QString(first.value()->url().toString() +
                                              u"/api/data/v9.2/RetrieveRecordChangeHistory(Target=@t)?@t="_s + target)
                                          .toUtf8()),
                    Token.toLatin1())
                .json()[u"AuditDetailCollection"_s][u"AuditDetails"_s]
                .toArray();
        QCOMPARE(details.size(), 2);
        QCOMPARE(details[0][u"OldValue"_s][u"msdyn_autocloseliveworkitemafter"_s].toInt(), 30);
        QCOMPARE(details[0][u"NewValue"_s][u"msdyn_autocloseliveworkitemafter"_s].toInt(), 15);
        QCOMPARE(details[1][u"OldValue"_s][u"msdyn_autocloseliveworkitemafter"_s].toInt(), 15);
        QCOMPARE(details[1][u"NewValue"_s][u"msdyn_autocloseliveworkitemafter"_s].toInt(), 30);
        QCOMPARE(wrapUp[u"modifiedon"_s], named.json()[u"value"_s][0][u"createdon"_s]);
        QCOMPARE(rows(*first.value(), u"systemusers?$select=fullname&$orderby=fullname"_s).size(), 2);
    }

    void seedFileReplacesTheDemoData()
    {
        QTemporaryDir dir;
        SandboxStore::Seed seed;
        seed.file = QFINDTESTDATA("data/seeds/small.json");
        seed.required = true;
        auto sandbox = start(dir.path(), seed);
        QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().userMessage));
        const QJsonArray configs = rows(*sandbox.value(), u"msdyn_occhannelstateconfigurations"_s);
        QCOMPARE(configs.size(), 2);
        QCOMPARE(configs.at(0)[u"msdyn_autocloseliveworkitemafter"_s].toInt(), 45);
        QVERIFY(configs.at(1)[u"msdyn_autocloseliveworkitemafter"_s].isNull());
        QCOMPARE(configs.at(1)[u"@odata.etag"_s].toString(), u"W/\"5\""_s);
        QCOMPARE(rows(*sandbox.value(), u"msdyn_ocliveworkitems"_s).size(), 1);
        QCOMPARE(rows(*sandbox.value(), u"msdyn_liveworkstreams"_s).size(), 0);
        // No demo history; the signed-in user alone.
        QCOMPARE(rows(*sandbox.value(), u"audits"_s).size(), 0);
        QCOMPARE(rows(*sandbox.value(), u"systemusers"_s).size(), 1);
    }

    void badSeedFilesNameTheRecordAndField_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("not json") << QByteArray("{\"msdyn_ocliveworkitems\": [") << u"not valid JSON"_s;
        QTest::newRow("not an object") << QByteArray("[]") << u"expected an object"_s;
        QTest::newRow("unknown set") << QByteArray("{\"accounts\": []}") << u"unknown entity set 'accounts'"_s;
        QTest::newRow("not an array") << QByteArray("{\"msdyn_ocliveworkitems\": {}}") << u"not an array"_s;
        QTest::newRow("record not object")
            << QByteArray("{\"msdyn_ocliveworkitems\": [1]}") << u"msdyn_ocliveworkitems[0] is not an object"_s;
        QTest::newRow("no key") << QByteArray("{\"msdyn_ocliveworkitems\": [{\"subject\": \"x\"}]}")
                                << u"msdyn_ocliveworkitems[0] has no valid activityid"_s;
        QTest::newRow("unknown field")
            << QByteArray("{\"msdyn_ocliveworkitems\": [{\"activityid\": \"c0000000-0000-0000-0000-000000000001\", "
                          "\"colour\": \"red\"}]}")
            << u"msdyn_ocliveworkitems[0] (c0000000-0000-0000-0000-000000000001): unknown field 'colour'"_s;
        QTest::newRow("wrong type second record")
            << QByteArray("{\"msdyn_occhannelstateconfigurations\": [{\"msdyn_occhannelstateconfigurationid\": "
                          "\"b0000000-0000-0000-0000-000000000001\"}, {\"msdyn_occhannelstateconfigurationid\": "
                          "\"b0000000-0000-0000-0000-000000000002\", \"msdyn_autocloseliveworkitemafter\": \"20\"}]}")
            << u"msdyn_occhannelstateconfigurations[1] (b0000000-0000-0000-0000-000000000002): Cannot convert the "
               u"value of msdyn_autocloseliveworkitemafter"_s;
        QTest::newRow("out of range")
            << QByteArray("{\"msdyn_occhannelstateconfigurations\": [{\"msdyn_occhannelstateconfigurationid\": "
                          "\"b0000000-0000-0000-0000-000000000001\", \"msdyn_autocloseliveworkitemafter\": -5}]}")
            << u"outside the valid range"_s;
        QTest::newRow("duplicate key")
            << QByteArray("{\"msdyn_ocliveworkitems\": [{\"activityid\": \"c0000000-0000-0000-0000-000000000001\"}, "
                          "{\"activityid\": \"c0000000-0000-0000-0000-000000000001\"}]}")
            << u"msdyn_ocliveworkitems[1] (c0000000-0000-0000-0000-000000000001) could not be stored"_s;
    }
    void badSeedFilesNameTheRecordAndField()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, messagePart);
        QTemporaryDir dir;
        QFile file(dir.filePath(u"seed.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        const QString dataDir = dir.filePath(u"data"_s);
        SandboxStore::Seed seed;
        seed.file = file.fileName();
        seed.required = true;
        const auto failed = start(dataDir, seed);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().kind, Error::Kind::BadInput);
        QVERIFY2(failed.error().userMessage.contains(messagePart), qPrintable(failed.error().userMessage));

        // Nothing was half filled: the same directory takes a good seed afterwards.
        seed.file = QFINDTESTDATA("data/seeds/small.json");
        auto good = start(dataDir, seed);
        QVERIFY2(good.ok(), qPrintable(good.ok() ? QString() : good.error().userMessage));
        QCOMPARE(rows(*good.value(), u"msdyn_ocliveworkitems"_s).size(), 1);
    }

    void explicitSeedRefusesADirectoryWithData()
    {
        QTemporaryDir dir;
        QVERIFY(start(dir.path(), {}).ok());
        SandboxStore::Seed seed;
        seed.conversations = 10;
        seed.required = true;
        const auto again = start(dir.path(), seed);
        QVERIFY(!again.ok());
        QVERIFY(again.error().userMessage.contains(u"already holds a sandbox"_s));
        // Without an explicit seed the data there is used.
        auto plain = start(dir.path(), {});
        QVERIFY(plain.ok());
        QCOMPARE(rows(*plain.value(), u"msdyn_ocliveworkitems?$select=subject"_s).size(), 360);
    }
};

QTEST_GUILESS_MAIN(TestSandboxSeed)
#include "tst_sandboxseed.moc"
