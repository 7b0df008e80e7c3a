/*
 * One buffered line reader/writer over a socket, plain or TLS (an OpenSSL
 * SSL* once the handshake is done). Every read and write waits at most until
 * the run's deadline; every line has a size bound. What crosses the wire is
 * recorded in a bounded transcript as C:/S: lines, with credentials replaced
 * by what the caller chooses to show.
 */
#ifndef MAILPROBE_CONN_H
#define MAILPROBE_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/deadline.h"
#include "checks/result.h"

#define MP_LINE_MAX 8192 /* longest line we accept (RFC 5321 allows 512) */
#define MP_TRANSCRIPT_MAX (64 * 1024)
#define MP_SECRET_FORMS 8 /* credential forms a connection remembers */

enum mp_io {
	IO_OK = 0,
	IO_TIMEOUT,  /* deadline passed */
	IO_CLOSED,   /* orderly close by the peer */
	IO_RESET,    /* connection reset */
	IO_TOO_LONG, /* a line over MP_LINE_MAX */
	IO_ERROR     /* any other socket or TLS error */
};

struct mp_transcript {
	char *buf;
	size_t len;
	bool truncated;
};

struct ssl_st; /* OpenSSL's SSL, kept opaque to callers */

struct mp_conn {
	int fd;
	struct ssl_st *ssl; /* NULL while plaintext */
	bool ssl_fatal;     /* a fatal TLS error: no close_notify then */
	const struct mp_deadline *dl;
	char in[MP_LINE_MAX + 1];
	size_t inlen;
	struct mp_transcript tr;
	bool reset_pending; /* reset seen at connect: the first read fails */
	size_t sent;        /* bytes handed to the peer so far (a step that sent nothing) */
	char err[128];      /* detail of the last IO_ERROR */
	/* The password in the forms it was sent (as sent and escaped), wiped
	 * at close: server text holding one is withheld. */
	char *secret_forms[MP_SECRET_FORMS];
	int nsecret_forms;
};

void mp_conn_init(struct mp_conn *c, int fd, const struct mp_deadline *dl);
/* Sends a TLS close_notify (bounded by the deadline, never waiting for the
 * peer's), frees the TLS session and closes the socket; keeps the
 * transcript. */
void mp_conn_close(struct mp_conn *c);
/* Hands the transcript over (caller frees) and clears it in c. */
char *mp_conn_take_transcript(struct mp_conn *c);

/* Reads one line into line (NUL-terminated, CRLF or LF stripped; *len is its
 * length, which can be shorter than strlen when the line holds NUL bytes). */
enum mp_io mp_conn_readline(struct mp_conn *c, char *line, size_t cap, size_t *len);
/* Reads exactly n bytes (an IMAP literal) and discards them, recording at
 * most a short sample. */
enum mp_io mp_conn_skip(struct mp_conn *c, size_t n);
/* Reads up to cap bytes (at least one unless it fails) into buf. */
enum mp_io mp_conn_read(struct mp_conn *c, char *buf, size_t cap, size_t *got);
/* Writes line + CRLF. shown is what the transcript records instead of line
 * (for credentials), or NULL to record line itself. */
enum mp_io mp_conn_writeline(struct mp_conn *c, const char *line, const char *shown);
/* Bytes received and not yet consumed, in our buffer or waiting in the
 * socket (checked without blocking). */
bool mp_conn_has_pending(struct mp_conn *c);

/* Remembers n bytes of a credential as it was sent (and its escaped form):
 * from now on a server line holding one is recorded as withheld. */
void mp_conn_forbid(struct mp_conn *c, const char *p, size_t n);
/* True when the n bytes at p hold a form given to mp_conn_forbid. */
bool mp_conn_holds_secret(const struct mp_conn *c, const char *p, size_t n);

/* Waits until fd is ready for events (POLLIN/POLLOUT) or the deadline. */
enum mp_io mp_conn_wait(struct mp_conn *c, short events);

/* Adds a free-form note ("-- TLS ...") to the transcript. */
void mp_conn_note(struct mp_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds raw bytes the peer sent outside line reading (escaped). */
void mp_conn_note_bytes(struct mp_conn *c, const char *prefix, const char *p, size_t n);

/* A printable, escaped copy of n bytes (non-printables as \xNN) into out. */
void mp_escape(const char *p, size_t n, char *out, size_t outlen);

#endif
