#include "app/sandbox/DemoSeed.h"

#include "app/sandbox/AuditStore.h"
#include "app/sandbox/EntitySchema.h"
#include "models/ChannelStateConfig.h"
#include "models/MicrosoftDefaults.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
// Ids derived from names: a fresh demo has the same ids every time, as solution-shipped records do.
const QUuid IdNamespace = QUuid(u"6f1c2a4e-3b7d-4c55-9a0e-2d8f6b1e7c90"_s);

QString idFor(const QString &name)
{
    return QUuid::createUuidV5(IdNamespace, name).toString(QUuid::WithoutBraces);
}

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

struct DemoChannel
{
    int streamSource;
    QString name; // the channel configuration's name
    QString recordPrefix; // "Live Chat" in "Live Chat - Open"
    QString workstream; // its workstream's name
    QVariant inactivity; // the workstream's auto-close after inactivity (minutes), or null
    QVariant wrapUpBlock; // the workstream's block capacity for wrap-up (minutes); null: always block (UNCONFIRMED)
};

// Workstream settings (docs/dataverse-tables.md): Microsoft documents no default for either. Auto-close after
// inactivity is offered for persistent chat, SMS, social channels and Teams only, so live chat and voice have none;
// the others have 2880 minutes (UNCONFIRMED, the sandbox's choice), Facebook's raised by a colleague (the audit
// history below). Block capacity for wrap-up is empty, read as Microsoft's default "Always block" (UNCONFIRMED), but
// for web chat, set by the colleague.
constexpr int DefaultInactivity = 2880;

QList<DemoChannel> demoChannels()
{
    const QVariant none;
    return {
        {StreamSource::LiveChat, u"Contoso web chat"_s, u"Live Chat"_s, u"Web chat support"_s, none, 20},
        {StreamSource::Sms, u"Contoso SMS"_s, u"SMS"_s, u"SMS support"_s, DefaultInactivity, none},
        {StreamSource::Voice, u"Contoso voice"_s, u"Voice"_s, u"Phone support"_s, none, none},
        {StreamSource::Teams, u"Contoso Teams"_s, u"Microsoft Teams"_s, u"Internal IT help desk"_s, DefaultInactivity,
         none},
        {StreamSource::Facebook, u"Contoso Facebook page"_s, u"Facebook"_s, u"Social care"_s, 4320, none},
        {StreamSource::WhatsApp, u"Contoso WhatsApp"_s, u"WhatsApp"_s, u"WhatsApp support"_s, DefaultInactivity, none},
    };
}

// One earlier change of the demo's audit history.
struct DemoChange
{
    int daysAgo;
    bool byColleague; // or by the signed-in user
    QString table; // logical name
    QString id;
    QString column;
    QVariant before;
    QVariant after;
};

// Newest last. Each record's current value is the last change's "after" (the Live Chat - Wrap-up value is back at
// Microsoft's default).
QList<DemoChange> demoHistory()
{
    const int chatWrapUp = *MicrosoftDefaults::lookup(StreamSource::LiveChat, int(ConversationState::WrapUp))->minutes;
    const QString chatWrapUpId =
        idFor(u"state/Live Chat - "_s + conversationStateLabel(int(ConversationState::WrapUp)));
    const QString states = u"msdyn_occhannelstateconfiguration"_s;
    const QString workstreams = u"msdyn_liveworkstream"_s;
    return {
        {62, true, states, chatWrapUpId, u"msdyn_autocloseliveworkitemafter"_s, chatWrapUp, 30},
        {41, true, workstreams, idFor(u"workstream/Contoso Facebook page"_s), u"msdyn_autocloseafterinactivity"_s,
         DefaultInactivity, 4320},
        {33, true, workstreams, idFor(u"workstream/Contoso web chat"_s), u"msdyn_blockcapacityforwrapup"_s, QVariant(),
         20},
        {20, false, states, chatWrapUpId, u"msdyn_autocloseliveworkitemafter"_s, 30, chatWrapUp},
    };
}

