#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

// One msdyn_liveworkstream and its two timers (docs/dataverse-tables.md, docs/closing-rule.md): "auto-close after
// inactivity" governs Waiting conversations of persistent chat, SMS, social channels and Teams instead of the
// channel-state configuration; "block capacity for wrap-up" wins over the Wrap-up value when it is longer.
struct Workstream
{
    QString id; // msdyn_liveworkstreamid
    QString name;
    std::optional<int> streamSource;
    std::optional<int> inactivityMinutes; // msdyn_autocloseafterinactivity (UNCONFIRMED unit: minutes)
    std::optional<int> wrapUpBlockMinutes; // msdyn_blockcapacityforwrapup (UNCONFIRMED unit: minutes)
    QString etag; // @odata.etag, W/"<versionnumber>"
    QDateTime modifiedOn;

    friend bool operator==(const Workstream &, const Workstream &) = default;
};
