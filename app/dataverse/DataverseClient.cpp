#include "app/dataverse/DataverseClient.h"

#include "app/dataverse/ODataQuery.h"
#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/PageWalker.h"
#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

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
