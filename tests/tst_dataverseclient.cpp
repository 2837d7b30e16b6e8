// The Web API client against the sandbox over real HTTP, and against raw sockets for replies the sandbox never
// sends.
#include "SandboxFixture.h"
#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/NextLinkTrail.h"
#include "app/sandbox/SandboxStore.h"

#include <QFile>
#include <QHash>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"client-test-token"_s;

// A one-reply HTTP server for replies a well-behaved server never sends. An empty reply means: never answer.
class CannedServer : public QTcpServer
{
public:
    explicit CannedServer(QByteArray reply)
        : m_reply(std::move(reply))
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    socket->readAll();
                    if (!m_reply.isEmpty()) {
                        socket->write(m_reply);
                        socket->disconnectFromHost();
                    }
                });
            }
        });
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(serverPort())); }

    static QByteArray http200(const QByteArray &body)
    {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
            QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    }

private:
    QByteArray m_reply;
};

// An HTTP server that answers each path (with its query) with a body of its own, and remembers what was asked.
class RoutedServer : public QTcpServer
{
public:
    RoutedServer()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                auto request = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
                    *request += socket->readAll();
                    if (!request->contains("\r\n\r\n"))
                        return;
                    const QByteArray target = request->split(' ').value(1);
                    requested << QString::fromLatin1(target);
                    const QByteArray body = bodies.value(QString::fromLatin1(target));
                    socket->write(body.isEmpty() ? QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                                              "Connection: close\r\n\r\n")
                                                 : CannedServer::http200(body));
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(serverPort())); }

    QHash<QString, QByteArray> bodies; // by path and query, as the request line has them
    QStringList requested;
};

// An HTTP server that keeps every request whole (head and body) and answers each with 400.
class RecordingServer : public QTcpServer
{
public:
    RecordingServer()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                auto request = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
                    *request += socket->readAll();
                    const qsizetype headEnd = request->indexOf("\r\n\r\n");
                    if (headEnd < 0)
                        return;
                    qsizetype length = 0;
                    for (const QByteArray &line : request->first(headEnd).split('\n'))
                        if (line.toLower().startsWith("content-length:"))
                            length = line.mid(15).trimmed().toLongLong();
                    if (request->size() < headEnd + 4 + length)
                        return;
                    requests << *request;
                    const QByteArray body = R"({"error":{"code":"0x0","message":"recorded"}})";
                    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
                                  QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(serverPort())); }

    QList<QByteArray> requests;
};

// The structure of a $batch body, line by line, without what differs between two batches that follow the same
// rules: boundaries become BATCH and CHANGESET, a request line keeps its protocol, a part's own headers and body are
// left out (but for whether it is JSON). Ends after the change set, with the batch's closing delimiter.
QStringList batchSkeleton(QByteArray body)
{
    body.replace("\r\n", "\n");
    QStringList lines;
    enum { Between, MimeHeaders, Request, InnerHeaders, Body } where = Between;
    for (const QByteArray &raw : body.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.startsWith(u"--batch"_s) || line.startsWith(u"--changeset"_s)) {
            const bool batch = line.startsWith(u"--batch"_s);
            lines << (batch ? u"--BATCH"_s : u"--CHANGESET"_s) + (line.endsWith(u"--"_s) ? u"--"_s : QString());
            if (!batch && line.endsWith(u"--"_s)) {
                lines << u"--BATCH--"_s; // the change set is all this skeleton compares
                return lines;
            }
            where = MimeHeaders;
            continue;
        }
        switch (where) {
        case MimeHeaders:
            if (line.isEmpty()) {
                where = lines.constLast().startsWith(u"Content-Type: multipart"_s) ? Between : Request;
            } else {
                QString header = line;
                header.replace(QRegularExpression(u"boundary=\"?changeset_[^\"]*\"?"_s), u"boundary=CHANGESET"_s);
                lines << header;
            }
            break;
        case Request:
            lines << u"REQUEST "_s + line.section(u' ', -1);
            where = InnerHeaders;
            break;
        case InnerHeaders:
            if (line.isEmpty())
                where = Body;
            else if (line.startsWith(u"Content-Type: application/json"_s))
                lines << u"Content-Type: application/json"_s;
            break;
        case Between:
        case Body:
            break;
        }
    }
    return lines;
}

