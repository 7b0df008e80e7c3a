/*
 * Buffered line I/O with an absolute deadline, over a plain socket or an
 * OpenSSL session. Reads never block past the deadline; lines are bounded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "checks/conn.h"
#include "checks/platform.h"
#include "checks/secret.h"

void
mp_conn_init(struct mp_conn *c, int fd, const struct mp_deadline *dl)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->dl = dl;
}

/* Sends our close_notify (RFC 8446 6.1) so the server sees an orderly end,
 * not a truncation. Waits only to write it, never past the deadline, and
 * never for the peer's close_notify. Not after a fatal error (OpenSSL's
 * rule for SSL_shutdown). */
static void
send_close_notify(struct mp_conn *c)
{
	for (int i = 0; i < 4 && !c->ssl_fatal; i++) {
		int rc;

		ERR_clear_error();
		rc = SSL_shutdown(c->ssl);
		if (rc >= 0 || SSL_get_error(c->ssl, rc) != SSL_ERROR_WANT_WRITE ||
		    mp_deadline_expired(c->dl) || mp_conn_wait(c, POLLOUT) != IO_OK)
			break;
	}
	ERR_clear_error();
}

static void
forget_secrets(struct mp_conn *c)
{
	for (int i = 0; i < c->nsecret_forms; i++) {
		mp_wipe(c->secret_forms[i], strlen(c->secret_forms[i]));
		free(c->secret_forms[i]);
		c->secret_forms[i] = NULL;
	}
	c->nsecret_forms = 0;
}

void
mp_conn_close(struct mp_conn *c)
{
	forget_secrets(c);
	if (c->ssl != NULL) {
		send_close_notify(c);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0) {
		mp_sock_close(c->fd);
		c->fd = -1;
	}
}

char *
mp_conn_take_transcript(struct mp_conn *c)
{
	char *t = c->tr.buf;

	c->tr.buf = NULL;
	c->tr.len = 0;
	return t;
}

void
mp_escape(const char *p, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen == 0)
		return;
	for (size_t i = 0; i < n && o + 5 < outlen; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
	}
	out[o] = '\0';
}

static void
tr_append(struct mp_conn *c, const char *s, size_t n)
{
	struct mp_transcript *tr = &c->tr;

	if (tr->truncated)
		return;
	if (tr->buf == NULL && (tr->buf = malloc(MP_TRANSCRIPT_MAX + 1)) == NULL) {
		tr->truncated = true;
		return;
	}
	if (tr->len + n + 32 > MP_TRANSCRIPT_MAX) {
		const char *cut = "-- transcript truncated\n";

		memcpy(tr->buf + tr->len, cut, strlen(cut));
		tr->len += strlen(cut);
		tr->buf[tr->len] = '\0';
		tr->truncated = true;
		return;
	}
	memcpy(tr->buf + tr->len, s, n);
	tr->len += n;
	tr->buf[tr->len] = '\0';
}

