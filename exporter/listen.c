/*
 * Listen addresses ("HOST:PORT", ":PORT", "[IPv6]:PORT") for the config, the
 * flags and the HTTP server. Pure; no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter/listen.h"

/* "host:port" -> host (brackets removed, "" for any) and port. */
int
listen_split(const char *s, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	if (colon == NULL || colon[1] == '\0' || strlen(colon + 1) >= plen)
		return -1;
	n = (size_t)(colon - s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
		s++, n -= 2;
	else if (memchr(s, ':', n) != NULL)
		return -1; /* an IPv6 address needs brackets */
	if (n >= hlen)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	snprintf(port, plen, "%s", colon + 1);
	for (const char *p = port; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return atoi(port) <= 65535 ? 0 : -1;
}
