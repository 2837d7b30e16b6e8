#include "app/common/NoCoreDumps.h"

#include <QByteArray>
#include <QtGlobal>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif
#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#endif

void NoCoreDumps::apply()
{
    if (qgetenv("AUTOCLOSE_ALLOW_CORE_DUMPS") == "1")
        return;
#if defined(Q_OS_UNIX)
    const rlimit none {0, 0};
    setrlimit(RLIMIT_CORE, &none);
#endif
#if defined(Q_OS_LINUX)
    // Also covers a core_pattern that pipes to a crash collector, which RLIMIT_CORE does not stop. (LeakSanitizer
    // makes the process dumpable again for its own scan, so the sanitized tests are unaffected.)
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}