static bool
has_bytes(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k > 0 && i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

bool
mp_conn_holds_secret(const struct mp_conn *c, const char *p, size_t n)
{
	for (int i = 0; i < c->nsecret_forms; i++)
		if (has_bytes(p, n, c->secret_forms[i]))
			return true;
	return false;
}

static void
forbid_one(struct mp_conn *c, const char *p, size_t n)
{
	char *copy;

	if (n == 0 || c->nsecret_forms >= MP_SECRET_FORMS || mp_conn_holds_secret(c, p, n))
		return;
	if ((copy = malloc(n + 1)) == NULL)
		return;
	memcpy(copy, p, n);
	copy[n] = '\0';
	c->secret_forms[c->nsecret_forms++] = copy;
}

void
mp_conn_forbid(struct mp_conn *c, const char *p, size_t n)
{
	size_t cap = 4 * n + 6;
	char *esc = malloc(cap);

	forbid_one(c, p, n);
	if (esc != NULL) {
		mp_escape(p, n, esc, cap);
		forbid_one(c, esc, strlen(esc));
		mp_wipe(esc, cap);
		free(esc);
	}
}

/* Records a line. Server bytes (every prefix but "C: ") that hold the
 * password as it was sent are withheld whole: masking only the password
 * inside them would point at it. */
static void
tr_line(struct mp_conn *c, const char *prefix, const char *p, size_t n)
{
	char esc[1024];

	if (strncmp(prefix, "C: ", 3) != 0 && mp_conn_holds_secret(c, p, n)) {
		p = "(withheld: it holds the password as it was sent)";
		n = strlen(p);
	}

	if (n > 240) {
		char more[64];

		mp_escape(p, 240, esc, sizeof(esc));
		snprintf(more, sizeof(more), "... (%zu bytes)", n);
		strncat(esc, more, sizeof(esc) - strlen(esc) - 1);
	} else {
		mp_escape(p, n, esc, sizeof(esc));
	}
	tr_append(c, prefix, strlen(prefix));
	tr_append(c, esc, strlen(esc));
	tr_append(c, "\n", 1);
}

void
mp_conn_note(struct mp_conn *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tr_append(c, "-- ", 3);
	tr_append(c, buf, strlen(buf));
	tr_append(c, "\n", 1);
}

void
mp_conn_note_bytes(struct mp_conn *c, const char *prefix, const char *p, size_t n)
{
	tr_line(c, prefix, p, n);
}

enum mp_io
mp_conn_wait(struct mp_conn *c, short events)
{
	struct pollfd pfd = {.fd = c->fd, .events = events};

	if (events & POLLIN)
		mp_sock_quickack(c->fd);

	for (;;) {
		int ms = mp_deadline_poll_ms(c->dl);
		int rc;

		if (ms == 0)
			return IO_TIMEOUT;
		rc = mp_poll(&pfd, 1, ms);
		if (rc > 0)
			return IO_OK;
		if (rc < 0 && errno != EINTR) {
			snprintf(c->err, sizeof(c->err), "poll: %s", mp_strerror(errno));
			return IO_ERROR;
		}
	}
}

static enum mp_io
errno_io(struct mp_conn *c, int e)
{
	if (e == ECONNRESET || e == EPIPE)
		return IO_RESET;
	snprintf(c->err, sizeof(c->err), "%s", mp_strerror(e));
	return IO_ERROR;
}

/* One SSL read or write attempt's outcome: IO_OK with *done, or a wait. */
static enum mp_io
ssl_retry(struct mp_conn *c, int rc)
{
	int e = SSL_get_error(c->ssl, rc);
	unsigned long code;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return mp_conn_wait(c, POLLIN);
	case SSL_ERROR_WANT_WRITE:
		return mp_conn_wait(c, POLLOUT);
	case SSL_ERROR_ZERO_RETURN:
		return IO_CLOSED;
	case SSL_ERROR_SYSCALL:
		c->ssl_fatal = true;
		if (mp_sock_errno() == 0)
			return IO_CLOSED;
		return errno_io(c, mp_sock_errno());
	default:
		c->ssl_fatal = true;
		code = ERR_peek_last_error();
		ERR_error_string_n(code, c->err, sizeof(c->err));
		ERR_clear_error();
		return IO_ERROR;
	}
}

/* Reads what is available into the buffer (at least one byte). */
static enum mp_io
fill(struct mp_conn *c)
{
	size_t room = MP_LINE_MAX - c->inlen;

	if (room == 0)
		return IO_TOO_LONG;
	if (c->reset_pending)
		return IO_RESET;
	for (;;) {
		if (mp_deadline_expired(c->dl))
			return IO_TIMEOUT;
		if (c->ssl != NULL) {
			int rc;
			enum mp_io io;

			ERR_clear_error();
			rc = SSL_read(c->ssl, c->in + c->inlen, (int)room);
			if (rc > 0) {
				c->inlen += (size_t)rc;
				return IO_OK;
			}
			if ((io = ssl_retry(c, rc)) != IO_OK)
				return io;
		} else {
			ssize_t n = mp_sock_recv(c->fd, c->in + c->inlen, room);
			enum mp_io io;

			if (n > 0) {
				c->inlen += (size_t)n;
				return IO_OK;
			}
			if (n == 0)
				return IO_CLOSED;
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return errno_io(c, errno);
			if ((io = mp_conn_wait(c, POLLIN)) != IO_OK)
				return io;
		}
	}
}

