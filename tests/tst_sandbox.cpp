// The sandbox over real HTTP on 127.0.0.1: what foundation promises of it.
#include "TestHttp.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/sandbox/SandboxApi.h"
#include "app/sandbox/SandboxStore.h"
#include "models/ChannelStateConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Token = "sandbox-test-token";

} // namespace

class TestSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto sandbox = LocalSandbox::start(m_dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().describe()));
        m_sandbox = std::move(sandbox).value();
    }
    void cleanup() { m_sandbox.reset(); }

    void listensOnLoopbackOnly()
    {
        QCOMPARE(m_sandbox->url().host(), u"127.0.0.1"_s);
        QVERIFY(m_sandbox->url().port() > 0);
    }

    void refusesRequestsWithoutAValidToken_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("wrong token") << QByteArray("Bearer nope");
        QTest::newRow("basic") << QByteArray("Basic " + Token);
        QTest::newRow("bearer without token") << QByteArray("Bearer ");
    }
    void refusesRequestsWithoutAValidToken()
    {
        QFETCH(QByteArray, authorization);
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        const TestReply reply = testGet(url(u"v9.2/msdyn_occhannelstateconfigurations"_s), {}, headers);
        QCOMPARE(reply.status, 401);
        const QString challenge = QString::fromUtf8(reply.header("WWW-Authenticate"));
        // The documented shape: the tenant's authorize endpoint and the org as resource.
        const QString expected =
            u"Bearer authorization_uri=https://login.microsoftonline.com/%1/oauth2/authorize, "
            u"resource_id=%2/"_s.arg(m_sandbox->store()->identity().tenantId, m_sandbox->url().toString());
        QCOMPARE(challenge, expected);
    }

    void servesEveryApiVersion_data()
    {
        QTest::addColumn<QString>("version");
        QTest::newRow("v9.0") << u"v9.0"_s;
        QTest::newRow("v9.1") << u"v9.1"_s;
        QTest::newRow("v9.2") << u"v9.2"_s;
    }
    void servesEveryApiVersion()
    {
        QFETCH(QString, version);
        const TestReply reply = testGet(url(version + u"/msdyn_occhannelstateconfigurations"_s), Token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("OData-Version"), QByteArray("4.0"));
        QVERIFY(reply.header("Content-Type").startsWith("application/json; odata.metadata=minimal"));
        QVERIFY(!reply.header("x-ms-service-request-id").isEmpty());
        const QJsonObject body = reply.json();
        QCOMPARE(body.value(u"@odata.context"_s).toString(),
                 m_sandbox->url().toString() + u"/api/data/"_s + version +
                     u"/$metadata#msdyn_occhannelstateconfigurations"_s);
        QCOMPARE(body.value(u"value"_s).toArray().size(), 24);
    }

    void demoDataCoversEveryChannelAndStateWithDefaults()
    {
        const TestReply reply = testGet(url(u"v9.2/msdyn_occhannelstateconfigurations?$expand="
                                            u"msdyn_occhannelconfigurationid($select=msdyn_streamsource)"_s),
                                        Token);
        QCOMPARE(reply.status, 200);
        QSet<std::pair<int, int>> seen;
        QHash<std::pair<int, int>, QJsonValue> minutes;
        for (const QJsonValue &v : reply.json().value(u"value"_s).toArray()) {
            const QJsonObject row = v.toObject();
            const int source =
                row.value(u"msdyn_occhannelconfigurationid"_s).toObject().value(u"msdyn_streamsource"_s).toInt();
            const int state = row.value(u"msdyn_ocliveworkitemstate"_s).toInt();
            seen.insert({source, state});
            minutes.insert({source, state}, row.value(u"msdyn_autocloseliveworkitemafter"_s));
            // ETag is W/"<versionnumber>".
            QCOMPARE(row.value(u"@odata.etag"_s).toString(),
                     u"W/\"%1\""_s.arg(row.value(u"versionnumber"_s).toInteger()));
            QCOMPARE(row.value(u"_msdyn_occhannelconfigurationid_value"_s).toString(),
                     row.value(u"msdyn_occhannelconfigurationid"_s)
                         .toObject()
                         .value(u"msdyn_occhannelconfigurationid"_s)
                         .toString());
        }
        const QList<int> channels = {StreamSource::LiveChat, StreamSource::Sms,      StreamSource::Voice,
                                     StreamSource::Teams,    StreamSource::Facebook, StreamSource::WhatsApp};
        for (int source : channels) {
            for (int state : {0, 1, 2, 4})
                QVERIFY2(seen.contains({source, state}), qPrintable(u"%1/%2"_s.arg(source).arg(state)));
        }
        // Microsoft's defaults (docs/closing-rule.md).
        QCOMPARE(minutes.value({StreamSource::LiveChat, 0}).toInt(), 20);
        QVERIFY(minutes.value({StreamSource::LiveChat, 1}).isNull());
        QCOMPARE(minutes.value({StreamSource::LiveChat, 4}).toInt(), 15);
        QCOMPARE(minutes.value({StreamSource::Voice, 0}).toInt(), 43200);
        QCOMPARE(minutes.value({StreamSource::Voice, 1}).toInt(), 120);
        QCOMPARE(minutes.value({StreamSource::Voice, 4}).toInt(), 1440);
        QCOMPARE(minutes.value({StreamSource::Sms, 1}).toInt(), 43200);
    }

    void conversationsOfEveryStateAndAge()
    {
        const TestReply reply = testGet(url(u"v9.2/msdyn_ocliveworkitems"_s), Token);
        QCOMPARE(reply.status, 200);
        const QJsonArray rows = reply.json().value(u"value"_s).toArray();
        QVERIFY(rows.size() >= 200);
        QSet<std::pair<QString, int>> channelStatus;
        qint64 youngest = std::numeric_limits<qint64>::max();
        qint64 oldest = 0;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const QJsonValue &v : rows) {
            const QJsonObject row = v.toObject();
            QVERIFY(!row.value(u"activityid"_s).toString().isEmpty());
            channelStatus.insert({row.value(u"msdyn_channel"_s).toString(), row.value(u"statuscode"_s).toInt()});
            const qint64 age = QDateTime::fromString(row.value(u"createdon"_s).toString(), Qt::ISODate).secsTo(now);
            youngest = std::min(youngest, age);
            oldest = std::max(oldest, age);
        }
        for (const QString &channel : {u"192360000"_s, u"192340000"_s, u"192370000"_s, u"19241000"_s}) {
            for (int status : {1, 2, 3, 4, 5})
                QVERIFY2(channelStatus.contains({channel, status}), qPrintable(channel));
        }
        QVERIFY2(youngest < 30 * 60, "some conversations are minutes old");
        QVERIFY2(oldest > 20 * 24 * 3600, "some conversations are weeks old");
    }

    void pagingFollowsNextLinkToTheEnd()
    {
        QUrl next = url(u"v9.2/msdyn_ocliveworkitems?$select=subject"_s);
        QSet<QString> ids;
        int pages = 0;
        while (!next.isEmpty() && pages < 100) {
            const TestReply reply = testGet(next, Token, {{"Prefer", "odata.maxpagesize=50"}});
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.header("Preference-Applied"), QByteArray("odata.maxpagesize=50"));
            const QJsonObject body = reply.json();
            const QJsonArray rows = body.value(u"value"_s).toArray();
            QVERIFY(rows.size() <= 50);
            for (const QJsonValue &v : rows) {
                const QJsonObject row = v.toObject();
                QVERIFY(!ids.contains(row.value(u"activityid"_s).toString()));
                ids.insert(row.value(u"activityid"_s).toString());
                QVERIFY(row.contains(u"subject"_s));
                QVERIFY(!row.contains(u"createdon"_s)); // $select honoured on every page
            }
            next = QUrl(body.value(u"@odata.nextLink"_s).toString());
            ++pages;
        }
        QCOMPARE(qsizetype(ids.size()),
                 qsizetype(m_sandbox->store()->count(*EntitySchema::find(u"msdyn_ocliveworkitems"_s)).value()));
        QCOMPARE(pages, int((ids.size() + 49) / 50));
    }

    void topLimitsTheRows()
    {
        const TestReply reply = testGet(url(u"v9.2/msdyn_ocliveworkitems?$top=7"_s), Token);
        QCOMPARE(reply.json().value(u"value"_s).toArray().size(), 7);
        QVERIFY(!reply.json().contains(u"@odata.nextLink"_s));
    }

    void recordByKeyAndMissingRecord()
    {
        const TestReply list = testGet(url(u"v9.2/msdyn_occhannelstateconfigurations?$select=msdyn_name"_s), Token);
        const QJsonObject first = list.json().value(u"value"_s).toArray().at(0).toObject();
        const QString id = first.value(u"msdyn_occhannelstateconfigurationid"_s).toString();

        const TestReply one = testGet(url(u"v9.2/msdyn_occhannelstateconfigurations(%1)"_s.arg(id)), Token);
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json().value(u"msdyn_name"_s), first.value(u"msdyn_name"_s));
        QCOMPARE(one.header("ETag"), first.value(u"@odata.etag"_s).toString().toUtf8());
        QVERIFY(one.json().value(u"@odata.context"_s).toString().endsWith(u"/$entity"_s));

        const TestReply missing =
            testGet(url(u"v9.2/msdyn_occhannelstateconfigurations(00000000-0000-0000-0000-000000000001)"_s), Token);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json().value(u"error"_s).toObject().value(u"code"_s).toString(), u"0x80040217"_s);
    }

    void documentedErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("unknown entity set") << u"v9.2/accountz"_s << 404 << u"0x8006088a"_s << u"accountz"_s;
        QTest::newRow("unknown column") << u"v9.2/msdyn_occhannelstateconfigurations?$select=msdyn_nope"_s << 400
                                        << u"0x80060888"_s << u"Could not find a property named 'msdyn_nope'"_s;
        QTest::newRow("bad key") << u"v9.2/msdyn_occhannelstateconfigurations(not-a-guid)"_s << 400 << u"0x80060888"_s
                                 << u"not-a-guid"_s;
        QTest::newRow("bad top") << u"v9.2/msdyn_ocliveworkitems?$top=many"_s << 400 << u"0x80060888"_s << u"$top"_s;
        QTest::newRow("bad skip token") << u"v9.2/msdyn_ocliveworkitems?$skiptoken=zzz"_s << 400 << u"0x80060888"_s
                                        << u"$skiptoken"_s;
        QTest::newRow("bad expand") << u"v9.2/msdyn_occhannelstateconfigurations?$expand=msdyn_name"_s << 400
                                    << u"0x80060888"_s << u"msdyn_name"_s;
        QTest::newRow("not yet supported option")
            << u"v9.2/msdyn_ocliveworkitems?$search=refund"_s << 400 << u"0x80060888"_s << u"$search"_s;
    }
    void documentedErrors()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, messagePart);
        const TestReply reply = testGet(url(path), Token);
        QCOMPARE(reply.status, status);
        const QJsonObject error = reply.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QVERIFY2(error.value(u"message"_s).toString().contains(messagePart),
                 qPrintable(error.value(u"message"_s).toString()));
    }

    void otherMethodsAre405()
    {
        const TestReply reply = testRequest("DELETE", url(u"v9.2/msdyn_occhannelstateconfigurations"_s),
                                            {{"Authorization", "Bearer " + Token}});
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.header("Allow"), QByteArray("GET"));
    }

    void whoAmI()
    {
        const TestReply reply = testGet(url(u"v9.2/WhoAmI"_s), Token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(u"OrganizationId"_s).toString(), m_sandbox->store()->identity().organizationId);
        QVERIFY(!reply.json().value(u"UserId"_s).toString().isEmpty());
    }

    void dataSurvivesARestart()
    {
        const TestReply before = testGet(url(u"v9.2/msdyn_occhannelstateconfigurations"_s), Token);
        const QString organization = m_sandbox->store()->identity().organizationId;
        m_sandbox.reset();
        auto again = LocalSandbox::start(m_dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(again.ok());
        m_sandbox = std::move(again).value();
        QCOMPARE(m_sandbox->store()->identity().organizationId, organization);
        const TestReply after = testGet(url(u"v9.2/msdyn_occhannelstateconfigurations"_s), Token);
        QCOMPARE(after.json().value(u"value"_s), before.json().value(u"value"_s));
    }

    void tokenEndpointIssuesTokensThatExpire()
    {
        QTemporaryDir dir;
        LocalSandbox::Options options;
        options.dataDir = dir.path();
        options.tokenLifetime = std::chrono::seconds(1);
        auto sandbox = LocalSandbox::start(options);
        QVERIFY(sandbox.ok());
        const QString base = sandbox.value()->url().toString();
        const QString tenant = sandbox.value()->store()->identity().tenantId;

        const TestReply issued = requestToken(base, tenant, QByteArray(SandboxApi::DemoClientSecret));
        QCOMPARE(issued.status, 200);
        const QJsonObject body = issued.json();
        QCOMPARE(body.value(u"token_type"_s).toString(), u"Bearer"_s);
        QCOMPARE(body.value(u"expires_in"_s).toInt(), 1);
        const QByteArray token = body.value(u"access_token"_s).toString().toLatin1();
        QVERIFY(token.size() >= 32);

        const QUrl configs(base + u"/api/data/v9.2/msdyn_occhannelstateconfigurations?$top=1"_s);
        QCOMPARE(testGet(configs, token).status, 200);
        QTest::qWait(1300);
        const TestReply expired = testGet(configs, token);
        QCOMPARE(expired.status, 401);
        QVERIFY(expired.header("WWW-Authenticate").startsWith("Bearer authorization_uri="));
    }

    void tokenEndpointErrors_data()
    {
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<QByteArray>("form");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("aadsts");
        const QByteArray good = "grant_type=client_credentials&client_id=" + QByteArray(SandboxApi::DemoClientId) +
            "&scope=http%3A%2F%2F127.0.0.1%2F.default";
        QTest::newRow("wrong secret") << u"organizations"_s << QByteArray(good + "&client_secret=guess") << 401
                                      << u"invalid_client"_s << u"AADSTS7000215"_s;
        QTest::newRow("wrong grant") << u"organizations"_s << QByteArray("grant_type=password&client_id=x") << 400
                                     << u"unsupported_grant_type"_s << u"AADSTS70003"_s;
        QTest::newRow("unknown client") << u"organizations"_s
                                        << QByteArray("grant_type=client_credentials&client_id=nobody") << 400
                                        << u"unauthorized_client"_s << u"AADSTS700016"_s;
        QTest::newRow("wrong scope") << u"organizations"_s
                                     << QByteArray("grant_type=client_credentials&client_id=" +
                                                   QByteArray(SandboxApi::DemoClientId) + "&client_secret=" +
                                                   SandboxApi::DemoClientSecret + "&scope=user_impersonation")
                                     << 400 << u"invalid_scope"_s << u"AADSTS1002012"_s;
        QTest::newRow("unknown tenant") << u"contoso.onmicrosoft.com"_s << good << 400 << u"invalid_request"_s
                                        << u"AADSTS90002"_s;
    }
    void tokenEndpointErrors()
    {
        QFETCH(QString, tenant);
        QFETCH(QByteArray, form);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(QString, aadsts);
        const TestReply reply =
            testRequest("POST", QUrl(m_sandbox->url().toString() + u'/' + tenant + u"/oauth2/v2.0/token"_s),
                        {{"Content-Type", "application/x-www-form-urlencoded"}}, form);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.json().value(u"error"_s).toString(), error);
        QVERIFY(reply.json().value(u"error_description"_s).toString().startsWith(aadsts + u':'));
        QVERIFY(!reply.json().contains(u"access_token"_s));
    }

    void unwritableDataDirIsAClearError()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(u"file"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const auto sandbox = LocalSandbox::start(dir.filePath(u"file/sub"_s), 0, {});
        QVERIFY(!sandbox.ok());
        QVERIFY2(sandbox.error().userMessage.contains(u"--data-dir"_s), qPrintable(sandbox.error().userMessage));
    }

private:
    static TestReply requestToken(const QString &base, const QString &tenant, const QByteArray &secret)
    {
        const QByteArray form = "grant_type=client_credentials&client_id=" + QByteArray(SandboxApi::DemoClientId) +
            "&client_secret=" + secret + "&scope=" + QUrl::toPercentEncoding(base + u"/.default"_s);
        return testRequest("POST", QUrl(base + u'/' + tenant + u"/oauth2/v2.0/token"_s),
                           {{"Content-Type", "application/x-www-form-urlencoded"}}, form);
    }

    QUrl url(const QString &path) const { return QUrl(m_sandbox->url().toString() + u"/api/data/"_s + path); }

    QTemporaryDir m_dir;
    std::unique_ptr<LocalSandbox> m_sandbox;
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
