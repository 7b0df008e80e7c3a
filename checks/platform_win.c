/*
 * The portability layer on Windows (MinGW-w64, winpthreads): Winsock2 with
 * WSAPoll, Winsock's error codes mapped to the errno values the protocol
 * code classes (so a refused, reset, timed-out or unreachable connection is
 * the same failure class as on Linux), the ROOT certificate store, the
 * console without echo. See checks/platform.h.
 */
#ifdef _WIN32
#include <direct.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/platform.h"

#include <bcrypt.h>
#include <iphlpapi.h>
#include <wincrypt.h>

#include <openssl/err.h>
#include <openssl/x509.h> /* after wincrypt.h: it undefines wincrypt's X509_NAME */

#include "checks/deadline.h"
#include "checks/path.h"
#include "checks/prompt.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void
init_sockets(void)
{
	WSADATA wsa;

	HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
	DWORD mode;

	init_rc = WSAStartup(MAKEWORD(2, 2), &wsa) == 0 ? 0 : -1;
	SetConsoleOutputCP(CP_UTF8); /* the German words are UTF-8 */
	/* the live progress line and colours are ANSI sequences (Windows 10+) */
	if (out != INVALID_HANDLE_VALUE && GetConsoleMode(out, &mode))
		SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}

int
mp_platform_init(void)
{
	pthread_once(&init_once, init_sockets);
	return init_rc;
}

/* Winsock's error code as the errno value Linux would have set. */
static int
errno_of_wsa(int w)
{
	switch (w) {
	case 0:
		return 0;
	case WSAEWOULDBLOCK:
		return EAGAIN;
	case WSAEINPROGRESS:
	case WSAEALREADY:
		return EINPROGRESS;
	case WSAEINTR:
		return EINTR;
	case WSAECONNREFUSED:
		return ECONNREFUSED;
	case WSAECONNRESET:
	case WSAECONNABORTED:
		return ECONNRESET;
	case WSAETIMEDOUT:
		return ETIMEDOUT;
	case WSAENETUNREACH:
		return ENETUNREACH;
	case WSAEHOSTUNREACH:
		return EHOSTUNREACH;
	case WSAENETDOWN:
		return ENETDOWN;
	case WSAEADDRNOTAVAIL:
		return EADDRNOTAVAIL;
	case WSAEAFNOSUPPORT:
		return EAFNOSUPPORT;
	case WSAEACCES:
		return EACCES;
	case WSAESHUTDOWN:
		return EPIPE;
	case WSAENOTCONN:
		return ENOTCONN;
	case WSAEMFILE:
		return EMFILE;
	case WSAENOBUFS:
		return ENOBUFS;
	default:
		return EIO;
	}
}

int
mp_sock_errno(void)
{
	return errno_of_wsa(WSAGetLastError());
}

void
mp_sock_errno_clear(void)
{
	WSASetLastError(0);
	errno = 0;
}

/* The errno of the last Winsock call, for a caller that reads errno. */
static int
fail_wsa(void)
{
	errno = mp_sock_errno();
	return -1;
}

int
mp_sock_open(int af)
{
	SOCKET s;
	u_long on = 1;

	if (mp_platform_init() != 0) {
		errno = ENETDOWN;
		return -1;
	}
	s = socket(af, SOCK_STREAM, IPPROTO_TCP);
	if (s == INVALID_SOCKET)
		return fail_wsa();
	if (ioctlsocket(s, FIONBIO, &on) != 0) {
		int e = mp_sock_errno();

		closesocket(s);
		errno = e;
		return -1;
	}
	SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
	return (int)s; /* socket handles are small values */
}

int
mp_sock_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	int w;

	if (connect((SOCKET)fd, sa, len) == 0)
		return 0;
	w = WSAGetLastError();
	return w == WSAEWOULDBLOCK ? EINPROGRESS : errno_of_wsa(w);
}

int
mp_sock_error(int fd)
{
	int err = 0;
	int len = sizeof(err);

	if (getsockopt((SOCKET)fd, SOL_SOCKET, SO_ERROR, (char *)&err, &len) != 0)
		return mp_sock_errno();
	return errno_of_wsa(err);
}

void
mp_sock_close(int fd)
{
	closesocket((SOCKET)fd);
}

