/*
 * OpenSSL 3 client side: context, handshake under the deadline, certificate
 * facts and the classing of every TLS failure. The only file that knows
 * X509 and verification details.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "checks/platform.h"
#include "checks/tls.h"

/* The system store is the hashed directory first (SSL_CERT_DIR or
 * OpenSSL's default, loading only the CAs a chain names) and OpenSSL's whole
 * default store (the bundle file too) only for a chain the directory cannot
 * verify: the same trust as SSL_CTX_set_default_verify_paths without parsing
 * the bundle on every run. */
struct mp_tls_ctx {
	SSL_CTX *ctx;
	bool system;
	pthread_mutex_t whole_lock;
	X509_STORE *whole; /* file + directory, loaded on first need */
};

/* What the verify callback saw during one handshake. */
struct verify_state {
	int first_err; /* X509_V_OK when none */
	bool untrusted;
	bool expired;
	bool not_yet_valid;
};

/* The first bytes the server sent, to tell a plaintext port apart. */
struct first_bytes {
	char buf[128];
	size_t n;
};

static int verify_idx = -1;
static pthread_once_t verify_once = PTHREAD_ONCE_INIT;

static void
verify_idx_init(void)
{
	verify_idx = SSL_get_ex_new_index(0, "mailprobe verify state", NULL, NULL, NULL);
}

const char *
mp_tls_library_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

static void
verify_record(struct verify_state *vs, int err)
{
	if (vs->first_err == X509_V_OK)
		vs->first_err = err;
	if (err == X509_V_ERR_CERT_HAS_EXPIRED)
		vs->expired = true;
	else if (err == X509_V_ERR_CERT_NOT_YET_VALID)
		vs->not_yet_valid = true;
	else
		vs->untrusted = true;
}

/* Records every error and lets the handshake go on. */
static int
verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl;
	struct verify_state *vs;

	if (ok)
		return 1;
	ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	vs = ssl != NULL ? SSL_get_ex_data(ssl, verify_idx) : NULL;
	if (vs != NULL)
		verify_record(vs, X509_STORE_CTX_get_error(xs));
	return 1;
}

static void
ssl_err_str(char *err, size_t errlen, const char *what)
{
	unsigned long code = ERR_peek_last_error();
	char buf[256] = "";

	if (code != 0)
		ERR_error_string_n(code, buf, sizeof(buf));
	snprintf(err, errlen, "%s%s%s", what, buf[0] ? ": " : "", buf);
	ERR_clear_error();
}

struct mp_tls_ctx *
mp_tls_ctx_new(const char *ca_file, char *err, size_t errlen)
{
	struct mp_tls_ctx *t = calloc(1, sizeof(*t));
	int ok;

	pthread_once(&verify_once, verify_idx_init);
	if (t == NULL || (t->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		ssl_err_str(err, errlen, "cannot create the TLS context");
		free(t);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(t->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, verify_cb);
	if (ca_file != NULL && ca_file[0] != '\0')
		ok = SSL_CTX_load_verify_locations(t->ctx, ca_file, NULL);
	else
		ok = t->system = mp_trust_add_system(SSL_CTX_get_cert_store(t->ctx));
	pthread_mutex_init(&t->whole_lock, NULL);
	if (!ok) {
		char what[300];

		snprintf(what, sizeof(what), "--ca-file %s: cannot load certificates",
			 ca_file != NULL ? ca_file : "");
		ssl_err_str(err, errlen, what);
		mp_tls_ctx_free(t);
		return NULL;
	}
	return t;
}

void
mp_tls_ctx_free(struct mp_tls_ctx *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	X509_STORE_free(t->whole);
	pthread_mutex_destroy(&t->whole_lock);
	free(t);
}

/* OpenSSL's whole default store (SSL_CERT_FILE or the bundle, and the
 * directory), loaded once per context. NULL if it cannot be built. */
static X509_STORE *
whole_system_store(struct mp_tls_ctx *t)
{
	pthread_mutex_lock(&t->whole_lock);
	if (t->whole == NULL && (t->whole = X509_STORE_new()) != NULL &&
	    !X509_STORE_set_default_paths(t->whole)) {
		X509_STORE_free(t->whole);
		t->whole = NULL;
	}
	ERR_clear_error();
	pthread_mutex_unlock(&t->whole_lock);
	return t->whole;
}

/* Verifies the peer's chain again as the handshake did (ssl_server purpose,
 * the SSL's parameters and security level), against the whole system store;
 * its errors replace vs. */
static void
verify_with_whole_store(struct mp_tls_ctx *t, SSL *ssl, struct verify_state *vs)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509_STORE *store = whole_system_store(t);
	struct verify_state again = {.first_err = X509_V_OK};
	X509_STORE_CTX *xs;

	if (store == NULL || chain == NULL || sk_X509_num(chain) < 1 ||
	    (xs = X509_STORE_CTX_new()) == NULL)
		return;
	if (X509_STORE_CTX_init(xs, store, sk_X509_value(chain, 0), chain) &&
	    X509_STORE_CTX_set_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx(), ssl)) {
		X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(xs);

		X509_STORE_CTX_set_default(xs, "ssl_server");
		X509_VERIFY_PARAM_set1(param, SSL_get0_param(ssl));
		X509_VERIFY_PARAM_set_auth_level(param, SSL_get_security_level(ssl));
		X509_STORE_CTX_set_verify_cb(xs, verify_cb);
		SSL_set_ex_data(ssl, verify_idx, &again);
		if (X509_verify_cert(xs) > 0)
			*vs = again;
		SSL_set_ex_data(ssl, verify_idx, NULL);
	}
	X509_STORE_CTX_free(xs);
	ERR_clear_error();
}

