/*
 * TLS with OpenSSL 3: one client context per run (system CA store or a CA
 * file), and the handshake on a connection. Verification never aborts the
 * handshake: a callback records every error, so the certificate facts exist
 * for an expired or untrusted certificate; the class is decided afterwards,
 * before any credential is sent.
 */
#ifndef MAILPROBE_TLS_H
#define MAILPROBE_TLS_H

#include "checks/conn.h"
#include "checks/result.h"

struct mp_tls_ctx;

/* ca_file NULL or "" = the system store. NULL with a reason in err. */
struct mp_tls_ctx *mp_tls_ctx_new(const char *ca_file, char *err, size_t errlen);
void mp_tls_ctx_free(struct mp_tls_ctx *ctx);

/* "OpenSSL 3.0.19 27 Jan 2026" style string of the library in use. */
const char *mp_tls_library_version(void);

/* Runs the client handshake on c (plain so far) for servername (SNI unless
 * it is an IP literal; certificate name check either way). Fills the tls
 * facts of st. Returns CLASS_NONE, a handshake class (the endpoint stops) or a
 * certificate class (mp_class_is_cert). On success or a certificate class,
 * c->ssl is set and further I/O on c is encrypted. */
enum mp_class mp_tls_handshake(struct mp_conn *c, struct mp_tls_ctx *ctx, const char *servername,
			       struct mp_step_result *st);

#endif