ssize_t
mp_sock_recv(int fd, void *buf, size_t len)
{
	int n = recv((SOCKET)fd, buf, len > INT_MAX ? INT_MAX : (int)len, 0);

	return n == SOCKET_ERROR ? fail_wsa() : n;
}

ssize_t
mp_sock_send(int fd, const void *buf, size_t len)
{
	int n = send((SOCKET)fd, buf, len > INT_MAX ? INT_MAX : (int)len, 0);

	return n == SOCKET_ERROR ? fail_wsa() : n;
}

bool
mp_sock_readable_now(int fd)
{
	char b;

	return recv((SOCKET)fd, &b, 1, MSG_PEEK) > 0; /* the socket is non-blocking */
}

/* A wait for writing (a connect under way) through select(): its except
 * set reports a failed connect on every Windows version, WSAPoll's POLLERR
 * only from Windows 10 2004 on (before, a refused port would wait out the
 * deadline and look dropped). */
static int
poll_select(struct pollfd *fds, unsigned nfds, int ms)
{
	fd_set r, w, e;
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	int n = 0;

	if (nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	for (unsigned i = 0; i < nfds; i++) {
		if (fds[i].events & POLLIN)
			FD_SET(fds[i].fd, &r);
		if (fds[i].events & POLLOUT)
			FD_SET(fds[i].fd, &w);
		FD_SET(fds[i].fd, &e);
	}
	if (select(0, &r, &w, &e, ms < 0 ? NULL : &tv) == SOCKET_ERROR)
		return fail_wsa();
	for (unsigned i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (FD_ISSET(fds[i].fd, &r))
			fds[i].revents |= POLLIN;
		if (FD_ISSET(fds[i].fd, &w))
			fds[i].revents |= POLLOUT;
		if (FD_ISSET(fds[i].fd, &e))
			fds[i].revents |= POLLERR;
		n += fds[i].revents != 0;
	}
	return n;
}

int
mp_poll(struct pollfd *fds, unsigned nfds, int ms)
{
	int rc;

	for (unsigned i = 0; i < nfds; i++)
		if (fds[i].events & POLLOUT)
			return poll_select(fds, nfds, ms);
	rc = WSAPoll(fds, nfds, ms);
	return rc == SOCKET_ERROR ? fail_wsa() : rc;
}

/* Windows has no TCP_QUICKACK: the delayed ACK after a TLS 1.3 handshake
 * may cost up to ~40 ms more before a greeting than on Linux. */
void
mp_sock_quickack(int fd)
{
	(void)fd;
}

/* The C library's strerror knows no socket errors: glibc's words. */
const char *
mp_strerror(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "Connection refused";
	case ECONNRESET:
		return "Connection reset by peer";
	case ETIMEDOUT:
		return "Connection timed out";
	case ENETUNREACH:
		return "Network is unreachable";
	case EHOSTUNREACH:
		return "No route to host";
	case ENETDOWN:
		return "Network is down";
	case EADDRNOTAVAIL:
		return "Cannot assign requested address";
	case EAFNOSUPPORT:
		return "Address family not supported by protocol";
	case ENOTCONN:
		return "Transport endpoint is not connected";
	case ENOBUFS:
		return "No buffer space available";
	case EINPROGRESS:
		return "Operation now in progress";
	default:
		return strerror(e);
	}
}

/* Every certificate of the ROOT store (what Windows itself trusts) into
 * OpenSSL's store: no --ca-file needed for a public CA. */
bool
mp_trust_add_system(X509_STORE *store)
{
	HCERTSTORE sys = CertOpenSystemStoreW(0, L"ROOT");
	PCCERT_CONTEXT c = NULL;

	if (sys == NULL)
		return true; /* no system store: an empty one, as on Linux */
	while ((c = CertEnumCertificatesInStore(sys, c)) != NULL) {
		const unsigned char *p = c->pbCertEncoded;
		X509 *x = d2i_X509(NULL, &p, (long)c->cbCertEncoded);

		if (x != NULL) {
			X509_STORE_add_cert(store, x); /* a duplicate is not an error */
			X509_free(x);
		}
	}
	CertCloseStore(sys, 0);
	ERR_clear_error();
	return true;
}

void
mp_cond_init_monotonic(pthread_cond_t *cv)
{
	pthread_cond_init(cv, NULL);
}

/* winpthreads measures an absolute wait against the wall clock: the
 * monotonic time is waited for as the time left until it. */
