/*
 * Durations as Prometheus writes them (model.ParseDuration): an integer and
 * a unit, repeated, units strictly from the largest to the smallest.
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "exporter/duration.h"

#define DURATION_MAX_LEN 64

struct unit {
	const char *name;
	double seconds;
};

/* Largest first; "ms" before "m" so the longer name wins. */
static const struct unit units[] = {
    {"y", 365 * 86400.0}, {"w", 7 * 86400.0}, {"d", 86400.0}, {"h", 3600.0},
    {"ms", 0.001},        {"m", 60.0},        {"s", 1.0},
};
#define NUNITS (int)(sizeof(units) / sizeof(units[0]))

/* Rank by size for the order check: y w d h m s ms. */
static int
rank(int i)
{
	return i == 4 ? 6 : i < 4 ? i : i - 1;
}

static int
unit_at(const char *p, size_t *len)
{
	for (int i = 0; i < NUNITS; i++) {
		size_t n = strlen(units[i].name);

		if (strncmp(p, units[i].name, n) == 0) {
			*len = n;
			return i;
		}
	}
	return -1;
}

int
duration_parse(const char *s, double *seconds)
{
	double total = 0;
	int last = -1;

	if (s == NULL || s[0] == '\0' || strlen(s) > DURATION_MAX_LEN)
		return -1;
	if (strcmp(s, "0") == 0) {
		*seconds = 0;
		return 0;
	}
	for (const char *p = s; *p != '\0';) {
		double v = 0;
		size_t ulen;
		int u;

		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p) && v < 1e12)
			v = v * 10 + (*p++ - '0');
		if ((u = unit_at(p, &ulen)) < 0 || rank(u) <= last)
			return -1;
		last = rank(u);
		total += v * units[u].seconds;
		p += ulen;
	}
	*seconds = total;
	return 0;
}

int
probe_scrape_deadline(const char *header, double module_timeout, double *out)
{
	bool dot = false, digit = false;
	double v, t;

	*out = module_timeout;
	if (header == NULL)
		return 0;
	for (const char *p = header; *p != '\0'; p++) {
		if (*p == '.' && !dot)
			dot = true;
		else if (isdigit((unsigned char)*p))
			digit = true;
		else
			return -1;
	}
	if (!digit || strlen(header) > 20 || (v = strtod(header, NULL)) <= 0)
		return -1;
	t = v > PROBE_SCRAPE_MARGIN ? v - PROBE_SCRAPE_MARGIN : v / 2;
	if (t < *out)
		*out = t;
	return 0;
}
