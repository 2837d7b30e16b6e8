#pragma once

#include "models/Result.h"

#include <QDateTime>
#include <QString>

// Many conversations written straight into a sandbox's database, in one transaction and in about a second per
// 100,000: for tests and benchmarks of sizes the demo seed does not make (sets either side of the Web API's
// aggregate limit, hundreds of thousands in one configuration). The sandbox serving the file sees them at once.
namespace BulkConversations {

struct Spec
{
    int channel = 0; // msdyn_channel, one stream source code
    int statusCode = 1; // Open
    int count = 0;
    QDateTime first; // createdon (and modifiedon) of the first
    int stepSeconds = 1; // between one and the next; 0: all in the same second
    QString workstreamId = {}; // _msdyn_liveworkstreamid_value; empty: none
};

// Inserts spec.count conversations with random ids (so that the ids' order is not the order of creation).
Result<Done> insert(const QString &databasePath, const Spec &spec);

} // namespace BulkConversations
