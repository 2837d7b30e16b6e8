// The Linux-only part of the platform layer (app/platform/PlatformPosix.h).
#include "app/platform/PlatformPosix.h"

#include <sys/prctl.h>

namespace Platform::Os {

void forbidDumping()
{
    // Also covers a core_pattern that pipes to a crash collector, which RLIMIT_CORE does not stop, and keeps other
    // processes of the user from attaching to this one. (LeakSanitizer makes the process dumpable again for its own
    // scan, so the sanitized tests are unaffected.)
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

bool dumpingForbidden()
{
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
}

// Linux's ACLs hang on the mode: its group bits are the mask of every named entry, so a file 0600 or a folder 0700
// gives no named user or group anything. Nothing more to clear or to check.
bool clearExtraAccess(int)
{
    return true;
}

bool clearExtraAccess(const char *)
{
    return true;
}

bool hasNoExtraAccess(const char *)
{
    return true;
}

} // namespace Platform::Os