int
mp_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *at)
{
	double left = (double)at->tv_sec + (double)at->tv_nsec / 1e9 - mp_now();
	struct timespec rel = {0, 0};

	if (left > 0) {
		rel.tv_sec = (time_t)left;
		rel.tv_nsec = (long)((left - (double)rel.tv_sec) * 1e9);
	}
	return pthread_cond_timedwait_relative_np(cv, mu, &rel);
}

size_t
mp_page_size(void)
{
	SYSTEM_INFO si;

	GetSystemInfo(&si);
	return si.dwPageSize > 0 ? si.dwPageSize : 4096;
}

/* VirtualAlloc gives whole zeroed pages; VirtualLock keeps them out of the
 * page file where the working set allows (best effort). */
void *
mp_secure_alloc(size_t size)
{
	void *p = VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);

	if (p != NULL)
		(void)VirtualLock(p, size);
	return p;
}

void
mp_secure_free(void *p, size_t size)
{
	(void)VirtualUnlock(p, size);
	VirtualFree(p, 0, MEM_RELEASE);
}

int
mp_secret_open(const char *path)
{
	return _open(path, _O_RDONLY | _O_BINARY | _O_NOINHERIT);
}

/* Windows files have access lists, not Unix modes: not checked, and said. */
void
mp_secret_mode_warning(const struct stat *st, char *warn, size_t len)
{
	if (warn == NULL || len == 0)
		return;
	warn[0] = '\0';
	if (st != NULL)
		snprintf(warn, len,
			 "who may read it is not checked on Windows (no Unix file "
			 "modes); keep it in your own user folder");
}

static HANDLE quiet_console = INVALID_HANDLE_VALUE;
static DWORD saved_mode;

void
mp_term_restore(void)
{
	if (quiet_console == INVALID_HANDLE_VALUE)
		return;
	SetConsoleMode(quiet_console, saved_mode);
	quiet_console = INVALID_HANDLE_VALUE;
}

/* Ctrl-C while the password is typed: echo back on, then the default
 * handler ends the program. */
static BOOL WINAPI
on_ctrl(DWORD type)
{
	(void)type;
	if (quiet_console != INVALID_HANDLE_VALUE)
		SetConsoleMode(quiet_console, saved_mode);
	return FALSE;
}

int
mp_term_quiet(int fd)
{
	static bool handler;
	HANDLE h = (HANDLE)_get_osfhandle(fd);

	if (h == INVALID_HANDLE_VALUE || !GetConsoleMode(h, &saved_mode)) {
		errno = ENOTTY;
		return -1;
	}
	if (!handler)
		handler = SetConsoleCtrlHandler(on_ctrl, TRUE);
	quiet_console = h;
	SetConsoleMode(h, saved_mode & ~(DWORD)ENABLE_ECHO_INPUT);
	return 0;
}

bool
mp_is_terminal(int fd)
{
	return _isatty(fd) != 0;
}

/* The offset from the time zone's bias; no zone abbreviation (Windows
 * names zones "W. Europe Standard Time", not "CET"). */
bool
mp_localtime(time_t t, struct tm *tm, long *utc_offset, const char **zone)
{
	TIME_ZONE_INFORMATION tz;
	DWORD id;
	long bias;

	if (localtime_s(tm, &t) != 0)
		return false;
	id = GetTimeZoneInformation(&tz);
	bias = tz.Bias;
	if (id != TIME_ZONE_ID_INVALID)
		bias += tm->tm_isdst > 0 ? tz.DaylightBias : tz.StandardBias;
	*utc_offset = -bias * 60;
	*zone = NULL;
	return true;
}

int
mp_random_bytes(void *buf, size_t n)
{
	return BCRYPT_SUCCESS(BCryptGenRandom(NULL, buf, (ULONG)n, BCRYPT_USE_SYSTEM_PREFERRED_RNG))
		   ? 0
		   : -1;
}

int
mp_mkdir_private(const char *path)
{
	return _mkdir(path);
}

int
mp_create_public_file(const char *path)
{
	return _open(path, _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY | _O_NOINHERIT,
		     _S_IREAD | _S_IWRITE);
}

int
mp_rename_replace(const char *from, const char *to)
{
	if (MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING))
		return 0;
	errno = EACCES;
	return -1;
}