static long
first_bytes_cb(BIO *b, int oper, const char *argp, size_t len, int argi, long argl, int ret,
	       size_t *processed)
{
	struct first_bytes *fb = (struct first_bytes *)BIO_get_callback_arg(b);

	(void)len;
	(void)argi;
	(void)argl;
	if (fb != NULL && oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 && processed != NULL) {
		size_t room = sizeof(fb->buf) - fb->n;
		size_t n = *processed < room ? *processed : room;

		memcpy(fb->buf + fb->n, argp, n);
		fb->n += n;
	}
	return ret;
}

static bool
is_ip_literal(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* True when the server's first bytes are not a TLS record but text. */
static bool
looks_plaintext(const struct first_bytes *fb)
{
	unsigned char b0;

	if (fb->n == 0)
		return false;
	b0 = (unsigned char)fb->buf[0];
	if (b0 >= 0x14 && b0 <= 0x17)
		return false; /* a TLS record type */
	return b0 >= 0x20 && b0 < 0x7f;
}

static bool
reason_is_version(int reason)
{
	return reason == SSL_R_UNSUPPORTED_PROTOCOL ||
	       reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION || reason == SSL_R_VERSION_TOO_LOW ||
	       reason == SSL_R_WRONG_SSL_VERSION;
}

static enum mp_class
handshake_fail(struct mp_conn *c, SSL *ssl, int rc, const struct first_bytes *fb,
	       struct mp_step_result *st)
{
	int e = SSL_get_error(ssl, rc);
	int saved_errno = mp_sock_errno();
	unsigned long code = ERR_peek_last_error();
	char esc[160], detail[256] = "";

	if (code != 0)
		ERR_error_string_n(code, detail, sizeof(detail));
	ERR_clear_error();
	if (looks_plaintext(fb)) {
		mp_conn_note_bytes(c, "S: ", fb->buf, fb->n);
		mp_escape(fb->buf, fb->n < 60 ? fb->n : 60, esc, sizeof(esc));
		return mp_step_fail(st, CLASS_TLS_PLAINTEXT_PORT,
				    "the server answered the TLS handshake in plaintext: \"%s\"",
				    esc);
	}
	if (e == SSL_ERROR_SYSCALL && saved_errno == ECONNRESET) {
		return mp_step_fail(st, CLASS_PEER_RESET, "connection reset during the handshake");
	}
	if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN) {
		return mp_step_fail(st, CLASS_PEER_CLOSED,
				    "the server closed the connection "
				    "during the handshake");
	}
	if (code != 0 && reason_is_version(ERR_GET_REASON(code))) {
		return mp_step_fail(st, CLASS_TLS_VERSION_TOO_OLD,
				    "the server offers only TLS versions older than 1.2 (%s)",
				    detail);
	}
	if (code != 0 && ERR_GET_REASON(code) > SSL_AD_REASON_OFFSET &&
	    ERR_GET_REASON(code) < SSL_AD_REASON_OFFSET + 256) {
		/* an alert the server sent (OpenSSL: reason = offset + alert) */
		return mp_step_fail(
		    st, CLASS_TLS_HANDSHAKE_FAILED,
		    "the server ended the TLS handshake with the alert \"%s\" (%s)",
		    SSL_alert_desc_string_long(ERR_GET_REASON(code) - SSL_AD_REASON_OFFSET),
		    detail);
	}
	return mp_step_fail(st, CLASS_TLS_HANDSHAKE_FAILED, "TLS handshake failed: %s",
			    detail[0] ? detail : "unknown error");
}

