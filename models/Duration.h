#pragma once

#include "models/Result.h"

#include <QString>

#include <limits>
#include <optional>

// Minutes in the units people think in: "20 min", "2 h", "30 days", "1 day 12 h", "Never"; and back.
namespace Duration {
constexpr int MinutesPerHour = 60;
constexpr int MinutesPerDay = 24 * MinutesPerHour;
constexpr int MinutesPerWeek = 7 * MinutesPerDay;

QString format(std::optional<int> minutes);
// The same in words, as a screen reader says it: "20 minutes", "1 day 12 hours", "never".
QString spoken(std::optional<int> minutes);

// The values msdyn_autocloseliveworkitemafter accepts, from the column's metadata (docs/web-api.md).
struct Range
{
    qint64 min = 0;
    qint64 max = std::numeric_limits<int>::max();
    bool allowsNever = true; // false for a required column (a workstream's inactivity): "never" is refused
};

// What the user typed, read as minutes: "45", "45m", "2h", "1.5 h", "1d 12h", "30 days", "2 weeks", "never".
// The value is empty for "never". An Error (BadInput) says what was wrong and what is allowed.
Result<std::optional<int>> parse(const QString &text, Range range = {});
} // namespace Duration
