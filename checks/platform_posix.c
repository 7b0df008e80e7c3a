/*
 * The portability layer on Linux (and other POSIX systems): the calls as
 * they were, in one place. See checks/platform.h.
 */
#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <termios.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "checks/fiber.h"
#include "checks/platform.h"
#include "checks/prompt.h"

/* A peer that closed its end must not end the program with SIGPIPE. */
int
mp_platform_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int
mp_sock_open(int af)
{
	return socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int
mp_sock_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	return connect(fd, sa, len) == 0 ? 0 : errno;
}

int
mp_sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

void
mp_sock_close(int fd)
{
	close(fd);
}

ssize_t
mp_sock_recv(int fd, void *buf, size_t len)
{
	return recv(fd, buf, len, 0);
}

ssize_t
mp_sock_send(int fd, const void *buf, size_t len)
{
	return send(fd, buf, len, MSG_NOSIGNAL);
}

bool
mp_sock_readable_now(int fd)
{
	char b;

	return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

/* On a fiber, one socket's wait parks the fiber (fiber.h). */
int
mp_poll(struct pollfd *fds, unsigned nfds, int ms)
{
	if (nfds == 1 && mp_fiber_self() != NULL)
		return mp_fiber_poll(fds[0].fd, fds[0].events, &fds[0].revents, ms);
	return poll(fds, nfds, ms);
}

/* ACK at once before waiting to read: after a TLS 1.3 handshake the server
 * writes its session tickets, then the greeting; Nagle holds the greeting
 * until the tickets are ACKed, and a delayed ACK would cost ~40 ms. The
 * kernel leaves quick-ACK mode by itself, so it is set before every wait. */
void
mp_sock_quickack(int fd)
{
#ifdef TCP_QUICKACK
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
#else
	(void)fd;
#endif
}

int
mp_sock_errno(void)
{
	return errno;
}

void
mp_sock_errno_clear(void)
{
	errno = 0;
}

bool
mp_trust_add_system(X509_STORE *store)
{
	X509_LOOKUP *dir = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());

	if (dir == NULL)
		return false;
	X509_LOOKUP_add_dir(dir, NULL, X509_FILETYPE_DEFAULT); /* honours SSL_CERT_DIR */
	ERR_clear_error(); /* a missing directory is an empty store, as in OpenSSL */
	return true;
}

const char *
mp_strerror(int e)
{
	return strerror(e);
}

void
mp_cond_init_monotonic(pthread_cond_t *cv)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &ca);
	pthread_condattr_destroy(&ca);
}

int
mp_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *at)
{
	return pthread_cond_timedwait(cv, mu, at);
}

size_t
mp_page_size(void)
{
	long pg = sysconf(_SC_PAGESIZE);

	return pg > 0 ? (size_t)pg : 4096;
}

/* Locking and excluding it from core dumps are best effort
 * (RLIMIT_MEMLOCK may be 0). */
void *
mp_secure_alloc(size_t size)
{
	void *buf = NULL;

	if (posix_memalign(&buf, mp_page_size(), size) != 0)
		return NULL;
	memset(buf, 0, size);
	(void)mlock(buf, size);
#ifdef MADV_DONTDUMP
	(void)madvise(buf, size, MADV_DONTDUMP);
#endif
	return buf;
}

void
mp_secure_free(void *p, size_t size)
{
	(void)munlock(p, size);
	free(p);
}

int
mp_secret_open(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

/* "mode 0644 is readable by others; chmod 600" for a file its group or
 * others may read, else "". */
void
mp_secret_mode_warning(const struct stat *st, char *warn, size_t len)
{
	mode_t m = st != NULL ? st->st_mode : 0;

	if (warn == NULL || len == 0)
		return;
	warn[0] = '\0';
	if ((m & (S_IRGRP | S_IROTH)) != 0)
		snprintf(warn, len, "mode %04o is readable by %s; chmod 600", (unsigned)(m & 07777),
			 (m & S_IROTH) != 0 ? "others" : "its group");
}

static struct termios saved;
static volatile sig_atomic_t saved_fd = -1;
static struct sigaction old_int, old_term;

void
mp_term_restore(void)
{
	if (saved_fd < 0)
		return;
	tcsetattr(saved_fd, TCSAFLUSH, &saved);
	saved_fd = -1;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}

static void
on_signal(int sig)
{
	if (saved_fd >= 0)
		tcsetattr(saved_fd, TCSAFLUSH, &saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

int
mp_term_quiet(int fd)
{
	struct termios quiet;
	struct sigaction sa = {.sa_handler = on_signal};

	if (tcgetattr(fd, &saved) != 0)
		return -1;
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	saved_fd = fd;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	return 0;
}

bool
mp_is_terminal(int fd)
{
	return isatty(fd) == 1;
}

void
mp_each_local_address(void (*fn)(const struct sockaddr *sa, void *arg), void *arg)
{
	struct ifaddrs *all, *i;

	if (getifaddrs(&all) != 0)
		return;
	for (i = all; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL)
			fn(i->ifa_addr, arg);
	freeifaddrs(all);
}

void
mp_each_resolver(void (*fn)(const char *addr, void *arg), void *arg)
{
	FILE *f = fopen("/etc/resolv.conf", "r");
	char line[256], addr[46];
	int lines = 0;

	if (f == NULL)
		return;
	while (lines++ < 200 && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " nameserver %45s", addr) == 1)
			fn(addr, arg);
	fclose(f);
}

int
mp_random_bytes(void *buf, size_t n)
{
	unsigned char *b = buf;
	size_t got = 0;
	ssize_t r;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (got < n && ((r = read(fd, b + got, n - got)) > 0 || errno == EINTR))
		got += r > 0 ? (size_t)r : 0;
	close(fd);
	return got < n ? -1 : 0;
}

int
mp_mkdir_private(const char *path)
{
	return mkdir(path, 0700);
}

int
mp_create_public_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd >= 0 && fchmod(fd, 0644) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
mp_rename_replace(const char *from, const char *to)
{
	return rename(from, to);
}

int
mp_terminal_width(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0)
		return ws.ws_col;
	return 0;
}

void
mp_os_name(char *out, size_t len)
{
	struct utsname u;

	if (uname(&u) != 0) {
		snprintf(out, len, "?");
		return;
	}
	snprintf(out, len, "%s %s %s", u.sysname, u.release, u.machine);
}

bool
mp_localtime(time_t t, struct tm *tm, long *utc_offset, const char **zone)
{
	if (localtime_r(&t, tm) == NULL)
		return false;
	*utc_offset = tm->tm_gmtoff;
	*zone = tm->tm_zone;
	return true;
}
#endif
