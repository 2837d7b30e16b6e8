// Product code outside app/ is held to the same rules.
#include <QString>

QString limits()
{
    return QStringLiteral("/proc/self/limits"); // "/proc/" in a comment alone would be no violation
}
