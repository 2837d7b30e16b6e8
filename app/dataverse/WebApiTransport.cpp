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
    // One refresh at a time: requests that hit 401 meanwhile wait for its outcome.
    m_waitingForToken.append(job);
    if (m_waitingForToken.size() > 1)
        return;
    m_refresher([this](Result<QString> token) {
        const QList<JobPtr> waiting = std::exchange(m_waitingForToken, {});
        if (!token) {
            for (const JobPtr &waiter : waiting)
                fail(waiter, token.error());
            return;
        }
        m_accessToken = token.value();
        for (const JobPtr &waiter : waiting)
            m_queue.push_back(waiter);
        pump();
    });
}

void WebApiTransport::fail(const JobPtr &job, const Error &error)
{
    if (job->context)
        job->done(error);
}
