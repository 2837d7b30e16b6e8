// libFuzzer: the duration parser ("45", "2h", "1d 12h", "never", …) on any text, and its round trip: whatever it
// reads, formatting it and reading that again gives the same minutes.
#include "models/Duration.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto minutes = Duration::parse(text);
    if (!minutes.ok())
        return 0;
    const auto again = Duration::parse(Duration::format(minutes.value()));
    if (!again.ok() || again.value() != minutes.value())
        std::abort();
    return 0;
}
