#include "app/dataverse/DataverseClient.h"

#include "app/dataverse/ODataQuery.h"
#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/PageWalker.h"
#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QScopeGuard>
#include <QTimer>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

DataverseClient::DataverseClient(QUrl orgUrl, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_orgUrl(std::move(orgUrl))
    , m_transport(new WebApiTransport(network, m_orgUrl.host(), this))
    , m_pages(new PageWalker(m_transport, m_orgUrl, this))
{ }

void DataverseClient::setAccessToken(const QString &token)
{
    m_transport->setAccessToken(token);
}

void DataverseClient::setMaxPageSize(int rows)
{
    m_pages->setMaxPageSize(rows);
}

void DataverseClient::setTransferTimeout(std::chrono::milliseconds timeout)
{
    m_transport->setTransferTimeout(timeout);
}

void DataverseClient::fetchAll(const QString &pathAndQuery, QObject *context, RowsCallback done)
{
    fetchAll(pathAndQuery, context, std::move(done), {});
}

void DataverseClient::fetchAll(const QString &pathAndQuery, QObject *context, RowsCallback done, Progress progress)
{
    auto rows = std::make_shared<QList<QJsonObject>>();
    auto onPage = std::make_shared<PageWalker::PageParser>(
        [rows, progress = std::move(progress)](const QByteArray &body) -> Result<QUrl> {
            auto page = WebApiReply::parseCollection(body);
            if (!page)
                return page.error();
            rows->append(page.value().rows);
            if (progress)
                progress(rows->size());
            return page.value().nextLink;
        });
    const QUrl url = OrgUrl::webApiRoot(m_orgUrl).resolved(QUrl(pathAndQuery));
    m_pages->walk(url, context, onPage, [rows, done = std::move(done)](Result<Done> walked) {
        if (!walked)
            done(walked.error());
        else
            done(std::move(*rows));
    });
}

void DataverseClient::get(const QString &pathAndQuery, QObject *context, std::function<void(Result<QByteArray>)> done)
{
    WebApiTransport::Call call;
    call.url = OrgUrl::webApiRoot(m_orgUrl).resolved(QUrl(pathAndQuery));
    m_transport->send(call, context, [done = std::move(done)](Result<WebApiTransport::Reply> reply) {
        if (!reply)
            done(reply.error());
        else
            done(reply.value().body);
    });
}

QString DataverseClient::conversationQuery(const ConversationFilter &filter)
{
    QStringList clauses;
    QStringList states;
    for (int code : filter.statusCodes)
        states << u"statuscode eq %1"_s.arg(ODataLiteral::integer(code));
    if (!states.isEmpty())
        clauses << (states.size() == 1 ? states.first() : u'(' + states.join(u" or "_s) + u')');
    if (!filter.channels.isEmpty()) {
        QStringList values;
        for (int code : filter.channels)
            values << ODataLiteral::string(QString::number(code));
        clauses << u"Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',PropertyValues=[%1])"_s.arg(
            values.join(u','));
    }
    if (filter.createdBefore.isValid())
        clauses << u"createdon lt %1"_s.arg(ODataLiteral::dateTime(filter.createdBefore));
    ODataQuery query(u"msdyn_ocliveworkitems"_s);
    query.select(conversationColumns());
    if (!clauses.isEmpty())
        query.filter(clauses.join(u" and "_s));
    return query.toString();
}

void DataverseClient::fetchConversations(const ConversationFilter &filter, QObject *context,
                                         std::function<void(Result<QList<Conversation>>)> done, Progress progress)
{
    // Read page by page straight from the reply's text: only the current page's JSON (and the next one arriving)
    // is in memory, and workstream ids are kept once.
    auto conversations = std::make_shared<QList<Conversation>>();
    auto pool = std::make_shared<WebApiReply::StringPool>();
    auto onPage = std::make_shared<PageWalker::PageParser>(
        [conversations, pool, progress = std::move(progress)](const QByteArray &body) -> Result<QUrl> {
            auto page = WebApiReply::parseConversationPage(body, pool.get());
            if (!page)
                return page.error();
            conversations->append(std::move(page.value().rows));
            if (progress)
                progress(conversations->size());
            return page.value().nextLink;
        });
    const QUrl url = OrgUrl::webApiRoot(m_orgUrl).resolved(QUrl(conversationQuery(filter)));
    m_pages->walk(url, context, onPage, [conversations, done = std::move(done)](Result<Done> walked) {
        if (!walked)
            done(walked.error());
        else
            done(std::move(*conversations));
    });
}

void DataverseClient::countConversations(const ConversationFilter &filter, QObject *context,
                                         std::function<void(Result<WebApiReply::Count>)> done)
{
    // The same query, asking for the count and no rows.
    const QString query = conversationQuery(filter) + u"&$count=true&$top=0"_s;
    get(query, context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body)
            done(body.error());
        else
            done(WebApiReply::parseCount(body.value()));
    });
}

