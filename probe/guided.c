/*
 * The guided mode (guided.h): the questions, where the report goes, and
 * what the customer reads at the end. The system-specific parts (language,
 * desktop folder, opening the file, the console) are checks/desktop.h's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checks/desktop.h"
#include "checks/prompt.h"
#include "probe/guided.h"

#define ADDRESS_TRIES 3
#define ANSWER_MAX 512

bool
mp_guided_wanted(int argc)
{
	return argc == 1 && mp_is_terminal(STDIN_FILENO) &&
	       (mp_is_terminal(STDOUT_FILENO) || mp_desktop_console_alone());
}

static void
say(enum mp_lang l, enum mp_word w)
{
	fprintf(stdout, "%s\n", mp_word(l, w));
	fflush(stdout);
}

/* One line from stdin into buf, without its line end. 1 when read, 0 when
 * longer than buf (the rest is read and dropped), -1 at end of input. */
static int
read_answer(char *buf, size_t len)
{
	size_t n;
	int c;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n') {
		buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '\r')
			buf[--n] = '\0';
		return 1;
	}
	if (feof(stdin))
		return 1;
	while ((c = getchar()) != EOF && c != '\n')
		;
	return 0;
}

/* s without the spaces and tabs around it, in place. */
static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* What is wrong with v as an e-mail address, or W_COUNT when nothing. */
static enum mp_word
address_problem(const char *v)
{
	const char *at = strrchr(v, '@'), *dot;

	if (v[0] == '\0')
		return W_G_ADDRESS_EMPTY;
	if (strlen(v) >= MP_HOST_MAX)
		return W_G_ADDRESS_TOO_LONG;
	if (strpbrk(v, " \t") != NULL)
		return W_G_ADDRESS_SPACE;
	if (at == NULL)
		return W_G_ADDRESS_NO_AT;
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || strchr("<>\"", *p) != NULL)
			return W_G_ADDRESS_BAD;
	dot = strchr(at + 1, '.');
	if (at == v || !mp_host_valid(at + 1) || dot == NULL || dot[1] == '\0')
		return W_G_ADDRESS_BAD;
	return W_COUNT;
}

/* The address into a (the domain is the host, the address the user, as
 * for an ADDRESS argument); 0, or -1 after ADDRESS_TRIES wrong answers or
 * at the end of input. */
static int
ask_address(enum mp_lang l, struct mp_account *a)
{
	char buf[ANSWER_MAX], *v;

	for (int i = 0; i < ADDRESS_TRIES; i++) {
		enum mp_word problem;
		int r;

		fprintf(stdout, "\n%s", mp_word(l, W_G_ASK_ADDRESS));
		fflush(stdout);
		if ((r = read_answer(buf, sizeof(buf))) < 0) {
			fputc('\n', stdout);
			return -1;
		}
		v = trim(buf);
		problem = r == 0 ? W_G_ADDRESS_TOO_LONG : address_problem(v);
		if (problem == W_COUNT) { /* shorter than MP_HOST_MAX: address_problem */
			const char *domain = strrchr(v, '@') + 1;

			memcpy(a->address, v, strlen(v) + 1);
			memcpy(a->user, v, strlen(v) + 1);
			memcpy(a->host, domain, strlen(domain) + 1);
			return 0;
		}
		say(l, problem);
	}
	fputc('\n', stdout);
	fprintf(stdout, mp_word(l, W_G_GIVE_UP), ADDRESS_TRIES);
	fputc('\n', stdout);
	return -1;
}

/* The password (echo off); an empty answer is asked once more, a second
 * one checks without a login. 0, or -1 when the terminal failed. */
static int
ask_password(enum mp_lang l, struct mp_account *a)
{
	char err[256];

	for (int i = 0; i < 2; i++) {
		fputc('\n', stderr);
		a->password =
		    mp_secret_prompt(STDIN_FILENO, mp_word(l, W_G_ASK_PASSWORD), err, sizeof(err));
		if (a->password != NULL)
			return 0;
		if (err[0] != '\0') {
			fprintf(stderr, "mailprobe: %s\n", err);
			return -1;
		}
		if (i == 0)
			say(l, W_G_PASSWORD_EMPTY);
	}
	return 0;
}

