#define _GNU_SOURCE 1
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

/*
 * Opening a file of the tree without following any symbolic link below a directory the caller trusts. A pull
 * request can commit links (to /etc, /dev/zero, outside the repository); optionsctl reads none of them.
 *
 * Linux 5.6+ does it in one system call: openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS. Elsewhere, or when
 * the kernel (or a seccomp filter) refuses openat2, each component is opened in turn with O_NOFOLLOW.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#if defined(__linux__)
struct optionsctl_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
static int openat2_unsupported = 0;
#endif

static int open_walk(int directory, const char *path, int flags) {
    size_t length = strlen(path);
    if (length == 0 || path[0] == '/') {
        errno = EINVAL;
        return -1;
    }
    char *copy = strdup(path);
    if (copy == NULL) return -1;
    int current = directory;
    char *part = copy;
    int result = -1;
    for (;;) {
        char *slash = strchr(part, '/');
        if (slash != NULL) *slash = '\0';
        if (part[0] == '\0' || strcmp(part, ".") == 0 || strcmp(part, "..") == 0) {
            errno = EXDEV;
            break;
        }
        if (slash == NULL) {
            result = openat(current, part, flags | O_NOFOLLOW | O_CLOEXEC, 0);
            break;
        }
        int next = openat(current, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (current != directory) close(current);
        current = next;
        if (current < 0) break;
        part = slash + 1;
    }
    int saved = errno;
    if (current >= 0 && current != directory) close(current);
    free(copy);
    errno = saved;
    return result;
}

int optionsctl_open_beneath(int directory, const char *path, int flags) {
#if defined(__linux__)
    if (!__atomic_load_n(&openat2_unsupported, __ATOMIC_RELAXED)) {
        struct optionsctl_open_how how = {
            .flags = (uint64_t)(flags | O_CLOEXEC),
            .mode = 0,
            .resolve = 0x08 /* RESOLVE_BENEATH */ | 0x04 /* RESOLVE_NO_SYMLINKS */ | 0x02 /* RESOLVE_NO_MAGICLINKS */,
        };
        long result = syscall(SYS_openat2, directory, path, &how, sizeof how);
        if (result >= 0) return (int)result;
        if (errno != ENOSYS && errno != EPERM && errno != E2BIG) return -1;
        __atomic_store_n(&openat2_unsupported, 1, __ATOMIC_RELAXED);
    }
#endif
    return open_walk(directory, path, flags);
}

int optionsctl_look_flags(void) {
#if defined(O_PATH)
    return O_PATH | O_NOFOLLOW;
#else
    return O_RDONLY | O_NONBLOCK | O_NOFOLLOW;
#endif
}

#if defined(__APPLE__)
#include <stdio.h>
#endif

int optionsctl_exchange(int directory, const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, directory, first, directory, second, 2 /* RENAME_EXCHANGE */);
#elif defined(__APPLE__)
    return renameatx_np(directory, first, directory, second, RENAME_SWAP);
#else
    errno = ENOSYS;
    return -1;
#endif
}