QStringList DataverseClient::conversationColumns()
{
    return {u"subject"_s,          u"msdyn_title"_s, u"statuscode"_s,
            u"msdyn_channel"_s,    u"createdon"_s,   u"msdyn_wrapupinitiatedon"_s,
            u"msdyn_modifiedon"_s, u"modifiedon"_s,  u"_msdyn_liveworkstreamid_value"_s};
}

QUrl DataverseClient::apiUrl(const QString &pathAndQuery) const
{
    return OrgUrl::webApiRoot(m_orgUrl).resolved(QUrl(pathAndQuery));
}

void DataverseClient::getPage(const QUrl &url, int pageSize, QObject *context,
                              std::function<void(Result<QByteArray>)> done)
{
    if (!m_pages->mayFollow(url)) {
        done(PageWalker::foreignLink(url));
        return;
    }
    WebApiTransport::Call call;
    call.url = url;
    call.headers = {{"Prefer", "odata.maxpagesize=" + QByteArray::number(std::clamp(pageSize, 1, 5000))}};
    m_transport->send(call, context, [done = std::move(done)](Result<WebApiTransport::Reply> reply) {
        if (!reply)
            done(reply.error());
        else
            done(std::move(reply.value().body));
    });
}

void DataverseClient::fetchConversationPage(const QUrl &url, int pageSize, QObject *context,
                                            std::function<void(Result<ConversationPage>)> done)
{
    getPage(url, pageSize, context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body) {
            done(body.error());
            return;
        }
        auto page = WebApiReply::parseConversationPage(body.value());
        if (!page) {
            done(page.error());
            return;
        }
        done(ConversationPage {std::move(page.value().rows), page.value().nextLink});
    });
}

void DataverseClient::fetchPage(const QUrl &url, int pageSize, QObject *context,
                                std::function<void(Result<WebApiReply::Page>)> done)
{
    getPage(url, pageSize, context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body)
            done(body.error());
        else
            done(WebApiReply::parseCollection(body.value()));
    });
}

void DataverseClient::aggregateCount(const QString &entitySet, const QString &filter, QObject *context,
                                     std::function<void(Result<WebApiReply::Count>)> done)
{
    const QString transformation =
        (filter.isEmpty() ? QString() : u"filter("_s + filter + u")/"_s) + u"aggregate($count as count)"_s;
    const QString query = ODataQuery(entitySet).apply(transformation).toString();
    get(query, context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body) {
            // Dataverse refuses to aggregate more than 50,000 rows (AggregateQueryRecordLimit, 0x8004e023).
            if (body.error().httpStatus == 400 &&
                body.error().serviceCode.compare(u"0x8004e023"_s, Qt::CaseInsensitive) == 0) {
                done(WebApiReply::Count {AggregateLimit, true});
                return;
            }
            done(body.error());
            return;
        }
        // A reply that is not a collection is an error, never "no rows": a preview must not under-count.
        const auto page = WebApiReply::parseCollection(body.value());
        if (!page) {
            done(page.error());
            return;
        }
        const QList<QJsonObject> &rows = page.value().rows;
        const auto count = WebApiReply::exactInteger(rows.isEmpty() ? QJsonValue(0) : rows.first().value(u"count"_s));
        if (!count || *count < 0) {
            Error e;
            e.kind = Error::Kind::BadReply;
            e.userMessage = QCoreApplication::translate("DataverseClient",
                                                        "The environment's count is not a number; the preview cannot "
                                                        "say how many conversations match.");
            done(e);
            return;
        }
        done(WebApiReply::Count {*count, false});
    });
}