int
mp_terminal_width(int fd)
{
	CONSOLE_SCREEN_BUFFER_INFO info;
	HANDLE h = (HANDLE)_get_osfhandle(fd);

	if (h == INVALID_HANDLE_VALUE || !GetConsoleScreenBufferInfo(h, &info))
		return 0;
	return info.srWindow.Right - info.srWindow.Left + 1;
}

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);

/* RtlGetVersion: GetVersionEx reports 6.2 to programs without a manifest. */
void
mp_os_name(char *out, size_t len)
{
	OSVERSIONINFOW v = {.dwOSVersionInfoSize = sizeof(v)};
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");
	FARPROC f = ntdll != NULL ? GetProcAddress(ntdll, "RtlGetVersion") : NULL;
	rtl_get_version_fn get;

	if (f == NULL) {
		snprintf(out, len, "Windows x86_64");
		return;
	}
	memcpy(&get, &f, sizeof(get));
	get(&v);
	snprintf(out, len, "Windows %lu.%lu.%lu x86_64", v.dwMajorVersion, v.dwMinorVersion,
		 v.dwBuildNumber);
}

/* The adapters' addresses and DNS servers (GetAdaptersAddresses), at most
 * 64 KiB of adapter data. */
static IP_ADAPTER_ADDRESSES *
adapters(void)
{
	ULONG size = 16384;
	IP_ADAPTER_ADDRESSES *all = NULL;

	for (int i = 0; i < 3 && size <= 65536; i++) {
		ULONG rc;

		free(all);
		if ((all = malloc(size)) == NULL)
			return NULL;
		rc = GetAdaptersAddresses(
		    AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST, NULL, all, &size);
		if (rc == NO_ERROR)
			return all;
		if (rc != ERROR_BUFFER_OVERFLOW)
			break;
	}
	free(all);
	return NULL;
}

void
mp_each_local_address(void (*fn)(const struct sockaddr *sa, void *arg), void *arg)
{
	IP_ADAPTER_ADDRESSES *all = adapters();

	for (IP_ADAPTER_ADDRESSES *a = all; a != NULL; a = a->Next)
		for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u != NULL; u = u->Next)
			fn(u->Address.lpSockaddr, arg);
	free(all);
}

void
mp_each_resolver(void (*fn)(const char *addr, void *arg), void *arg)
{
	IP_ADAPTER_ADDRESSES *all = adapters();
	char buf[INET6_ADDRSTRLEN];

	for (IP_ADAPTER_ADDRESSES *a = all; a != NULL; a = a->Next) {
		for (IP_ADAPTER_DNS_SERVER_ADDRESS *d = a->FirstDnsServerAddress; d != NULL;
		     d = d->Next) {
			const struct sockaddr *sa = d->Address.lpSockaddr;
			const void *p =
			    sa->sa_family == AF_INET6
				? (const void *)&((const struct sockaddr_in6 *)(const void *)sa)
				      ->sin6_addr
				: (const void *)&((const struct sockaddr_in *)(const void *)sa)
				      ->sin_addr;

			if (inet_ntop(sa->sa_family, p, buf, sizeof(buf)) != NULL)
				fn(buf, arg);
		}
	}
	free(all);
}

/* The path measurement reads ICMP answers from Linux's socket error queue;
 * Windows has none, so every path is skipped with that reason. */
void
mp_path_measure(const struct mp_addr *addr, uint16_t port, int max_hops,
		const struct mp_deadline *dl, struct mp_path_result *out)
{
	(void)max_hops;
	(void)dl;
	mp_path_start(out, addr->str, port);
	out->skipped = true;
	snprintf(out->skip_reason, sizeof(out->skip_reason),
		 "Linux only: it needs the socket error queue (IP_RECVERR), which Windows lacks");
}

int
mp_errqueue_set(int fd, int af, bool on)
{
	(void)fd;
	(void)af;
	(void)on;
	return -1;
}

int
mp_errqueue_read(int fd, int af, enum mp_hop_answer *answer, int *code, char *addr, size_t addrlen)
{
	(void)fd;
	(void)af;
	(void)answer;
	(void)code;
	(void)addr;
	(void)addrlen;
	return -1;
}

int
mp_path_parse_errqueue(int af, const void *control, size_t controllen, enum mp_hop_answer *answer,
		       int *code, char *addr, size_t addrlen)
{
	(void)af;
	(void)control;
	(void)controllen;
	(void)answer;
	(void)code;
	(void)addr;
	(void)addrlen;
	return -1;
}
#endif
