#ifndef OPTIONSCTL_CLIBYAML_SHIM_H
#define OPTIONSCTL_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