void DataverseClient::fetchWorkstreams(QObject *context, std::function<void(Result<QList<Workstream>>)> done)
{
    const QString query = ODataQuery(u"msdyn_liveworkstreams"_s)
                              .select({u"msdyn_name"_s, u"msdyn_streamsource"_s, u"msdyn_autocloseafterinactivity"_s,
                                       u"msdyn_blockcapacityforwrapup"_s, u"modifiedon"_s})
                              .orderBy(u"msdyn_name"_s)
                              .toString();
    fetchAll(query, context, [done = std::move(done)](Result<QList<QJsonObject>> rows) {
        if (!rows) {
            done(rows.error());
            return;
        }
        QList<Workstream> workstreams;
        for (const QJsonObject &row : rows.value()) {
            auto w = WebApiReply::parseWorkstream(row);
            if (!w) {
                done(w.error());
                return;
            }
            workstreams << std::move(w).value();
        }
        done(workstreams);
    });
}

void DataverseClient::whoAmI(QObject *context, std::function<void(Result<WebApiReply::Identity>)> done)
{
    get(u"WhoAmI"_s, context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body)
            done(body.error());
        else
            done(WebApiReply::parseWhoAmI(body.value()));
    });
}

void DataverseClient::fetchMinutesRange(QObject *context, std::function<void(Result<WebApiReply::ColumnRange>)> done)
{
    fetchRange(TimerSetting::ChannelState, context, std::move(done));
}

void DataverseClient::fetchRange(TimerSetting setting, QObject *context,
                                 std::function<void(Result<WebApiReply::ColumnRange>)> done)
{
    get(u"EntityDefinitions(LogicalName='%1')/Attributes(LogicalName='%2')/"
        u"Microsoft.Dynamics.CRM.IntegerAttributeMetadata?$select=MinValue,MaxValue"_s.arg(
            TimerSettings::table(setting), TimerSettings::column(setting)),
        context, [done = std::move(done)](Result<QByteArray> body) {
            if (!body)
                done(body.error());
            else
                done(WebApiReply::parseColumnRange(body.value()));
        });
}

namespace {
const QStringList ConfigurationColumns = {QStringLiteral("msdyn_name"), QStringLiteral("msdyn_ocliveworkitemstate"),
                                          QStringLiteral("msdyn_autocloseliveworkitemafter"),
                                          QStringLiteral("_msdyn_occhannelconfigurationid_value"),
                                          QStringLiteral("modifiedon")};
} // namespace

void DataverseClient::fetchConfigurations(QObject *context, ConfigsCallback done)
{
    const QString query = ODataQuery(u"msdyn_occhannelstateconfigurations"_s)
                              .select(ConfigurationColumns)
                              .expand(u"msdyn_occhannelconfigurationid($select=msdyn_streamsource,msdyn_name)"_s)
                              .toString();
    QPointer<QObject> guard(context);
    fetchAll(query, context, [this, guard, done = std::move(done)](Result<QList<QJsonObject>> rows) {
        // Some environments refuse the $expand (400): read the channels separately and join them here.
        if (!rows && rows.error().httpStatus == 400 && guard) {
            fetchConfigurationsWithoutExpand(guard, done);
            return;
        }
        if (!rows) {
            done(rows.error());
            return;
        }
        finishConfigurations(rows.value(), {}, done);
    });
}

void DataverseClient::fetchConfigurationsWithoutExpand(QObject *context, ConfigsCallback done)
{
    const QString channels =
        ODataQuery(u"msdyn_occhannelconfigurations"_s).select({u"msdyn_streamsource"_s, u"msdyn_name"_s}).toString();
    const QString states = ODataQuery(u"msdyn_occhannelstateconfigurations"_s).select(ConfigurationColumns).toString();
    QPointer<QObject> guard(context);
    fetchAll(channels, context, [this, guard, states, done = std::move(done)](Result<QList<QJsonObject>> rows) {
        if (!rows) {
            done(rows.error());
            return;
        }
        QHash<QString, QJsonObject> byId;
        for (const QJsonObject &row : rows.value())
            byId.insert(row.value(u"msdyn_occhannelconfigurationid"_s).toString(), row);
        if (!guard)
            return;
        fetchAll(states, guard, [byId, done](Result<QList<QJsonObject>> stateRows) {
            if (!stateRows)
                done(stateRows.error());
            else
                finishConfigurations(stateRows.value(), byId, done);
        });
    });
}