static void
consume(struct mp_conn *c, size_t n)
{
	memmove(c->in, c->in + n, c->inlen - n);
	c->inlen -= n;
}

enum mp_io
mp_conn_readline(struct mp_conn *c, char *line, size_t cap, size_t *len)
{
	for (;;) {
		char *nl = memchr(c->in, '\n', c->inlen);

		if (nl != NULL) {
			size_t n = (size_t)(nl - c->in);
			size_t keep = n;

			if (keep > 0 && c->in[keep - 1] == '\r')
				keep--;
			if (keep >= cap) {
				tr_line(c, "S: ", c->in, keep);
				consume(c, n + 1);
				return IO_TOO_LONG;
			}
			memcpy(line, c->in, keep);
			line[keep] = '\0';
			*len = keep;
			tr_line(c, "S: ", line, keep);
			consume(c, n + 1);
			return IO_OK;
		}
		if (c->inlen >= cap || c->inlen >= MP_LINE_MAX) {
			tr_line(c, "S: ", c->in, c->inlen);
			return IO_TOO_LONG;
		}
		enum mp_io io = fill(c);
		if (io != IO_OK) {
			if (c->inlen > 0)
				tr_line(c, "S: (partial) ", c->in, c->inlen);
			return io;
		}
	}
}

enum mp_io
mp_conn_skip(struct mp_conn *c, size_t n)
{
	bool sampled = false;

	while (n > 0) {
		size_t take;

		if (c->inlen == 0) {
			enum mp_io io = fill(c);

			if (io != IO_OK)
				return io;
		}
		take = c->inlen < n ? c->inlen : n;
		if (!sampled) {
			tr_line(c, "S: (literal) ", c->in, take < 64 ? take : 64);
			sampled = true;
		}
		consume(c, take);
		n -= take;
	}
	return IO_OK;
}

enum mp_io
mp_conn_read(struct mp_conn *c, char *buf, size_t cap, size_t *got)
{
	size_t take;

	*got = 0;
	if (c->inlen == 0) {
		enum mp_io io = fill(c);

		if (io != IO_OK)
			return io;
	}
	take = c->inlen < cap ? c->inlen : cap;
	memcpy(buf, c->in, take);
	consume(c, take);
	*got = take;
	return IO_OK;
}

static enum mp_io
write_all(struct mp_conn *c, const char *p, size_t n)
{
	while (n > 0) {
		enum mp_io io;

		if (mp_deadline_expired(c->dl))
			return IO_TIMEOUT;
		if (c->ssl != NULL) {
			int rc;

			ERR_clear_error();
			rc = SSL_write(c->ssl, p, (int)n);
			if (rc > 0) {
				c->sent += (size_t)rc;
				p += rc;
				n -= (size_t)rc;
				continue;
			}
			if ((io = ssl_retry(c, rc)) != IO_OK)
				return io;
		} else {
			ssize_t w = mp_sock_send(c->fd, p, n);

			if (w > 0) {
				c->sent += (size_t)w;
				p += w;
				n -= (size_t)w;
				continue;
			}
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				return errno_io(c, errno);
			if ((io = mp_conn_wait(c, POLLOUT)) != IO_OK)
				return io;
		}
	}
	return IO_OK;
}

enum mp_io
mp_conn_writeline(struct mp_conn *c, const char *line, const char *shown)
{
	size_t n = strlen(line);
	char *buf = malloc(n + 3);
	enum mp_io io;

	if (buf == NULL) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return IO_ERROR;
	}
	if (mp_deadline_expired(c->dl)) { /* nothing is sent after the deadline */
		free(buf);
		return IO_TIMEOUT;
	}
	memcpy(buf, line, n);
	memcpy(buf + n, "\r\n", 3);
	tr_line(c, "C: ", shown != NULL ? shown : line, strlen(shown != NULL ? shown : line));
	io = write_all(c, buf, n + 2);
	explicit_bzero(buf, n + 2);
	free(buf);
	return io;
}

bool
mp_conn_has_pending(struct mp_conn *c)
{
	if (c->inlen > 0)
		return true;
	if (c->ssl != NULL && SSL_pending(c->ssl) > 0)
		return true;
	return mp_sock_readable_now(c->fd);
}
