#include "app/common/NoCoreDumps.h"

#include "app/platform/Platform.h"

void NoCoreDumps::apply()
{
    Platform::disableCoreDumps();
}
