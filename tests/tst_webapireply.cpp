#include "app/dataverse/WebApiReply.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QJsonObject row(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}
} // namespace

class TestWebApiReply : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesARealisticPage()
    {
        QFile file(QFINDTESTDATA("data/stateconfigurations.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto page = WebApiReply::parseCollection(file.readAll());
        QVERIFY(page.ok());
        QCOMPARE(page.value().rows.size(), 2);
        // The next link is kept verbatim, encoded skip token included.
        QCOMPARE(page.value().nextLink.toString(QUrl::FullyEncoded),
                 u"https://contoso.crm.dynamics.com/api/data/v9.2/msdyn_occhannelstateconfigurations?$select=msdyn_"
                 u"name&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E"_s);

        const auto chat = WebApiReply::parseStateConfiguration(page.value().rows.at(0));
        QVERIFY(chat.ok());
        QCOMPARE(chat.value().id, u"0d3a3e6e-8c1b-4c52-a1f0-2b7d9c4e6f10"_s);
        QCOMPARE(chat.value().name, u"Live Chat - Open"_s);
        QCOMPARE(chat.value().state, 0);
        QCOMPARE(chat.value().minutes, std::optional<int>(20));
        QCOMPARE(chat.value().etag, u"W/\"4312875\""_s);
        QCOMPARE(chat.value().streamSource, std::optional<int>(192360000));
        QCOMPARE(chat.value().channelName, u"Contoso web chat"_s);
        QCOMPARE(chat.value().channelConfigId, u"5f0b6f4c-2b3a-4b8e-9a51-7c1d2e3f4a5b"_s);
        QCOMPARE(chat.value().modifiedOn, QDateTime(QDate(2024, 5, 2), QTime(9, 15), Qt::UTC));

        const auto active = WebApiReply::parseStateConfiguration(page.value().rows.at(1));
        QVERIFY(active.ok());
        QCOMPARE(active.value().minutes, std::nullopt);
        QCOMPARE(active.value().streamSource, std::nullopt);
    }

    void badCollections_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("truncated") << QByteArray("{\"value\":[{\"a\":1}") << u"not valid JSON"_s;
        QTest::newRow("empty") << QByteArray() << u"not valid JSON"_s;
        QTest::newRow("array") << QByteArray("[1,2]") << u"not a JSON object"_s;
        QTest::newRow("no value") << QByteArray("{\"error\":{}}") << u"no \"value\" array"_s;
        QTest::newRow("row not object") << QByteArray("{\"value\":[1]}") << u"Record 1"_s;
        QTest::newRow("bad next link") << QByteArray("{\"value\":[],\"@odata.nextLink\":42}") << u"nextLink"_s;
        QTest::newRow("relative next link")
            << QByteArray("{\"value\":[],\"@odata.nextLink\":\"page2\"}") << u"nextLink"_s;
    }
    void badCollections()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, messagePart);
        const auto page = WebApiReply::parseCollection(body);
        QVERIFY(!page.ok());
        QCOMPARE(page.error().kind, Error::Kind::BadReply);
        QVERIFY2(page.error().userMessage.contains(messagePart), qPrintable(page.error().userMessage));
        // The fast conversation reader refuses the same replies, with the same words.
        const auto conversations = WebApiReply::parseConversationPage(body);
        QVERIFY(!conversations.ok());
        QCOMPARE(conversations.error().kind, Error::Kind::BadReply);
        QVERIFY2(conversations.error().userMessage.contains(messagePart),
                 qPrintable(conversations.error().userMessage));
    }

    void conversationPagesMatchTheDocumentPath()
    {
        // Escapes, non-ASCII text, nulls, annotations, nested values (one holding a decoy "@odata.nextLink"), a
        // multi-channel conversation, and the next link at the end as Dataverse writes it.
        const QByteArray body =
            "{\"@odata.context\":\"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#msdyn_ocliveworkitems\","
            "\"value\":["
            "{\"@odata.etag\":\"W/\\\"1\\\"\",\"activityid\":\"a1\",\"msdyn_title\":\"Ren\\u00e9e \\\"R\\\" "
            "\\ud83d\\ude00\","
            "\"subject\":\"Caf\xc3\xa9 \\n "
            "order\",\"statuscode\":2,\"statuscode@OData.Community.Display.V1.FormattedValue\":"
            "\"Active\",\"msdyn_channel\":\"192360000,19241000\",\"createdon\":\"2026-05-01T08:00:00Z\","
            "\"msdyn_wrapupinitiatedon\":null,\"msdyn_modifiedon\":\"2026-05-01T08:05:00.250Z\","
            "\"modifiedon\":\"2026-05-01T08:06:00Z\",\"_msdyn_liveworkstreamid_value\":\"w1\","
            "\"extra\":{\"@odata.nextLink\":\"https://contoso.crm.dynamics.com/decoy\",\"list\":[1,2.5e3,true,null]}},"
            "{\"activityid\":\"a2\",\"statuscode\":5,\"msdyn_channel\":\"192340000\",\"createdon\":\"2026-05-01T09:00:"
            "00Z\","
            "\"msdyn_wrapupinitiatedon\":\"2026-05-01T09:30:00Z\",\"modifiedon\":\"2026-05-01T09:31:00Z\","
            "\"_msdyn_liveworkstreamid_value\":\"w1\"},"
            "{\"activityid\":\"a3\",\"statuscode\":1,\"msdyn_channel\":\"\",\"createdon\":\"2026-05-01T10:00:00+02:"
            "00\","
            "\"msdyn_title\":42}"
            "],\"@odata.nextLink\":\"https://contoso.crm.dynamics.com/api/data/v9.2/"
            "msdyn_ocliveworkitems?$skiptoken=x%3D1\"}";
        const auto document = WebApiReply::parseCollection(body);
        QVERIFY(document.ok());
        QList<Conversation> expected;
        for (const QJsonObject &r : document.value().rows) {
            auto c = WebApiReply::parseConversation(r);
            QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().userMessage));
            expected << c.value();
        }
        WebApiReply::StringPool pool;
        const auto fast = WebApiReply::parseConversationPage(body, &pool);
        QVERIFY2(fast.ok(), qPrintable(fast.ok() ? QString() : fast.error().userMessage));
        QCOMPARE(fast.value().rows, expected);
        QCOMPARE(fast.value().nextLink, document.value().nextLink);
        QCOMPARE(fast.value().rows.at(0).title, u"Renée \"R\" 😀"_s);
        QCOMPARE(fast.value().rows.at(0).subject, u"Café \n order"_s);
        QCOMPARE(fast.value().rows.at(0).channels, (QList<int> {192360000, 19241000}));
        QCOMPARE(fast.value().rows.at(0).modifiedOn.time().msec(), 250);
        QVERIFY(!fast.value().rows.at(0).wrapUpInitiatedOn.isValid());
        QCOMPARE(fast.value().rows.at(2).createdOn, QDateTime(QDate(2026, 5, 1), QTime(8, 0), Qt::UTC));
        QVERIFY(fast.value().rows.at(2).title.isEmpty()); // not text: left out, as the document path does
        // One workstream id, one string.
        QCOMPARE(pool.size(), 1);
        QVERIFY(fast.value().rows.at(0).workstreamId.constData() == fast.value().rows.at(1).workstreamId.constData());
    }

    void aColumnGivenTwiceCountsByItsLastValue()
    {
        // Found by fuzz_reply: the fast reader kept the first of two values, QJsonDocument the last.
        const QByteArray body = "{\"value\":[{\"activityid\":\"a1\",\"statuscode\":1,\"createdon\":"
                                "\"2026-05-01T08:00:00Z\",\"msdyn_title\":\"first\",\"msdyn_wrapupinitiatedon\":"
                                "\"2026-05-01T08:30:00Z\",\"msdyn_title\":\"last\",\"msdyn_wrapupinitiatedon\":null,"
                                "\"statuscode\":\"text\",\"statuscode\":5}]}";
        const auto document = WebApiReply::parseCollection(body);
        QVERIFY(document.ok());
        const auto one = WebApiReply::parseConversation(document.value().rows.first());
        QVERIFY(one.ok());
        const auto fast = WebApiReply::parseConversationPage(body);
        QVERIFY(fast.ok());
        QCOMPARE(fast.value().rows.first(), one.value());
        QCOMPARE(fast.value().rows.first().title, u"last"_s);
        QVERIFY(!fast.value().rows.first().wrapUpInitiatedOn.isValid());
        QCOMPARE(fast.value().rows.first().statusCode, 5);
    }

    void badConversationRows_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("messagePart");
        const QByteArray ok = "\"activityid\":\"a1\",\"createdon\":\"2026-05-01T08:00:00Z\"";
        QTest::newRow("no activityid") << QByteArray("{\"statuscode\":1}") << u"no activityid"_s;
        QTest::newRow("no statuscode") << "{" + ok + "}" << u"a1: statuscode is missing"_s;
        QTest::newRow("fractional statuscode") << "{" + ok + ",\"statuscode\":1.5}" << u"not a whole number"_s;
        QTest::newRow("statuscode as text") << "{" + ok + ",\"statuscode\":\"1\"}" << u"statuscode is missing"_s;
        QTest::newRow("huge statuscode") << "{" + ok + ",\"statuscode\":1e12}" << u"not a whole number"_s;
        QTest::newRow("bad channel") << "{" + ok + ",\"statuscode\":1,\"msdyn_channel\":\"192360000,chat\"}"
                                     << u"msdyn_channel holds 'chat'"_s;
        QTest::newRow("no createdon") << QByteArray("{\"activityid\":\"a1\",\"statuscode\":1}")
                                      << u"createdon is missing"_s;
        QTest::newRow("bad createdon") << QByteArray(
                                              "{\"activityid\":\"a1\",\"statuscode\":1,\"createdon\":\"yesterday\"}")
                                       << u"createdon is missing or not a date"_s;
    }
    void badConversationRows()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, messagePart);
        const auto one = WebApiReply::parseConversation(row(json.constData()));
        QVERIFY(!one.ok());
        QVERIFY2(one.error().userMessage.contains(messagePart), qPrintable(one.error().userMessage));
        const auto page = WebApiReply::parseConversationPage("{\"value\":[" + json + "]}");
        QVERIFY(!page.ok());
        QCOMPARE(page.error().userMessage, one.error().userMessage);
    }

    void peekNextLink_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("link");
        const QString next = u"https://contoso.crm.dynamics.com/api/data/v9.2/x?$skiptoken=2"_s;
        const QByteArray quoted = "\"" + next.toUtf8() + "\"";
        QTest::newRow("first") << "{\"@odata.nextLink\":" + quoted + ",\"value\":[]}" << next;
        QTest::newRow("last, spaced") << "{\"value\":[] , \"@odata.nextLink\" :\n " + quoted + "}" << next;
        QTest::newRow("none") << QByteArray("{\"value\":[]}") << QString();
        QTest::newRow("the words as a value")
            << "{\"value\":[{\"subject\":\"@odata.nextLink\"}],\"@odata.nextLink\":" + quoted + "}" << next;
        QTest::newRow("relative") << QByteArray("{\"@odata.nextLink\":\"page2\",\"value\":[]}") << QString();
        QTest::newRow("not text") << QByteArray("{\"@odata.nextLink\":42,\"value\":[]}") << QString();
    }
    void peekNextLink()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, link);
        QCOMPARE(WebApiReply::peekNextLink(body).toString(), link);
    }

    void badRows_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("messagePart");
        const QByteArray base = "\"msdyn_occhannelstateconfigurationid\":\"id1\",\"@odata.etag\":\"W/\\\"1\\\"\"";
        QTest::newRow("no id") << QByteArray("{\"msdyn_ocliveworkitemstate\":0}")
                               << u"no msdyn_occhannelstateconfigurationid"_s;
        QTest::newRow("no state") << "{" + base + ",\"msdyn_autocloseliveworkitemafter\":1}"
                                  << u"id1: msdyn_ocliveworkitemstate"_s;
        QTest::newRow("fractional state")
            << "{" + base + ",\"msdyn_ocliveworkitemstate\":1.5,\"msdyn_autocloseliveworkitemafter\":1}"
            << u"msdyn_ocliveworkitemstate"_s;
        QTest::newRow("no minutes") << "{" + base + ",\"msdyn_ocliveworkitemstate\":0}"
                                    << u"msdyn_autocloseliveworkitemafter is missing"_s;
        QTest::newRow("text minutes") << "{" + base +
                ",\"msdyn_ocliveworkitemstate\":0,\"msdyn_autocloseliveworkitemafter\":\"5\"}"
                                      << u"not a whole number of minutes"_s;
        QTest::newRow("negative minutes")
            << "{" + base + ",\"msdyn_ocliveworkitemstate\":0,\"msdyn_autocloseliveworkitemafter\":-1}"
            << u"not a whole number of minutes"_s;
        QTest::newRow("huge minutes") << "{" + base +
                ",\"msdyn_ocliveworkitemstate\":0,\"msdyn_autocloseliveworkitemafter\":3e10}"
                                      << u"not a whole number of minutes"_s;
        QTest::newRow("no etag") << QByteArray("{\"msdyn_occhannelstateconfigurationid\":\"id1\",\"msdyn_"
                                               "ocliveworkitemstate\":0,\"msdyn_autocloseliveworkitemafter\":1}")
                                 << u"no @odata.etag"_s;
        QTest::newRow("bad date") << "{" + base +
                ",\"msdyn_ocliveworkitemstate\":0,\"msdyn_autocloseliveworkitemafter\":1,\"modifiedon\":\"yesterday\"}"
                                  << u"modifiedon"_s;
        QTest::newRow("bad channel") << "{" + base +
                ",\"msdyn_ocliveworkitemstate\":0,\"msdyn_autocloseliveworkitemafter\":1,\"msdyn_"
                "occhannelconfigurationid\":{\"msdyn_streamsource\":\"chat\"}}"
                                     << u"msdyn_streamsource"_s;
    }
    void badRows()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, messagePart);
        const auto config = WebApiReply::parseStateConfiguration(row(json.constData()));
        QVERIFY(!config.ok());
        QCOMPARE(config.error().kind, Error::Kind::BadReply);
        QVERIFY2(config.error().userMessage.contains(messagePart), qPrintable(config.error().userMessage));
    }

    void countsAndRangesAreWholeNumbersThatFit()
    {
        // Found by fuzz_reply: a count of 5.2e95 was cast to a 64-bit integer (undefined behaviour).
        const QByteArray huge = "522222222222222222222222222222222222222222222222222222222222222222222222222222222000";
        QVERIFY(!WebApiReply::parseCount("{\"@odata.count\":" + huge + "}").ok());
        QVERIFY(!WebApiReply::parseCount("{\"@odata.count\":-1}").ok());
        QVERIFY(!WebApiReply::parseCount("{\"@odata.count\":2.5}").ok());
        QCOMPARE(WebApiReply::parseCount("{\"@odata.count\":4999}").value().count, 4999);
        QVERIFY(!WebApiReply::parseColumnRange("{\"MinValue\":0,\"MaxValue\":" + huge + "}").ok());
        QVERIFY(!WebApiReply::parseColumnRange("{\"MinValue\":-" + huge + ",\"MaxValue\":5}").ok());
        QCOMPARE(WebApiReply::parseColumnRange("{\"MinValue\":-5,\"MaxValue\":2147483647}").value().maxValue,
                 2147483647);
    }

    void errors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("401") << 401 << QByteArray() << int(Error::Kind::Auth) << u"Sign in again"_s;
        QTest::newRow("403") << 403 << QByteArray() << int(Error::Kind::Auth) << u"security role"_s;
        QTest::newRow("404") << 404
                             << QByteArray("{\"error\":{\"code\":\"0x80040217\",\"message\":\"Does Not Exist\"}}")
                             << int(Error::Kind::NotFound) << u"HTTP 404"_s;
        QTest::newRow("412") << 412 << QByteArray("{\"error\":{\"code\":\"0x80060882\",\"message\":\"changed\"}}")
                             << int(Error::Kind::Conflict) << u"Refresh"_s;
        QTest::newRow("429") << 429 << QByteArray() << int(Error::Kind::Throttled) << u"Try again in 17 s"_s;
        QTest::newRow("503") << 503 << QByteArray() << int(Error::Kind::Server) << u"HTTP 503"_s;
        QTest::newRow("400") << 400 << QByteArray("{\"error\":{\"code\":\"0x80060888\",\"message\":\"Bad $select\"}}")
                             << int(Error::Kind::Server) << u"Bad $select"_s;
        QTest::newRow("no reply") << 0 << QByteArray() << int(Error::Kind::Network) << u"Could not reach"_s;
    }
    void errors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, messagePart);
        WebApiReply::Failure failure;
        failure.httpStatus = status;
        failure.body = body;
        failure.retryAfter = "17";
        failure.requestId = "req-1";
        failure.networkErrorText = u"Connection refused"_s;
        failure.host = u"contoso.crm.dynamics.com"_s;
        const Error e = WebApiReply::toError(failure);
        QCOMPARE(int(e.kind), kind);
        QCOMPARE(e.httpStatus, status);
        QCOMPARE(e.requestId, u"req-1"_s);
        QVERIFY2(e.userMessage.contains(messagePart), qPrintable(e.userMessage));
        QVERIFY2(e.userMessage.contains(u"contoso.crm.dynamics.com"_s), qPrintable(e.userMessage));
        if (!body.isEmpty())
            QVERIFY(!e.serviceCode.isEmpty());
    }

    void parsesABatchReply()
    {
        QFile file(QFINDTESTDATA("data/batch-response.txt"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto parts = WebApiReply::parseBatchReply(
            "multipart/mixed; boundary=batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f", file.readAll());
        QVERIFY2(parts.ok(), qPrintable(parts.ok() ? QString() : parts.error().userMessage));
        QCOMPARE(parts.value().size(), 3);
        QCOMPARE(parts.value().at(0).contentId, QByteArray("1"));
        QCOMPARE(parts.value().at(0).status, 200);
        QVERIFY(parts.value().at(0).body.startsWith("{\"@odata.etag\""));
        QCOMPARE(parts.value().at(1).contentId, QByteArray("2"));
        QCOMPARE(parts.value().at(1).status, 204);
        QVERIFY(parts.value().at(1).body.isEmpty());
        QCOMPARE(parts.value().at(2).status, 412);
        QCOMPARE(WebApiReply::serviceError(parts.value().at(2).body).first, u"0x80060882"_s);
    }

    void badBatchReplies_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("not multipart") << QByteArray("application/json") << QByteArray("{}")
                                       << u"instead of multipart"_s;
        QTest::newRow("unterminated") << QByteArray("multipart/mixed; boundary=b")
                                      << QByteArray(
                                             "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n")
                                      << u"malformed"_s;
        QTest::newRow("no status line") << QByteArray("multipart/mixed; boundary=b")
                                        << QByteArray("--b\r\nContent-Type: application/http\r\n\r\nhello\r\n--b--")
                                        << u"without an HTTP status line"_s;
    }
    void badBatchReplies()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(QString, messagePart);
        const auto parts = WebApiReply::parseBatchReply(contentType, body);
        QVERIFY(!parts.ok());
        QCOMPARE(parts.error().kind, Error::Kind::BadReply);
        QVERIFY2(parts.error().userMessage.contains(messagePart), qPrintable(parts.error().userMessage));
    }

    void timeoutSaysSo()
    {
        WebApiReply::Failure failure;
        failure.timedOut = true;
        const Error e = WebApiReply::toError(failure);
        QCOMPARE(e.kind, Error::Kind::Network);
        QVERIFY(e.userMessage.contains(u"did not answer in time"_s));
    }
};

QTEST_GUILESS_MAIN(TestWebApiReply)
#include "tst_webapireply.moc"
