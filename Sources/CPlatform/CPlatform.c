#include "CPlatform.h"

#if defined(__linux__)
#include <malloc.h>
#endif

void optionsctl_tune_allocator(void) {
#if defined(__GLIBC__) && defined(M_TOP_PAD)
    mallopt(M_TOP_PAD, 64 << 20);
#endif
}

#if defined(__linux__)
/*
 * Debian's libgit2 is built with mbedTLS, and git_libgit2_init() loads the system CA bundle
 * (/etc/ssl/certs/ca-certificates.crt, ~140 certificates) for HTTPS remotes: about 12 ms of every command that
 * reads git, more than a whole `diff` of two namespaces. optionsctl only reads local objects and never opens a
 * network transport, so the executable provides these two mbedTLS functions itself: the dynamic linker binds
 * libgit2's calls to the executable's definitions first, and they load nothing. Where libgit2 uses another TLS
 * library (OpenSSL, macOS), nothing calls them. Should optionsctl ever talk to a remote through libgit2, remove
 * them: certificate checks would then fail (safely) for lack of trusted roots.
 */
__attribute__((visibility("default"), used)) int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return 0;
}

__attribute__((visibility("default"), used)) int mbedtls_x509_crt_parse_path(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return 0;
}
#endif
