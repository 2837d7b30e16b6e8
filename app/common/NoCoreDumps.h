#pragma once

// A core dump of a process holding an access token, a refresh token or a client secret would carry them to disk
// (or to a crash reporter). Called first thing in each program's main(): Platform::disableCoreDumps (on Linux the
// process is made non-dumpable and its core file size limit is zero; on macOS the limit is zero; on Windows no crash
// dialog and no Windows Error Reporting for the program). AUTOCLOSE_ALLOW_CORE_DUMPS=1 leaves it all alone, for
// debugging.
namespace NoCoreDumps {
void apply();
}
