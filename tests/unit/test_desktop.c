/*
 * checks/desktop.h on POSIX: the language from LC_ALL / LC_MESSAGES / LANG
 * in that order, the desktop from the XDG user dirs file or $HOME/Desktop,
 * and xdg-open run (detached) only when a display is there; a stand-in
 * xdg-open on PATH records its argument, since no desktop runs here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/desktop.h"
#include "harness.h"

static char tmp[] = "/tmp/mp-desktop-XXXXXX";

static void
lang_env(const char *all, const char *messages, const char *lang)
{
	const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"}, *values[] = {all, messages, lang};

	for (int i = 0; i < 3; i++) {
		if (values[i] != NULL)
			setenv(names[i], values[i], 1);
		else
			unsetenv(names[i]);
	}
}

static void
test_language(void)
{
	lang_env(NULL, NULL, "de_DE.UTF-8");
	CHECK_STR(mp_desktop_language(), "de", "LANG=de_DE.UTF-8");
	lang_env(NULL, NULL, "de");
	CHECK_STR(mp_desktop_language(), "de", "LANG=de");
	lang_env(NULL, NULL, "de_AT");
	CHECK_STR(mp_desktop_language(), "de", "LANG=de_AT");
	lang_env(NULL, NULL, "en_US.UTF-8");
	CHECK_STR(mp_desktop_language(), "en", "LANG=en_US.UTF-8");
	lang_env(NULL, NULL, "C");
	CHECK_STR(mp_desktop_language(), "en", "LANG=C");
	lang_env(NULL, NULL, NULL);
	CHECK_STR(mp_desktop_language(), "en", "nothing set");
	lang_env(NULL, NULL, "dexx_YY");
	CHECK_STR(mp_desktop_language(), "en", "a language that only starts with de");
	lang_env(NULL, "de_CH.UTF-8", "en_US.UTF-8");
	CHECK_STR(mp_desktop_language(), "de", "LC_MESSAGES beats LANG");
	lang_env("en_GB.UTF-8", "de_DE.UTF-8", "de_DE.UTF-8");
	CHECK_STR(mp_desktop_language(), "en", "LC_ALL beats both");
	lang_env("", "de_DE.UTF-8", "en_US.UTF-8");
	CHECK_STR(mp_desktop_language(), "de", "an empty LC_ALL counts as unset");
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_desktop_dir(void)
{
	char home[256], path[512], want[512], got[600];

	snprintf(home, sizeof(home), "%s/home", tmp);
	mkdir(home, 0700);
	setenv("HOME", home, 1);
	snprintf(path, sizeof(path), "%s/cfg", tmp);
	mkdir(path, 0700);
	setenv("XDG_CONFIG_HOME", path, 1);
	CHECK(!mp_desktop_dir(got, sizeof(got)) && got[0] == '\0', "no desktop folder: none");

	snprintf(want, sizeof(want), "%s/Desktop", home);
	mkdir(want, 0700);
	CHECK(mp_desktop_dir(got, sizeof(got)), "$HOME/Desktop");
	CHECK_STR(got, want, "$HOME/Desktop's path");

	snprintf(path, sizeof(path), "%s/cfg/user-dirs.dirs", tmp);
	write_file(path, "# comment\nXDG_DOWNLOAD_DIR=\"$HOME/Downloads\"\n"
			 "XDG_DESKTOP_DIR=\"$HOME/Schreibtisch\"\n");
	CHECK(mp_desktop_dir(got, sizeof(got)), "an XDG desktop that does not exist");
	CHECK_STR(got, want, "falls back to $HOME/Desktop");
	snprintf(want, sizeof(want), "%s/Schreibtisch", home);
	mkdir(want, 0700);
	CHECK(mp_desktop_dir(got, sizeof(got)), "the XDG desktop");
	CHECK_STR(got, want, "the XDG desktop's path ($HOME expanded)");

	snprintf(want, sizeof(want), "%s/abs desk", tmp);
	mkdir(want, 0700);
	snprintf(got, sizeof(got), "XDG_DESKTOP_DIR=\"%s\"\n", want);
	write_file(path, got);
	CHECK(mp_desktop_dir(got, sizeof(got)), "an absolute XDG desktop");
	CHECK_STR(got, want, "an absolute XDG desktop's path");

	write_file(path, "XDG_DESKTOP_DIR=\"relative/x\"\n");
	snprintf(want, sizeof(want), "%s/Desktop", home);
	CHECK(mp_desktop_dir(got, sizeof(got)), "a malformed XDG line is ignored");
	CHECK_STR(got, want, "a malformed XDG line: $HOME/Desktop");
	CHECK(!mp_desktop_dir(got, 8) && got[0] == '\0', "a buffer too small: none");
	unsetenv("XDG_CONFIG_HOME");
}

/* Waits (bounded) for the stand-in's record file. */
static bool
recorded(const char *path, char *text, size_t len)
{
	FILE *f = NULL;

	for (int i = 0; i < 100 && f == NULL; i++) {
		struct stat st;

		if (stat(path, &st) == 0 && st.st_size > 0)
			f = fopen(path, "r");
		else
			usleep(100 * 1000);
	}
	if (f == NULL || fgets(text, (int)len, f) == NULL) {
		if (f != NULL)
			fclose(f);
		return false;
	}
	fclose(f);
	text[strcspn(text, "\n")] = '\0';
	return true;
}

static void
test_open(void)
{
	char bin[256], opener[300], record[300], script[700], text[512];
	const char *report = "/tmp/some report.html";

	snprintf(bin, sizeof(bin), "%s/bin", tmp);
	mkdir(bin, 0700);
	snprintf(opener, sizeof(opener), "%s/xdg-open", bin);
	snprintf(record, sizeof(record), "%s/record", tmp);
	snprintf(script, sizeof(script), "#!/bin/sh\nprintf '%%s\\n' \"$*\" > '%s'\n", record);
	write_file(opener, script);
	chmod(opener, 0755);
	setenv("PATH", bin, 1);
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	CHECK(!mp_desktop_open(report), "no display: not opened");
	setenv("DISPLAY", "", 1);
	CHECK(!mp_desktop_open(report), "an empty DISPLAY: not opened");
	CHECK(access(record, F_OK) != 0, "no display: xdg-open never ran");
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	CHECK(mp_desktop_open(report), "a Wayland display: started");
	CHECK(recorded(record, text, sizeof(text)), "xdg-open ran");
	CHECK_STR(text, report, "xdg-open got the file");
	setenv("PATH", "/nonexistent", 1);
	CHECK(!mp_desktop_open(report), "no xdg-open on PATH: not opened");
	unsetenv("WAYLAND_DISPLAY");
}

static void
remove_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_language();
	test_desktop_dir();
	test_open();
	CHECK(!mp_desktop_console_alone(), "a terminal outlives its programs on POSIX");
	CHECK(mp_desktop_separator() == '/', "the POSIX separator");
	setenv("PATH", "/usr/bin:/bin", 1);
	remove_tree();
	return test_report();
}
