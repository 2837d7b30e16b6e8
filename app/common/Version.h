#pragma once

#include <QString>

// What --version prints for every program: the product version, the git commit it was built from and the Qt it runs
// on (and was built with, when they differ).
namespace Version {
QString product(); // "0.1.0"
QString commit(); // "1a2b3c4d5e6f", "…-modified", or "unknown" outside a git checkout
QString describe(); // "0.1.0 (commit 1a2b3c4d5e6f, Qt 6.4.2)"
} // namespace Version
