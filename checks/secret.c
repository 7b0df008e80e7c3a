/*
 * Secrets: bounded reads of a password from a file, a descriptor or the
 * environment into page-aligned, locked (best effort) memory that is wiped
 * before it is freed. Nothing here prints; errors are one line in err and
 * never contain the secret.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/platform.h"
#include "checks/secret.h"

/* Room for MP_SECRET_MAX bytes and a trailing "\r\n". */
#define READ_CAP (MP_SECRET_MAX + 2)
#define STR_(x) #x
#define STR(x) STR_(x)
#define TOO_LONG "is longer than " STR(MP_SECRET_MAX) " bytes"

void
mp_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		explicit_bzero(p, len);
}

static size_t
page_round(size_t n)
{
	size_t page = mp_page_size();

	return (n + page - 1) / page * page;
}

/*
 * Buffer size for a secret of cap (or len) bytes: whole pages of its own, so
 * mlock/munlock never touch another allocation, and never less than a read
 * buffer, so mp_secret_free() can compute it again from len alone.
 */
static size_t
secret_size(size_t n)
{
	return page_round((n > READ_CAP ? n : READ_CAP) + 1);
}

/* A new zeroed secret with room for cap bytes plus a NUL. Locking and
 * excluding it from core dumps are best effort (RLIMIT_MEMLOCK may be 0). */
static struct mp_secret *
secret_alloc(size_t cap)
{
	struct mp_secret *s = calloc(1, sizeof(*s));
	size_t size = secret_size(cap);
	void *buf = NULL;

	if (s == NULL)
		return NULL;
	if ((buf = mp_secure_alloc(size)) == NULL) {
		free(s);
		return NULL;
	}
	s->buf = buf;
	return s;
}

/* Wipes the whole buffer (also bytes read past the secret) and frees it. */
void
mp_secret_free(struct mp_secret *s)
{
	size_t size;

	if (s == NULL)
		return;
	if (s->buf != NULL) {
		size = secret_size(s->len);
		mp_wipe(s->buf, size);
		mp_secure_free(s->buf, size);
	}
	mp_wipe(s, sizeof(*s));
	free(s);
}

static void
fail(char *err, size_t errlen, const char *what, const char *why)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", what, why);
}

static void
fail_errno(char *err, size_t errlen, const char *what, int e)
{
	char buf[128];

	if (strerror_r(e, buf, sizeof(buf)) != 0)
		snprintf(buf, sizeof(buf), "error %d", e);
	fail(err, errlen, what, buf);
}

/* Strips one trailing "\n" or "\r\n" and checks what is left. */
static int
secret_finish(struct mp_secret *s, const char *what, char *err, size_t errlen)
{
	if (s->len > 0 && s->buf[s->len - 1] == '\n') {
		s->buf[--s->len] = '\0';
		if (s->len > 0 && s->buf[s->len - 1] == '\r')
			s->buf[--s->len] = '\0';
	}
	if (s->len == 0) {
		fail(err, errlen, what, "is empty");
		return -1;
	}
	if (s->len > MP_SECRET_MAX) {
		fail(err, errlen, what, TOO_LONG);
		return -1;
	}
	if (memchr(s->buf, '\0', s->len) != NULL) {
		fail(err, errlen, what, "contains a NUL byte");
		return -1;
	}
	if (memchr(s->buf, '\n', s->len) != NULL || memchr(s->buf, '\r', s->len) != NULL) {
		fail(err, errlen, what, "has more than one line");
		return -1;
	}
	return 0;
}

