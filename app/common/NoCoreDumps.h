#pragma once

// A core dump of a process holding an access token, a refresh token or a client secret would carry them to disk
// (or to a crash reporter). Called first thing in each program's main(): Platform::disableCoreDumps (on Linux the
// process is made non-dumpable and its core file size limit is zero; on macOS the limit is zero; on Windows no crash
// dialog and no Windows Error Reporting for the program, an exclusion kept in the user's registry).
// AUTOCLOSE_ALLOW_CORE_DUMPS=1 leaves the process's settings alone, for debugging, and on Windows takes that exclusion
// away again.
namespace NoCoreDumps {
void apply();
}