void DataverseClient::finishConfigurations(const QList<QJsonObject> &rows, const QHash<QString, QJsonObject> &channels,
                                           const ConfigsCallback &done)
{
    QList<ChannelStateConfig> configs;
    configs.reserve(rows.size());
    for (QJsonObject row : rows) {
        if (!channels.isEmpty()) {
            const QString channelId = row.value(u"_msdyn_occhannelconfigurationid_value"_s).toString();
            row.insert(u"msdyn_occhannelconfigurationid"_s,
                       channels.contains(channelId) ? QJsonValue(channels.value(channelId)) : QJsonValue());
        }
        auto config = WebApiReply::parseStateConfiguration(row);
        if (!config) {
            done(config.error());
            return;
        }
        configs.append(std::move(config).value());
    }
    std::sort(configs.begin(), configs.end(), channelStateOrder);
    done(std::move(configs));
}

void DataverseClient::fetchPrivileges(QObject *context, std::function<void(Result<QSet<QString>>)> done)
{
    QPointer<QObject> guard(context);
    whoAmI(context, [this, guard, done = std::move(done)](Result<WebApiReply::Identity> me) {
        if (!me) {
            done(me.error());
            return;
        }
        if (!guard)
            return;
        const QString path =
            u"systemusers(%1)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()"_s.arg(me.value().userId);
        get(path, guard, [done](Result<QByteArray> body) {
            if (!body) {
                done(body.error());
                return;
            }
            const QJsonValue privileges = QJsonDocument::fromJson(body.value()).object().value(u"RolePrivileges"_s);
            if (!privileges.isArray()) {
                Error e;
                e.kind = Error::Kind::BadReply;
                e.userMessage = QCoreApplication::translate(
                    "DataverseClient", "The environment's RetrieveUserPrivileges reply has no RolePrivileges.");
                done(e);
                return;
            }
            QSet<QString> names;
            for (const QJsonValue &p : privileges.toArray())
                names.insert(p[u"PrivilegeName"_s].toString());
            done(names);
        });
    });
}

void DataverseClient::fetchCanWriteConfigurations(QObject *context, std::function<void(Result<bool>)> done)
{
    fetchPrivileges(context, [done = std::move(done)](Result<QSet<QString>> names) {
        if (!names)
            done(names.error());
        else
            done(names.value().contains(u"prvWritemsdyn_occhannelstateconfiguration"_s));
    });
}

namespace {
// The server's view of a record after a write, from a return=representation body.
WriteResult savedFrom(const MinutesChange &change, const QByteArray &body)
{
    WriteResult result;
    result.id = change.id;
    const QJsonObject row = QJsonDocument::fromJson(body).object();
    const QJsonValue etag = row.value(u"@odata.etag"_s);
    const QJsonValue minutes = row.value(TimerSettings::column(change.setting));
    if (!etag.isString() || minutes.isUndefined()) {
        result.outcome = WriteResult::Outcome::Failed;
        result.error.kind = Error::Kind::BadReply;
        result.error.userMessage =
            QCoreApplication::translate("DataverseClient",
                                        "%1 was saved, but the environment did not say its new version; refresh before "
                                        "editing it again.")
                .arg(change.name.isEmpty() ? change.id : change.name);
        return result;
    }
    result.outcome = WriteResult::Outcome::Saved;
    result.etag = etag.toString();
    if (!minutes.isNull())
        result.minutes = minutes.toInt();
    return result;
}

WriteResult failedWith(const MinutesChange &change, WriteResult::Outcome outcome, const Error &error)
{
    WriteResult result;
    result.id = change.id;
    result.outcome = outcome;
    result.error = error;
    return result;
}
} // namespace

QList<QList<qsizetype>> DataverseClient::recordWrites(const QList<MinutesChange> &changes)
{
    QList<QList<qsizetype>> writes;
    QHash<QString, qsizetype> byRecord; // entity set, id and version → its write
    for (qsizetype i = 0; i < changes.size(); ++i) {
        const MinutesChange &c = changes.at(i);
        const QString key = TimerSettings::entitySet(c.setting) + u'/' + c.id.toLower() + u'/' + c.etag;
        const auto it = byRecord.constFind(key);
        if (it != byRecord.cend()) {
            writes[*it] << i;
        } else {
            byRecord.insert(key, writes.size());
            writes << QList<qsizetype> {i};
        }
    }
    return writes;
}

