// The transport's resilience against the sandbox's injected faults, over real HTTP: retries, throttling, token
// refresh and the concurrency limit.
#include "SandboxFixture.h"
#include "app/auth/AuthChallenge.h"
#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/WebApiTransport.h"
#include "app/sandbox/LocalSandbox.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"transport-test-token"_s;
} // namespace

class TestTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { m_fixture.reset(); }

    void throttledRequestsWaitAndSucceed()
    {
        start(u"429:every=2:retry-after=1"_s);
        QSignalSpy throttled(m_transport, &WebApiTransport::throttled);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(get().ok());
        QVERIFY(get().ok()); // the 2nd request is throttled once, then goes through
        QCOMPARE(throttled.count(), 1);
        QCOMPARE(throttled.first().first().toInt(), 1);
        QVERIFY(timer.elapsed() >= 1000);
    }

    void throttlingBeyondTheBoundIsAnError()
    {
        start(u"429:retry-after=100"_s);
        WebApiTransport::RetryPolicy policy;
        policy.maxThrottleWait = std::chrono::seconds(5);
        m_transport->setRetryPolicy(policy);
        QElapsedTimer timer;
        timer.start();
        const auto result = get();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, Error::Kind::Throttled);
        QVERIFY(result.error().userMessage.contains(u"100 s"_s));
        QVERIFY(timer.elapsed() < 3000); // it did not wait for a wait it would never finish
    }

    void serverErrorsAndResetsAreRetriedForReads_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::addColumn<int>("retries");
        QTest::newRow("503 twice") << u"503:times=2"_s << 2;
        QTest::newRow("500 once") << u"500:times=1"_s << 1;
        QTest::newRow("reset once") << u"reset:times=1"_s << 1;
    }
    void serverErrorsAndResetsAreRetriedForReads()
    {
        QFETCH(QString, faults);
        QFETCH(int, retries);
        start(faults);
        QSignalSpy retrying(m_transport, &WebApiTransport::retrying);
        const auto result = get();
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().describe()));
        QCOMPARE(retrying.count(), retries);
    }

    void retriesStopAfterTheLimit()
    {
        start(u"503"_s);
        QSignalSpy retrying(m_transport, &WebApiTransport::retrying);
        const auto result = get();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().httpStatus, 503);
        QCOMPARE(retrying.count(), 3);
    }

    void writesAreRetriedOnlyWithIfMatch()
    {
        start(u"503:method=PATCH:times=1"_s);
        QSignalSpy retrying(m_transport, &WebApiTransport::retrying);
        const QUrl record = configurationUrl();

        WebApiTransport::Call unconditional {"PATCH", record, {}, R"({"msdyn_autocloseliveworkitemafter":31})", false};
        const auto first = send(unconditional);
        QVERIFY(!first.ok());
        QCOMPARE(first.error().httpStatus, 503);
        QCOMPARE(retrying.count(), 0);

        start(u"503:method=PATCH:times=1"_s);
        QSignalSpy retrying2(m_transport, &WebApiTransport::retrying);
        WebApiTransport::Call conditional {
            "PATCH", configurationUrl(), {{"If-Match", "*"}}, R"({"msdyn_autocloseliveworkitemafter":32})", true};
        QVERIFY(send(conditional).ok());
        QCOMPARE(retrying2.count(), 1);
    }

    void oneTokenRefreshThenTheRequestGoesAgain()
    {
        start(u"expired:times=1"_s);
        int refreshes = 0;
        m_transport->setTokenRefresher([&refreshes](auto done) {
            ++refreshes;
            done(Token);
        });
        QVERIFY(get().ok());
        QCOMPARE(refreshes, 1);
    }

    void aTokenThatStaysRefusedIsAnAuthError()
    {
        start(u"expired"_s);
        int refreshes = 0;
        m_transport->setTokenRefresher([&refreshes](auto done) {
            ++refreshes;
            done(Token);
        });
        const auto result = get();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, Error::Kind::Auth);
        QCOMPARE(refreshes, 1); // once per request, never a loop
    }

    void concurrentRefusalsShareOneRefresh()
    {
        start(u"expired:times=3"_s);
        int refreshes = 0;
        std::function<void(Result<QString>)> pending;
        m_transport->setTokenRefresher([&refreshes, &pending](auto done) {
            ++refreshes;
            pending = done; // answered later, while the other requests hit 401 too
        });
        QList<std::optional<bool>> results(3);
        QObject context;
        for (int i = 0; i < 3; ++i)
            m_transport->send(getCall(), &context, [&results, i](const auto &r) { results[i] = r.ok(); });
        QTRY_VERIFY(pending != nullptr);
        QTest::qWait(200);
        pending(Token);
        QTRY_VERIFY(std::all_of(results.begin(), results.end(), [](auto r) { return r.has_value(); }));
        QCOMPARE(refreshes, 1);
        for (const auto &r : results)
            QVERIFY(*r);
    }

    // Claims challenges (docs/sign-in.md): the requests challenged while one answer is under way wait for it, and
    // go again with its token; a token obtained for a challenge that is challenged again is an error, not a loop.
    void concurrentChallengesShareOneAnswer()
    {
        start(u"claims:times=3"_s);
        int answers = 0;
        QStringList asked;
        std::function<void(Result<QString>)> pending;
        m_transport->setChallengeAnswerer([&](const AuthChallenge::Claims &claims, auto done) {
            ++answers;
            asked = claims.names;
            pending = done;
        });
        QList<std::optional<bool>> results(3);
        QObject context;
        for (int i = 0; i < 3; ++i)
            m_transport->send(getCall(), &context, [&results, i](const auto &r) { results[i] = r.ok(); });
        QTRY_VERIFY(pending != nullptr);
        QTest::qWait(200);
        pending(Token);
        QTRY_VERIFY(std::all_of(results.begin(), results.end(), [](auto r) { return r.has_value(); }));
        QCOMPARE(answers, 1);
        QCOMPARE(asked, QStringList {u"access_token.acrs"_s});
        for (const auto &r : results)
            QVERIFY(*r);
    }

    void aChallengeAfterTheAnswerIsAnError()
    {
        start(u"claims"_s); // the static token never carries the claims
        int answers = 0;
        m_transport->setChallengeAnswerer([&answers](const AuthChallenge::Claims &, auto done) {
            ++answers;
            done(Token);
        });
        const auto result = get();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, Error::Kind::Auth);
        QCOMPARE(answers, 1);
    }

    void aFailedRefreshFailsWithItsReason()
    {
        start(u"expired"_s);
        m_transport->setTokenRefresher([](auto done) {
            Error e;
            e.kind = Error::Kind::Auth;
            e.userMessage = u"Your sign-in expired (AADSTS700082). Sign in again."_s;
            done(e);
        });
        const auto result = get();
        QVERIFY(!result.ok());
        QVERIFY(result.error().userMessage.contains(u"AADSTS700082"_s));
    }

    void atMostNRequestsAtOnce()
    {
        start(u"slow:ms=150"_s);
        m_transport->setMaxConcurrentRequests(2);
        QObject context;
        int done = 0;
        for (int i = 0; i < 6; ++i)
            m_transport->send(getCall(), &context, [&done](const auto &r) { done += r.ok() ? 1 : 100; });
        int maxActive = 0;
        int maxQueued = 0;
        while (done < 6 && !QTest::currentTestFailed()) {
            maxActive = std::max(maxActive, m_transport->activeRequests());
            maxQueued = std::max(maxQueued, m_transport->queuedRequests());
            QTest::qWait(10);
            QVERIFY(done <= 6);
        }
        QCOMPARE(done, 6);
        QCOMPARE(maxActive, 2);
        QVERIFY(maxQueued >= 3);
        QCOMPARE(m_transport->activeRequests(), 0);
    }

    void queuedRequestsOfAGoneContextAreDropped()
    {
        start(u"slow:ms=200"_s);
        m_transport->setMaxConcurrentRequests(1);
        bool called = false;
        {
            QObject context;
            for (int i = 0; i < 3; ++i)
                m_transport->send(getCall(), &context, [&called](const auto &) { called = true; });
        }
        QTRY_COMPARE(m_transport->activeRequests(), 0);
        QTest::qWait(300);
        QVERIFY(!called);
        QCOMPARE(m_transport->queuedRequests(), 0);
    }

