/*
 * libFuzzer target: the line reader and the protocol dialogs
 * (checks/conn.c, endpoint.c, smtp.c, imap.c, pop3.c) without a network.
 *
 * mp_connect is replaced at link time (-Wl,--wrap=mp_connect) by one that
 * hands mp_endpoint_run one end of a socketpair. Before the run, the whole
 * "server side" of the input is written into the other end and that end is
 * shut down for writing, so every read sees data or end-of-file at once:
 * a run never waits (the 1 s deadline is only a guard) and is
 * deterministic. No thread.
 *
 * Input: byte 0 chooses the endpoint, the rest is what the server sends.
 *   bits 0-1  protocol: 0 smtp (587), 1 imap (143), 2 pop3 (110), 3 smtp (25)
 *   bit 2     starttls (else none; a STARTTLS go-ahead at the very end of the
 *             input leads to a TLS handshake that meets end-of-file)
 *   bit 3     credentials, with insecure_login (so login runs over plaintext)
 *   bit 4     MAIL FROM / RCPT TO (the send step, SMTP only)
 *   bit 5     a password with '"' and '\' (IMAP LOGIN quoting)
 *   bit 6     mp_connect reports a reset right after accept (the first read
 *             fails with peer_reset)
 *   bit 7     the delivery check's after-login hooks instead of the send
 *             step (with bit 3): SMTP DATA (mp_smtp_deliver), IMAP SELECT /
 *             UID SEARCH / STORE / EXPUNGE (mp_imap_find_delete); its 250 ms
 *             naps between searches are skipped (nanosleep is wrapped too)
 *
 * FUZZ_DIALOG_DEBUG=1 in the environment prints each run's steps and
 * transcript to stderr (to see what a seed reaches).
 *
 * Checked after each run (abort() on a violation): the result is well
 * formed (steps, strings terminated, classes in range), no step timed out
 * (the peer closed, so waiting for the deadline would be a hang), and no
 * line the client sent carries the password, raw or base64.
 */
#include <fcntl.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/endpoint.h"
#include "checks/session.h"
#include "fuzz_util.h"

#define DEADLINE_SECONDS 1.0
#define SERVER_MAX (64 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
enum mp_class __wrap_mp_connect(const struct mp_addr *addr, uint16_t port,
				const struct mp_deadline *dl, int *fd, bool *reset, char *msg,
				size_t msglen, struct mp_connect_icmp *icmp);
/* The replacement must keep mp_connect's signature (checks/net.h). */
_Static_assert(__builtin_types_compatible_p(__typeof__(&mp_connect),
					    __typeof__(&__wrap_mp_connect)),
	       "__wrap_mp_connect no longer matches mp_connect in checks/net.h");

static const char USER[] = "alice@fuzz.test";
static const char PW_PLAIN[] = "Fz-s3cret-pw1";
static const char PW_QUOTED[] = "Fz\"s3cret\\pw2";

static struct mp_tls_ctx *tls_ctx;
static struct mp_secret *pw_plain, *pw_quoted;
/* Forbidden in any C: line, and in every line after a credential was
 * sent, per password: raw, base64 alone (AUTH LOGIN), base64 SASL PLAIN
 * blob, IMAP-quoted; each also as the transcript escapes it. */
#define NFORMS 8
static char forbidden[2][NFORMS][128];
static int client_fd = -1;
static bool connect_reset;
/* Set while mp_endpoint_run runs on the fuzzing thread: nanosleep returns at
 * once there (libFuzzer's own threads still sleep). */
static _Thread_local bool in_dialog;

int __real_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);

int
__wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (in_dialog) {
		if (rem != NULL)
			rem->tv_sec = rem->tv_nsec = 0;
		return 0;
	}
	return __real_nanosleep(req, rem);
}

/* The delivery check's hooks (checks/delivery.c), with a fixed tag. */
static enum mp_class
deliver_hook(struct mp_session *s, void *arg, struct mp_step_result *st)
{
	double found_at = 0;

	(void)arg;
	if (mp_proto_is_outgoing(s->cfg->spec.proto))
		return mp_smtp_deliver(s, st, USER, USER, "mp-fuzz-0123456789abcdef");
	return mp_imap_find_delete(s, st, "mp-fuzz-0123456789abcdef", &found_at);
}

