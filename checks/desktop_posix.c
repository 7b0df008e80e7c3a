/*
 * checks/desktop.h on Linux and other POSIX systems: the language from the
 * locale variables, the desktop from the XDG user dirs, files opened with
 * xdg-open (macOS: open) in a detached grandchild, Ctrl-C by sigaction.
 */
#ifndef _WIN32

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checks/desktop.h"

#ifdef __APPLE__
#define OPENER "open"
#else
#define OPENER "xdg-open"
#endif

const char *
mp_desktop_language(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v == NULL || v[0] == '\0')
			continue;
		return strncmp(v, "de", 2) == 0 && (v[2] == '\0' || v[2] == '_' || v[2] == '.')
			   ? "de"
			   : "en";
	}
	return "en";
}

static bool
is_dir(const char *path)
{
	struct stat st;

	return path[0] != '\0' && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The value of XDG_DESKTOP_DIR="..." in line (user-dirs.dirs syntax:
 * "$HOME/rest" or an absolute path) into out; false when it is not that
 * line or the value is malformed. */
static bool
xdg_line(const char *line, const char *home, char *out, size_t len)
{
	static const char key[] = "XDG_DESKTOP_DIR=\"";
	const char *v, *end;
	int n;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, key, sizeof(key) - 1) != 0)
		return false;
	v = line + sizeof(key) - 1;
	if ((end = strchr(v, '"')) == NULL)
		return false;
	if (strncmp(v, "$HOME", 5) == 0 && (v[5] == '/' || v + 5 == end))
		n = snprintf(out, len, "%s%.*s", home, (int)(end - v - 5), v + 5);
	else if (v[0] == '/')
		n = snprintf(out, len, "%.*s", (int)(end - v), v);
	else
		return false;
	return n > 0 && (size_t)n < len;
}

/* The desktop the XDG user dirs name, when the file says one. */
static bool
xdg_desktop(const char *home, char *buf, size_t len)
{
	const char *cfg = getenv("XDG_CONFIG_HOME");
	char path[4096], line[4096];
	bool found = false;
	FILE *f;

	if (cfg != NULL && cfg[0] == '/')
		snprintf(path, sizeof(path), "%s/user-dirs.dirs", cfg);
	else
		snprintf(path, sizeof(path), "%s/.config/user-dirs.dirs", home);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = xdg_line(line, home, buf, len);
	fclose(f);
	return found;
}

bool
mp_desktop_dir(char *buf, size_t len)
{
	const char *home = getenv("HOME");
	int n;

	if (len == 0)
		return false;
	buf[0] = '\0';
	if (home == NULL || home[0] != '/')
		return false;
	if (xdg_desktop(home, buf, len) && is_dir(buf))
		return true;
	n = snprintf(buf, len, "%s/Desktop", home);
	if (n > 0 && (size_t)n < len && is_dir(buf))
		return true;
	buf[0] = '\0';
	return false;
}

char
mp_desktop_separator(void)
{
	return '/';
}

/* Whether name is an executable file in a folder of PATH. */
static bool
on_path(const char *name)
{
	const char *p = getenv("PATH");
	char file[4096];

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ":");

		if (n > 0 && n + strlen(name) + 2 < sizeof(file)) {
			snprintf(file, sizeof(file), "%.*s/%s", (int)n, p, name);
			if (access(file, X_OK) == 0)
				return true;
		}
		p += n + (p[n] == ':');
	}
	return false;
}

static bool
display_there(void)
{
#ifdef __APPLE__
	return true;
#else
	const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");

	return (x != NULL && x[0] != '\0') || (w != NULL && w[0] != '\0');
#endif
}

/* In the child: a grandchild runs the opener with no terminal in or out
 * (it outlives us; init reaps it), the child ends at once. */
static void
spawn_detached(const char *path)
{
	pid_t g = fork();
	int null;

	if (g != 0)
		_exit(g > 0 ? 0 : 1);
	setsid();
	if ((null = open("/dev/null", O_RDWR)) >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	execlp(OPENER, OPENER, path, (char *)NULL);
	_exit(127);
}

bool
mp_desktop_open(const char *path)
{
	pid_t child;
	int status;

	if (!display_there() || !on_path(OPENER))
		return false;
	fflush(NULL);
	if ((child = fork()) < 0)
		return false;
	if (child == 0)
		spawn_detached(path);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool
mp_desktop_console_alone(void)
{
	return false;
}

static const char *volatile cancel_path;
static const char *volatile cancel_message;

static void
on_cancel(int sig)
{
	const char *m = cancel_message;

	(void)sig;
	if (m != NULL && write(STDERR_FILENO, m, strlen(m)) < 0)
		m = NULL; /* nothing more to do about a closed stderr */
	if (cancel_path != NULL && cancel_path[0] != '\0')
		unlink(cancel_path);
	_exit(130);
}

void
mp_desktop_on_cancel(const char *path, const char *message)
{
	struct sigaction sa = {.sa_handler = on_cancel};

	cancel_path = path;
	cancel_message = message;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void
mp_desktop_cancel_off(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	cancel_path = NULL;
	cancel_message = NULL;
}

#endif /* !_WIN32 */