/* Creates a new empty file "<stem>-<domain>-<YYYYMMDD-HHMMSS>.html" in dir
 * (-2 ... -9 before the dot when taken): only the owner may read it. 0, or
 * -1 with errno. */
static int
create_report(const char *dir, const char *stem, const char *domain, char *path, size_t len)
{
	char when[32], tail[8] = "";
	time_t now = time(NULL);
	struct tm *tm = localtime(&now); /* no thread runs yet */
	int fd = -1;

	if (tm == NULL || strftime(when, sizeof(when), "%Y%m%d-%H%M%S", tm) == 0)
		snprintf(when, sizeof(when), "%lld", (long long)now);
	for (int i = 1; i <= 9 && fd < 0; i++) {
		int n;

		if (i > 1)
			snprintf(tail, sizeof(tail), "-%d", i);
		n = snprintf(path, len, "%s%c%s-%s-%s%s.html", dir, mp_desktop_separator(), stem,
			     domain, when, tail);
		if (n < 0 || (size_t)n >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* The report on the desktop, else in the current folder; o->report_file
 * stays "" (said on the screen) when neither can take it. */
static void
place_report(enum mp_lang l, const struct mp_account *a, struct mp_output_options *o)
{
	char dir[PATH_MAX];
	const char *stem = mp_word(l, W_G_FILE_STEM);
	int e = 0;

	if (mp_desktop_dir(dir, sizeof(dir)) &&
	    create_report(dir, stem, a->host, o->report_file, sizeof(o->report_file)) == 0)
		return;
	if (getcwd(dir, sizeof(dir)) != NULL &&
	    create_report(dir, stem, a->host, o->report_file, sizeof(o->report_file)) == 0)
		return;
	e = errno;
	o->report_file[0] = '\0';
	fprintf(stdout, mp_word(l, W_G_NO_REPORT), strerror(e));
	fputc('\n', stdout);
}

int
mp_guided_ask(struct mp_account *a, struct mp_output_options *o)
{
	enum mp_lang l = mp_lang_of(mp_desktop_language());

	mp_account_init(a);
	mp_output_options_init(o);
	o->lang = l;
	o->guided = true;
	mp_desktop_on_cancel("", mp_word(l, W_G_CANCELLED));
	say(l, W_G_TITLE);
	say(l, W_G_INTRO);
	if (ask_address(l, a) == -1)
		return -1;
	if (ask_password(l, a) == -1) {
		mp_account_cleanup(a);
		return -1;
	}
	place_report(l, a, o);
	mp_desktop_on_cancel(o->report_file, mp_word(l, W_G_CANCELLED));
	fputc('\n', stdout);
	fprintf(stdout, mp_word(l, W_G_CHECKING), a->address);
	fputs("\n\n", stdout);
	fflush(stdout);
	return 0;
}

/* Whether the run wrote something into the report file. */
static bool
report_written(const char *path)
{
	struct stat st;

	return path[0] != '\0' && stat(path, &st) == 0 && st.st_size > 0;
}

int
mp_guided_finish(const struct mp_output_options *o, int rc)
{
	enum mp_lang l = o->lang;
	char buf[ANSWER_MAX];

	mp_desktop_cancel_off();
	if (report_written(o->report_file)) {
		fprintf(stdout, "\n%s\n  %s\n\n", mp_word(l, W_G_REPORT_AT), o->report_file);
		say(l, W_G_SEND);
		if (mp_desktop_open(o->report_file))
			say(l, W_G_OPENED);
	} else if (o->report_file[0] != '\0') {
		remove(o->report_file);
	}
	if (mp_desktop_console_alone()) {
		fprintf(stdout, "\n%s", mp_word(l, W_G_PRESS_ENTER));
		fflush(stdout);
		read_answer(buf, sizeof(buf));
	}
	fflush(stdout);
	return rc;
}
