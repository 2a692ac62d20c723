/* bench_engine.c - the engine alone: questions per second on one core and
 * per-question latency percentiles over a mixed question set.
 *
 * usage: bench_engine [--knowledge DIR] [--patterns DIR] [--seconds N]
 *                     [--each | --hostile]
 *
 * The set mixes first questions, follow-ups answered by typing, carry-over,
 * typos, long rambling questions and off-topic text, replayed as
 * conversations so slot handling is measured too.  Output is one block of
 * "key: value" lines for docs and scripts. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine/eng.h"

static const char *convs[][6] = {
	{ "what does a co-producer do??", "music", "and an associate producer?",
	  "how is that different from a producer?", NULL },
	{ "hi", "whats an EP even do lol", "who do they answer to",
	  "thanks!", NULL },
	{ "I'm a production coordinator, how do I get to co-producer?",
	  "and how much does it pay", NULL },
	{ "what is an assosiate prodcer", "film", "the money side",
	  "how is the credit earned", NULL },
	{ "how do i apply to the film school and whats the tuition", NULL },
	{ "so I stayed for the end credits last night and there were like "
	  "nine producers listed, some co- and some executive, does any of "
	  "that actually mean anything?", NULL },
	{ "line producer vs upm", "what about in TV?",
	  "who's higher on the ladder", NULL },
	{ "is an associate producer credit just a vanity thing",
	  "can i get it by investing in the movie", NULL },
	{ "exectuive producer responsibilities in theatre",
	  "what camera should I buy for my short", NULL },
	{ "asdkjh qwe zzz", "help", "start over", NULL },
};

/* Inputs built to make regexes and the typo corrector work hardest: long
 * runs of one letter, deep punctuation, every role named over and over,
 * near-miss domain words, invalid and exotic UTF-8.  Each is as long as
 * the daemon accepts (and longer, to check truncation). */
static char *
hostile(int k, size_t *len)
{
	static const char *units[] = {
		"a", "(", "co-", "producer ", "exec ", "what does a ",
		"assosiate prodcer ", "\xcc\x81", "\xf0\x9f\x8e\xac ",
		"\xff\xfe", "?!", "the the ", "credit money film ",
		"from a to a ", "i'm a ", "ab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ",
		"'", "- ", "\\b(", "%s%n", "0", "which which which ",
	};
	size_t n = sizeof units / sizeof units[0], u, o = 0;
	size_t cap = (k & 1) ? 600 : 4000;
	char *buf = malloc(cap + 64);

	u = (size_t)k % n;
	while (o + strlen(units[u]) < cap) {
		memcpy(buf + o, units[u], strlen(units[u]));
		o += strlen(units[u]);
		if (k >= (int)n * 2)           /* mixtures of two units */
			u = (u + (size_t)k / n) % n;
	}
	buf[o] = '\0';
	*len = o;
	return buf;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int
main(int argc, char **argv)
{
	static struct eng_reply r;
	const char *kdir = "knowledge", *pdir = "patterns";
	double seconds = 3, t0, t1, start, *lat;
	size_t nlat = 0, cap = 1 << 22, c, k;
	struct eng_state st;
	struct eng *e;
	char err[1024];
	int i, each = 0, hostile_mode = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--each") == 0)
			each = 1;
		if (strcmp(argv[i], "--hostile") == 0)
			hostile_mode = 1;
	}
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--knowledge") == 0)
			kdir = argv[i + 1];
		else if (strcmp(argv[i], "--patterns") == 0)
			pdir = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
	}
	double load0 = now_us();
	if ((e = eng_load(kdir, pdir, err, sizeof err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	t1 = now_us();
	if (hostile_mode) {
		/* Worst case per message: every hostile input, many times. */
		int hk, nk = 23 * 4, rep;
		double worst = 0, sum = 0;
		size_t count = 0, hl;
		char *h;

		lat = malloc((size_t)nk * 200 * sizeof *lat);
		for (hk = 0; hk < nk; hk++) {
			h = hostile(hk, &hl);
			for (rep = 0; rep < 200; rep++) {
				eng_state_init(&st);
				t0 = now_us();
				eng_ask(e, &st, h, hl, &r);
				lat[count] = now_us() - t0;
				sum += lat[count];
				if (lat[count] > worst)
					worst = lat[count];
				count++;
			}
			free(h);
		}
		qsort(lat, count, sizeof *lat, cmp_double);
		printf("hostile_inputs: %d\n", nk);
		printf("hostile_messages: %zu\n", count);
		printf("hostile_mean_us: %.2f\n", sum / (double)count);
		printf("hostile_p99_us: %.2f\n", lat[count * 99 / 100]);
		printf("hostile_max_us: %.2f\n", worst);
		printf("regex_limit_hits: %lu\n",
		    eng_stats(e).regex_limit_hits);
		free(lat);
		eng_free(e);
		return 0;
	}
	if (each) {
		/* Mean cost of every turn in its conversation context, to find
		 * what makes the tail. */
		for (c = 0; c < sizeof convs / sizeof convs[0]; c++)
			for (k = 0; convs[c][k]; k++) {
				double sum = 0;
				int rep;

				for (rep = 0; rep < 2000; rep++) {
					size_t q;

					eng_state_init(&st);
					for (q = 0; q < k; q++)
						eng_ask(e, &st, convs[c][q],
						    strlen(convs[c][q]), &r);
					t0 = now_us();
					eng_ask(e, &st, convs[c][k],
					    strlen(convs[c][k]), &r);
					sum += now_us() - t0;
				}
				printf("%8.2f us  %s: %.60s\n", sum / 2000,
				    eng_kind_name(r.kind), convs[c][k]);
			}
		eng_free(e);
		return 0;
	}
	lat = malloc(cap * sizeof *lat);
	if (lat == NULL)
		return 1;
	start = now_us();
	while (now_us() - start < seconds * 1e6 && nlat + 16 < cap) {
		for (c = 0; c < sizeof convs / sizeof convs[0]; c++) {
			eng_state_init(&st);
			for (k = 0; convs[c][k]; k++) {
				t0 = now_us();
				eng_ask(e, &st, convs[c][k],
				    strlen(convs[c][k]), &r);
				lat[nlat++] = now_us() - t0;
			}
		}
	}
	t0 = now_us() - start;
	qsort(lat, nlat, sizeof *lat, cmp_double);
	printf("engine_load_ms: %.2f\n", (t1 - load0) / 1e3);
	printf("questions: %zu\n", nlat);
	printf("questions_per_second: %.0f\n", nlat / (t0 / 1e6));
	printf("p50_us: %.2f\n", lat[nlat / 2]);
	printf("p90_us: %.2f\n", lat[nlat * 9 / 10]);
	printf("p99_us: %.2f\n", lat[nlat * 99 / 100]);
	printf("p999_us: %.2f\n", lat[nlat * 999 / 1000]);
	printf("max_us: %.2f\n", lat[nlat - 1]);
	printf("cpu: %d\n", sched_getcpu());
	free(lat);
	eng_free(e);
	return 0;
}
