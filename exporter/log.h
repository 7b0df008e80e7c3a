/*
 * Logging for the exporter: logfmt lines on stderr ("ts=... level=info
 * msg=\"...\" key=value"), one write per line, safe from any thread. Never
 * pass a secret: callers log names, paths and classes only.
 */
#ifndef MAILPROBE_EXPORTER_LOG_H
#define MAILPROBE_EXPORTER_LOG_H

enum xlog_level { LVL_DEBUG, LVL_INFO, LVL_WARN, LVL_ERROR };

/* "debug", "info", "warn", "error" -> level, or -1. */
int xlog_level_parse(const char *s);
void xlog_set_level(enum xlog_level level);
/* One line: msg and then key, value pairs (strings), ending with NULL. */
void xlog(enum xlog_level level, const char *msg, ...) __attribute__((sentinel));

#endif
