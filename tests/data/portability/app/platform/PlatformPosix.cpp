// The platform layer: the one place the system is called.
#include <sys/stat.h>
#include <unistd.h>

bool terminal()
{
    return ::isatty(STDIN_FILENO) == 1 && ::chmod("/proc/self", 0700) == 0;
}