/* Drives SSL_connect until done, failed or the deadline. */
static enum mp_class
handshake_loop(struct mp_conn *c, SSL *ssl, const struct first_bytes *fb, struct mp_step_result *st)
{
	for (;;) {
		int rc, e;
		enum mp_io io;

		ERR_clear_error();
		mp_sock_errno_clear();
		rc = SSL_connect(ssl);
		if (rc == 1)
			return CLASS_NONE;
		e = SSL_get_error(ssl, rc);
		if (e == SSL_ERROR_WANT_READ)
			io = mp_conn_wait(c, POLLIN);
		else if (e == SSL_ERROR_WANT_WRITE)
			io = mp_conn_wait(c, POLLOUT);
		else
			return handshake_fail(c, ssl, rc, fb, st);
		if (io == IO_TIMEOUT) {
			if (looks_plaintext(fb))
				return handshake_fail(c, ssl, -1, fb, st);
			return mp_step_fail(st, CLASS_READ_TIMEOUT,
					    "no TLS handshake answer before the deadline");
		}
		if (io != IO_OK) {
			return mp_step_fail(st, CLASS_TLS_HANDSHAKE_FAILED, "%s", c->err);
		}
	}
}

static void
name_str(const X509_NAME *name, char *out, size_t outlen)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n;

	out[0] = '\0';
	if (b == NULL)
		return;
	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	n = BIO_read(b, out, (int)outlen - 1);
	out[n > 0 ? n : 0] = '\0';
	BIO_free(b);
}

static time_t
asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return timegm(&tm);
}

static void
hex_digest(const unsigned char *md, unsigned int n, char *out)
{
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static bool
sha1_signed(const X509 *leaf)
{
	int nid = X509_get_signature_nid(leaf);

	return nid == NID_sha1WithRSAEncryption || nid == NID_ecdsa_with_SHA1 ||
	       nid == NID_dsaWithSHA1 || nid == NID_sha1WithRSA;
}

/* The leaf names where its issuer can be fetched (AIA caIssuers), as
 * certificates of public CAs do: then a missing issuer is an incomplete chain
 * rather than a private CA. */
static bool
has_ca_issuers(X509 *leaf)
{
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(leaf, NID_info_access, NULL, NULL);
	bool found = false;

	for (int i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++)
		found |=
		    OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(aia, i)->method) == NID_ad_ca_issuers;
	AUTHORITY_INFO_ACCESS_free(aia);
	return found;
}

static bool
name_matches(X509 *leaf, const char *servername)
{
	if (is_ip_literal(servername))
		return X509_check_ip_asc(leaf, servername, 0) == 1;
	return X509_check_host(leaf, servername, 0, 0, NULL) == 1;
}

static void
cert_facts(SSL *ssl, X509 *leaf, const struct verify_state *vs, const char *servername,
	   struct mp_cert *cert)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	time_t now = time(NULL);

	cert->present = true;
	name_str(X509_get_subject_name(leaf), cert->subject, sizeof(cert->subject));
	name_str(X509_get_issuer_name(leaf), cert->issuer, sizeof(cert->issuer));
	cert->not_before = asn1_time(X509_get0_notBefore(leaf));
	cert->not_after = asn1_time(X509_get0_notAfter(leaf));
	cert->days_left = (int)((cert->not_after - now) / 86400);
	if (cert->not_after < now && (now - cert->not_after) % 86400 != 0)
		cert->days_left--;
	if (X509_digest(leaf, EVP_sha256(), md, &n))
		hex_digest(md, n, cert->sha256);
	if (X509_pubkey_digest(leaf, EVP_sha256(), md, &n))
		hex_digest(md, n, cert->spki_sha256);
	cert->chain_length = chain != NULL ? sk_X509_num(chain) : 1;
	cert->verified = vs->first_err == X509_V_OK;
	cert->hostname_match = name_matches(leaf, servername);
	cert->sha1_signature = sha1_signed(leaf);
	cert->issuer_missing = cert->chain_length <= 1 &&
			       X509_check_issued(leaf, leaf) != X509_V_OK &&
			       (vs->first_err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
				vs->first_err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) &&
			       has_ca_issuers(leaf);
	if (vs->first_err != X509_V_OK)
		snprintf(cert->verify_error, sizeof(cert->verify_error), "%s",
			 X509_verify_cert_error_string(vs->first_err));
}

static void
san_list(X509 *leaf, char *out, size_t outlen)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names) && i < 8; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);

		if (g->type != GEN_DNS || o + 4 >= outlen)
			continue;
		o += (size_t)snprintf(out + o, outlen - o, "%s%.*s", o ? ", " : "",
				      ASN1_STRING_length(g->d.dNSName),
				      (const char *)ASN1_STRING_get0_data(g->d.dNSName));
	}
	GENERAL_NAMES_free(names);
}

static void
utc_date(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%d %H:%M UTC", &tm);
}

/* The certificate class and its message, in the documented order of precedence. */
static enum mp_class
cert_class(X509 *leaf, const struct verify_state *vs, const char *servername,
	   struct mp_step_result *st)
{
	const struct mp_cert *cert = &st->cert;
	time_t now = time(NULL);
	char date[40], names[200];

