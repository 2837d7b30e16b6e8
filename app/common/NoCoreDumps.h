#pragma once

// A core dump of a process holding an access token, a refresh token or a client secret would carry them to disk
// (or to a crash reporter). Called first thing in each program's main(): on Linux the process is made
// non-dumpable, and on every POSIX system its core file size limit is set to zero. AUTOCLOSE_ALLOW_CORE_DUMPS=1
// leaves both alone, for debugging.
namespace NoCoreDumps {
void apply();
}
