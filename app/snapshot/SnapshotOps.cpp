#include "app/snapshot/SnapshotOps.h"

#include "app/common/Version.h"
#include "app/snapshot/SnapshotFiles.h"

#include <QDir>
#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

void SnapshotOps::capture(DataverseClient *client, QObject *context, std::function<void(Result<Snapshot>)> done)
{
    QPointer<DataverseClient> guard(client);
    client->fetchConfigurations(
        context, [guard, context, done = std::move(done)](Result<QList<ChannelStateConfig>> configs) mutable {
            if (!configs) {
                done(configs.error());
                return;
            }
            if (!guard)
                return;
            auto records = std::make_shared<QList<ChannelStateConfig>>(std::move(configs).value());
            const QString url = guard->orgUrl().toString();
            guard->whoAmI(context, [records, url, done = std::move(done)](Result<WebApiReply::Identity> who) {
                if (!who) {
                    done(who.error());
                    return;
                }
                Snapshot snapshot;
                snapshot.environmentUrl = url;
                snapshot.organizationId = who.value().organizationId;
                snapshot.exportedAt = QDateTime::currentDateTimeUtc();
                snapshot.toolVersion = Version::product();
                snapshot.records = *records;
                snapshot.normalize();
                done(std::move(snapshot));
            });
        });
}

qsizetype SnapshotOps::ApplyOutcome::count(WriteResult::Outcome outcome) const
{
    return std::count_if(results.cbegin(), results.cend(),
                         [outcome](const WriteResult &r) { return r.outcome == outcome; });
}

std::optional<Error> SnapshotOps::ApplyOutcome::firstError() const
{
    std::optional<Error> first;
    for (const WriteResult &r : results) {
        if (r.outcome == WriteResult::Outcome::Saved || r.error.userMessage.isEmpty())
            continue;
        if (r.error.kind == Error::Kind::Conflict)
            return r.error;
        if (!first)
            first = r.error;
    }
    return first;
}

QList<AuditLog::Entry> SnapshotOps::auditEntries(const QList<MinutesChange> &changes,
                                                 const QList<std::optional<int>> &oldMinutes,
                                                 const QList<WriteResult> &results, const QString &environmentUrl,
                                                 const QString &organizationId, const QString &user,
                                                 const QString &source, const QString &beforeSnapshot)
{
    QList<AuditLog::Entry> entries;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (qsizetype i = 0; i < changes.size(); ++i) {
        const MinutesChange &change = changes.at(i);
        const WriteResult result = i < results.size() ? results.at(i) : WriteResult {};
        AuditLog::Entry e;
        e.at = now;
        e.user = user;
        e.osUser = AuditLog::currentOsUser();
        e.environmentUrl = environmentUrl;
        e.organizationId = organizationId;
        e.recordId = change.id;
        e.recordName = change.name;
        e.oldMinutes = i < oldMinutes.size() ? oldMinutes.at(i) : std::nullopt;
        e.newMinutes = change.minutes;
        switch (result.outcome) {
        case WriteResult::Outcome::Saved:
            e.result = u"saved"_s;
            break;
        case WriteResult::Outcome::Failed:
            e.result = u"failed"_s;
            break;
        case WriteResult::Outcome::NotSaved:
            e.result = u"not-saved"_s;
            break;
        }
        e.error = result.outcome == WriteResult::Outcome::Saved ? QString() : result.error.userMessage;
        e.source = source;
        e.beforeSnapshot = beforeSnapshot;
        entries << e;
    }
    return entries;
}

void SnapshotOps::apply(DataverseClient *client, const ApplyRequest &request, QObject *context,
                        std::function<void(Result<ApplyOutcome>)> done)
{
    const QString directory =
        request.beforeDirectory.isEmpty() ? SnapshotFiles::defaultDirectory() : request.beforeDirectory;
    const QString beforePath = QDir(directory).filePath(
        SnapshotFiles::fileName(u"before-apply"_s, request.before.environmentUrl, QDateTime::currentDateTimeUtc()));
    const auto written = SnapshotFiles::writeAtomically(beforePath, request.before.toJson());
    if (!written) {
        Error e = written.error();
        e.userMessage = Snapshot::tr("Nothing was applied: the snapshot of the environment as it was could not be "
                                     "kept first. %1")
                            .arg(e.userMessage);
        done(e);
        return;
    }
    QList<MinutesChange> changes;
    QList<std::optional<int>> oldMinutes;
    for (const ApplyPlan::Change &c : request.plan.changes) {
        changes << MinutesChange {c.current.id, c.current.name, c.current.etag, c.minutes};
        oldMinutes << c.current.minutes;
    }
    client->saveMinutes(
        changes, request.mode, context,
        [request, changes, oldMinutes, beforePath, done = std::move(done)](QList<WriteResult> results) {
            ApplyOutcome outcome;
            outcome.beforeSnapshot = beforePath;
            outcome.results = std::move(results);
            const AuditLog log(request.auditLogPath.isEmpty() ? AuditLog::defaultPath() : request.auditLogPath);
            const auto logged =
                log.append(auditEntries(changes, oldMinutes, outcome.results, request.before.environmentUrl,
                                        request.before.organizationId, request.user, request.source, beforePath));
            if (!logged)
                outcome.auditProblem = logged.error().userMessage;
            done(std::move(outcome));
        });
}
