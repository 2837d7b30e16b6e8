// libFuzzer: the snapshot importer on any bytes. A file it accepts is written back and read again unchanged: its
// version, records and workstreams.
#include "models/Snapshot.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto snapshot = Snapshot::fromJson(json, QStringLiteral("fuzz.json"));
    if (!snapshot.ok())
        return 0;
    const auto again = Snapshot::fromJson(snapshot.value().toJson(), QStringLiteral("again.json"));
    if (!again.ok() || again.value().records != snapshot.value().records ||
        again.value().workstreams != snapshot.value().workstreams ||
        again.value().schemaVersion != snapshot.value().schemaVersion)
        std::abort();
    (void)snapshot.value().toCsv();
    return 0;
}
