#pragma once

#include "app/dataverse/DataverseClient.h"
#include "app/snapshot/AuditLog.h"
#include "models/Result.h"
#include "models/Snapshot.h"
#include "models/SnapshotDiff.h"

#include <QCoreApplication>

#include <functional>

// The snapshot operations the window and the CLI share: capture an environment, and apply a plan to it.
namespace SnapshotOps {

// The environment's configurations and organization id, as a snapshot taken now.
void capture(DataverseClient *client, QObject *context, std::function<void(Result<Snapshot>)> done);

struct ApplyRequest
{
    ApplyPlan plan;
    Snapshot before; // the environment as the plan was computed from; written to a file first
    QString source; // for the audit log: "apply <file>", "set", "editor"
    QString user; // for the audit log: who is signed in, as known
    DataverseClient::WriteMode mode = DataverseClient::WriteMode::Batch;
    QString beforeDirectory; // where the "before apply" snapshot goes (default: SnapshotFiles::defaultDirectory())
    QString auditLogPath; // default: AuditLog::defaultPath()
};

struct ApplyOutcome
{
    QString beforeSnapshot; // the file written before anything was sent
    QList<WriteResult> results; // one per plan change, in order
    QString auditProblem; // set when the audit log could not be written (the changes were still made)

    qsizetype count(WriteResult::Outcome outcome) const;
    bool allSaved() const { return count(WriteResult::Outcome::Saved) == results.size(); }
    // The error that best describes a failed apply (a conflict before anything else), for exit codes.
    std::optional<Error> firstError() const;
};

// Writes the "before apply" snapshot (nothing is sent when that fails), saves the plan's changes with If-Match,
// and appends one audit entry per record. done gets an Error only when nothing was sent.
void apply(DataverseClient *client, const ApplyRequest &request, QObject *context,
           std::function<void(Result<ApplyOutcome>)> done);

// Entries for the audit log from a save's results (also used by the editor's own saves).
QList<AuditLog::Entry> auditEntries(const QList<MinutesChange> &changes, const QList<std::optional<int>> &oldMinutes,
                                    const QList<WriteResult> &results, const QString &environmentUrl,
                                    const QString &organizationId, const QString &user, const QString &source,
                                    const QString &beforeSnapshot);

} // namespace SnapshotOps
