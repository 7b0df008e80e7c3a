/*
 * The portability layer: everything that differs between Linux and Windows
 * lives behind these declarations (implementations in platform_posix.c and
 * platform_win.c, each compiled on its platform only). Protocol and probe
 * code includes this header instead of the socket and terminal headers and
 * keeps the POSIX shapes it had: descriptors are ints (a Winsock SOCKET is
 * a small handle value there), failures are errno values (Winsock's
 * WSAE* codes mapped to the same ECONNREFUSED, ETIMEDOUT, ... so every
 * failure class comes out the same), and poll() is WSAPoll on Windows.
 *
 * What Windows cannot do is skipped with a stated reason, never silently:
 * TCP_QUICKACK (no such option; the ~40 ms delayed-ACK cost stays),
 * the path measurement (needs Linux's IP_RECVERR error queue:
 * mp_path_result.skipped with skip_reason), and the file-mode check of
 * password files (no Unix modes: the warning says so).
 */
#ifndef MAILPROBE_PLATFORM_H
#define MAILPROBE_PLATFORM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#ifdef _WIN32
/* windows.h without wincrypt.h, whose X509_NAME macro breaks OpenSSL's. */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
/* What <sys/stat.h> lacks on Windows: no sockets, block devices or modes
 * for group and others in the file system's sense. */
#ifndef S_ISSOCK
#define S_ISSOCK(m) 0
#endif
#ifndef S_ISBLK
#define S_ISBLK(m) 0
#endif
#define explicit_bzero(p, n) SecureZeroMemory((p), (n))
#define timegm _mkgmtime
/* The POSIX names the C runtime spells differently. */
static inline int
strerror_r(int e, char *buf, size_t len)
{
	return strerror_s(buf, len, e);
}
static inline int
unsetenv(const char *name)
{
	return _putenv_s(name, "");
}
#define MP_PLATFORM "windows"
#else
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#define MP_PLATFORM "linux"
#endif

/* Once per process before the first socket (WSAStartup on Windows); safe
 * to call again. 0, or -1 when the socket library cannot start. */
int mp_platform_init(void);

/* A non-blocking TCP socket of family af, not inherited by children; -1
 * with errno set. */
int mp_sock_open(int af);
/* connect(): 0, or the errno value (EINPROGRESS while it is under way). */
int mp_sock_connect(int fd, const struct sockaddr *sa, socklen_t len);
/* The pending error of a socket (SO_ERROR) as an errno value. */
int mp_sock_error(int fd);
void mp_sock_close(int fd);
/* recv/send without SIGPIPE; -1 with errno set (EAGAIN: try after poll). */
ssize_t mp_sock_recv(int fd, void *buf, size_t len);
ssize_t mp_sock_send(int fd, const void *buf, size_t len);
/* Whether a byte is waiting on fd right now (never blocks). */
bool mp_sock_readable_now(int fd);
/* poll() over sockets; -1 with errno set. */
int mp_poll(struct pollfd *fds, unsigned nfds, int ms);
/* ACK at once (TCP_QUICKACK where it exists; a no-op on Windows). */
void mp_sock_quickack(int fd);
/* The errno value of the last socket call (Winsock's code mapped). */
int mp_sock_errno(void);
/* Sets the last socket error to none (errno 0; WSASetLastError(0)). */
void mp_sock_errno_clear(void);
/* strerror() that also names the socket errno values on Windows. */
const char *mp_strerror(int e);

/* Adds the system's trusted CAs to an OpenSSL store (X509_STORE): the
 * hashed directory (SSL_CERT_DIR or OpenSSL's default, loading only the CAs
 * a chain names) on Linux, the Windows ROOT store's certificates on
 * Windows. false when the store cannot take them. */
struct x509_store_st;
bool mp_trust_add_system(struct x509_store_st *store);

/* A condition variable whose timed waits use mp_now()'s monotonic clock,
 * and the wait until such an absolute time. */
void mp_cond_init_monotonic(pthread_cond_t *cv);
int mp_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *at);

size_t mp_page_size(void);
/* Page-aligned, zeroed memory for a secret: locked against swapping and
 * kept out of core dumps where the system allows (best effort). */
void *mp_secure_alloc(size_t size);
void mp_secure_free(void *p, size_t size);

/* Opens a secret file read-only without blocking on a FIFO; fd or -1. */
int mp_secret_open(const char *path);
/* A warning about a secret file others may read ("" when fine); on
 * Windows the reason it is not checked. */
void mp_secret_mode_warning(const struct stat *st, char *warn, size_t len);

/* Echo off on the terminal at fd for a password, restored by
 * mp_term_restore (also on SIGINT/SIGTERM where there are signals);
 * mp_is_terminal (checks/prompt.h) is here too.
 * 0, or -1 with errno set. */
int mp_term_quiet(int fd);
void mp_term_restore(void);

/* Calls fn for each address of this computer's network interfaces, and
 * for each DNS server it asks (as text: /etc/resolv.conf's nameserver lines
 * on Linux, the adapters' DNS servers on Windows). */
void mp_each_local_address(void (*fn)(const struct sockaddr *sa, void *arg), void *arg);
void mp_each_resolver(void (*fn)(const char *addr, void *arg), void *arg);

/* n random bytes from the system (/dev/urandom, BCryptGenRandom); 0 or -1. */
int mp_random_bytes(void *buf, size_t n);
/* mkdir(path, 0700) (Windows: a folder with the profile's default rights). */
int mp_mkdir_private(const char *path);
/* A new file (never an existing one or a symlink's target), mode 0644, for
 * writing; fd or -1 with errno. */
int mp_create_public_file(const char *path);
/* rename() that replaces an existing target on Windows too. */
int mp_rename_replace(const char *from, const char *to);
/* The terminal's width in columns at fd, 0 when unknown. */
int mp_terminal_width(int fd);
/* "Linux 6.1.0 x86_64" (uname) or "Windows 10.0.19045 x86_64". */
void mp_os_name(char *out, size_t len);

/* localtime_r, and the zone's offset from UTC in seconds and its name. */
bool mp_localtime(time_t t, struct tm *tm, long *utc_offset, const char **zone);

#endif
