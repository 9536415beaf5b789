#ifndef OPTIONSCTL_CLIBGIT2_SHIM_H
#define OPTIONSCTL_CLIBGIT2_SHIM_H
#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option optionsctl sets. */

/* Reading an object re-hashes it (SHA-1 with collision detection) to check that its content is what its id
   says. A pull request's objects are hostile, so this stays on (libgit2's default, set explicitly here). */
static inline int optionsctl_git_verify_hashes(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
}
#endif