	if (vs->untrusted) {
		return mp_step_fail(st, CLASS_TLS_UNTRUSTED,
				    "certificate not trusted: %s (issuer %s)", cert->verify_error,
				    cert->issuer);
	}
	if (vs->expired || cert->not_after < now) {
		utc_date(cert->not_after, date, sizeof(date));
		return mp_step_fail(st, CLASS_TLS_EXPIRED, "certificate expired on %s", date);
	}
	if (vs->not_yet_valid || cert->not_before > now) {
		utc_date(cert->not_before, date, sizeof(date));
		return mp_step_fail(st, CLASS_TLS_NOT_YET_VALID, "certificate not valid before %s",
				    date);
	}
	if (!cert->hostname_match) {
		san_list(leaf, names, sizeof(names));
		return mp_step_fail(st, CLASS_TLS_HOSTNAME_MISMATCH,
				    "certificate is for %s, not %s",
				    names[0] ? names : cert->subject, servername);
	}
	return CLASS_NONE;
}

static void
session_facts(SSL *ssl, struct mp_step_result *st)
{
	const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);

	snprintf(st->tls_version, sizeof(st->tls_version), "%s", SSL_get_version(ssl));
	if (cipher != NULL) {
		snprintf(st->cipher, sizeof(st->cipher), "%s", SSL_CIPHER_get_name(cipher));
		st->aead = SSL_CIPHER_is_aead(cipher);
	}
}

static SSL *
ssl_new(struct mp_tls_ctx *ctx, int fd, const char *servername, struct verify_state *vs,
	struct first_bytes *fb)
{
	SSL *ssl = SSL_new(ctx->ctx);
	BIO *bio;

	if (ssl == NULL)
		return NULL;
	if ((bio = BIO_new_socket(fd, BIO_NOCLOSE)) == NULL) {
		SSL_free(ssl);
		return NULL;
	}
	BIO_set_callback_ex(bio, first_bytes_cb);
	BIO_set_callback_arg(bio, (char *)fb);
	SSL_set_bio(ssl, bio, bio);
	SSL_set_ex_data(ssl, verify_idx, vs);
	if (!is_ip_literal(servername))
		SSL_set_tlsext_host_name(ssl, servername);
	SSL_set_connect_state(ssl);
	return ssl;
}

/* Stops recording first bytes: the callback argument lives on our stack. */
static void
ssl_detach(SSL *ssl)
{
	BIO *bio = SSL_get_rbio(ssl);

	SSL_set_ex_data(ssl, verify_idx, NULL);
	if (bio != NULL) {
		BIO_set_callback_ex(bio, NULL);
		BIO_set_callback_arg(bio, NULL);
	}
}

enum mp_class
mp_tls_handshake(struct mp_conn *c, struct mp_tls_ctx *ctx, const char *servername,
		 struct mp_step_result *st)
{
	struct verify_state vs = {.first_err = X509_V_OK};
	struct first_bytes fb = {.n = 0};
	SSL *ssl = ssl_new(ctx, c->fd, servername, &vs, &fb);
	enum mp_class cls;
	X509 *leaf;

	if (c->reset_pending) {
		SSL_free(ssl);
		return mp_step_fail(st, CLASS_PEER_RESET, "connection reset during the handshake");
	}
	if (ssl == NULL) {
		ssl_err_str(st->message, sizeof(st->message), "cannot start TLS");
		return CLASS_TLS_HANDSHAKE_FAILED;
	}
	mp_conn_note(c, "TLS handshake (SNI %s)", is_ip_literal(servername) ? "none" : servername);
	cls = handshake_loop(c, ssl, &fb, st);
	ssl_detach(ssl);
	if (cls != CLASS_NONE) {
		SSL_free(ssl);
		return cls;
	}
	session_facts(ssl, st);
	c->ssl = ssl;
	if ((leaf = SSL_get0_peer_certificate(ssl)) == NULL) {
		return mp_step_fail(st, CLASS_TLS_UNTRUSTED, "the server sent no certificate");
	}
	if (vs.first_err != X509_V_OK && ctx->system)
		verify_with_whole_store(ctx, ssl, &vs);
	cert_facts(ssl, leaf, &vs, servername, &st->cert);
	cls = cert_class(leaf, &vs, servername, st);
	if (cls == CLASS_NONE)
		mp_step_say(st, "%s %s, certificate %s verified", st->tls_version, st->cipher,
			    st->cert.subject);
	mp_conn_note(c, "%s %s; certificate %s, issuer %s; %s", st->tls_version, st->cipher,
		     st->cert.subject, st->cert.issuer,
		     cls == CLASS_NONE ? "verified" : st->message);
	return cls;
}
