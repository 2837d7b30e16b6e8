// $batch over real HTTP: change sets succeed or fail as a whole; odata.continue-on-error; malformed batches.
#include "TestHttp.h"
#include "app/sandbox/LocalSandbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Token = "batch-test-token";
const QString Minutes = u"msdyn_autocloseliveworkitemafter"_s;

struct Change
{
    QByteArray method;
    QByteArray url;
    QByteArray ifMatch;
    QByteArray body;
};

QByteArray requestPart(const Change &c, int contentId = 0)
{
    QByteArray out = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n";
    if (contentId > 0)
        out += "Content-ID: " + QByteArray::number(contentId) + "\r\n";
    out += "\r\n" + c.method + ' ' + c.url + " HTTP/1.1\r\n";
    if (!c.body.isEmpty())
        out += "Content-Type: application/json; type=entry\r\n";
    if (!c.ifMatch.isEmpty())
        out += "If-Match: " + c.ifMatch + "\r\n";
    out += "\r\n" + c.body + "\r\n";
    return out;
}

// The statuses of the response parts, in order.
QList<int> statuses(const QByteArray &body)
{
    QList<int> out;
    static const QRegularExpression status(u"^HTTP/1\\.1 (\\d{3}) "_s, QRegularExpression::MultilineOption);
    auto it = status.globalMatch(QString::fromUtf8(body));
    while (it.hasNext())
        out << it.next().captured(1).toInt();
    return out;
}
} // namespace

class TestSandboxBatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto sandbox = LocalSandbox::start(m_dir->path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(sandbox.ok());
        m_sandbox = std::move(sandbox).value();
        const QJsonArray rows =
            QJsonDocument::fromJson(testGet(api(u"msdyn_occhannelstateconfigurations?$top=3"_s), Token).body)
                .object()
                .value(u"value"_s)
                .toArray();
        m_ids.clear();
        for (const QJsonValue &v : rows)
            m_ids << v[u"msdyn_occhannelstateconfigurationid"_s].toString();
        QCOMPARE(m_ids.size(), 3);
    }
    void cleanup() { m_sandbox.reset(); }

    void changeSetCommitsTogether()
    {
        const TestReply reply = post(changeSet({patchTo(0, 11, etag(0)), patchTo(1, 12, etag(1), /*relative=*/true)}));
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("Content-Type").startsWith("multipart/mixed; boundary=batchresponse_"));
        QVERIFY(reply.body.contains("changesetresponse_"));
        QCOMPARE(statuses(reply.body), (QList<int> {204, 204}));
        QVERIFY(reply.body.contains("Content-ID: 1"));
        QCOMPARE(minutes(0), 11);
        QCOMPARE(minutes(1), 12);
    }

    void changeSetFailsAsAWhole()
    {
        const int before = minutes(0);
        const TestReply reply = post(changeSet({patchTo(0, 21, etag(0)), patchTo(1, 22, "W/\"1\"")}));
        QCOMPARE(reply.status, 412);
        QCOMPARE(statuses(reply.body), QList<int> {412});
        QVERIFY(reply.body.contains("0x80060882"));
        QVERIFY(reply.body.contains("Content-ID: 2")); // says which change failed
        QCOMPARE(minutes(0), before); // the first change was rolled back
    }

    void stopsAtTheFirstFailureByDefault()
    {
        const int before = minutes(1);
        const TestReply reply = post(single({patchTo(0, 31, "W/\"1\""), patchTo(1, 32, etag(1))}));
        QCOMPARE(reply.status, 412);
        QCOMPARE(statuses(reply.body), QList<int> {412});
        QCOMPARE(minutes(1), before);
    }

    void continueOnErrorRunsEveryPart()
    {
        const TestReply reply =
            post(single({Change {"GET", "msdyn_occhannelstateconfigurations(" + m_ids.at(2).toUtf8() + ")", {}, {}},
                         patchTo(0, 41, "W/\"1\""), patchTo(1, 42, etag(1))}),
                 true);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("Preference-Applied"), QByteArray("odata.continue-on-error"));
        QCOMPARE(statuses(reply.body), (QList<int> {200, 412, 204}));
        QVERIFY(reply.body.contains("\"msdyn_name\""));
        QCOMPARE(minutes(1), 42);
    }

    void malformedBatches_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("no boundary") << QByteArray("multipart/mixed") << QByteArray("x") << u"boundary"_s;
        QTest::newRow("not multipart") << QByteArray("application/json") << QByteArray("{}") << u"multipart/mixed"_s;
        QTest::newRow("unterminated") << QByteArray("multipart/mixed; boundary=b")
                                      << QByteArray(
                                             "--b\r\nContent-Type: application/http\r\n\r\nGET WhoAmI HTTP/1.1\r\n\r\n")
                                      << u"does not end with --b--"_s;
        QTest::newRow("no request line") << QByteArray("multipart/mixed; boundary=b")
                                         << QByteArray(
                                                "--b\r\nContent-Type: application/http\r\n\r\nhello\r\n--b--\r\n")
                                         << u"request line"_s;
        QTest::newRow("GET in change set")
            << QByteArray("multipart/mixed; boundary=b")
            << QByteArray("--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: "
                          "application/http\r\n\r\nGET WhoAmI HTTP/1.1\r\n\r\n--c--\r\n--b--\r\n")
            << u"change sets hold only changes"_s;
    }
    void malformedBatches()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(QString, messagePart);
        const TestReply reply = testRequest(
            "POST", api(u"$batch"_s), {{"Authorization", "Bearer " + Token}, {"Content-Type", contentType}}, body);
        QCOMPARE(reply.status, 400);
        const QString message = QJsonDocument::fromJson(reply.body)[u"error"_s][u"message"_s].toString();
        QVERIFY2(message.contains(messagePart), qPrintable(message));
    }

    void atMostAThousandRequests()
    {
        QList<Change> changes;
        for (int i = 0; i < 1001; ++i)
            changes << Change {"GET", "WhoAmI", {}, {}};
        const TestReply reply = post(single(changes));
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.body.contains("at most 1000"));
    }

    void batchNeedsAuthorization()
    {
        const TestReply reply = testRequest("POST", api(u"$batch"_s), {{"Content-Type", "multipart/mixed; boundary=b"}},
                                            single({patchTo(0, 5, "*")}));
        QCOMPARE(reply.status, 401);
        QVERIFY(minutes(0) != 5);
    }

