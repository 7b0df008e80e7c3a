/*
 * checks/desktop.h on Windows: the user interface language, the Desktop
 * known folder, ShellExecuteA, a console of our own (a double-click),
 * Ctrl-C by SetConsoleCtrlHandler (UTF-8 and ANSI sequences in the console:
 * mp_platform_init).
 */
#ifdef _WIN32

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <windows.h>
#include <shellapi.h>
#include <shlobj.h>

#include "checks/desktop.h"

const char *
mp_desktop_language(void)
{
	return PRIMARYLANGID(GetUserDefaultUILanguage()) == LANG_GERMAN ? "de" : "en";
}

static bool
is_dir(const char *path)
{
	DWORD a = GetFileAttributesA(path);

	return path[0] != '\0' && a != INVALID_FILE_ATTRIBUTES &&
	       (a & FILE_ATTRIBUTE_DIRECTORY) != 0;
}

bool
mp_desktop_dir(char *buf, size_t len)
{
	char path[MAX_PATH];
	const char *profile = getenv("USERPROFILE");
	int n;

	if (len == 0)
		return false;
	buf[0] = '\0';
	if (SUCCEEDED(
		SHGetFolderPathA(NULL, CSIDL_DESKTOPDIRECTORY, NULL, SHGFP_TYPE_CURRENT, path)) &&
	    is_dir(path) && strlen(path) < len) {
		memcpy(buf, path, strlen(path) + 1);
		return true;
	}
	if (profile == NULL || profile[0] == '\0')
		return false;
	n = snprintf(buf, len, "%s\\Desktop", profile);
	if (n > 0 && (size_t)n < len && is_dir(buf))
		return true;
	buf[0] = '\0';
	return false;
}

char
mp_desktop_separator(void)
{
	return '\\';
}

bool
mp_desktop_open(const char *path)
{
	HINSTANCE h = ShellExecuteA(NULL, "open", path, NULL, NULL, SW_SHOWNORMAL);

	return (INT_PTR)h > 32;
}

bool
mp_desktop_console_alone(void)
{
	DWORD pids[2];

	return GetConsoleProcessList(pids, 2) == 1;
}

static const char *volatile cancel_path;
static const char *volatile cancel_message;

/* Runs on a thread of its own that Windows starts for the event. */
static BOOL WINAPI
on_cancel(DWORD event)
{
	const char *m = cancel_message;

	(void)event;
	if (m != NULL) {
		fputs(m, stderr);
		fflush(stderr);
	}
	if (cancel_path != NULL && cancel_path[0] != '\0')
		DeleteFileA(cancel_path);
	ExitProcess(130);
	return TRUE;
}

void
mp_desktop_on_cancel(const char *path, const char *message)
{
	cancel_path = path;
	cancel_message = message;
	SetConsoleCtrlHandler(on_cancel, TRUE);
}

void
mp_desktop_cancel_off(void)
{
	SetConsoleCtrlHandler(on_cancel, FALSE);
	cancel_path = NULL;
	cancel_message = NULL;
}

#endif /* _WIN32 */
