/*
 * The password prompt: echo off while the person types, restored however
 * the read ends (a newline, end of input, an error, or SIGINT/SIGTERM,
 * which restore the terminal and then end the program as they would).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "checks/prompt.h"

static struct termios saved;
static volatile sig_atomic_t saved_fd = -1;

bool
mp_is_terminal(int fd)
{
	return isatty(fd) == 1;
}

static void
restore(void)
{
	if (saved_fd >= 0)
		tcsetattr(saved_fd, TCSAFLUSH, &saved);
}

static void
on_signal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

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
	struct termios quiet;
	struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
	char buf[MP_SECRET_MAX + 2];
	struct mp_secret *s = NULL;
	ssize_t n;

	err[0] = '\0';
	if (tcgetattr(fd, &saved) != 0) {
		snprintf(err, errlen, "password prompt: %s", strerror(errno));
		return NULL;
	}
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	saved_fd = fd;
	fputs(prompt, stderr);
	fflush(stderr);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	n = read_line(fd, buf, sizeof(buf));
	restore();
	saved_fd = -1;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	fputc('\n', stderr);
	if (n < 0)
		snprintf(err, errlen, "password prompt: longer than %d bytes", MP_SECRET_MAX);
	else if (n > 0 && (s = mp_secret_from_mem(buf, (size_t)n)) == NULL)
		snprintf(err, errlen, "password prompt: out of memory");
	mp_wipe(buf, sizeof(buf));
	return s;
}