enum mp_class
__wrap_mp_connect(const struct mp_addr *addr, uint16_t port, const struct mp_deadline *dl, int *fd,
		  bool *reset, char *msg, size_t msglen, struct mp_connect_icmp *icmp)
{
	(void)addr;
	(void)port;
	if (icmp != NULL)
		*icmp = (struct mp_connect_icmp){.from = ""};
	(void)dl;
	FUZZ_ASSERT(client_fd >= 0);
	*fd = client_fd;
	*reset = connect_reset;
	client_fd = -1;
	snprintf(msg, msglen, "socketpair");
	return CLASS_NONE;
}

static void
forbid(char out[NFORMS][128], const struct mp_secret *pw)
{
	char *plain = mp_sasl_plain(USER, pw), *b64 = mp_base64(pw->buf, pw->len);
	char *quoted = mp_imap_quoted(pw->buf, pw->len);

	FUZZ_ASSERT(plain != NULL && strlen(plain) < 128 && b64 != NULL && strlen(b64) < 128);
	FUZZ_ASSERT(quoted != NULL && strlen(quoted) < 64);
	snprintf(out[0], 128, "%s", pw->buf);
	snprintf(out[1], 128, "%s", b64);
	snprintf(out[2], 128, "%s", plain);
	snprintf(out[3], 128, "%.*s", (int)strlen(quoted) - 2, quoted + 1);
	for (int f = 0; f < 4; f++)
		mp_escape(out[f], strlen(out[f]), out[4 + f], 128);
	mp_free_wiped(plain);
	mp_free_wiped(b64);
	mp_free_wiped(quoted);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	tls_ctx = mp_tls_ctx_new(NULL, err, sizeof(err));
	pw_plain = mp_secret_from_mem(PW_PLAIN, strlen(PW_PLAIN));
	pw_quoted = mp_secret_from_mem(PW_QUOTED, strlen(PW_QUOTED));
	if (tls_ctx == NULL || pw_plain == NULL || pw_quoted == NULL) {
		fprintf(stderr, "fuzz_dialog: setup failed: %s\n", err);
		abort();
	}
	forbid(forbidden[0], pw_plain);
	forbid(forbidden[1], pw_quoted);
	return 0;
}

/* The transcript's C: lines must not carry a password in any form, nor
 * any line after a credential was sent (C: ... ***) the password in use
 * (used: its index, -1 for none): a server's echo is withheld. */
static void
check_transcript(const char *t, int used)
{
	const char *line = t;
	bool sent = false;

	FUZZ_ASSERT(strlen(t) <= MP_TRANSCRIPT_MAX);
	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t n = nl != NULL ? (size_t)(nl - line) : strlen(line);

		bool client = n >= 3 && memcmp(line, "C: ", 3) == 0;

		if (client || sent) {
			char buf[MP_LINE_MAX];

			FUZZ_ASSERT(n < sizeof(buf));
			memcpy(buf, line, n);
			buf[n] = '\0';
			sent |= client && strstr(buf, "***") != NULL;
			for (int p = 0; p < 2; p++)
				for (int f = 0; f < NFORMS && (client || p == used); f++)
					if (strstr(buf, forbidden[p][f]) != NULL) {
						fprintf(stderr, "password in transcript: %s\n%s\n",
							buf, t);
						abort();
					}
		}
		line += n + (nl != NULL);
	}
}