// The demo's users besides the signed-in one (StoreUpgrade adds that one), and its audit history: each change as an
// audit row with its old and new value, and the changed record's modifiedon at the time of its last change.
bool seedHistory(QSqlDatabase &db, const QDateTime &now, const QString &userId, QString *error)
{
    const QString colleague = idFor(u"systemuser/"_s + QLatin1String(DemoSeed::ColleagueFullName));
    QSqlQuery user(db);
    user.prepare(u"INSERT INTO systemuser (systemuserid, fullname, versionnumber, createdon, modifiedon) "
                 u"VALUES (?, ?, 1, ?, ?)"_s);
    user.addBindValue(colleague);
    user.addBindValue(QString::fromLatin1(DemoSeed::ColleagueFullName));
    user.addBindValue(iso(now.addDays(-365)));
    user.addBindValue(iso(now.addDays(-365)));
    if (!user.exec()) {
        *error = user.lastError().text();
        return false;
    }
    int n = 0;
    for (const DemoChange &change : demoHistory()) {
        const EntitySetDef *set = EntitySchema::findByLogicalName(change.table);
        const ColumnDef *column = set->column(change.column);
        AuditStore::Change c;
        c.auditId = idFor(u"audit/"_s + QString::number(++n));
        c.transactionId = idFor(u"audit-transaction/"_s + QString::number(n));
        c.action = 2;
        c.table = change.table;
        c.objectId = change.id;
        c.userId = change.byColleague ? colleague : userId;
        c.createdOn = now.addDays(-change.daysAgo);
        c.columns = {change.column};
        if (!change.before.isNull())
            c.oldValue.insert(column->jsonName(), change.before.toLongLong());
        if (!change.after.isNull())
            c.newValue.insert(column->jsonName(), change.after.toLongLong());
        if (auto inserted = AuditStore::insert(db, c); !inserted) {
            *error = inserted.error().serviceMessage;
            return false;
        }
        QSqlQuery modified(db);
        modified.prepare(u"UPDATE "_s + set->logicalName + u" SET modifiedon = ? WHERE "_s + set->key + u" = ?"_s);
        modified.addBindValue(iso(c.createdOn));
        modified.addBindValue(change.id);
        if (!modified.exec()) {
            *error = modified.lastError().text();
            return false;
        }
    }
    return true;
}

// Inserts rows with one prepared statement per table, numbering versions as it goes.
class Inserter
{
public:
    explicit Inserter(QSqlDatabase &db)
        : m_db(db)
    { }

    bool insert(const EntitySetDef &set, const QHash<QString, QVariant> &values)
    {
        auto it = m_statements.find(set.logicalName);
        if (it == m_statements.end()) {
            QStringList names;
            QStringList marks;
            for (const ColumnDef &c : set.columns) {
                names << c.name;
                marks << u"?"_s;
            }
            QSqlQuery q(m_db);
            if (!q.prepare(u"INSERT INTO "_s + set.logicalName + u" ("_s + names.join(u", "_s) + u") VALUES ("_s +
                           marks.join(u", "_s) + u')')) {
                m_error = q.lastError().text();
                return false;
            }
            it = m_statements.insert(set.logicalName, q);
        }
        QSqlQuery &q = it.value();
        for (const ColumnDef &c : set.columns) {
            if (c.name == u"versionnumber"_s && !values.contains(c.name))
                q.addBindValue(++m_version);
            else
                q.addBindValue(values.value(c.name));
        }
        if (!q.exec()) {
            m_error = q.lastError().text();
            return false;
        }
        if (values.contains(u"versionnumber"_s))
            m_version = std::max(m_version, values.value(u"versionnumber"_s).toLongLong());
        return true;
    }
    qint64 version() const { return m_version; }
    QString error() const { return m_error; }

    bool saveVersion()
    {
        QSqlQuery meta(m_db);
        meta.prepare(u"INSERT OR REPLACE INTO sandbox_meta (key, value) VALUES ('versionnumber', ?)"_s);
        meta.addBindValue(QString::number(m_version));
        if (!meta.exec()) {
            m_error = meta.lastError().text();
            return false;
        }
        return true;
    }

private:
    QSqlDatabase &m_db;
    QHash<QString, QSqlQuery> m_statements;
    qint64 m_version = 1000000; // Dataverse version numbers are large and only ever grow.
    QString m_error;
};

const std::array<QString, 12> CustomerNames = {
    u"Alex Wilber"_s,    u"Megan Bowen"_s,     u"Lee Gu"_s,       u"Isaiah Langer"_s,
    u"Adele Vance"_s,    u"Lidia Holloway"_s,  u"Nestor Wilke"_s, u"Pradeep Gupta"_s,
    u"Johanna Lorenz"_s, u"Diego Siciliani"_s, u"Grady Archie"_s, u"Miriam Graham"_s,
};
const std::array<QString, 8> Topics = {
    u"Order status"_s,     u"Refund request"_s, u"Password reset"_s, u"Delivery delay"_s,
    u"Billing question"_s, u"Product advice"_s, u"Warranty claim"_s, u"Account update"_s,
};
} // namespace

