#pragma once

#include <QString>

#include <optional>

// One msdyn_liveworkstream: its "auto-close after inactivity" governs Waiting conversations of persistent chat, SMS,
// social channels and Teams instead of the channel-state configuration (docs/dataverse-tables.md,
// docs/closing-rule.md).
struct Workstream
{
    QString id; // msdyn_liveworkstreamid
    QString name;
    std::optional<int> streamSource;
    std::optional<int> inactivityMinutes; // msdyn_autocloseafterinactivity (UNCONFIRMED unit: minutes)

    friend bool operator==(const Workstream &, const Workstream &) = default;
};
