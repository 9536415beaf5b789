#include "CPlatform.h"

#if defined(__linux__)
#include <malloc.h>
#endif

void optionsctl_tune_allocator(void) {
#if defined(__GLIBC__) && defined(M_TOP_PAD)
    mallopt(M_TOP_PAD, 64 << 20);
#endif
}
