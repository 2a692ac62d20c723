/* grp.c - grouping similar questions (grp.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "grp.h"
#include "common/stop.h"
#include "common/xmem.h"

static void
grp_words(struct grp_q *q)
{
	const unsigned char *p = (const unsigned char *)q->text;

	while (*p && q->nwords < GRP_WORDS) {
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
		if (n == 0 || stop_is(w))
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
grp_similar(const struct grp_q *a, const struct grp_q *b)
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
grp_group_similar(const struct grp_q *qs, const struct grp_group *g,
    const struct grp_q *q)
{
	double best = grp_similar(&qs[g->first], q);

	for (int v = 0; v < g->nvariants; v++) {
		double sim = grp_similar(&qs[g->variants[v]], q);

		if (sim > best)
			best = sim;
	}
	return best;
}

void
grp_init(struct grp *g, int cap)
{
	g->qs = xcalloc((size_t)cap, sizeof *g->qs);
	g->gs = xcalloc((size_t)cap, sizeof *g->gs);
	g->nq = g->ng = 0;
	g->cap = cap;
}

/* The group most like q at a similarity of 0.6 or more, or -1. */
static int
grp_best(const struct grp *g, const struct grp_q *q)
{
	double bsim = 0.6 - 1e-9;
	int best = -1;

	for (int k = 0; k < g->ng; k++) {
		double sim = grp_group_similar(g->qs, &g->gs[k], q);

		if (sim > bsim) {
			bsim = sim;
			best = k;
		}
	}
	return best;
}

/* Keep q's wording with group k unless the group already shows it. */
static void
grp_variant(struct grp *g, int k, int qi)
{
	struct grp_group *gr = &g->gs[k];
	int seen;

	if (gr->nvariants >= GRP_VARIANTS)
		return;
	seen = strcasecmp(g->qs[gr->first].text, g->qs[qi].text) == 0;
	for (int v = 0; v < gr->nvariants; v++)
		seen |= strcasecmp(g->qs[gr->variants[v]].text,
		    g->qs[qi].text) == 0;
	if (!seen)
		gr->variants[gr->nvariants++] = qi;
}

int
grp_add(struct grp *g, long long ts, const char *text)
{
	struct grp_q *q;
	int best;

	if (g->nq >= g->cap)
		return -1;
	q = &g->qs[g->nq];
	q->ts = ts;
	q->text = xstrdup(text ? text : "");
	grp_words(q);
	if ((best = grp_best(g, q)) < 0) {
		best = g->ng++;
		g->gs[best].first = g->nq;
	} else
		grp_variant(g, best, g->nq);
	g->gs[best].count++;
	g->nq++;
	return best;
}

void
grp_free(struct grp *g)
{
	for (int i = 0; g->qs && i < g->nq; i++)
		free(g->qs[i].text);
	free(g->qs);
	free(g->gs);
	g->qs = NULL;
	g->gs = NULL;
	g->nq = g->ng = 0;
}
