// DataverseClient's writes: saving minutes record by record or in one change set, and confirming by reading back what
// a write that got no answer did. Apart from DataverseClient.cpp, which reads.
#include "app/dataverse/DataverseClient.h"

#include "app/dataverse/ODataQuery.h"
#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/WebApiReply.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QPointer>
#include <QUuid>

#include <optional>

using namespace Qt::StringLiterals;

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
