#include "app/dataverse/WebApiTransport.h"

#include "app/common/NetworkProxy.h"
#include "app/common/TlsRefusal.h"

#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTimer>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTransport, "autoclose.dataverse", QtInfoMsg)

QByteArray WebApiTransport::Reply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

WebApiTransport::WebApiTransport(QNetworkAccessManager *network, QString host, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_host(std::move(host))
{ }

void WebApiTransport::send(Call call, QObject *context, Callback done)
{
    auto job = std::make_shared<Job>();
    job->call = std::move(call);
    job->context = context;
    job->done = std::move(done);
    m_queue.push_back(job);
    pump();
}

void WebApiTransport::pump()
{
    while (m_active < m_maxConcurrent && !m_queue.empty()) {
        JobPtr job = m_queue.front();
        m_queue.pop_front();
        if (!job->context)
            continue; // nobody wants the answer any more
        start(job);
    }
}

void WebApiTransport::start(const JobPtr &job)
{
    QNetworkRequest request(job->call.url);
    // The headers every Web API request carries (docs/web-api.md).
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("OData-MaxVersion", "4.0");
    request.setRawHeader("OData-Version", "4.0");
    if (job->call.method == "GET")
        request.setRawHeader("If-None-Match", "null");
    if (!job->call.body.isEmpty())
        request.setRawHeader("Content-Type", "application/json"); // a call's own Content-Type replaces it below
    for (const auto &[name, value] : job->call.headers)
        request.setRawHeader(name, value);
    // Added here and nowhere else.
    job->tokenSent = m_accessToken;
    if (!m_accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(m_timeout.count()));

    ++m_active;
    QNetworkReply *reply = m_network->sendCustomRequest(request, job->call.method, job->call.body);
    TlsRefusal::watch(reply);
    // Deleted exactly once, whatever happens to the job.
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    connect(reply, &QNetworkReply::finished, this, [this, job, reply, timer] {
        --m_active;
        qCDebug(lcTransport) << job->call.method << job->call.url.path() << "->"
                             << reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() << "in"
                             << timer->elapsed() << "ms";
        finished(job, reply);
        pump();
    });
}

void WebApiTransport::finished(const JobPtr &job, QNetworkReply *reply)
{
    if (!job->context)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    // A transport error after a 2xx status line (a reset mid-body) is a failed transfer, not a reply.
    const bool transportFailed =
        networkError != QNetworkReply::NoError && (status == 0 || (status >= 200 && status <= 299));
    const bool deliverable = (status >= 200 && status <= 299) ||
        (job->call.acceptClientErrors && status >= 400 && status <= 499 && status != 401 && status != 429);
    if (!transportFailed && deliverable) {
        Reply ok;
        ok.status = status;
        ok.headers = reply->rawHeaderPairs();
        ok.body = body;
        job->done(std::move(ok));
        return;
    }

    if (status == 401 && answerChallenge(job, reply))
        return;
    if (status == 401 && m_refresher && !job->refreshed) {
        job->refreshed = true;
        refreshThenRetry(job);
        return;
    }
    if (status == 429) {
        bool ok = false;
        const int given = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        const std::chrono::seconds wait = ok && given >= 0 ? std::chrono::seconds(given) : m_policy.defaultRetryAfter;
        if (job->throttleWaited + wait <= m_policy.maxThrottleWait) {
            job->throttleWaited += wait;
            Q_EMIT throttled(int(wait.count()));
            later(job, wait);
            return;
        }
    }
    const bool reset =
        transportFailed && (networkError == QNetworkReply::RemoteHostClosedError || (status >= 200 && status <= 299));
    if ((status >= 500 || reset) && job->call.idempotent && job->attempt < m_policy.maxRetries) {
        const auto base = m_policy.baseDelay * (1 << job->attempt);
        const auto jitter = std::chrono::milliseconds(QRandomGenerator::global()->bounded(qint64(base.count()) + 1));
        ++job->attempt;
        Q_EMIT retrying(job->attempt, base + jitter, reset ? u"connection reset"_s : u"HTTP %1"_s.arg(status));
        later(job, base + jitter);
        return;
    }

    WebApiReply::Failure failure;
    failure.httpStatus = transportFailed ? 0 : status;
    failure.body = body;
    failure.requestId = reply->rawHeader("x-ms-service-request-id");
    failure.retryAfter = reply->rawHeader("Retry-After");
    failure.timedOut = networkError == QNetworkReply::OperationCanceledError;
    failure.networkErrorText = reply->errorString();
    failure.tlsErrors = TlsRefusal::errorsOf(reply);
    failure.host = m_host;
    failure.proxyFailure = NetworkProxy::failureSentence(reply);
    job->done(WebApiReply::toError(failure));
}

void WebApiTransport::later(const JobPtr &job, std::chrono::milliseconds delay)
{
    QTimer::singleShot(delay, this, [this, job] {
        m_queue.push_back(job);
        pump();
    });
}

void WebApiTransport::refreshThenRetry(const JobPtr &job)
{
    renewThenRetry(job, std::nullopt);
}

bool WebApiTransport::answerChallenge(const JobPtr &job, QNetworkReply *reply)
{
    // Conditional Access and continuous access evaluation refuse a token with a claims challenge (docs/sign-in.md):
    // a plain refresh would be refused the same way, so the new token must ask for the claims.
    const auto challenge = AuthChallenge::insufficientClaims(reply->rawHeader("WWW-Authenticate"));
    if (challenge && !challenge.value())
        return false; // a plain 401
    if (!challenge) {
        qCWarning(lcTransport) << "unreadable claims challenge from" << m_host << ":"
                               << challenge.error().serviceMessage;
        job->done(claimsError(reply,
                              tr("%1 asked you to sign in again to satisfy your organization's access policy, but "
                                 "the request could not be understood, so nothing was retried. %2 Try again; if "
                                 "this happens again, give the details below to your administrator.")
                                  .arg(m_host, challenge.error().userMessage)));
        return true;
    }
    const AuthChallenge::Claims &claims = *challenge.value();
    const QString names = claims.names.join(u", "_s);
    qCInfo(lcTransport) << "claims challenge from" << m_host << "for" << job->call.method << job->call.url.path()
                        << "asking for" << names;
    if (!m_accessToken.isEmpty() && job->tokenSent != m_accessToken) {
        // Sent before a new token arrived (another request's challenge was answered meanwhile): try that one.
        m_queue.push_back(job);
        pump();
        return true;
    }
    if (!m_answeredToken.isEmpty() && job->tokenSent == m_answeredToken) {
        // The token was obtained for a challenge and is challenged again: asking once more would loop.
        job->done(claimsError(reply,
                              tr("%1 refused the new sign-in too: your organization's access policy asks for more "
                                 "than it gave (%2), so the request was not tried again. Ask your administrator what "
                                 "the policy requires, such as a compliant device, an allowed location or a stronger "
                                 "sign-in method.")
                                  .arg(m_host, names)));
        return true;
    }
    if (!m_answerer) {
        job->done(claimsError(reply,
                              AuthChallenge::signInAgainSentence() + u' ' +
                                  tr("%1 refused the access token and asks for one that carries more (%2). This "
                                     "token cannot be renewed here: get a new access token that satisfies the "
                                     "policy and try again.")
                                      .arg(m_host, names)));
        return true;
    }
    renewThenRetry(job, claims);
    return true;
}

void WebApiTransport::renewThenRetry(const JobPtr &job, const std::optional<AuthChallenge::Claims> &challenge)
{
    // One renewal at a time, whichever kind: requests refused meanwhile wait for its outcome and go again with its
    // token (one that was challenged again then meets the rule above).
    m_waitingForToken.append(job);
    if (m_waitingForToken.size() > 1)
        return;
    QPointer<WebApiTransport> self(this);
    const bool answering = challenge.has_value();
    auto renewed = [self, answering](Result<QString> token) {
        if (!self)
            return;
        const QList<JobPtr> waiting = std::exchange(self->m_waitingForToken, {});
        if (!token) {
            for (const JobPtr &waiter : waiting)
                self->fail(waiter, token.error());
            return;
        }
        self->m_accessToken = token.value();
        if (answering)
            self->m_answeredToken = token.value();
        for (const JobPtr &waiter : waiting)
            self->m_queue.push_back(waiter);
        self->pump();
    };
    if (challenge)
        m_answerer(*challenge, std::move(renewed));
    else
        m_refresher(std::move(renewed));
}

Error WebApiTransport::claimsError(QNetworkReply *reply, const QString &message) const
{
    WebApiReply::Failure failure;
    failure.httpStatus = 401;
    failure.requestId = reply->rawHeader("x-ms-service-request-id");
    failure.host = m_host;
    Error e = WebApiReply::toError(failure);
    e.kind = Error::Kind::Auth;
    e.serviceCode = u"insufficient_claims"_s;
    e.userMessage = message;
    return e;
}

void WebApiTransport::fail(const JobPtr &job, const Error &error)
{
    if (job->context)
        job->done(error);
}
