#pragma once

#include "models/Result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

// What an older data directory is brought up to when it is opened, in createSchema's transaction: the columns the
// schema has gained since, and the signed-in user as a systemuser row that the audit history can name.
namespace StoreUpgrade {

// The signed-in user's full name (systemusers(<id>)?$select=fullname; docs/change-history.md).
inline constexpr const char *SignedInUserFullName = "Demo Administrator";

// Adds every column of the schema a table lacks; existing rows have it empty, which is each new column's default
// (docs/dataverse-tables.md).
Result<Done> addMissingColumns(QSqlDatabase &db);

// Adds the user as a systemuser row when there is none with that id.
Result<Done> ensureUser(QSqlDatabase &db, const QString &userId, const QString &fullName, const QDateTime &now);

} // namespace StoreUpgrade
