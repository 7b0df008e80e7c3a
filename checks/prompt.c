/*
 * The password prompt: echo off while the person types, restored however
 * the read ends (a newline, end of input, an error, or SIGINT/SIGTERM,
 * which restore the terminal and then end the program as they would).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "checks/platform.h"
#include "checks/prompt.h"

/* One line from fd into buf (at most len-1 bytes); its length, or -1. */
static ssize_t
read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 >= len)
			return -1;
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (ssize_t)n;
}

struct mp_secret *
mp_secret_prompt(int fd, const char *prompt, char *err, size_t errlen)
{
	char buf[MP_SECRET_MAX + 2];
	struct mp_secret *s = NULL;
	ssize_t n;

	err[0] = '\0';
	if (mp_term_quiet(fd) != 0) {
		snprintf(err, errlen, "password prompt: %s", strerror(errno));
		return NULL;
	}
	fputs(prompt, stderr);
	fflush(stderr);
	n = read_line(fd, buf, sizeof(buf));
	mp_term_restore();
	fputc('\n', stderr);
	if (n < 0)
		snprintf(err, errlen, "password prompt: longer than %d bytes", MP_SECRET_MAX);
	else if (n > 0 && (s = mp_secret_from_mem(buf, (size_t)n)) == NULL)
		snprintf(err, errlen, "password prompt: out of memory");
	mp_wipe(buf, sizeof(buf));
	return s;
}
