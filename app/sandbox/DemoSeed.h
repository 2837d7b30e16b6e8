#pragma once

#include "models/Result.h"

#include <QDateTime>
#include <QSqlDatabase>

// Fills an empty sandbox database with a realistic demo environment built from Microsoft's defaults
// (docs/closing-rule.md, docs/dataverse-tables.md): six channels, their state configurations, a workstream each, a
// few hundred conversations of every state and age, and a short audit history of earlier changes by a colleague and
// by the signed-in user (userId; docs/change-history.md). Deterministic for a given time and seed. The caller owns
// the transaction.
namespace DemoSeed {
constexpr int DefaultConversationCount = 360;
constexpr quint32 DefaultRandomSeed = 20240501;

Result<Done> fill(QSqlDatabase &db, const QDateTime &now, const QString &userId,
                  int conversationCount = DefaultConversationCount, quint32 randomSeed = DefaultRandomSeed);

// The colleague whose earlier changes the demo's audit history shows.
inline constexpr const char *ColleagueFullName = "Patti Fernandez";

// Fills the database from a seed file instead: one array per entity set, records in Web API shape. Every problem
// is a BadInput error naming the record and the field; the caller rolls back, so nothing is half filled.
Result<Done> fillFromFile(QSqlDatabase &db, const QString &path, const QDateTime &now);
} // namespace DemoSeed
