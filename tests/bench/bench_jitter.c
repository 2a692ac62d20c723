/* bench_jitter.c - how noisy is this machine right now?  Sleeps 200 us
 * again and again on the CPU it is pinned to (taskset) and reports how
 * late it woke up: on an idle core that is tens of microseconds, on a core
 * shared with other work (or a virtual CPU the host deschedules) it is
 * milliseconds, and every latency figure measured beside it carries that
 * floor.
 *
 * usage: bench_jitter [--samples N] [--sleep-us N]
 *
 * Output: "key: value" lines. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "wsc.h"

int
main(int argc, char **argv)
{
	struct hist *h = malloc(sizeof *h);
	int samples = 5000, sleep_us = 200;

	for (int i = 1; i < argc; i += 2) {
		if (i + 1 < argc && strcmp(argv[i], "--samples") == 0)
			samples = atoi(argv[i + 1]);
		else if (i + 1 < argc && strcmp(argv[i], "--sleep-us") == 0)
			sleep_us = atoi(argv[i + 1]);
		else
			samples = 0;
	}
	if (h == NULL || samples < 1 || sleep_us < 1) {
		fprintf(stderr, "usage: bench_jitter [--samples N] "
		    "[--sleep-us N]\n");
		return 2;
	}
	hist_reset(h);
	for (int i = 0; i < samples; i++) {
		struct timespec ts = { 0, (long)sleep_us * 1000 };
		uint64_t t0 = wsc_now(), late;

		nanosleep(&ts, NULL);
		late = wsc_now() - t0 - (uint64_t)sleep_us * 1000;
		hist_add(h, late);
	}
	printf("cpu: %d\n", sched_getcpu());
	printf("late_p50_us: %.0f\n", hist_q(h, 0.5) / 1e3);
	printf("late_p99_us: %.0f\n", hist_q(h, 0.99) / 1e3);
	printf("late_p999_us: %.0f\n", hist_q(h, 0.999) / 1e3);
	printf("late_max_us: %.0f\n", (double)h->max / 1e3);
	free(h);
	return 0;
}
