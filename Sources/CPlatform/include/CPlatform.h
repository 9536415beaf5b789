#ifndef OPTIONSCTL_CPLATFORM_H
#define OPTIONSCTL_CPLATFORM_H

#include <stddef.h>

/// Asks the C allocator to grow its heaps in large steps. With many threads allocating small objects, glibc
/// otherwise extends each thread's heap a page at a time, one mprotect system call per page. A no-op elsewhere.
void optionsctl_tune_allocator(void);

/// Opens `path` (relative, no `..`) below the directory `directory` without following any symbolic link on the
/// way or at its end; a link fails with ELOOP (or ENOTDIR, EXDEV). `flags` are open(2)'s; O_CLOEXEC is added.
int optionsctl_open_beneath(int directory, const char *path, int flags);

/// open(2) flags that open a path only to fstat it, a symbolic link itself included: O_PATH | O_NOFOLLOW where
/// O_PATH exists, else O_RDONLY | O_NONBLOCK | O_NOFOLLOW.
int optionsctl_look_flags(void);

/// Swaps the directory entries `first` and `second` of `directory` in one step (renameat2 RENAME_EXCHANGE on
/// Linux, renameatx_np RENAME_SWAP on macOS): readers see one or the other, never neither. -1 with errno set
/// (EINVAL or ENOSYS where the file system or kernel cannot).
int optionsctl_exchange(int directory, const char *first, const char *second);

/// Checks the loose git object file at `path` before libgit2 reads it: it must inflate completely to a header
/// "<type> <size>\0" and exactly <size> more bytes, <size> at most `limit`. Returns 0 when it does, 1 when there is
/// no such file (the object is packed, or missing), -2 when its size is over `limit` (the size in `reason`), -1
/// with a reason otherwise.
int optionsctl_check_loose_object(const char *path, unsigned long long limit, char *reason, size_t reason_size);

/// Lets libgit2's network transports work (TLS certificates and random seeding, SSH): call before libgit2 is first
/// initialised, in commands that fetch. Other commands leave them off, which saves ~13 ms of every start (Linux).
void optionsctl_enable_network(void);

/// The git commit this binary was built from, as `ci/release` passes it (`-Xcc -DOPTIONSCTL_BUILD_COMMIT=<sha>`);
/// the empty string for other builds.
const char *optionsctl_build_commit(void);

#endif
