// A Linux-only benchmark: not read.
#include <spawn.h>
#include <unistd.h>
