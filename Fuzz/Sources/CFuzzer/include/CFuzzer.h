#ifndef OPTIONSCTL_CFUZZER_H
#define OPTIONSCTL_CFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (in the runtime that -sanitize=fuzzer links): runs `callback` on generated inputs, taking
/// libFuzzer's own command-line flags. Used instead of libFuzzer's main, which SwiftPM's executables replace.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
