#pragma once

#include "app/auth/AuthChallenge.h"
#include "models/Result.h"

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

// Sends Web API requests and applies the service's rules to them in one place: the bearer token, at most N requests
// at a time, Retry-After on 429 within a bounded total wait, exponential backoff with jitter on 5xx and connection
// resets (idempotent requests only), one token refresh on 401, one new sign-in for a claims challenge (a 401 with
// error="insufficient_claims", docs/sign-in.md), a transfer timeout on every request, and no redirects (they would
// carry the token elsewhere). The token is never logged, and a challenge's claims only by their names.
class WebApiTransport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebApiTransport)
public:
    struct Call
    {
        QByteArray method = "GET";
        QUrl url;
        QList<std::pair<QByteArray, QByteArray>> headers; // beyond the Web API's standard ones
        QByteArray body;
        // Safe to send twice: a GET, or a write that carries If-Match. Only these are retried after 5xx or a reset.
        bool idempotent = true;
        // Deliver 4xx replies (other than 401 and 429) as replies rather than errors: a $batch reports the failure
        // of a change set that way, with the failing part in its body.
        bool acceptClientErrors = false;
    };
    struct Reply
    {
        int status = 0;
        QList<QNetworkReply::RawHeaderPair> headers;
        QByteArray body;
        QByteArray header(const QByteArray &name) const;
    };
    using Callback = std::function<void(Result<Reply>)>;

    struct RetryPolicy
    {
        int maxRetries = 3; // after 5xx or a reset
        std::chrono::milliseconds baseDelay {500}; // doubled on each retry, plus up to as much jitter
        std::chrono::seconds maxThrottleWait {120}; // total Retry-After waited for one request
        std::chrono::seconds defaultRetryAfter {5}; // when a 429 has no Retry-After
    };

    // Asks for a new access token (through the one sign-in path) and calls back with it, or with the reason.
    using TokenRefresher = std::function<void(std::function<void(Result<QString>)>)>;
    // Asks for a new access token carrying a claims challenge's claims (SignInSession::challengeAnswerer).
    using ChallengeAnswerer = std::function<void(const AuthChallenge::Claims &, std::function<void(Result<QString>)>)>;

    WebApiTransport(QNetworkAccessManager *network, QString host, QObject *parent = nullptr);

    void setAccessToken(const QString &token) { m_accessToken = token; }
    void setTokenRefresher(TokenRefresher refresher) { m_refresher = std::move(refresher); }
    // Without one, a claims challenge fails its request with a sentence saying to get a token that satisfies it.
    void setChallengeAnswerer(ChallengeAnswerer answerer) { m_answerer = std::move(answerer); }
    void setTransferTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setRetryPolicy(const RetryPolicy &policy) { m_policy = policy; }
    void setMaxConcurrentRequests(int n) { m_maxConcurrent = std::max(1, n); }

    // done is called once, unless context is destroyed first; then never.
    void send(Call call, QObject *context, Callback done);

    int activeRequests() const { return m_active; }
    int queuedRequests() const { return int(m_queue.size()); }

Q_SIGNALS:
    // "throttled, retrying in N s": the service asked to wait; the request goes again by itself.
    void throttled(int seconds);
    // A 5xx or a reset: the request goes again after delay.
    void retrying(int attempt, std::chrono::milliseconds delay, const QString &reason);

private:
    struct Job
    {
        Call call;
        QPointer<QObject> context;
        Callback done;
        int attempt = 0;
        std::chrono::seconds throttleWaited {0};
        bool refreshed = false;
        QString tokenSent; // the access token the request last went with
    };
    using JobPtr = std::shared_ptr<Job>;

    void pump();
    void start(const JobPtr &job);
    void finished(const JobPtr &job, QNetworkReply *reply);
    void later(const JobPtr &job, std::chrono::milliseconds delay);
    void refreshThenRetry(const JobPtr &job);
    // A 401 with a claims challenge: one answer per token, never a loop. True when the job is dealt with.
    bool answerChallenge(const JobPtr &job, QNetworkReply *reply);
    void renewThenRetry(const JobPtr &job, const std::optional<AuthChallenge::Claims> &challenge);
    Error claimsError(QNetworkReply *reply, const QString &message) const;
    void fail(const JobPtr &job, const Error &error);

    QNetworkAccessManager *m_network;
    QString m_host;
    QString m_accessToken;
    TokenRefresher m_refresher;
    ChallengeAnswerer m_answerer;
    std::chrono::milliseconds m_timeout {std::chrono::seconds(60)};
    RetryPolicy m_policy;
    int m_maxConcurrent = 4;
    int m_active = 0;
    std::deque<JobPtr> m_queue;
    QList<JobPtr> m_waitingForToken; // a refresh (or a challenge's answer) is under way when this is not empty
    QString m_answeredToken; // the token obtained for the last claims challenge: never answered again
};
