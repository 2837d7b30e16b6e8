#pragma once

#include <QString>

#include <optional>

// A value the user has typed but not saved yet, with the version of the record it was typed over: saving sends that
// version as If-Match, so a colleague's change made meanwhile is reported as a conflict, never overwritten.
struct PendingEdit
{
    QString id; // msdyn_occhannelstateconfigurationid
    std::optional<int> minutes; // the new value; empty = never auto-close
    QString baseEtag; // the record's @odata.etag when the edit was made
    std::optional<int> baseMinutes; // the server's value then

    friend bool operator==(const PendingEdit &, const PendingEdit &) = default;
};