Result<Done> DemoSeed::fill(QSqlDatabase &db, const QDateTime &now, const QString &userId, int conversationCount,
                            quint32 randomSeed)
{
    Inserter inserter(db);
    const auto failed = [&inserter]() {
        Error e;
        e.kind = Error::Kind::Server;
        e.userMessage = QCoreApplication::translate("DemoSeed", "Cannot write the demo data to the sandbox database.");
        e.serviceMessage = inserter.error();
        return e;
    };
    const EntitySetDef &channels = *EntitySchema::find(u"msdyn_occhannelconfigurations"_s);
    const EntitySetDef &states = *EntitySchema::find(u"msdyn_occhannelstateconfigurations"_s);
    const EntitySetDef &workstreams = *EntitySchema::find(u"msdyn_liveworkstreams"_s);
    const EntitySetDef &conversations = *EntitySchema::find(u"msdyn_ocliveworkitems"_s);

    const QDateTime installed = now.addDays(-120);
    const QList<DemoChannel> demo = demoChannels();
    const std::array<ConversationState, 4> configuredStates = {ConversationState::Open, ConversationState::Active,
                                                               ConversationState::Waiting, ConversationState::WrapUp};
    for (const DemoChannel &channel : demo) {
        const QString channelId = idFor(u"channel/"_s + channel.name);
        if (!inserter.insert(channels,
                             {{u"msdyn_occhannelconfigurationid"_s, channelId},
                              {u"msdyn_name"_s, channel.name},
                              {u"msdyn_streamsource"_s, channel.streamSource},
                              {u"statecode"_s, 0},
                              {u"statuscode"_s, 1},
                              {u"createdon"_s, iso(installed)},
                              {u"modifiedon"_s, iso(installed)}}))
            return failed();
        for (ConversationState state : configuredStates) {
            const int code = int(state);
            const auto def = MicrosoftDefaults::lookup(channel.streamSource, code);
            const QVariant minutes = def && def->minutes ? QVariant(*def->minutes) : QVariant();
            const QString name = channel.recordPrefix + u" - "_s + conversationStateLabel(code);
            if (!inserter.insert(states,
                                 {{u"msdyn_occhannelstateconfigurationid"_s, idFor(u"state/"_s + name)},
                                  {u"msdyn_name"_s, name},
                                  {u"msdyn_autocloseliveworkitemafter"_s, minutes},
                                  {u"msdyn_ocliveworkitemstate"_s, code},
                                  {u"msdyn_occhannelconfigurationid"_s, channelId},
                                  {u"statecode"_s, 0},
                                  {u"statuscode"_s, 1},
                                  {u"createdon"_s, iso(installed)},
                                  {u"modifiedon"_s, iso(installed)}}))
                return failed();
        }
        if (!inserter.insert(workstreams,
                             {{u"msdyn_liveworkstreamid"_s, idFor(u"workstream/"_s + channel.name)},
                              {u"msdyn_name"_s, channel.workstream},
                              {u"msdyn_streamsource"_s, channel.streamSource},
                              {u"msdyn_autocloseafterinactivity"_s, channel.inactivity},
                              {u"msdyn_blockcapacityforwrapup"_s, channel.wrapUpBlock},
                              {u"msdyn_blockcapacityforwrapupinseconds"_s, QVariant()},
                              {u"statecode"_s, 0},
                              {u"statuscode"_s, 1},
                              {u"createdon"_s, iso(installed)},
                              {u"modifiedon"_s, iso(installed)}}))
            return failed();
    }

    // Conversations of every channel, state and age: ages spread evenly on a log scale from a minute to 60 days,
    // so every auto-close value has conversations on both sides of it.
    QRandomGenerator random(randomSeed);
    const std::array<int, 9> statusCodes = {1, 1, 2, 2, 3, 5, 5, 4, 6}; // Open, Active, Waiting, Wrap-up, Closed…
    const double maxAgeLog = std::log(60.0 * 24 * 60);
    for (int i = 0; i < conversationCount; ++i) {
        const DemoChannel &channel = demo.at(i % demo.size());
        const int status = statusCodes.at(size_t(i / demo.size()) % statusCodes.size());
        const qint64 ageMinutes = qint64(std::exp(random.generateDouble() * maxAgeLog));
        const QDateTime created = now.addSecs(-ageMinutes * 60 - random.bounded(60));
        const QDateTime modified = created.addSecs(qint64(random.generateDouble() * double(created.secsTo(now))));
        QVariant wrapUp;
        // One wrap-up in five has no wrap-up time: the preview must cope with that, as real data has it.
        if (status == 5 && random.bounded(5) != 0)
            wrapUp = iso(created.addSecs(qint64(random.generateDouble() * double(created.secsTo(modified)))));
        const int stateCode = status <= 3 || status == 5 ? 0 : (status == 4 ? 1 : 2);
        const QString customer = CustomerNames.at(size_t(random.bounded(int(CustomerNames.size()))));
        const QString topic = Topics.at(size_t(random.bounded(int(Topics.size()))));
        const QString id = idFor(u"conversation/"_s + QString::number(randomSeed) + u'/' + QString::number(i));
        if (!inserter.insert(conversations,
                             {{u"activityid"_s, id},
                              {u"msdyn_ocliveworkitemid"_s, id},
                              {u"subject"_s, QString(topic + u" — "_s + customer)},
                              {u"msdyn_title"_s, customer},
                              {u"msdyn_channel"_s, QString::number(channel.streamSource)},
                              {u"statecode"_s, stateCode},
                              {u"statuscode"_s, status},
                              {u"createdon"_s, iso(created)},
                              {u"modifiedon"_s, iso(modified)},
                              {u"msdyn_modifiedon"_s, iso(modified)},
                              {u"msdyn_statusupdatedon"_s, iso(modified)},
                              {u"msdyn_wrapupinitiatedon"_s, wrapUp},
                              {u"msdyn_liveworkstreamid"_s, idFor(u"workstream/"_s + channel.name)}}))
            return failed();
    }

    if (!inserter.saveVersion())
        return failed();
    if (QString error; !seedHistory(db, now, userId, &error)) {
        Error e = failed();
        e.serviceMessage = error;
        return e;
    }
    return Done {};
}

