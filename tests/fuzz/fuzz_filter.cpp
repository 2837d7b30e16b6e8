// libFuzzer: the sandbox's OData $filter parser on any text, for each entity set. It either refuses the filter
// with a message or turns it into SQL whose every value is bound: one placeholder per bound value, and never a
// second statement.
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/ODataFilter.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString filter = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QDateTime now(QDate(2026, 5, 1), QTime(8, 0), Qt::UTC);
    for (const EntitySetDef &set : EntitySchema::all()) {
        const auto sql = ODataFilter::toSql(filter, set, now);
        if (!sql.ok() && sql.error().userMessage.isEmpty())
            std::abort(); // a refusal always says why
        if (sql.ok() && (sql.value().sql.count(u'?') != sql.value().binds.size() || sql.value().sql.contains(u';')))
            std::abort(); // literals are bound, never written into the SQL
    }
    return 0;
}
