#pragma once

#include "app/dataverse/WebApiReply.h"
#include "app/dataverse/WebApiTransport.h"
#include "models/ChannelStateConfig.h"
#include "models/Conversation.h"
#include "models/Result.h"
#include "models/TimerSetting.h"
#include "models/Workstream.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class PageWalker;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

// The one place the product talks to the Dataverse Web API: builds requests, adds the bearer token, follows paging
// and turns every reply into a value or an Error. Callbacks are tied to a context object and never outlive it.
// One value to write: the record, the ETag it was read with (empty: "*", any version), the setting and its new
// minutes. Values of one record read at one version are written in one PATCH: two would refuse each other.
struct MinutesChange
{
    QString id;
    QString name; // for messages
    QString etag;
    std::optional<int> minutes; // empty: never auto-close
    TimerSetting setting = TimerSetting::ChannelState;
};

// What happened to one record of a save.
struct WriteResult
{
    enum class Outcome {
        Saved, // written; etag and minutes are the server's new values
        Failed, // refused; error says why (a conflict, a missing record, a value out of range, …)
        NotSaved, // not written because the all-or-nothing batch failed elsewhere, or the save never arrived
    };
    QString id;
    Outcome outcome = Outcome::NotSaved;
    QString etag;
    std::optional<int> minutes;
    Error error;
    // Set when the save's own reply said otherwise (a conflict, or no readable reply) but reading the record back
    // showed it holds the value asked for: the save went through and its reply was lost, or someone saved the same.
    bool confirmedByReading = false;
};

class DataverseClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DataverseClient)
public:
    using ConfigsCallback = std::function<void(Result<QList<ChannelStateConfig>>)>;
    using RowsCallback = std::function<void(Result<QList<QJsonObject>>)>;

    // orgUrl is the organization root, as OrgUrl::parse returns it.
    DataverseClient(QUrl orgUrl, QNetworkAccessManager *network, QObject *parent = nullptr);

    QUrl orgUrl() const { return m_orgUrl; }
    // Token, timeout, retry policy, concurrency, refresh, and the throttled/retrying signals live here.
    WebApiTransport *transport() const { return m_transport; }
    void setAccessToken(const QString &token);
    void setTransferTimeout(std::chrono::milliseconds timeout);
    // Rows per page asked for with Prefer: odata.maxpagesize (the Web API caps it at 5000).
    void setMaxPageSize(int rows);

    // Every msdyn_occhannelstateconfiguration with its channel's stream source, in channel/state order.
    void fetchConfigurations(QObject *context, ConfigsCallback done);

    // Every row of an entity set query (path relative to the Web API root, with its query), following
    // @odata.nextLink to the end.
    void fetchAll(const QString &pathAndQuery, QObject *context, RowsCallback done);
    // The same, calling progress(rows so far) after each page. Destroying context cancels: the page already on its
    // way (each is asked for while the one before is parsed) is dropped, no other is requested, and done is never
    // called.
    using Progress = std::function<void(qsizetype rowsSoFar)>;
    void fetchAll(const QString &pathAndQuery, QObject *context, RowsCallback done, Progress progress);

    // Conversations in the given states (statuscode) and channels (stream source codes; empty: any) created before
    // a time (invalid: any), filtered by the server.
    struct ConversationFilter
    {
        QList<int> statusCodes;
        QList<int> channels;
        QDateTime createdBefore;
    };
    static QString conversationQuery(const ConversationFilter &filter);
    void fetchConversations(const ConversationFilter &filter, QObject *context,
                            std::function<void(Result<QList<Conversation>>)> done, Progress progress = {});
    // How many conversations match, counted by the server (it stops at 5000).
    void countConversations(const ConversationFilter &filter, QObject *context,
                            std::function<void(Result<WebApiReply::Count>)> done);

    // The columns the closing rule needs, for $select on msdyn_ocliveworkitems.
    static QStringList conversationColumns();
    // One page of conversations: url is a query (see apiUrl) or a page's @odata.nextLink, at most pageSize rows.
    // For lists shown a page at a time, so that only what is shown is transferred.
    struct ConversationPage
    {
        QList<Conversation> rows;
        QUrl next; // empty after the last page
    };
    void fetchConversationPage(const QUrl &url, int pageSize, QObject *context,
                               std::function<void(Result<ConversationPage>)> done);
    QUrl apiUrl(const QString &pathAndQuery) const;
    // One page of any query's rows, as fetchConversationPage reads conversations.
    void fetchPage(const QUrl &url, int pageSize, QObject *context,
                   std::function<void(Result<WebApiReply::Page>)> done);
    // How many rows of an entity set match filter, counted by the server with $apply; above the Web API's aggregate
    // limit of 50,000 rows the count is 50,000 with capped set, rather than an error.
    static constexpr qint64 AggregateLimit = 50000;
    void aggregateCount(const QString &entitySet, const QString &filter, QObject *context,
                        std::function<void(Result<WebApiReply::Count>)> done);

    // Every workstream with its stream source and "auto-close after inactivity".
    void fetchWorkstreams(QObject *context, std::function<void(Result<QList<Workstream>>)> done);

    void whoAmI(QObject *context, std::function<void(Result<WebApiReply::Identity>)> done);
    // The privilege names (RetrieveUserPrivileges' PrivilegeName) the signed-in user holds.
    void fetchPrivileges(QObject *context, std::function<void(Result<QSet<QString>>)> done);
    // Whether the signed-in user holds the privilege to write msdyn_occhannelstateconfiguration records, so the UI
    // can say "you can view but not change these" before anyone types.
    void fetchCanWriteConfigurations(QObject *context, std::function<void(Result<bool>)> done);
    // msdyn_autocloseliveworkitemafter's MinValue and MaxValue from the metadata.
    void fetchMinutesRange(QObject *context, std::function<void(Result<WebApiReply::ColumnRange>)> done);
    // A setting's MinValue and MaxValue from the metadata of its column.
    void fetchRange(TimerSetting setting, QObject *context, std::function<void(Result<WebApiReply::ColumnRange>)> done);
    // A GET of any Web API path (relative to the Web API root, with its query): the reply's body, or an Error.
    void get(const QString &pathAndQuery, QObject *context, std::function<void(Result<QByteArray>)> done);

    enum class WriteMode {
        Batch, // one $batch change set: every record is saved, or none is
        OneByOne, // one PATCH each: each record succeeds or fails alone
    };
    using WriteCallback = std::function<void(QList<WriteResult>)>;
    // PATCH msdyn_autocloseliveworkitemafter with If-Match and return=representation; a result per change, in order.
    // When a change comes back refused as a conflict or with no readable answer, the record is read back: if it
    // holds the value asked for, it is reported saved (confirmedByReading) — a write retried after a connection
    // reset meets its own first attempt as "someone changed this", and must not be reported as not saved.
    void saveMinutes(const QList<MinutesChange> &changes, WriteMode mode, QObject *context, WriteCallback done);
    // What a $batch reply's parts say of each change, in order: pure, for tests. A failed change set names the
    // refused record (by its Content-ID, or as the only record of the save) and reports the rest as rolled back.
    static QList<WriteResult> resultsOfBatch(const QList<MinutesChange> &changes,
                                             const QList<WebApiReply::BatchPart> &parts);

private:
    void fetchConfigurationsWithoutExpand(QObject *context, ConfigsCallback done);
    static void finishConfigurations(const QList<QJsonObject> &rows, const QHash<QString, QJsonObject> &channels,
                                     const ConfigsCallback &done);
    // The changes written by one PATCH: those of one record made over one version.
    static QList<QList<qsizetype>> recordWrites(const QList<MinutesChange> &changes);
    WebApiTransport::Call patchCall(const QList<MinutesChange> &changes, const QList<qsizetype> &write) const;
    void saveBatch(const QList<MinutesChange> &changes, QObject *context, WriteCallback done);
    void confirmByReading(const QList<MinutesChange> &changes, QList<WriteResult> results, QObject *context,
                          WriteCallback done);
    void saveNext(QList<MinutesChange> changes, QList<QList<qsizetype>> writes, QList<WriteResult> results,
                  QPointer<QObject> context, WriteCallback done);
    // One page of url (a query or a page's @odata.nextLink), at most pageSize rows; a link to another host fails.
    void getPage(const QUrl &url, int pageSize, QObject *context, std::function<void(Result<QByteArray>)> done);

    QUrl m_orgUrl;
    WebApiTransport *m_transport;
    PageWalker *m_pages;
};