private:
    void start(const QString &faults)
    {
        m_fixture.reset();
        LocalSandbox::Options options;
        options.faults = faults;
        m_fixture = SandboxFixture::start(options, Token, SandboxFixture::Retries::Fast);
        QVERIFY(m_fixture);
        m_sandbox = m_fixture->sandbox.get();
        m_transport = m_fixture->client->transport();
    }

    WebApiTransport::Call getCall() const
    {
        return {"GET", QUrl(m_sandbox->url().toString() + u"/api/data/v9.2/WhoAmI"_s), {}, {}, true};
    }

    QUrl configurationUrl()
    {
        // Read with faults off the PATCH path, so the id is known.
        const auto rows = send({"GET",
                                QUrl(m_sandbox->url().toString() +
                                     u"/api/data/v9.2/msdyn_occhannelstateconfigurations?$top=1&$select=msdyn_name"_s),
                                {},
                                {},
                                true});
        const QString id =
            QJsonDocument::fromJson(rows.value().body)[u"value"_s][0][u"msdyn_occhannelstateconfigurationid"_s]
                .toString();
        return QUrl(m_sandbox->url().toString() + u"/api/data/v9.2/msdyn_occhannelstateconfigurations(%1)"_s.arg(id));
    }

    Result<WebApiTransport::Reply> send(const WebApiTransport::Call &call)
    {
        std::optional<Result<WebApiTransport::Reply>> result;
        QObject context;
        m_transport->send(call, &context, [&result](Result<WebApiTransport::Reply> r) { result = std::move(r); });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 30000)) {
            Error e;
            e.userMessage = u"no answer within 30 s"_s;
            return e;
        }
        return *result;
    }
    Result<WebApiTransport::Reply> get() { return send(getCall()); }

    std::unique_ptr<SandboxFixture> m_fixture;
    LocalSandbox *m_sandbox = nullptr;
    WebApiTransport *m_transport = nullptr;
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
