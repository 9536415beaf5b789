#ifndef OPTIONSCTL_CLIBGIT2_SHIM_H
#define OPTIONSCTL_CLIBGIT2_SHIM_H
#include <git2.h>
#endif
