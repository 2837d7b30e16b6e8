#pragma once

#include "app/dataverse/DataverseClient.h"
#include "models/Result.h"
#include "models/Snapshot.h"
#include "models/SnapshotDiff.h"

#include <functional>

// Reading an environment as a snapshot, as the window and the CLI both do (applying one is EditSession::apply).
namespace SnapshotOps {

// The environment's configurations, workstreams and organization id, as a snapshot taken now (the current schema
// version).
void capture(DataverseClient *client, QObject *context, std::function<void(Result<Snapshot>)> done);

// Checks every value a plan would write against its column's range as the environment's metadata gives it
// (DataverseClient::fetchRange, one read per setting the plan writes): done gets Done when all are inside, a BadInput
// Error naming each value outside otherwise, or the read's Error. The file's own ranges (Snapshot::fileRange) were
// checked when it was read; an environment may allow less.
void checkRanges(DataverseClient *client, const ApplyPlan &plan, QObject *context,
                 std::function<void(Result<Done>)> done);

} // namespace SnapshotOps
