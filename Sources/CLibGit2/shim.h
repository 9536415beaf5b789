#ifndef OPTIONSCTL_CLIBGIT2_SHIM_H
#define OPTIONSCTL_CLIBGIT2_SHIM_H
#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option optionsctl sets. */

/* Reading an object normally re-hashes it (SHA-1 with collision detection) to check its id. git itself does
   not on reads (only fsck and transfers do); optionsctl reads whole trees, where this is a large share of the
   cost. A corrupt object still fails to inflate or parse. */
static inline int optionsctl_git_skip_hash_verification(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}
#endif
