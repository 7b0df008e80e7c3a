/*
 * pathprobe ADDRESS PORT [SECONDS [MAX_HOPS]]: runs mp_path_measure once and
 * prints one line per hop and a summary line, for the routed lab's tests of
 * the measurement alone (mailprobe's own runs put the same facts in JSON).
 */
#include <stdio.h>
#include <stdlib.h>

#include "checks/path.h"

int
main(int argc, char **argv)
{
	struct mp_addr addr;
	struct mp_deadline dl;
	struct mp_path_result r;
	double secs = argc > 3 ? atof(argv[3]) : 5.0;
	int max = argc > 4 ? atoi(argv[4]) : MP_PATH_MAX_HOPS, port;

	if (argc < 3 || mp_addr_parse(argv[1], &addr) < 0 || (port = atoi(argv[2])) < 1 ||
	    port > 65535 || secs <= 0 || secs > 60) {
		fprintf(stderr, "usage: pathprobe ADDRESS PORT [SECONDS [MAX_HOPS]]\n");
		return 2;
	}
	mp_deadline_in(&dl, secs);
	mp_path_measure(&addr, (uint16_t)port, max, &dl, &r);
	for (int i = 0; i < r.nhops; i++)
		printf("hop %d %s %s %d %.1f\n", r.hops[i].ttl,
		       r.hops[i].addr[0] ? r.hops[i].addr : "-",
		       mp_hop_answer_str(r.hops[i].answer), r.hops[i].icmp_code, r.hops[i].ms);
	printf("reached %d last_hop %d nhops %d method %s skipped %d %s\n", r.reached, r.last_hop,
	       r.nhops, mp_path_method_str(r.method), r.skipped, r.skip_reason);
	return 0;
}