Result<Done> DemoSeed::fillFromFile(QSqlDatabase &db, const QString &path, const QDateTime &now)
{
    const auto bad = [&path](const QString &message) {
        return Error::badInput(QCoreApplication::translate("DemoSeed", "Seed file %1: %2").arg(path, message));
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return bad(file.errorString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return bad(u"not valid JSON (%1 at byte %2)."_s.arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return bad(u"expected an object with one array per entity set."_s);

    Inserter inserter(db);
    const QJsonObject top = doc.object();
    for (auto set = top.begin(); set != top.end(); ++set) {
        const EntitySetDef *def = EntitySchema::find(set.key());
        if (!def) {
            QStringList known;
            for (const EntitySetDef &d : EntitySchema::all())
                known << d.entitySet;
            return bad(u"unknown entity set '%1' (known: %2)."_s.arg(set.key(), known.join(u", "_s)));
        }
        if (!set.value().isArray())
            return bad(u"%1 is not an array of records."_s.arg(set.key()));
        const QJsonArray records = set.value().toArray();
        for (qsizetype i = 0; i < records.size(); ++i) {
            const QString where = u"%1[%2]"_s.arg(set.key()).arg(i);
            if (!records.at(i).isObject())
                return bad(u"%1 is not an object."_s.arg(where));
            const QJsonObject record = records.at(i).toObject();
            const QUuid id = QUuid::fromString(record.value(def->key).toString());
            if (id.isNull())
                return bad(u"%1 has no valid %2 (a GUID)."_s.arg(where, def->key));
            QHash<QString, QVariant> values {
                {u"statecode"_s, 0}, {u"statuscode"_s, 1}, {u"createdon"_s, iso(now)}, {u"modifiedon"_s, iso(now)}};
            for (auto field = record.begin(); field != record.end(); ++field) {
                if (field.key().startsWith(u"@odata."_s))
                    continue;
                const ColumnDef *column = def->columnByJsonName(field.key());
                if (!column)
                    return bad(
                        u"%1 (%2): unknown field '%3'."_s.arg(where, id.toString(QUuid::WithoutBraces), field.key()));
                const auto value = EntitySchema::storedValue(*def, *column, field.value());
                if (!value)
                    return bad(
                        u"%1 (%2): %3"_s.arg(where, id.toString(QUuid::WithoutBraces), value.error().userMessage));
                values.insert(column->name, value.value());
            }
            if (!inserter.insert(*def, values))
                return bad(u"%1 (%2) could not be stored: %3"_s.arg(where, id.toString(QUuid::WithoutBraces),
                                                                    inserter.error()));
        }
    }
    if (!inserter.saveVersion())
        return bad(inserter.error());
    return Done {};
}