static void
check_result(const struct mp_endpoint_result *res, int used)
{
	unsigned seen = 0;

	FUZZ_ASSERT(res->nsteps >= 1 && res->nsteps <= STEP_COUNT);
	FUZZ_ASSERT(res->steps[0].step == STEP_CONNECT && res->steps[0].ok);
	for (int i = 0; i < res->nsteps; i++) {
		const struct mp_step_result *st = &res->steps[i];

		FUZZ_ASSERT(st->step < STEP_COUNT && !(seen & (1u << st->step)));
		seen |= 1u << st->step;
		FUZZ_ASSERT(st->cls < CLASS_COUNT);
		FUZZ_ASSERT(st->ok == (st->cls == CLASS_NONE));
		FUZZ_ASSERT(fuzz_terminated(st->message, sizeof(st->message)));
		FUZZ_ASSERT(fuzz_terminated(st->capabilities, sizeof(st->capabilities)));
		FUZZ_ASSERT(fuzz_terminated(st->mechanism, sizeof(st->mechanism)));
		/* Every byte is there already, then end-of-file: no wait may
		 * last until the deadline. */
		FUZZ_ASSERT(st->cls != CLASS_READ_TIMEOUT && st->cls != CLASS_GREETING_TIMEOUT);
		/* After a failure (not a certificate class) only logout runs. */
		if (!st->ok && !mp_class_is_cert(st->cls) && i < res->nsteps - 1)
			FUZZ_ASSERT(i + 1 == res->nsteps - 1 &&
				    res->steps[i + 1].step == STEP_LOGOUT);
	}
	FUZZ_ASSERT(res->ok == mp_endpoint_is_ok(res));
	if (res->transcript != NULL)
		check_transcript(res->transcript, used);
}

static void
debug_print(const struct mp_endpoint_result *res)
{
	for (int i = 0; i < res->nsteps; i++)
		fprintf(stderr, "step %-12s %-22s %s\n", mp_step_str(res->steps[i].step),
			mp_class_str(res->steps[i].cls), res->steps[i].message);
	fprintf(stderr, "%s\n", res->transcript != NULL ? res->transcript : "(no transcript)");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t ports[] = {587, 143, 110, 25};
	static const enum mp_proto protos[] = {PROTO_SMTP, PROTO_IMAP, PROTO_POP3, PROTO_SMTP};
	struct mp_check_config cfg;
	struct mp_endpoint_result *res;
	struct mp_deadline dl;
	int sv[2], bufsize = 4 * SERVER_MAX;
	uint8_t mode;

	if (size < 1 || size - 1 > SERVER_MAX)
		return -1; /* not added to the corpus */
	mode = data[0];
	data++;
	size--;

	FUZZ_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &bufsize, sizeof(bufsize));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof(bufsize));
	FUZZ_ASSERT(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
	FUZZ_ASSERT(fcntl(sv[1], F_SETFL, O_NONBLOCK) == 0);
	for (size_t off = 0; off < size;) {
		ssize_t w = send(sv[1], data + off, size - off, MSG_NOSIGNAL);

		if (w <= 0)
			break; /* the rest does not fit: the server sent less */
		off += (size_t)w;
	}
	shutdown(sv[1], SHUT_WR);
	client_fd = sv[0];
	connect_reset = (mode & 64) != 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.spec.proto = protos[mode & 3];
	cfg.spec.port = ports[mode & 3];
	cfg.spec.security = (mode & 4) ? SEC_STARTTLS : SEC_NONE;
	cfg.host = "mail.fuzz.test";
	FUZZ_ASSERT(mp_addr_parse("192.0.2.25", &cfg.addr) == 0);
	if (mode & 8) {
		cfg.user = USER;
		cfg.password = (mode & 32) ? pw_quoted : pw_plain;
		cfg.insecure_login = true;
	}
	if ((mode & 128) && cfg.spec.proto != PROTO_POP3)
		cfg.after_login = deliver_hook;
	if (mode & 16) {
		cfg.mail_from = "alice@fuzz.test";
		cfg.rcpt_to = "bob@fuzz.test";
	}
	cfg.helo = "client.fuzz.test";
	cfg.tls = tls_ctx;
	mp_deadline_in(&dl, DEADLINE_SECONDS);
	cfg.dl = &dl;

	/* On the heap, so a write past the steps array is caught. */
	res = malloc(sizeof(*res));
	FUZZ_ASSERT(res != NULL);
	in_dialog = true;
	mp_endpoint_run(&cfg, res);
	in_dialog = false;
	if (getenv("FUZZ_DIALOG_DEBUG") != NULL)
		debug_print(res);
	FUZZ_ASSERT(client_fd == -1); /* connect ran and the conn owns the fd */
	check_result(res, cfg.password == NULL ? -1 : cfg.password == pw_quoted);
	mp_endpoint_result_cleanup(res);
	free(res);
	close(sv[1]);
	return 0;
}