WebApiTransport::Call DataverseClient::patchCall(const QList<MinutesChange> &changes,
                                                 const QList<qsizetype> &write) const
{
    const MinutesChange &first = changes.at(write.first());
    QJsonObject body;
    QStringList columns;
    for (qsizetype i : write) {
        const MinutesChange &c = changes.at(i);
        const QString column = TimerSettings::column(c.setting);
        body.insert(column, c.minutes ? QJsonValue(*c.minutes) : QJsonValue(QJsonValue::Null));
        columns << column;
    }
    WebApiTransport::Call call;
    call.method = "PATCH";
    call.url = OrgUrl::webApiRoot(m_orgUrl).resolved(
        QUrl(u"%1(%2)?$select=%3"_s.arg(TimerSettings::entitySet(first.setting), first.id, columns.join(u','))));
    // Always conditional: with the ETag it was read with, or "*" so that a deleted record is a 404, never a create.
    call.headers = {{"If-Match", first.etag.isEmpty() ? QByteArray("*") : first.etag.toUtf8()},
                    {"Prefer", "return=representation"}};
    call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    call.idempotent = true; // conditional, so sending it twice cannot write twice
    return call;
}

void DataverseClient::saveMinutes(const QList<MinutesChange> &changes, WriteMode mode, QObject *context,
                                  WriteCallback done)
{
    if (changes.isEmpty()) {
        done({});
        return;
    }
    QPointer<QObject> guard(context);
    WriteCallback check = [this, changes, guard, done = std::move(done)](QList<WriteResult> results) {
        if (guard)
            confirmByReading(changes, std::move(results), guard, done);
    };
    if (mode == WriteMode::Batch)
        saveBatch(changes, context, std::move(check));
    else
        saveNext(changes, recordWrites(changes), {}, context, std::move(check));
}

void DataverseClient::confirmByReading(const QList<MinutesChange> &changes, QList<WriteResult> results,
                                       QObject *context, WriteCallback done)
{
    // The values whose fate the save's reply leaves open: refused as changed (possibly by this very save, retried
    // after its reply was lost), or without a readable answer. Read back per table, one query each.
    QMap<TimerSetting, QStringList> unsure;
    for (qsizetype i = 0; i < results.size() && i < changes.size(); ++i) {
        const WriteResult &r = results.at(i);
        const Error::Kind kind = r.error.kind;
        if (r.outcome != WriteResult::Outcome::Saved &&
            (kind == Error::Kind::Conflict || kind == Error::Kind::Network || kind == Error::Kind::BadReply)) {
            // Both workstream settings live in one table: read it once.
            const TimerSetting table = changes.at(i).setting == TimerSetting::ChannelState ? TimerSetting::ChannelState
                                                                                           : TimerSetting::Inactivity;
            unsure[table] << QUuid::fromString(r.id).toString(QUuid::WithoutBraces);
        }
    }
    if (unsure.isEmpty()) {
        done(std::move(results));
        return;
    }
    const TimerSetting table = unsure.firstKey();
    QStringList clauses;
    for (const QString &id : unsure.first())
        clauses << TimerSettings::keyColumn(table) + u" eq "_s + id;
    QStringList columns {u"versionnumber"_s, TimerSettings::column(table)};
    if (table != TimerSetting::ChannelState)
        columns << TimerSettings::column(TimerSetting::WrapUpBlock);
    const QString query =
        ODataQuery(TimerSettings::entitySet(table)).select(columns).filter(clauses.join(u" or "_s)).toString();
    QPointer<QObject> guard(context);
    fetchAll(query, context,
             [this, guard, table, changes, results = std::move(results),
              done = std::move(done)](Result<QList<QJsonObject>> rows) mutable {
                 if (rows) {
                     QHash<QString, QJsonObject> byId;
                     for (const QJsonObject &row : rows.value())
                         byId.insert(row.value(TimerSettings::keyColumn(table)).toString().toLower(), row);
                     for (qsizetype i = 0; i < results.size() && i < changes.size(); ++i) {
                         WriteResult &r = results[i];
                         const MinutesChange &change = changes.at(i);
                         const bool inTable =
                             (change.setting == TimerSetting::ChannelState) == (table == TimerSetting::ChannelState);
                         const auto found = byId.constFind(r.id.toLower());
                         if (!inTable || r.outcome == WriteResult::Outcome::Saved || found == byId.cend())
                             continue;
                         const QJsonValue held = found->value(TimerSettings::column(change.setting));
                         const std::optional<int> minutes =
                             held.isDouble() ? std::optional<int>(held.toInt()) : std::nullopt;
                         if (minutes != change.minutes || !(held.isDouble() || held.isNull()))
                             continue;
                         r.outcome = WriteResult::Outcome::Saved;
                         r.minutes = minutes;
                         r.etag = found->value(u"@odata.etag"_s).toString();
                         r.error = Error();
                         r.confirmedByReading = true;
                     }
                 } // unreadable: what the save's reply said stands
                 // The other table's values, if any are still unsure.
                 bool more = false;
                 for (qsizetype i = 0; i < results.size() && i < changes.size(); ++i) {
                     const bool otherTable =
                         (changes.at(i).setting == TimerSetting::ChannelState) != (table == TimerSetting::ChannelState);
                     more = more || (otherTable && results.at(i).outcome != WriteResult::Outcome::Saved);
                 }
                 if (more && guard && table == TimerSetting::ChannelState) {
                     QList<MinutesChange> rest;
                     QList<WriteResult> restResults;
                     QList<qsizetype> at;
                     for (qsizetype i = 0; i < results.size() && i < changes.size(); ++i) {
                         if (changes.at(i).setting != TimerSetting::ChannelState) {
                             rest << changes.at(i);
                             restResults << results.at(i);
                             at << i;
                         }
                     }
                     confirmByReading(rest, restResults, guard,
                                      [results = std::move(results), at, done](QList<WriteResult> confirmed) mutable {
                                          for (qsizetype k = 0; k < at.size() && k < confirmed.size(); ++k)
                                              results[at.at(k)] = confirmed.at(k);
                                          done(std::move(results));
                                      });
                     return;
                 }
                 done(std::move(results));
             });
}