template<typename T>
std::optional<Result<T>> waitFor(const std::function<void(QObject *, std::function<void(Result<T>)>)> &start)
{
    std::optional<Result<T>> result;
    QObject context;
    start(&context, [&result](Result<T> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
        return std::nullopt;
    return result;
}
} // namespace

class TestDataverseClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = SandboxFixture::start({}, Token);
        QVERIFY(m_fixture);
    }
    void cleanupTestCase() { m_fixture.reset(); }

    void loadsConfigurationsWithTheirChannels()
    {
        DataverseClient client(m_fixture->sandbox->url(), &m_network);
        client.setAccessToken(Token);
        const auto result = waitFor<QList<ChannelStateConfig>>(
            [&client](QObject *context, auto done) { client.fetchConfigurations(context, std::move(done)); });
        QVERIFY(result.has_value());
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().describe()));
        const QList<ChannelStateConfig> configs = result->value();
        QCOMPARE(configs.size(), 24);
        for (const ChannelStateConfig &c : configs) {
            QVERIFY(c.streamSource.has_value());
            QVERIFY(c.etag.startsWith(u"W/\""_s));
            QVERIFY(!c.channelName.isEmpty());
            QVERIFY(c.modifiedOn.isValid());
        }
        QVERIFY(std::is_sorted(configs.begin(), configs.end(), channelStateOrder));
        const auto chatOpen = std::find_if(configs.begin(), configs.end(), [](const ChannelStateConfig &c) {
            return c.streamSource == StreamSource::LiveChat && c.state == int(ConversationState::Open);
        });
        QVERIFY(chatOpen != configs.end());
        QCOMPARE(chatOpen->minutes, std::optional<int>(20));
        QCOMPARE(chatOpen->name, u"Live Chat - Open"_s);
    }

    void followsNextLinksAcrossPages()
    {
        DataverseClient client(m_fixture->sandbox->url(), &m_network);
        client.setAccessToken(Token);
        client.setMaxPageSize(37);
        const auto result = waitFor<QList<QJsonObject>>([&client](QObject *context, auto done) {
            client.fetchAll(u"msdyn_ocliveworkitems?$select=subject"_s, context, std::move(done));
        });
        QVERIFY(result.has_value() && result->ok());
        QSet<QString> ids;
        for (const QJsonObject &row : result->value())
            ids.insert(row.value(u"activityid"_s).toString());
        const qint64 total =
            m_fixture->sandbox->store()->count(*EntitySchema::find(u"msdyn_ocliveworkitems"_s)).value();
        QCOMPARE(qint64(result->value().size()), total);
        QCOMPARE(qint64(ids.size()), total);
    }

    void aNextLinkGuessedWrongIsNotFollowed()
    {
        // The next page is asked for before a page is parsed, from the first "@odata.nextLink" in its text. Here
        // that is a decoy inside a row; the reply's own link comes last, as Dataverse writes it. Only the parsed
        // link's page may count.
        RoutedServer server;
        const QString base = server.url().toString() + u"/api/data/v9.2/"_s;
        const auto row = [](const char *id, const QByteArray &extra = {}) -> QByteArray {
            return "{\"activityid\":\"" + QByteArray(id) +
                "\",\"statuscode\":1,\"createdon\":\"2026-05-01T08:00:00Z\"" + extra + "}";
        };
        const QString first = DataverseClient::conversationQuery({});
        server.bodies.insert(
            u"/api/data/v9.2/"_s + first,
            "{\"value\":[" + row("a1", ",\"extra\":{\"@odata.nextLink\":\"" + (base + u"decoy"_s).toUtf8() + "\"}") +
                "],\"@odata.nextLink\":\"" + (base + u"page2"_s).toUtf8() + "\"}");
        server.bodies.insert(u"/api/data/v9.2/page2"_s, "{\"value\":[" + row("a2") + "]}");
        server.bodies.insert(u"/api/data/v9.2/decoy"_s, "{\"value\":[" + row("wrong") + "]}");

        DataverseClient client(server.url(), &m_network);
        client.setAccessToken(Token);
        const auto result = waitFor<QList<Conversation>>(
            [&client](QObject *context, auto done) { client.fetchConversations({}, context, std::move(done)); });
        QVERIFY(result.has_value() && result->ok());
        QStringList ids;
        for (const Conversation &c : result->value())
            ids << c.id;
        QCOMPARE(ids, (QStringList {u"a1"_s, u"a2"_s}));
        QVERIFY(server.requested.contains(u"/api/data/v9.2/page2"_s));
        QVERIFY(server.requested.contains(u"/api/data/v9.2/decoy"_s)); // asked for early, then dropped
    }

    void aNextLinkBackToAPageAlreadyReadIsAnError_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::addColumn<int>("pagesBeforeTheLoop");
        // The first page links to itself; or the third page (after two good ones) links back to itself.
        QTest::newRow("first page") << u"loop:path=msdyn_ocliveworkitems"_s << 1;
        QTest::newRow("third page") << u"loop:path=msdyn_ocliveworkitems:after=2:times=1"_s << 3;
    }
    void aNextLinkBackToAPageAlreadyReadIsAnError()
    {
        // Following it would read the same pages for ever: the walk ends with an error at the repeat.
        QFETCH(QString, faults);
        QFETCH(int, pagesBeforeTheLoop);
        LocalSandbox::Options options;
        options.faults = faults;
        auto looping = SandboxFixture::start(options, Token);
        QVERIFY(looping);
        DataverseClient client(looping->sandbox->url(), &m_network);
        client.setAccessToken(Token);
        client.setMaxPageSize(10);
        const auto result = waitFor<QList<QJsonObject>>([&client](QObject *context, auto done) {
            client.fetchAll(u"msdyn_ocliveworkitems?$select=subject"_s, context, std::move(done));
        });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, Error::Kind::BadReply);
        const QString expected = u"The environment's reply for msdyn_ocliveworkitems links back to a page it has "
                                 u"already sent (at page %1)"_s.arg(pagesBeforeTheLoop);
        QVERIFY2(result->error().userMessage.startsWith(expected), qPrintable(result->error().userMessage));
        QVERIFY(result->error().serviceMessage.contains(u"msdyn_ocliveworkitems"_s));
    }

    void aNextLinkTrailRefusesRepeatsAndEndlessWalks()
    {
        const QUrl first(u"https://org.example.com/api/data/v9.2/msdyn_ocliveworkitems?$select=subject"_s);
        const QUrl second(u"https://org.example.com/api/data/v9.2/msdyn_ocliveworkitems?$skiptoken=2"_s);
        NextLinkTrail trail(first);
        QVERIFY(!trail.follow(second, u"conversations"_s));
        QCOMPARE(trail.pagesFollowed(), 1);
        // The same page by another spelling of its path is a repeat; so is the first page.
        const auto again = trail.follow(
            QUrl(u"https://org.example.com/api/data/v9.2/./msdyn_ocliveworkitems?$skiptoken=2"_s), u"conversations"_s);
        QVERIFY(again);
        QVERIFY2(
            again->userMessage.contains(u"for conversations links back to a page it has already sent (at page 2)"_s),
            qPrintable(again->userMessage));
        QVERIFY(trail.follow(first, u"conversations"_s));
        // Encoded otherwise, and the host in capitals: still the same page.
        QVERIFY(trail.follow(QUrl(u"https://ORG.example.com/api/data/v9.2/msdyn_ocliveworkitems?%24skiptoken=2"_s),
                             u"conversations"_s));
        QCOMPARE(trail.pagesFollowed(), 1); // a refused link is not followed
        QVERIFY(!trail.follow(QUrl(u"https://org.example.com/api/data/v9.2/msdyn_ocliveworkitems?$skiptoken=3"_s),
                              u"conversations"_s));

        NextLinkTrail endless;
        std::optional<Error> stopped;
        int followed = 0;
        while (!stopped && followed <= NextLinkTrail::MaxPages) {
            stopped =
                endless.follow(QUrl(u"https://org.example.com/api/data/v9.2/x?$skiptoken=%1"_s.arg(followed)), u"x"_s);
            if (!stopped)
                ++followed;
        }
        QVERIFY(stopped);
        QCOMPARE(followed, NextLinkTrail::MaxPages - 1);
        QVERIFY2(stopped->userMessage.contains(u"more than any table holds"_s), qPrintable(stopped->userMessage));
    }

    void wrongTokenIsAnAuthError()
    {
        DataverseClient client(m_fixture->sandbox->url(), &m_network);
        client.setAccessToken(u"stolen"_s);
        const auto result = waitFor<QList<ChannelStateConfig>>(
            [&client](QObject *context, auto done) { client.fetchConfigurations(context, std::move(done)); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, Error::Kind::Auth);
        QCOMPARE(result->error().httpStatus, 401);
        QVERIFY(!result->error().requestId.isEmpty());
        QVERIFY(result->error().userMessage.contains(u"Sign in again"_s));
    }

    void refusedConnectionIsANetworkError()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        DataverseClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), &m_network);
        client.setAccessToken(Token);
        const auto result = waitFor<QList<ChannelStateConfig>>(
            [&client](QObject *context, auto done) { client.fetchConfigurations(context, std::move(done)); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, Error::Kind::Network);
        QCOMPARE(result->error().httpStatus, 0);
        QVERIFY2(result->error().userMessage.contains(u"Could not reach 127.0.0.1"_s),
                 qPrintable(result->error().userMessage));
    }

    void truncatedJsonIsABadReply()
    {
        CannedServer server(CannedServer::http200("{\"value\":[{\"msdyn_name\":\"Live"));
        DataverseClient client(server.url(), &m_network);
        const auto result = waitFor<QList<ChannelStateConfig>>(
            [&client](QObject *context, auto done) { client.fetchConfigurations(context, std::move(done)); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, Error::Kind::BadReply);
        QVERIFY(result->error().userMessage.contains(u"not valid JSON"_s));
    }

    void nextLinkToAnotherHostIsNotFollowed()
    {
        // Following it would hand the bearer token to whoever runs that host.
        CannedServer server(
            CannedServer::http200("{\"value\":[],\"@odata.nextLink\":\"https://evil.example.com/api/data/v9.2/x\"}"));
        DataverseClient client(server.url(), &m_network);
        client.setAccessToken(Token);
        const auto result = waitFor<QList<QJsonObject>>(
            [&client](QObject *context, auto done) { client.fetchAll(u"x"_s, context, std::move(done)); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, Error::Kind::BadReply);
        QVERIFY(result->error().userMessage.contains(u"evil.example.com"_s));
    }

    void silentServerTimesOut()
    {
        CannedServer server({});
        DataverseClient client(server.url(), &m_network);
        client.setTransferTimeout(std::chrono::milliseconds(300));
        const auto result = waitFor<QList<ChannelStateConfig>>(
            [&client](QObject *context, auto done) { client.fetchConfigurations(context, std::move(done)); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, Error::Kind::Network);
        QVERIFY(result->error().userMessage.contains(u"did not answer in time"_s));
    }

    void noCallbackAfterTheContextIsGone()
    {
        DataverseClient client(m_fixture->sandbox->url(), &m_network);
        client.setAccessToken(Token);
        bool called = false;
        auto *context = new QObject;
        client.fetchConfigurations(context, [&called](const Result<QList<ChannelStateConfig>> &) { called = true; });
        delete context;
        // A second request on the same client finishes after the first; by then the first has been delivered or
        // dropped.
        const auto after = waitFor<QList<ChannelStateConfig>>(
            [&client](QObject *c, auto done) { client.fetchConfigurations(c, std::move(done)); });
        QVERIFY(after.has_value() && after->ok());
        QTest::qWait(50);
        QVERIFY(!called);
    }

    // The client's $batch follows Microsoft's documented example of a change set (tests/data/batch/): the same
    // request line and headers, the same nesting of delimiters, and the same part headers with Content-IDs in order.
    void batchRequestHasTheDocumentedShape()
    {
        QFile documented(QStringLiteral(AUTOCLOSE_TEST_DATA "/batch/ms-changeset-request.txt"));
        QVERIFY(documented.open(QIODevice::ReadOnly));
        const QByteArray example = documented.readAll();
        const QByteArray exampleBody = example.mid(example.indexOf("\n\n") + 2);

        RecordingServer server;
        DataverseClient client(server.url(), &m_network);
        client.setAccessToken(Token);
        QList<MinutesChange> changes;
        for (int i = 1; i <= 3; ++i)
            changes << MinutesChange {u"00000000-0000-0000-0000-00000000000%1"_s.arg(i), u"Record %1"_s.arg(i),
                                      u"W/\"%1\""_s.arg(i), i * 10};
        QObject context;
        client.saveMinutes(changes, DataverseClient::WriteMode::Batch, &context, [](QList<WriteResult>) {});
        QVERIFY(QTest::qWaitFor([&server] { return !server.requests.isEmpty(); }, 20000));
        const QByteArray request = server.requests.first();
        const qsizetype headEnd = request.indexOf("\r\n\r\n");
        const QList<QByteArray> head = request.first(headEnd).split('\n');
        QCOMPARE(head.first().trimmed(), QByteArray("POST /api/data/v9.2/$batch HTTP/1.1"));
        // A header's value in a message's head (its lines).
        const auto headerIn = [](const QList<QByteArray> &lines, const QByteArray &name) {
            const QByteArray prefix = name.toLower() + ':';
            for (const QByteArray &line : lines)
                if (line.toLower().startsWith(prefix))
                    return line.mid(prefix.size()).trimmed();
            return QByteArray();
        };
        const QList<QByteArray> exampleHead = example.first(example.indexOf("\n\n")).split('\n');
        for (const QByteArray &name :
             {QByteArray("OData-MaxVersion"), QByteArray("OData-Version"), QByteArray("Accept")})
            QCOMPARE(headerIn(head, name), headerIn(exampleHead, name));
        const auto header = [&](const QByteArray &name) {
            return headerIn(head, name);
        };
        QVERIFY2(header("Content-Type").startsWith("multipart/mixed; boundary=batch_"), header("Content-Type"));

        const QStringList expected = batchSkeleton(exampleBody);
        // The batch delimiter and the change set header, six lines for each of the three parts, the two ends.
        QCOMPARE(expected.size(), 22);
        QCOMPARE(batchSkeleton(request.mid(headEnd + 4)), expected);
    }

    // A failed change set names the record refused: by its Content-ID, or as the only record of the save when the
    // failing part has none; the others were rolled back, and say which record stopped them.
    void batchRepliesNameTheRefusedRecord_data()
    {
        QTest::addColumn<int>("changes");
        QTest::addColumn<QByteArray>("failingContentId");
        QTest::addColumn<QStringList>("outcomes"); // per change: Failed or NotSaved
        QTest::addColumn<QStringList>("messages"); // per change: what its message starts with
        const QString conflict = u"Someone changed this record"_s;
        QTest::addRow("one record, with its Content-ID")
            << 1 << QByteArray("1") << QStringList {u"Failed"_s} << QStringList {conflict};
        QTest::addRow("one record, no Content-ID")
            << 1 << QByteArray() << QStringList {u"Failed"_s} << QStringList {conflict};
        QTest::addRow("two records, the second refused")
            << 2 << QByteArray("2") << QStringList {u"NotSaved"_s, u"Failed"_s}
            << QStringList {u"Not saved: the save was all-or-nothing and SMS - Open was refused (Someone"_s, conflict};
        QTest::addRow("two records, no Content-ID")
            << 2 << QByteArray() << QStringList {u"NotSaved"_s, u"NotSaved"_s}
            << QStringList {u"Not saved: the save was all-or-nothing and one of its records was refused (Someone"_s,
                            u"Not saved: the save was all-or-nothing and one of its records was refused (Someone"_s};
    }

    void batchRepliesNameTheRefusedRecord()
    {
        QFETCH(int, changes);
        QFETCH(QByteArray, failingContentId);
        QFETCH(QStringList, outcomes);
        QFETCH(QStringList, messages);
        const QList<MinutesChange> all = {{u"a"_s, u"Live Chat - Open"_s, u"W/\"1\""_s, 10},
                                          {u"b"_s, u"SMS - Open"_s, u"W/\"2\""_s, 20}};
        WebApiReply::BatchPart refused;
        refused.contentId = failingContentId;
        refused.status = 412;
        refused.body = "{\"error\":{\"code\":\"0x80060882\",\"message\":\"The version of the existing record "
                       "doesn't match\"}}";
        const QList<WriteResult> results = DataverseClient::resultsOfBatch(all.first(changes), {refused});
        QCOMPARE(results.size(), changes);
        for (int i = 0; i < changes; ++i) {
            const WriteResult &r = results.at(i);
            QCOMPARE(r.id, all.at(i).id);
            QCOMPARE(r.outcome == WriteResult::Outcome::Failed ? u"Failed"_s : u"NotSaved"_s, outcomes.at(i));
            QCOMPARE(r.error.kind, Error::Kind::Conflict);
            QVERIFY2(r.error.userMessage.startsWith(messages.at(i)), qPrintable(r.error.userMessage));
        }
    }

private:
    std::unique_ptr<SandboxFixture> m_fixture;
    QNetworkAccessManager m_network;
};

QTEST_GUILESS_MAIN(TestDataverseClient)
#include "tst_dataverseclient.moc"
