/*
 * Listen address syntax shared by the config, the flags and the server.
 */
#ifndef MAILPROBE_EXPORTER_LISTEN_H
#define MAILPROBE_EXPORTER_LISTEN_H

#include <stddef.h>

/* "host:port" -> host (brackets removed, "" for every address) and port
 * (0-65535). 0, or -1 when s is not HOST:PORT, :PORT or [IPv6]:PORT. */
int listen_split(const char *s, char *host, size_t hlen, char *port, size_t plen);

#endif
