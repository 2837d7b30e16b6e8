#pragma once

#include <QString>

#include <optional>

// Minutes in the units people think in: "20 min", "2 h", "30 days", "1 day 12 h", "Never".
namespace Duration {
constexpr int MinutesPerHour = 60;
constexpr int MinutesPerDay = 24 * MinutesPerHour;

QString format(std::optional<int> minutes);
} // namespace Duration
