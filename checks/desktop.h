/*
 * What the guided mode needs from the desktop the customer sits at: the
 * system language, where the desktop folder is, opening a file with the
 * program the desktop has for it, whether the console window belongs to
 * this program alone (a double-click on Windows), and a Ctrl-C that leaves
 * no half-written file behind. One header, one implementation per system:
 * desktop_posix.c (Linux, macOS) and desktop_win.c (Windows), each wholly
 * inside its #ifdef; nothing else in the tree asks the system these things.
 */
#ifndef MAILPROBE_DESKTOP_H
#define MAILPROBE_DESKTOP_H

#include <stdbool.h>
#include <stddef.h>

/* "de" when the system's user interface language is German, else "en".
 * POSIX: the first set of LC_ALL, LC_MESSAGES, LANG (de, de_DE.UTF-8,
 * de_AT, ...); Windows: GetUserDefaultUILanguage. */
const char *mp_desktop_language(void);

/* The user's desktop folder into buf when it exists and is a folder: POSIX
 * the XDG desktop dir ($XDG_CONFIG_HOME or ~/.config user-dirs.dirs), else
 * $HOME/Desktop; Windows the Desktop known folder, else
 * %USERPROFILE%\Desktop. false when there is none (buf is then ""). */
bool mp_desktop_dir(char *buf, size_t len);

/* The folder separator of paths built for the user ('/' or '\\'). */
char mp_desktop_separator(void);

/* Opens path with the desktop's program for it, without waiting for that
 * program: POSIX runs xdg-open (macOS open) detached, only when a display
 * is there (DISPLAY or WAYLAND_DISPLAY) and the program is on PATH;
 * Windows ShellExecuteA. true when it was started. */
bool mp_desktop_open(const char *path);

/* Whether this program is alone in its console window, so the window
 * closes when it ends (Windows: started by a double-click in Explorer).
 * Always false on POSIX, where a terminal outlives its programs. */
bool mp_desktop_console_alone(void);

/* From now on Ctrl-C (SIGINT, SIGTERM, a closed console window) writes
 * message to stderr, removes the file at path (when not "") and ends the
 * program with exit code 130. Both strings must stay valid. */
void mp_desktop_on_cancel(const char *path, const char *message);
/* Ctrl-C ends the program as usual again. */
void mp_desktop_cancel_off(void);

#endif