private:
    QUrl api(const QString &path) const { return QUrl(m_sandbox->url().toString() + u"/api/data/v9.2/"_s + path); }

    QJsonObject record(int i) const
    {
        return QJsonDocument::fromJson(
                   testGet(api(u"msdyn_occhannelstateconfigurations(%1)"_s.arg(m_ids.at(i))), Token).body)
            .object();
    }
    QByteArray etag(int i) const { return record(i).value(u"@odata.etag"_s).toString().toUtf8(); }
    int minutes(int i) const { return record(i).value(Minutes).toInt(-1); }

    Change patchTo(int i, int value, const QByteArray &ifMatch, bool relative = false) const
    {
        const QByteArray path = "msdyn_occhannelstateconfigurations(" + m_ids.at(i).toUtf8() + ")";
        return Change {"PATCH", relative ? path : m_sandbox->url().toEncoded() + "/api/data/v9.2/" + path, ifMatch,
                       QJsonDocument(QJsonObject {{Minutes, value}}).toJson(QJsonDocument::Compact)};
    }

    static QByteArray single(const QList<Change> &changes)
    {
        QByteArray body;
        for (const Change &c : changes)
            body += "--batch_1\r\n" + requestPart(c);
        return body + "--batch_1--\r\n";
    }
    static QByteArray changeSet(const QList<Change> &changes)
    {
        QByteArray body = "--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n";
        int id = 0;
        for (const Change &c : changes)
            body += "--changeset_1\r\n" + requestPart(c, ++id);
        return body + "--changeset_1--\r\n--batch_1--\r\n";
    }

    TestReply post(const QByteArray &body, bool continueOnError = false) const
    {
        QList<std::pair<QByteArray, QByteArray>> headers = {{"Authorization", "Bearer " + Token},
                                                            {"Content-Type", "multipart/mixed; boundary=batch_1"}};
        if (continueOnError)
            headers.append(std::pair<QByteArray, QByteArray>("Prefer", "odata.continue-on-error"));
        return testRequest("POST", api(u"$batch"_s), headers, body);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalSandbox> m_sandbox;
    QStringList m_ids;
};

QTEST_GUILESS_MAIN(TestSandboxBatch)
#include "tst_sandboxbatch.moc"
