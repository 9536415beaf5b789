#ifndef OPTIONSCTL_CPLATFORM_H
#define OPTIONSCTL_CPLATFORM_H

/// Asks the C allocator to grow its heaps in large steps. With many threads allocating small objects, glibc
/// otherwise extends each thread's heap a page at a time, one mprotect system call per page. A no-op elsewhere.
void optionsctl_tune_allocator(void);

#endif
