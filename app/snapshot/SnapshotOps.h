#pragma once

#include "app/dataverse/DataverseClient.h"
#include "models/Result.h"
#include "models/Snapshot.h"

#include <functional>

// Reading an environment as a snapshot, as the window and the CLI both do (applying one is EditSession::apply).
namespace SnapshotOps {

// The environment's configurations and organization id, as a snapshot taken now.
void capture(DataverseClient *client, QObject *context, std::function<void(Result<Snapshot>)> done);

} // namespace SnapshotOps
