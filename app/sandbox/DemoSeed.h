#pragma once

#include "models/Result.h"

#include <QDateTime>
#include <QSqlDatabase>

// Fills an empty sandbox database with a realistic demo environment built from Microsoft's defaults
// (DESIGN.md §3): six channels, their state configurations, workstreams and a few hundred conversations of every
// state and age. Deterministic for a given time and seed. The caller owns the transaction.
namespace DemoSeed {
constexpr int DefaultConversationCount = 360;

Result<Done> fill(QSqlDatabase &db, const QDateTime &now, int conversationCount = DefaultConversationCount,
                  quint32 randomSeed = 20240501);
} // namespace DemoSeed
