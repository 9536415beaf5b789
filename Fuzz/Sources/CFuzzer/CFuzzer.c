// The declaration is in include/CFuzzer.h; the definition comes from libFuzzer's runtime.
