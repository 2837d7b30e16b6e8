// $batch over real HTTP: change sets succeed or fail as a whole; odata.continue-on-error; malformed batches.
#include "TestHttp.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/sandbox/SandboxMultipart.h"

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

    // The sandbox's own multipart reader (RFC 2046 §5.1), apart from the client's.
    void multipartReader_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArrayList>("contents"); // each part's content after its header fields
        QTest::addColumn<QByteArrayList>("firstHeaders"); // each part's first header field, "Name=value"
        QTest::newRow("CRLF") << QByteArray("--b\r\nA: 1\r\n\r\nx\r\n--b\r\nB:2\r\n\r\ny\r\nz\r\n--b--\r\n")
                              << QByteArrayList {"x", "y\r\nz"} << QByteArrayList {"A=1", "B=2"};
        QTest::newRow("LF") << QByteArray("--b\nA: 1\n\nx\n--b--\n") << QByteArrayList {"x"} << QByteArrayList {"A=1"};
        QTest::newRow("preamble and epilogue")
            << QByteArray("ignored\r\n--b\r\nA: 1\r\n\r\nx\r\n--b--\r\nignored too\r\n") << QByteArrayList {"x"}
            << QByteArrayList {"A=1"};
        QTest::newRow("padding after the boundary")
            << QByteArray("--b \t\r\nA: 1\r\n\r\nx\r\n--b-- \r\n") << QByteArrayList {"x"} << QByteArrayList {"A=1"};
        QTest::newRow("boundary-like content") << QByteArray("--b\r\nA: 1\r\n\r\n--bx\r\n x--b\r\n--b--")
                                               << QByteArrayList {"--bx\r\n x--b"} << QByteArrayList {"A=1"};
        QTest::newRow("empty content") << QByteArray("--b\r\nA: 1\r\n\r\n\r\n--b--") << QByteArrayList {""}
                                       << QByteArrayList {"A=1"};
        QTest::newRow("folded field") << QByteArray("--b\r\nA: 1\r\n 2\r\n\r\nx\r\n--b--") << QByteArrayList {"x"}
                                      << QByteArrayList {"A=1 2"};
        QTest::newRow("no parts") << QByteArray("--b--\r\n") << QByteArrayList {} << QByteArrayList {};
    }
    void multipartReader()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArrayList, contents);
        QFETCH(QByteArrayList, firstHeaders);
        const auto parts = SandboxMultipart::read(body, "b");
        QVERIFY2(parts.ok(), qPrintable(parts.ok() ? QString() : parts.error().userMessage));
        QByteArrayList gotContents;
        QByteArrayList gotHeaders;
        for (const SandboxMultipart::Part &part : parts.value()) {
            gotContents << part.content;
            gotHeaders << part.headers.value(0).first + '=' + part.headers.value(0).second;
        }
        QCOMPARE(gotContents, contents);
        QCOMPARE(gotHeaders, firstHeaders);
    }

    void multipartReaderRefuses_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("no delimiter") << QByteArray("A: 1\r\n\r\nx\r\n")
                                      << u"The batch body has no part delimited by --b."_s;
        QTest::newRow("not closed") << QByteArray("--b\r\nA: 1\r\n\r\nx\r\n--b\r\nA: 2\r\n\r\ny\r\n")
                                    << u"The batch body does not end with --b-- (part 2 is not closed)."_s;
        QTest::newRow("delimiter inside a line")
            << QByteArray("x --b\r\n") << u"The batch body has no part delimited by --b."_s;
    }
    void multipartReaderRefuses()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const auto parts = SandboxMultipart::read(body, "b");
        QVERIFY(!parts.ok());
        QCOMPARE(parts.error().userMessage, message);
    }

    void multipartBoundaryParameter_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("boundary");
        QTest::newRow("plain") << QByteArray("multipart/mixed; boundary=batch_1") << QByteArray("batch_1");
        QTest::newRow("quoted") << QByteArray("multipart/mixed; boundary=\"batch_1\"") << QByteArray("batch_1");
        QTest::newRow("no space, other case")
            << QByteArray("multipart/mixed;Boundary=batch_1") << QByteArray("batch_1");
        QTest::newRow("after another parameter")
            << QByteArray("multipart/mixed; charset=utf-8; boundary=b") << QByteArray("b");
        QTest::newRow("none") << QByteArray("multipart/mixed") << QByteArray();
        QTest::newRow("not a parameter") << QByteArray("multipart/boundary=x") << QByteArray();
    }
    void multipartBoundaryParameter()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, boundary);
        QCOMPARE(SandboxMultipart::boundaryParameter(contentType), boundary);
    }

    void multipartWriterIsReadBack()
    {
        SandboxMultipart::Writer inner("changesetresponse_1");
        inner.addPart({{"Content-ID", "1"}}, "HTTP/1.1 204 No Content\r\n\r\n");
        inner.addPart({{"Content-ID", "2"}}, "HTTP/1.1 204 No Content\r\n\r\n");
        SandboxMultipart::Writer outer("batchresponse_1");
        outer.addPart({{"Content-Type", "multipart/mixed; boundary=" + inner.boundary()}}, inner.finish());
        outer.addPart({{"Content-Type", "application/http"}}, "HTTP/1.1 200 OK\r\n\r\n{}");
        const QByteArray body = outer.finish() + "\r\n";
        QVERIFY(body.endsWith("\r\n--batchresponse_1--\r\n"));
        QVERIFY(body.contains("--changesetresponse_1--\r\n--batchresponse_1\r\n")); // no empty line between

        const auto parts = SandboxMultipart::read(body, outer.boundary());
        QVERIFY(parts.ok());
        QCOMPARE(parts.value().size(), 2);
        QCOMPARE(parts.value().at(1).content, QByteArray("HTTP/1.1 200 OK\r\n\r\n{}"));
        const auto changes = SandboxMultipart::read(parts.value().at(0).content, inner.boundary());
        QVERIFY(changes.ok());
        QCOMPARE(changes.value().size(), 2);
        QCOMPARE(changes.value().at(1).headers, (HttpHeaders {{"Content-ID", "2"}}));
        QCOMPARE(changes.value().at(1).content, QByteArray("HTTP/1.1 204 No Content\r\n\r\n"));
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