void DataverseClient::saveNext(QList<MinutesChange> changes, QList<QList<qsizetype>> writes, QList<WriteResult> results,
                               QPointer<QObject> context, WriteCallback done)
{
    if (writes.isEmpty()) {
        done(std::move(results));
        return;
    }
    if (results.size() < changes.size())
        results.resize(changes.size());
    const QList<qsizetype> write = writes.takeFirst();
    const WebApiTransport::Call call = patchCall(changes, write);
    m_transport->send(call, context,
                      [this, write, changes = std::move(changes), writes = std::move(writes),
                       results = std::move(results), context,
                       done = std::move(done)](Result<WebApiTransport::Reply> reply) mutable {
                          for (qsizetype i : write) {
                              const MinutesChange &change = changes.at(i);
                              results[i] = reply ? savedFrom(change, reply.value().body)
                                                 : failedWith(change, WriteResult::Outcome::Failed, reply.error());
                          }
                          saveNext(std::move(changes), std::move(writes), std::move(results), context, std::move(done));
                      });
}

void DataverseClient::saveBatch(const QList<MinutesChange> &changes, QObject *context, WriteCallback done)
{
    const QByteArray batch = "batch_" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    const QByteArray changeSet = "changeset_" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    QByteArray body = "--" + batch + "\r\nContent-Type: multipart/mixed; boundary=" + changeSet + "\r\n\r\n";
    const QList<QList<qsizetype>> writes = recordWrites(changes);
    for (qsizetype w = 0; w < writes.size(); ++w) {
        const WebApiTransport::Call patch = patchCall(changes, writes.at(w));
        body += "--" + changeSet + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n" +
            "Content-ID: " + QByteArray::number(w + 1) + "\r\n\r\nPATCH " + patch.url.toEncoded() +
            " HTTP/1.1\r\nContent-Type: application/json\r\n";
        for (const auto &[name, value] : patch.headers)
            body += name + ": " + value + "\r\n";
        body += "\r\n" + patch.body + "\r\n";
    }
    body += "--" + changeSet + "--\r\n--" + batch + "--\r\n";

    WebApiTransport::Call call;
    call.method = "POST";
    call.url = OrgUrl::webApiRoot(m_orgUrl).resolved(QUrl(u"$batch"_s));
    call.headers = {{"Content-Type", "multipart/mixed; boundary=" + batch}};
    call.body = body;
    call.idempotent = true; // every part carries If-Match and the change set is atomic
    call.acceptClientErrors = true;
    m_transport->send(call, context, [changes, done = std::move(done)](Result<WebApiTransport::Reply> reply) {
        QList<WriteResult> results;
        if (!reply) {
            for (const MinutesChange &change : changes)
                results << failedWith(change, WriteResult::Outcome::NotSaved, reply.error());
            done(results);
            return;
        }
        const auto parts = WebApiReply::parseBatchReply(reply.value().header("Content-Type"), reply.value().body);
        if (!parts) {
            // Unreadable: what was saved is unknown. Say so rather than guess; a refresh shows the truth.
            Error unknown = parts.error();
            unknown.userMessage += u' ' +
                QCoreApplication::translate("DataverseClient", "Refresh to see which values the environment holds.");
            for (const MinutesChange &change : changes)
                results << failedWith(change, WriteResult::Outcome::NotSaved, unknown);
            done(results);
            return;
        }
        done(resultsOfBatch(changes, parts.value()));
    });
}

