/*
 * Secrets (passwords): read from a file, a file descriptor or an environment
 * variable into locked memory, wiped with explicit_bzero when freed. Never
 * from argv. No secret is ever printed by this module.
 */
#ifndef MAILPROBE_SECRET_H
#define MAILPROBE_SECRET_H

#include <stddef.h>

#define MP_SECRET_MAX 4096

struct mp_secret {
	char *buf; /* NUL-terminated, no trailing newline */
	size_t len;
};

/* Each returns a new secret, or NULL with a one-line reason in err.
 * One trailing "\n" or "\r\n" is removed; an empty result is an error.
 * A file must be a regular file (a FIFO is refused at once, never waited
 * on); warn (may be NULL) gets "mode 0644 is readable by others; chmod 600"
 * for a file its group or others may read, else "". */
struct mp_secret *mp_secret_from_file(const char *path, char *warn, size_t warnlen, char *err,
				      size_t errlen);
struct mp_secret *mp_secret_from_fd(int fd, const char *what, char *err, size_t errlen);
/* Reads and then unsets the variable, wiping its value in the environment. */
struct mp_secret *mp_secret_from_env(const char *name, char *err, size_t errlen);
struct mp_secret *mp_secret_from_mem(const char *s, size_t len);
struct mp_secret *mp_secret_dup(const struct mp_secret *s);
/* Wipes and frees; NULL is fine. */
void mp_secret_free(struct mp_secret *s);
/* Wipes len bytes in a way the compiler keeps. */
void mp_wipe(void *p, size_t len);

#endif
