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
 * Commands that talk to a remote (fetch-schemas, validate-schema-changes when a commit is missing) call
 * optionsctl_enable_network() before libgit2 is first initialised: the wrappers then do what the real functions
 * do, so TLS has the system's CA bundle and a seeded random generator, and SSH is initialised.
 */
static int optionsctl_network_enabled = 0;

void optionsctl_enable_network(void) { optionsctl_network_enabled = 1; }

int __real_mbedtls_x509_crt_parse_file(void *chain, const char *path);
int __real_mbedtls_x509_crt_parse_path(void *chain, const char *path);
void __real_mbedtls_entropy_init(mbedtls_entropy_context *context);
int __real_mbedtls_ctr_drbg_seed(
    void *context, int (*entropy)(void *, unsigned char *, size_t), void *entropyContext,
    const unsigned char *custom, size_t length);
int __real_libssh2_init(int flags);
void __real_libssh2_exit(void);

__attribute__((used)) int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    if (optionsctl_network_enabled) return __real_mbedtls_x509_crt_parse_file(chain, path);
    return 0;
}

__attribute__((used)) int __wrap_mbedtls_x509_crt_parse_path(void *chain, const char *path) {
    if (optionsctl_network_enabled) return __real_mbedtls_x509_crt_parse_path(chain, path);
    return 0;
}

__attribute__((used)) void __wrap_mbedtls_entropy_init(mbedtls_entropy_context *context) {
    if (optionsctl_network_enabled) {
        __real_mbedtls_entropy_init(context);
        return;
    }
    memset(context, 0, sizeof *context);
}

__attribute__((used)) int __wrap_mbedtls_ctr_drbg_seed(
    void *context, int (*entropy)(void *, unsigned char *, size_t), void *entropyContext,
    const unsigned char *custom, size_t length) {
    if (optionsctl_network_enabled) return __real_mbedtls_ctr_drbg_seed(context, entropy, entropyContext, custom, length);
    return 0;
}

__attribute__((used)) int __wrap_libssh2_init(int flags) {
    if (optionsctl_network_enabled) return __real_libssh2_init(flags);
    return 0;
}

__attribute__((used)) void __wrap_libssh2_exit(void) {
    if (optionsctl_network_enabled) __real_libssh2_exit();
}

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
#else
/* Elsewhere libgit2 is linked as built, with its transports initialised: nothing to enable. */
void optionsctl_enable_network(void) {}
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

/*
 * A loose git object checked before libgit2 reads it. libgit2 1.5.1 (Debian 12) corrupts its heap on a loose
 * object whose header understates its size (upstream issue 7177) and loops forever on a truncated one (7342);
 * a pull request can commit either. Here the object is inflated once, into a small scratch buffer: its header
 * must be "<type> <size>\0", the content exactly <size> bytes, the stream complete, and nothing over `limit`.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <zlib.h>

int optionsctl_check_loose_object(const char *path, unsigned long long limit, char *reason, size_t reason_size) {
    int descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (descriptor < 0) return errno == ENOENT ? 1 : (snprintf(reason, reason_size, "cannot open it"), -1);
    struct stat info;
    if (fstat(descriptor, &info) != 0 || !S_ISREG(info.st_mode)) {
        close(descriptor);
        snprintf(reason, reason_size, "not a regular file");
        return -1;
    }
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) {
        close(descriptor);
        snprintf(reason, reason_size, "cannot inflate it");
        return -1;
    }
    unsigned char input[16384], output[65536];
    char header[64];
    size_t header_length = 0;
    int header_done = 0;
    unsigned long long declared = 0, content = 0;
    int result = -1, status = Z_OK, finished = 0;
    reason[0] = '\0';
    while (!finished) {
        ssize_t count = read(descriptor, input, sizeof input);
        if (count < 0 && errno == EINTR) continue;
        if (count < 0) { snprintf(reason, reason_size, "cannot read it"); goto done; }
        if (count == 0) { snprintf(reason, reason_size, "truncated: the compressed stream ends early"); goto done; }
        stream.next_in = input;
        stream.avail_in = (uInt)count;
        while (stream.avail_in > 0 || status == Z_OK) {
            stream.next_out = output;
            stream.avail_out = sizeof output;
            status = inflate(&stream, Z_NO_FLUSH);
            if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
                snprintf(reason, reason_size, "corrupt: it does not inflate");
                goto done;
            }
            size_t produced = sizeof output - stream.avail_out;
            size_t offset = 0;
            while (!header_done && offset < produced) {
                char c = (char)output[offset++];
                if (c == '\0') {
                    header[header_length] = '\0';
                    char *space = strchr(header, ' ');
                    if (space == NULL || space[1] == '\0') { snprintf(reason, reason_size, "corrupt header"); goto done; }
                    for (char *digit = space + 1; *digit; digit++) {
                        if (*digit < '0' || *digit > '9') {
                            snprintf(reason, reason_size, "corrupt header");
                            goto done;
                        }
                        if (declared > limit) {
                            snprintf(reason, reason_size, "more than %llu", limit);
                            result = -2;
                            goto done;
                        }
                        declared = declared * 10 + (unsigned long long)(*digit - '0');
                    }
                    if (declared > limit) {
                        snprintf(reason, reason_size, "%llu", declared);
                        result = -2;
                        goto done;
                    }
                    header_done = 1;
                } else if (header_length + 1 >= sizeof header) {
                    snprintf(reason, reason_size, "corrupt header");
                    goto done;
                } else {
                    header[header_length++] = c;
                }
            }
            content += produced - offset;
            if (content > declared && header_done) {
                snprintf(reason, reason_size, "corrupt: longer than its header says");
                goto done;
            }
            if (status == Z_STREAM_END) { finished = 1; break; }
            if (status == Z_BUF_ERROR || (stream.avail_in == 0 && stream.avail_out != 0)) break;
        }
    }
    if (!header_done) snprintf(reason, reason_size, "corrupt: no header");
    else if (content != declared) snprintf(reason, reason_size, "corrupt: shorter than its header says");
    else result = 0;
done:
    inflateEnd(&stream);
    close(descriptor);
    return result;
}

#define OPTIONSCTL_STRINGIFY_TOKEN(x) #x
#define OPTIONSCTL_STRINGIFY(x) OPTIONSCTL_STRINGIFY_TOKEN(x)

const char *optionsctl_build_commit(void) {
#ifdef OPTIONSCTL_BUILD_COMMIT
    return OPTIONSCTL_STRINGIFY(OPTIONSCTL_BUILD_COMMIT);
#else
    return "";
#endif
}
