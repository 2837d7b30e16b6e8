#pragma once

#include <QString>

#include <optional>

// Microsoft's documented default auto-close value for a channel and state (docs/closing-rule.md, admin article 2024).
struct DefaultValue
{
    std::optional<int> minutes; // empty = never auto-closes by default
    QString note; // what else governs this state, when something does
};

namespace MicrosoftDefaults {
// Empty when Microsoft documents no default for this channel and state.
std::optional<DefaultValue> lookup(std::optional<int> streamSource, int state);
// What else decides when conversations in this state close, if anything (empty otherwise).
QString caveat(std::optional<int> streamSource, int state);
} // namespace MicrosoftDefaults
