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
#include <mbedtls/entropy.h>
#include <string.h>

/*
 * On Linux, Pipeline links libgit2 statically (Package.swift, linkedSystemLibraries), and with it the archives
 * of its network transports. optionsctl only reads local objects and never opens a transport, so the link wraps
 * (--wrap=name: libgit2's calls to `name` land on `__wrap_name` here) what git_libgit2_init() does for them:
 *
 * - Debian's libgit2 uses mbedTLS and loads the system CA bundle (/etc/ssl/certs/ca-certificates.crt, ~140
 *   certificates) for HTTPS remotes: about 12 ms of every command that reads git, more than a whole `diff` of two
 *   namespaces. The two loading functions load nothing.
 * - It seeds an mbedTLS random generator for TLS, whose entropy source (HAVEGE) spins for most of a millisecond:
 *   the entropy context is left empty and the seeding succeeds without drawing from it.
 * - It initialises libssh2, which initialises OpenSSL (tables of algorithms and error strings): not done.
 *
 * Should optionsctl ever talk to a remote through libgit2, remove these wrappers (and the --wrap flags): TLS and
 * SSH would otherwise fail, or run unseeded.
 */
__attribute__((used)) int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return 0;
}

__attribute__((used)) int __wrap_mbedtls_x509_crt_parse_path(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return 0;
}

__attribute__((used)) void __wrap_mbedtls_entropy_init(mbedtls_entropy_context *context) {
    memset(context, 0, sizeof *context);
}

__attribute__((used)) int __wrap_mbedtls_ctr_drbg_seed(
    void *context, int (*entropy)(void *, unsigned char *, size_t), void *entropyContext,
    const unsigned char *custom, size_t length) {
    (void)context;
    (void)entropy;
    (void)entropyContext;
    (void)custom;
    (void)length;
    return 0;
}

__attribute__((used)) int __wrap_libssh2_init(int flags) {
    (void)flags;
    return 0;
}

__attribute__((used)) void __wrap_libssh2_exit(void) {}

/*
 * HTTP "Negotiate" authentication calls Kerberos through GSSAPI, which has no static archive on Debian (linking
 * the shared library pulled in six more): these stand-ins fail every call with GSS_S_FAILURE.
 */
typedef unsigned int optionsctl_gss_status;
static const optionsctl_gss_status optionsctl_gss_failure = 13u << 16; /* GSS_S_FAILURE */
void *GSS_C_NT_HOSTBASED_SERVICE = 0;
#define OPTIONSCTL_GSS_STUB(name) \
    __attribute__((used)) optionsctl_gss_status name(void) { return optionsctl_gss_failure; }
OPTIONSCTL_GSS_STUB(gss_delete_sec_context)
OPTIONSCTL_GSS_STUB(gss_display_status)
OPTIONSCTL_GSS_STUB(gss_import_name)
OPTIONSCTL_GSS_STUB(gss_indicate_mechs)
OPTIONSCTL_GSS_STUB(gss_init_sec_context)
OPTIONSCTL_GSS_STUB(gss_release_buffer)
OPTIONSCTL_GSS_STUB(gss_release_name)
OPTIONSCTL_GSS_STUB(gss_release_oid_set)
#endif
