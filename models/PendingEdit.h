#pragma once

#include "models/TimerSetting.h"

#include <QString>

#include <optional>

// A value the user has typed but not saved yet, with the version of the record it was typed over: saving sends that
// version as If-Match, so a colleague's change made meanwhile is reported as a conflict, never overwritten.
struct PendingEdit
{
    QString id; // the record's id (msdyn_occhannelstateconfigurationid, msdyn_liveworkstreamid)
    std::optional<int> minutes; // the new value; empty = never auto-close
    QString baseEtag; // the record's @odata.etag when the edit was made
    std::optional<int> baseMinutes; // the server's value then
    TimerSetting setting = TimerSetting::ChannelState; // which of the record's values

    ValueRef ref() const { return {id, setting}; }
    friend bool operator==(const PendingEdit &, const PendingEdit &) = default;
};
