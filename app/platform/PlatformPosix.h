#pragma once

// What PlatformPosix.cpp asks of the one system it is built for: PlatformLinux.cpp or PlatformMac.cpp. Private to
// app/platform/.
namespace Platform::Os {

// After the core file size limit is zero: what else keeps the process's memory out of a dump.
void forbidDumping();
// Whether forbidDumping's effect is there.
bool dumpingForbidden();

// Removes the extended ACL entries of an open file or a path, where the system has them beside the mode (macOS).
bool clearExtraAccess(int fd);
bool clearExtraAccess(const char *path);
// Whether no extended ACL entry gives anyone access to path.
bool hasNoExtraAccess(const char *path);

} // namespace Platform::Os
