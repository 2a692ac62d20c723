/* reload.c - the SIGHUP worker: eng_load + eval_dir off the event loop.
 * The new engine is private to this thread until reload_finish() hands it
 * to the loop, which then swaps it in and frees the old one. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/eng.h"
#include "engine/eval.h"
#include "reload.h"
#include "thr.h"
#include "common/xmem.h"

struct reload {
	char *kdir, *pdir, *cdir;
	void (*wake)(void *);
	void *arg;
	pthread_t thread;
	atomic_int ready;
	struct eng *eng;       /* NULL on failure */
	char why[512];
};

/* The first line of the eval report naming a failure, for the log. */
static void
reload_first_failure(const char *report, char *out, size_t size)
{
	const char *p = report;

	out[0] = '\0';
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		snprintf(out, size, "%.*s", (int)n, p);
		if (strstr(out, "FAIL") || strstr(out, "fail"))
			return;
		p = nl ? nl + 1 : NULL;
	}
	out[0] = '\0';
}

static void *
reload_main(void *arg)
{
	struct reload *r = arg;
	struct eval_result res = { 0 };
	char err[400] = "", first[240] = "";
	char *report = NULL;
	size_t rlen = 0;
	FILE *out;
	struct eng *e;
	int rc;

	e = eng_load(r->kdir, r->pdir, err, sizeof err);
	if (e == NULL) {
		snprintf(r->why, sizeof r->why, "load failed: %s", err);
		goto done;
	}
	out = open_memstream(&report, &rlen);
	rc = eval_dir(e, r->cdir, out, &res, err, sizeof err);
	if (out)
		fclose(out);
	if (rc != 0) {
		snprintf(r->why, sizeof r->why, "conversations: %s", err);
		eng_free(e);
	} else if (res.cases_failed || res.turns_failed || res.cases == 0) {
		reload_first_failure(report, first, sizeof first);
		snprintf(r->why, sizeof r->why, "conversations: %d of %d cases "
		    "failed%s%s", res.cases_failed, res.cases,
		    first[0] ? ": " : "", first);
		if (res.cases == 0)
			snprintf(r->why, sizeof r->why, "conversations: no "
			    "case found in %s", r->cdir);
		eng_free(e);
	} else {
		snprintf(r->why, sizeof r->why, "%s loaded, %d conversations "
		    "passed", eng_version(e), res.cases);
		r->eng = e;
	}
	free(report);
done:
	atomic_store(&r->ready, 1);
	r->wake(r->arg);
	return NULL;
}

struct reload *
reload_start(const char *knowledge, const char *patterns,
    const char *conversations, void (*wake)(void *), void *arg)
{
	struct reload *r = xcalloc(1, sizeof *r);

	r->kdir = xstrdup(knowledge);
	r->pdir = xstrdup(patterns);
	r->cdir = xstrdup(conversations);
	r->wake = wake;
	r->arg = arg;
	if (thr_start(&r->thread, reload_main, r) != 0) {
		free(r->kdir);
		free(r->pdir);
		free(r->cdir);
		free(r);
		return NULL;
	}
	return r;
}

int
reload_ready(struct reload *r)
{
	return atomic_load(&r->ready);
}

struct eng *
reload_finish(struct reload *r, char *why, size_t len)
{
	struct eng *e;

	pthread_join(r->thread, NULL);
	e = r->eng;
	snprintf(why, len, "%s", r->why);
	free(r->kdir);
	free(r->pdir);
	free(r->cdir);
	free(r);
	return e;
}