QList<WriteResult> DataverseClient::resultsOfBatch(const QList<MinutesChange> &changes,
                                                   const QList<WebApiReply::BatchPart> &parts)
{
    const QList<QList<qsizetype>> writes = recordWrites(changes);
    QHash<QByteArray, WebApiReply::BatchPart> byId;
    const WebApiReply::BatchPart *failing = nullptr;
    for (const WebApiReply::BatchPart &part : parts) {
        byId.insert(part.contentId, part);
        if (part.status >= 400)
            failing = &part;
    }
    // The change set failed as a whole: the failing record says why, the others were rolled back. Which record
    // failed is in its Content-ID; a reply without one still names it when the save held a single record.
    Error failingError;
    qsizetype failingIndex = -1;
    if (failing) {
        WebApiReply::Failure failure;
        failure.httpStatus = failing->status;
        failure.body = failing->body;
        failingError = WebApiReply::toError(failure);
        bool numbered = false;
        const qsizetype index = failing->contentId.toInt(&numbered) - 1;
        if (numbered && index >= 0 && index < writes.size())
            failingIndex = index;
        else if (failing->contentId.isEmpty() && writes.size() == 1)
            failingIndex = 0;
    }
    QList<qsizetype> writeOf(changes.size(), -1); // the part (Content-ID - 1) each change went in
    for (qsizetype w = 0; w < writes.size(); ++w)
        for (qsizetype i : writes.at(w))
            writeOf[i] = w;
    QList<WriteResult> results;
    for (qsizetype i = 0; i < changes.size(); ++i) {
        const MinutesChange &change = changes.at(i);
        if (failing && writeOf.at(i) == failingIndex) {
            results << failedWith(change, WriteResult::Outcome::Failed, failingError);
        } else if (failing) {
            Error rolledBack = failingError;
            if (failingIndex >= 0) {
                const MinutesChange &refused = changes.at(writes.at(failingIndex).first());
                rolledBack.userMessage =
                    QCoreApplication::translate("DataverseClient",
                                                "Not saved: the save was all-or-nothing and %1 was refused (%2).")
                        .arg(refused.name.isEmpty() ? refused.id : refused.name, failingError.userMessage);
            } else {
                rolledBack.userMessage =
                    QCoreApplication::translate("DataverseClient",
                                                "Not saved: the save was all-or-nothing and one of its records was "
                                                "refused (%1).")
                        .arg(failingError.userMessage);
            }
            results << failedWith(change, WriteResult::Outcome::NotSaved, rolledBack);
        } else if (const auto part = byId.constFind(QByteArray::number(writeOf.at(i) + 1)); part != byId.cend()) {
            results << savedFrom(change, part->body);
        } else {
            Error missing;
            missing.kind = Error::Kind::BadReply;
            missing.userMessage =
                QCoreApplication::translate("DataverseClient",
                                            "The environment's batch reply says nothing about this record; refresh to "
                                            "see whether it was saved.");
            results << failedWith(change, WriteResult::Outcome::NotSaved, missing);
        }
    }
    return results;
}
