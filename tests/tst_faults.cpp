// Fault injection: the rule language alone, then each fault over real HTTP as the Web API client sees it.
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/FaultInjector.h"
#include "app/sandbox/LocalSandbox.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"fault-test-token"_s;

// These tests look at each fault as it arrives, so the client does not retry (tst_transport covers retries).
// A sandbox in this process on dir, accepting Token, injecting spec.
Result<std::unique_ptr<LocalSandbox>> startWithFaults(const QTemporaryDir &dir, const QString &spec)
{
    LocalSandbox::Options options;
    options.dataDir = dir.path();
    options.acceptedTokens = {Token};
    options.faults = spec;
    return LocalSandbox::start(options);
}

// Signed in with Token, giving up at the first fault (each cell sees the fault itself, not a retry's outcome).
void noRetries(DataverseClient &client, std::chrono::milliseconds timeout = std::chrono::milliseconds(30000))
{
    client.setAccessToken(Token);
    client.setTransferTimeout(timeout);
    WebApiTransport::RetryPolicy policy;
    policy.maxRetries = 0;
    policy.maxThrottleWait = std::chrono::seconds(0);
    client.transport()->setRetryPolicy(policy);
}
} // namespace

class TestFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rulesCountTheirOwnRequests()
    {
        auto faults = FaultInjector::parse(u"429:every=2:retry-after=7:path=configurations;500:method=PATCH:times=1"_s);
        QVERIFY(faults.ok());
        FaultInjector &f = faults.value();
        QVERIFY(!f.next("GET", u"/x/configurations"_s)); // 1st match of rule 1
        QVERIFY(!f.next("GET", u"/x/conversations"_s)); // no rule matches
        const auto second = f.next("GET", u"/x/configurations"_s); // 2nd match: fires
        QVERIFY(second && second->kind == FaultInjector::Kind::Status429);
        QCOMPARE(second->retryAfterSeconds, 7);
        const auto patch = f.next("PATCH", u"/x/other"_s);
        QVERIFY(patch && patch->kind == FaultInjector::Kind::Status500);
        QVERIFY(!f.next("PATCH", u"/x/other"_s)); // times=1
    }

    void afterLetsTheFirstRequestsPass()
    {
        auto faults = FaultInjector::parse(u"hold:after=2:every=2:ms=5"_s);
        QVERIFY(faults.ok());
        QList<bool> fired;
        for (int i = 0; i < 6; ++i) {
            const auto fault = faults.value().next("GET", u"/x"_s);
            fired << fault.has_value();
            if (fault)
                QCOMPARE(fault->delayMs, 5);
        }
        QCOMPARE(fired, (QList<bool> {false, false, false, true, false, true}));
    }

    void badSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << u";"_s << u"no fault given"_s;
        QTest::newRow("unknown kind") << u"418"_s << u"unknown fault '418'"_s;
        QTest::newRow("unknown parameter") << u"500:colour=red"_s << u"not a parameter"_s;
        QTest::newRow("retry-after on 500") << u"500:retry-after=3"_s << u"not a parameter"_s;
        QTest::newRow("every zero") << u"429:every=0"_s << u"whole number"_s;
        QTest::newRow("ms text") << u"slow:ms=soon"_s << u"whole number"_s;
        QTest::newRow("after negative") << u"500:after=-1"_s << u"whole number"_s;
        QTest::newRow("ms on 500") << u"500:ms=10"_s << u"not a parameter"_s;
        QTest::newRow("satisfiable on 401") << u"expired:satisfiable=no"_s << u"not a parameter"_s;
        QTest::newRow("satisfiable maybe") << u"claims:satisfiable=maybe"_s << u"takes yes or no"_s;
    }
    void badSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, messagePart);
        const auto faults = FaultInjector::parse(spec);
        QVERIFY(!faults.ok());
        QVERIFY2(faults.error().userMessage.contains(messagePart), qPrintable(faults.error().userMessage));
    }

    void clientSeesEachFault_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("429") << u"429:retry-after=9"_s << int(Error::Kind::Throttled) << 429 << u"Try again in 9 s"_s;
        QTest::newRow("500") << u"500"_s << int(Error::Kind::Server) << 500 << u"HTTP 500"_s;
        QTest::newRow("503") << u"503"_s << int(Error::Kind::Server) << 503 << u"HTTP 503"_s;
        QTest::newRow("expired") << u"expired"_s << int(Error::Kind::Auth) << 401 << u"Sign in again"_s;
        // A claims challenge to a client that cannot answer one (a static token, no sign-in): it says what to do.
        QTest::newRow("claims") << u"claims"_s << int(Error::Kind::Auth) << 401
                                << u"Your organization's access policy asks you to sign in again"_s;
        QTest::newRow("claims, unsatisfiable")
            << u"claims:satisfiable=no"_s << int(Error::Kind::Auth) << 401 << u"get a new access token"_s;
        QTest::newRow("truncate") << u"truncate"_s << int(Error::Kind::BadReply) << 0 << u"not valid JSON"_s;
        QTest::newRow("reset") << u"reset"_s << int(Error::Kind::Network) << 0 << u"Could not reach"_s;
        QTest::newRow("slow past the timeout")
            << u"slow:ms=3000"_s << int(Error::Kind::Network) << 0 << u"did not answer in time"_s;
    }
    void clientSeesEachFault()
    {
        QFETCH(QString, spec);
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QString, messagePart);
        QTemporaryDir dir;
        auto sandbox = startWithFaults(dir, spec);
        QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().userMessage));

        QNetworkAccessManager network;
        DataverseClient client(sandbox.value()->url(), &network);
        noRetries(client, std::chrono::milliseconds(500));
        std::optional<Result<QList<ChannelStateConfig>>> result;
        client.fetchConfigurations(this, [&result](Result<QList<ChannelStateConfig>> r) { result = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY(!result->ok());
        QCOMPARE(int(result->error().kind), kind);
        QCOMPARE(result->error().httpStatus, status);
        QVERIFY2(result->error().userMessage.contains(messagePart), qPrintable(result->error().describe()));
    }

    // "hold" acts on a request only after its delay, and never when the client has gone by then (as for a client
    // killed mid-save); "slow" acts at once and delays only the reply.
    void heldRequestsAreActedOnLateOrNever_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<bool>("saved");
        QTest::addColumn<int>("onServer");
        QTest::newRow("hold, client waits") << u"hold:method=PATCH:ms=300"_s << 5000 << true << 45;
        QTest::newRow("hold, client gone") << u"hold:method=PATCH:ms=1500"_s << 300 << false << 20;
        // The client gives up waiting, reads the record back, and finds its value saved.
        QTest::newRow("slow, client gone") << u"slow:method=PATCH:ms=1500"_s << 300 << true << 45;
    }
    void heldRequestsAreActedOnLateOrNever()
    {
        QFETCH(QString, spec);
        QFETCH(int, timeoutMs);
        QFETCH(bool, saved);
        QFETCH(int, onServer);
        QTemporaryDir dir;
        auto sandbox = startWithFaults(dir, spec);
        QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().userMessage));
        QNetworkAccessManager network;
        DataverseClient client(sandbox.value()->url(), &network);
        noRetries(client, std::chrono::milliseconds(timeoutMs));
        const auto liveChatOpen = [&client, this]() -> std::optional<ChannelStateConfig> {
            std::optional<Result<QList<ChannelStateConfig>>> read;
            client.fetchConfigurations(this, [&read](Result<QList<ChannelStateConfig>> r) { read = std::move(r); });
            if (!QTest::qWaitFor([&read] { return read.has_value(); }, 10000) || !read->ok())
                return std::nullopt;
            for (const ChannelStateConfig &c : read->value()) {
                if (c.channelLabel() == u"Live chat"_s && conversationStateLabel(c.state) == u"Open"_s)
                    return c;
            }
            return std::nullopt;
        };
        const auto before = liveChatOpen();
        QVERIFY(before && before->minutes == 20);
        std::optional<QList<WriteResult>> results;
        client.saveMinutes({MinutesChange {before->id, before->name, before->etag, 45}},
                           DataverseClient::WriteMode::OneByOne, this,
                           [&results](QList<WriteResult> r) { results = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(results.has_value(), 10000);
        QCOMPARE(results->first().outcome == WriteResult::Outcome::Saved, saved);
        QTest::qWait(2000); // past every delay: what the server did is done
        client.setTransferTimeout(std::chrono::milliseconds(5000));
        QCOMPARE(liveChatOpen()->minutes, std::optional<int>(onServer));
    }

    void faultsFireOnlyWhereAsked()
    {
        QTemporaryDir dir;
        auto sandbox = startWithFaults(dir, u"503:every=2"_s);
        QVERIFY(sandbox.ok());
        QNetworkAccessManager network;
        DataverseClient client(sandbox.value()->url(), &network);
        noRetries(client);
        QList<bool> outcomes;
        for (int i = 0; i < 4; ++i) {
            std::optional<bool> ok;
            client.fetchConfigurations(this, [&ok](const Result<QList<ChannelStateConfig>> &r) { ok = r.ok(); });
            QTRY_VERIFY(ok.has_value());
            outcomes << *ok;
        }
        QCOMPARE(outcomes, (QList<bool> {true, false, true, false}));
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
