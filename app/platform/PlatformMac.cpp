// The macOS-only part of the platform layer (app/platform/PlatformPosix.h).
#include "app/platform/PlatformPosix.h"

#include <cerrno>

#include <sys/types.h>

#include <sys/acl.h>

namespace Platform::Os {

void forbidDumping()
{
    // Nothing stands in for Linux's non-dumpable flag here, and nothing is needed for dumps: with the core file size
    // limit at zero the system writes no core file (docs/architecture.md, "The platform layer").
}

bool dumpingForbidden()
{
    return true;
}

namespace {
// Gives a file an empty extended ACL: its mode alone decides. A file system without ACLs has nothing to clear.
template<typename Set>
bool setEmptyAcl(Set set)
{
    acl_t empty = acl_init(1);
    if (empty == nullptr)
        return false;
    const bool done = set(empty) == 0 || errno == ENOTSUP;
    acl_free(empty);
    return done;
}
} // namespace

bool clearExtraAccess(int fd)
{
    return setEmptyAcl([fd](acl_t acl) { return acl_set_fd_np(fd, acl, ACL_TYPE_EXTENDED); });
}

bool clearExtraAccess(const char *path)
{
    return setEmptyAcl([path](acl_t acl) { return acl_set_file(path, ACL_TYPE_EXTENDED, acl); });
}

bool hasNoExtraAccess(const char *path)
{
    acl_t acl = acl_get_file(path, ACL_TYPE_EXTENDED);
    if (acl == nullptr)
        return errno == ENOENT || errno == ENOTSUP; // no extended ACL at all
    bool allows = false;
    acl_entry_t entry = nullptr;
    for (int which = ACL_FIRST_ENTRY; acl_get_entry(acl, which, &entry) == 0; which = ACL_NEXT_ENTRY) {
        acl_tag_t tag = {};
        if (acl_get_tag_type(entry, &tag) != 0 || tag != ACL_EXTENDED_DENY)
            allows = true;
    }
    acl_free(acl);
    return !allows;
}

} // namespace Platform::Os
