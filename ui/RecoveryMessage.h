#pragma once

#include "app/session/EditSession.h"

// What the window's banner says of the edits brought back from the journal at start: how many were restored, which
// reached the server after all, which need no saving, and which could not come back.
namespace RecoveryMessage {

// The banner's text (HTML); journalPath is named when the journal could not be read.
QString text(const EditSession::Recovery &recovery, const QString &journalPath);

} // namespace RecoveryMessage