/* Reads at most READ_CAP bytes; -1 with errno set, -2 when there is more. */
static int
read_bounded(int fd, struct mp_secret *s)
{
	char extra;
	ssize_t n;

	while (s->len < READ_CAP) {
		n = read(fd, s->buf + s->len, READ_CAP - s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		s->len += (size_t)n;
	}
	do
		n = read(fd, &extra, 1);
	while (n < 0 && errno == EINTR);
	mp_wipe(&extra, sizeof(extra));
	if (n < 0)
		return -1;
	return n > 0 ? -2 : 0;
}

/*
 * Reads a secret from fd (not closed here) up to MP_SECRET_MAX bytes plus a
 * line end. what names the source in errors ("--password-stdin").
 * Returns a new secret to free with mp_secret_free(), or NULL.
 */
struct mp_secret *
mp_secret_from_fd(int fd, const char *what, char *err, size_t errlen)
{
	struct mp_secret *s = secret_alloc(READ_CAP);
	int rc, e;

	if (s == NULL) {
		fail(err, errlen, what, "out of memory");
		return NULL;
	}
	rc = read_bounded(fd, s);
	e = errno;
	if (rc == -1) {
		fail_errno(err, errlen, what, e);
		goto bad;
	}
	if (rc == -2) {
		fail(err, errlen, what, TOO_LONG);
		goto bad;
	}
	s->buf[s->len] = '\0';
	if (secret_finish(s, what, err, errlen) == -1)
		goto bad;
	return s;
bad:
	mp_secret_free(s);
	return NULL;
}

/* What a file that is not a regular file is, for the error. */
static const char *
not_regular(mode_t m)
{
	if (S_ISDIR(m))
		return "is a directory";
	if (S_ISFIFO(m))
		return "is a FIFO or pipe, not a regular file (it could block forever)";
	if (S_ISSOCK(m))
		return "is a socket, not a regular file";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "is a device, not a regular file";
	return "is not a regular file";
}

/*
 * Reads a secret from a file: it must be a readable regular file with one
 * non-empty line of at most MP_SECRET_MAX bytes. A FIFO, socket or device
 * is refused at once (opened without blocking, so a FIFO nobody writes to
 * cannot hang the caller). Errors start with the path: "/x: No such file or
 * directory". warn (may be NULL) gets a warning about the file's mode, or "".
 */
struct mp_secret *
mp_secret_from_file(const char *path, char *warn, size_t warnlen, char *err, size_t errlen)
{
	struct mp_secret *s;
	struct stat st;
	int fd, e;

	mp_secret_mode_warning(NULL, warn, warnlen);
	fd = mp_secret_open(path);
	if (fd == -1) {
		fail_errno(err, errlen, path, errno);
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		e = errno;
		close(fd);
		fail_errno(err, errlen, path, e);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		fail(err, errlen, path, not_regular(st.st_mode));
		return NULL;
	}
	if (st.st_size > READ_CAP) {
		close(fd);
		fail(err, errlen, path, TOO_LONG);
		return NULL;
	}
	s = mp_secret_from_fd(fd, path, err, errlen);
	close(fd);
	if (s != NULL)
		mp_secret_mode_warning(&st, warn, warnlen);
	return s;
}

/*
 * Reads the variable name, then wipes its value in place (so it is gone from
 * /proc/self/environ too) and unsets it. A missing variable is an error.
 */
struct mp_secret *
mp_secret_from_env(const char *name, char *err, size_t errlen)
{
	char *v = getenv(name);
	struct mp_secret *s;
	size_t len;

	if (v == NULL) {
		fail(err, errlen, name, "is not set");
		return NULL;
	}
	len = strlen(v);
	s = len <= MP_SECRET_MAX ? mp_secret_from_mem(v, len) : NULL;
	mp_wipe(v, len);
	unsetenv(name);
	if (len > MP_SECRET_MAX) {
		fail(err, errlen, name, TOO_LONG);
		return NULL;
	}
	if (s == NULL) {
		fail(err, errlen, name, "out of memory");
		return NULL;
	}
	if (secret_finish(s, name, err, errlen) == -1) {
		mp_secret_free(s);
		return NULL;
	}
	return s;
}

/* A copy of len bytes of s; no checks on the content. NULL on no memory. */
struct mp_secret *
mp_secret_from_mem(const char *str, size_t len)
{
	struct mp_secret *s = secret_alloc(len);

	if (s == NULL)
		return NULL;
	memcpy(s->buf, str, len);
	s->buf[len] = '\0';
	s->len = len;
	return s;
}

struct mp_secret *
mp_secret_dup(const struct mp_secret *s)
{
	return s == NULL ? NULL : mp_secret_from_mem(s->buf, s->len);
}
