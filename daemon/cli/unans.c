/* unans.c - group recorded fallbacks so the knowledge author sees what to
 * write next.  Two questions are alike when most of the content words
 * (lower case, no stop words, lightly stemmed) of the shorter one are in
 * the other; each question joins the most similar group, compared with the
 * group's newest question and the other wordings shown with it. */
#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "unans.h"
#include "common/xmem.h"

#define UNANS_ROWS 20000      /* newest rows looked at */
#define UNANS_WORDS 24        /* content words kept per question */
#define UNANS_VARIANTS 3      /* other wordings shown per group */

struct unans_q {
	long long ts;
	char *text;
	char words[UNANS_WORDS][24];
	int nwords;
};

struct unans_group {
	int first;                /* index of the newest question */
	int count;
	int variants[UNANS_VARIANTS];
	int nvariants;
};

static const char *const unans_stop[] = { "a", "an", "the", "is", "are",
	"was", "what", "whats", "does", "do", "did", "how", "i", "im", "you",
	"of", "to", "in", "for", "and", "or", "about", "can", "could", "me",
	"my", "it", "its", "be", "on", "with", "who", "whos", "tell", "please",
	"there", "that", "this", "which", "would", "should", "s", NULL };

static int
unans_is_stop(const char *w)
{
	for (int i = 0; unans_stop[i]; i++)
		if (strcmp(unans_stop[i], w) == 0)
			return 1;
	return 0;
}

static void
unans_words(struct unans_q *q)
{
	const unsigned char *p = (const unsigned char *)q->text;

	while (*p && q->nwords < UNANS_WORDS) {
		char w[24];
		size_t n = 0;

		while (*p && !isalnum(*p) && *p < 0x80)
			p++;
		while (*p && (isalnum(*p) || *p >= 0x80 || *p == '\'')) {
			if (*p != '\'' && n < sizeof w - 1)
				w[n++] = (char)tolower(*p);
			p++;
		}
		w[n] = '\0';
		/* a light stem, enough for bake/baking/baked, tip/tips */
		if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
			w[--n] = '\0';
		if (n > 5 && strcmp(w + n - 3, "ing") == 0)
			w[n -= 3] = '\0';
		else if (n > 4 && strcmp(w + n - 2, "ed") == 0)
			w[n -= 2] = '\0';
		if (n > 3 && w[n - 1] == 'e')
			w[--n] = '\0';
		if (n == 0 || unans_is_stop(w))
			continue;
		int dup = 0;
		for (int i = 0; i < q->nwords; i++)
			dup |= strcmp(q->words[i], w) == 0;
		if (!dup)
			memcpy(q->words[q->nwords++], w, n + 1);
	}
}

/* Shared words over the shorter question's words, so a long rewording
 * still joins a short question; at least two shared words unless a
 * question has only one. */
static double
unans_similar(const struct unans_q *a, const struct unans_q *b)
{
	int both = 0, shorter = a->nwords < b->nwords ? a->nwords : b->nwords;

	if (shorter == 0)
		return strcasecmp(a->text, b->text) == 0 ? 1.0 : 0.0;
	for (int i = 0; i < a->nwords; i++)
		for (int k = 0; k < b->nwords; k++)
			if (strcmp(a->words[i], b->words[k]) == 0)
				both++;
	if (both < (shorter < 2 ? shorter : 2))
		return 0.0;
	return (double)both / shorter;
}

/* The best match of q among a group's newest question and its variants. */
static double
unans_group_similar(const struct unans_q *qs, const struct unans_group *g,
    const struct unans_q *q)
{
	double best = unans_similar(&qs[g->first], q);

	for (int v = 0; v < g->nvariants; v++) {
		double sim = unans_similar(&qs[g->variants[v]], q);

		if (sim > best)
			best = sim;
	}
	return best;
}

/* Control characters would let a question rewrite the terminal. */
static void
unans_put(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc(' ', out);
		else
			fputc(*s, out);
	fputc('"', out);
}

int
unans_print(const char *db_path, FILE *out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct unans_q *qs = NULL;
	struct unans_group *gs = NULL;
	int nq = 0, ng = 0, rc = -1;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", db_path,
		    db ? sqlite3_errmsg(db) : "cannot open");
		goto done;
	}
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_prepare_v2(db, "SELECT ts, text FROM unanswered "
	    "ORDER BY ts DESC, rowid DESC LIMIT ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: no unanswered questions recorded "
		    "here (%s)", db_path, sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_bind_int(st, 1, UNANS_ROWS);
	qs = xcalloc(UNANS_ROWS, sizeof *qs);
	gs = xcalloc(UNANS_ROWS, sizeof *gs);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct unans_q *q = &qs[nq];
		const char *t = (const char *)sqlite3_column_text(st, 1);
		int best = -1;
		double bsim = 0.6 - 1e-9;

		q->ts = sqlite3_column_int64(st, 0);
		q->text = xstrdup(t ? t : "");
		unans_words(q);
		for (int g = 0; g < ng; g++) {
			double sim = unans_group_similar(qs, &gs[g], q);

			if (sim > bsim) {
				bsim = sim;
				best = g;
			}
		}
		if (best < 0) {
			best = ng++;
			gs[best].first = nq;
		} else if (gs[best].nvariants < UNANS_VARIANTS) {
			int seen = strcasecmp(qs[gs[best].first].text,
			    q->text) == 0;

			for (int v = 0; v < gs[best].nvariants; v++)
				seen |= strcasecmp(qs[gs[best].variants[v]].text,
				    q->text) == 0;
			if (!seen)
				gs[best].variants[gs[best].nvariants++] = nq;
		}
		gs[best].count++;
		nq++;
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s: %s", db_path, sqlite3_errmsg(db));
		rc = -1;
		goto done;
	}
	rc = 0;
	if (nq == 0) {
		fprintf(out, "No unanswered questions recorded.\n");
		goto done;
	}
	fprintf(out, "%d unanswered question%s in %d group%s, newest first:"
	    "\n\n", nq, nq == 1 ? "" : "s", ng, ng == 1 ? "" : "s");
	fprintf(out, "%5s  %-16s  %s\n", "count", "last asked (UTC)",
	    "question");
	for (int g = 0; g < ng; g++) {
		const struct unans_q *q = &qs[gs[g].first];
		time_t secs = (time_t)(q->ts / 1000);
		struct tm tm;
		char when[32];

		gmtime_r(&secs, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		fprintf(out, "%5d  %-16s  ", gs[g].count, when);
		unans_put(out, q->text);
		fputc('\n', out);
		for (int v = 0; v < gs[g].nvariants; v++) {
			fprintf(out, "%5s  %-16s    also ", "", "");
			unans_put(out, qs[gs[g].variants[v]].text);
			fputc('\n', out);
		}
	}
done:
	for (int i = 0; qs && i < nq; i++)
		free(qs[i].text);
	free(qs);
	free(gs);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
