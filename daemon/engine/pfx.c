/* pfx.c - the n-gram prefilter of the pattern sets (see pfx.h).
 *
 * Each line of a section is analysed for literals that any match must
 * contain (lit_read()); a section whose every line lacks one in the
 * question cannot match, so its regex is not run.  A literal is kept as
 * the hashed 1-, 2- or 3-byte sequences it needs (pfx_text), so checking
 * one is a few bit tests.  A line is an AND of groups, a group an OR of
 * literals, stored as a trie of checks in preorder so literals sharing
 * checks test them once. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lit.h"
#include "pfx.h"
#include "common/xmem.h"

struct pfx_node {
	unsigned short check;   /* bit index in pfx_text.bits */
	unsigned short leaf;    /* a whole literal is there */
	unsigned skip;          /* next node when check fails: past the subtree */
};
struct pfx_need { unsigned off, n; int anch; };  /* groups; line anchored */
struct pfx_grp { unsigned off, n; };     /* a group's trie nodes */

/* A section: its lines in pfx.lines, or always run. */
struct pfx_sec {
	int always;             /* some line has no required literal */
	unsigned line0, nlines;
};

struct pfx {
	struct pfx_sec *sec;
	int nsec;
	struct pfx_node *nodes;
	struct pfx_grp *grps;
	struct lit_set *pend;           /* groups' literals, until pfx_index() */
	struct pfx_need *lines;
	unsigned nnodes, ngrps, nlines;
	/* Every group trie's first checks: the 3-grams indexed, so the
	 * question's own 3-grams find the few subtries worth walking
	 * (ix[ix_off[t - PF_SHORT] .. ix_off[t + 1 - PF_SHORT]) check t),
	 * the rare 1- and 2-grams in a list looked at every time. */
	unsigned *ix_off;
	struct pfx_root { unsigned node, grp; } *ix, *shortr;
	unsigned nix, nshort;
	/* Which groups the current question satisfies (pfx_memo()). */
	unsigned long serial;
	uint64_t *sat;
	struct pfx_link *link;          /* pfx_link(), or NULL */
};

/* Sets matched against the same questions: their 3-gram indexes merged,
 * so a question's 3-grams are looked up once for all of them.  Freed
 * with the last of its sets. */
struct pfx_link {
	struct pfx **sets;
	int nsets, refs;
	unsigned *ix_off;               /* as pfx.ix_off */
	struct pfx_lroot { unsigned set, node, grp; } *ix;
};

/* Sizes of the summary's two ranges of bits (pfx_text.bits). */
#define PF_SHORT_LOG2 10
#define PF_SHORT (1u << PF_SHORT_LOG2)  /* bits below are 1- and 2-grams */
#define PF_TRI_LOG2 13                  /* then this many for 3-grams */
#define PF_BITS (PF_SHORT + (1u << PF_TRI_LOG2))
#if PF_BITS != PFX_TEXT_BITS
#error "pfx.h and pfx.c disagree on the summary's size"
#endif

/* Tells one question's summary from the next: a struct pfx remembers which
 * summary its groups were worked out for (pfx_memo()).  Shared by every
 * engine and thread, hence atomic; 0 is never handed out. */
static atomic_ulong pfx_serial_next;

/* The n-gram (n = 1..3) whose bytes are key's low n bytes, last lowest,
 * as a bit index in pfx_text.bits.  Hashed: a collision only lets a
 * section run.  3-grams get their own range, so an index can tell them
 * apart. */
static unsigned
pfx_gram(unsigned key, int n)
{
	unsigned h = (key | (unsigned)n << 24) * 2654435761u;

	return n < 3 ? h >> (32 - PF_SHORT_LOG2) :
	    PF_SHORT + (h >> (32 - PF_TRI_LOG2));
}

/* The bit indices a literal needs in pfx_text.bits, in text order: the
 * n-grams of its marked form, which is how the summary reads text; 0 when
 * it needs none.  lit_read() keeps no set with such a literal. */
static unsigned
pfx_checks(const char *s, unsigned short *out)
{
	unsigned char m[LIT_MARKMAX];
	size_t len = lit_mark(s, m);
	unsigned k, n = lit_nchecks(m, len);

	if (n == 1 && len < 3)
		out[0] = (unsigned short)pfx_gram(len == 1 ? m[0] :
		    (unsigned)m[0] << 8 | m[1], (int)len);
	else
		for (k = 0; k < n; k++)
			out[k] = (unsigned short)pfx_gram((unsigned)m[k] << 16 |
			    (unsigned)m[k + 1] << 8 | m[k + 2], 3);
	return n;
}

struct pfx_chk { unsigned short c[LIT_MARKMAX]; unsigned n; };

static int
pfx_seq_cmp(const void *a, const void *b)
{
	const struct pfx_chk *x = a, *y = b;
	unsigned i;

	for (i = 0; i < x->n && i < y->n; i++)
		if (x->c[i] != y->c[i])
			return x->c[i] < y->c[i] ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* Move the literal's rarest 3-gram (fewest literals of the set have it)
 * to the front: the trie's first checks are what the index looks up, and
 * common ones ("\1wh") would send every question into many subtries. */
static void
pfx_rarest_first(struct pfx_chk *c, const unsigned *freq)
{
	unsigned i, best = 0;
	unsigned short t;

	if (c->n == 0)
		return;
	for (i = 1; i < c->n; i++)
		if (c->c[i] >= PF_SHORT && (c->c[best] < PF_SHORT ||
		    freq[c->c[i]] < freq[c->c[best]]))
			best = i;
	t = c->c[best];
	memmove(c->c + 1, c->c, best * sizeof c->c[0]);
	c->c[0] = t;
}

/* Append one group (an OR of literals) as a trie in preorder.  Sorted
 * check sequences make the preorder directly: each one adds the nodes
 * past what it shares with the one before.  A literal whose checks start
 * with another's whole is redundant and dropped.  Every literal needs at
 * least one check: lit_read() keeps no set with one that needs none. */
static void
pfx_group(struct pfx *ps, const struct lit_set *st, const unsigned *freq)
{
	struct pfx_chk *seq = xmalloc(LIT_SETMAX * sizeof *seq);
	unsigned open[LIT_MARKMAX], depth = 0, lcp, d;
	struct pfx_grp *g;
	const struct pfx_chk *prev = NULL;
	int i;

	for (i = 0; i < st->n; i++) {
		seq[i].n = pfx_checks(st->s[i], seq[i].c);
		pfx_rarest_first(&seq[i], freq);
	}
	qsort(seq, (size_t)st->n, sizeof seq[0], pfx_seq_cmp);
	ps->grps = xrealloc(ps->grps, (ps->ngrps + 1) * sizeof *ps->grps);
	g = &ps->grps[ps->ngrps++];
	g->off = ps->nnodes;
	for (i = 0; i < st->n; i++) {
		for (lcp = 0; prev && lcp < prev->n && lcp < seq[i].n &&
		    prev->c[lcp] == seq[i].c[lcp]; lcp++)
			;
		if (prev && lcp == prev->n)
			continue;       /* prev, a leaf, already covers it */
		for (; depth > lcp; depth--)
			ps->nodes[open[depth - 1]].skip = ps->nnodes;
		ps->nodes = xrealloc(ps->nodes, (ps->nnodes + seq[i].n) *
		    sizeof *ps->nodes);
		for (d = lcp; d < seq[i].n; d++) {
			ps->nodes[ps->nnodes].check = seq[i].c[d];
			ps->nodes[ps->nnodes].leaf = d + 1 == seq[i].n;
			open[depth++] = ps->nnodes++;
		}
		prev = &seq[i];
	}
	for (; depth > 0; depth--)
		ps->nodes[open[depth - 1]].skip = ps->nnodes;
	g->n = ps->nnodes - g->off;
	free(seq);
}

/* A line lit_read() cannot read, or that requires nothing, makes its
 * section always run. */
void
pfx_line(struct pfx *ps, const char *re, size_t n, int anch)
{
	struct pfx_sec *sec = &ps->sec[ps->nsec - 1];
	struct pfx_need *ln;
	int nreq;

	/* The tries are built at the end (pfx_index()), once every
	 * literal's 3-grams can be counted; till then the sets wait here. */
	ps->pend = xrealloc(ps->pend, (ps->ngrps + LIT_REQMAX) *
	    sizeof *ps->pend);
	if ((nreq = lit_read(re, n, ps->pend + ps->ngrps)) == 0) {
		sec->always = 1;
		return;
	}
	ps->lines = xrealloc(ps->lines, (ps->nlines + 1) * sizeof *ps->lines);
	ln = &ps->lines[ps->nlines++];
	ln->off = ps->ngrps;
	ln->n = (unsigned)nreq;
	ln->anch = anch;
	sec->nlines++;
	ps->ngrps += (unsigned)nreq;
}

/* Is a literal of the subtrie nodes[k, end) in the subject?  Preorder:
 * a failed check skips its whole subtree. */
static int
pfx_walk(const struct pfx_node *nd, unsigned k, unsigned end,
    const uint64_t *bits)
{
	while (k < end) {
		if (bits[nd[k].check >> 6] >> (nd[k].check & 63) & 1) {
			if (nd[k].leaf)
				return 1;
			k++;
		} else
			k = nd[k].skip;
	}
	return 0;
}

static int
pfx_sat(const struct pfx *ps, unsigned g)
{
	return ps->sat[g >> 6] >> (g & 63) & 1;
}

/* Mark group g satisfied if the subtrie at root r holds a literal of the
 * question (r's own check is known to be there). */
static void
pfx_root_there(struct pfx *ps, unsigned r, unsigned g,
    const uint64_t *bits)
{
	const struct pfx_node *nd = ps->nodes;

	if (!pfx_sat(ps, g) && (nd[r].leaf || pfx_walk(nd, r + 1, nd[r].skip,
	    bits)))
		ps->sat[g >> 6] |= 1ull << (g & 63);
}

/* Try each of the n roots whose first check the question has. */
static void
pfx_roots(struct pfx *ps, const struct pfx_root *rt, unsigned n,
    const uint64_t *bits)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned c = ps->nodes[rt[i].node].check;

		if (bits[c >> 6] >> (c & 63) & 1)
			pfx_root_there(ps, rt[i].node, rt[i].grp, bits);
	}
}

/* Start a set's memo for the question: clear it, try the short roots.
 * Returns 0 when the question has too many 3-grams to list, after trying
 * every indexed root of the set too. */
static int
pfx_memo_start(struct pfx *ps, const struct pfx_text *pt)
{
	memset(ps->sat, 0, ((ps->ngrps + 63) / 64) * sizeof *ps->sat);
	ps->serial = pt->serial;
	pfx_roots(ps, ps->shortr, ps->nshort, pt->bits);
	if (pt->ntri <= PFX_TEXT_TRIS)
		return 1;
	pfx_roots(ps, ps->ix, ps->nix, pt->bits);
	return 0;
}

/* Work out which groups of ps (and of the sets linked with it) the
 * question satisfies, once per question, from its distinct 3-grams
 * (pfx_text.tri) through the index. */
static void
pfx_memo(struct pfx *ps, const struct pfx_text *pt)
{
	const struct pfx_link *lk = ps->link;
	unsigned i, t, n;
	int k, listed = 1;

	if (lk == NULL) {
		if (!pfx_memo_start(ps, pt))
			return;
		for (i = 0; i < pt->ntri; i++) {
			t = pt->tri[i] - PF_SHORT;
			for (n = ps->ix_off[t]; n < ps->ix_off[t + 1]; n++)
				pfx_root_there(ps, ps->ix[n].node,
				    ps->ix[n].grp, pt->bits);
		}
		return;
	}
	for (k = 0; k < lk->nsets; k++)
		listed &= pfx_memo_start(lk->sets[k], pt);
	if (!listed)
		return;
	for (i = 0; i < pt->ntri; i++) {
		t = pt->tri[i] - PF_SHORT;
		for (n = lk->ix_off[t]; n < lk->ix_off[t + 1]; n++)
			pfx_root_there(lk->sets[lk->ix[n].set], lk->ix[n].node,
			    lk->ix[n].grp, pt->bits);
	}
}

/* Index the first checks of every group trie (see struct pfx). */
void
pfx_index(struct pfx *ps)
{
	const struct pfx_node *nd;
	unsigned g, k, t, n = 0;

	unsigned *freq = xcalloc(PF_BITS, sizeof *freq), ng = ps->ngrps;
	struct pfx_chk c;
	int i;

	for (g = 0; g < ng; g++)
		for (i = 0; i < ps->pend[g].n; i++) {
			c.n = pfx_checks(ps->pend[g].s[i], c.c);
			for (k = 0; k < c.n; k++)
				freq[c.c[k]]++;
		}
	ps->ngrps = 0;
	for (g = 0; g < ng; g++)
		pfx_group(ps, &ps->pend[g], freq);
	free(freq);
	free(ps->pend);
	ps->pend = NULL;
	nd = ps->nodes;
	ps->ix_off = xcalloc(PF_BITS - PF_SHORT + 1, sizeof *ps->ix_off);
	ps->sat = xcalloc((ps->ngrps + 63) / 64 + 1, sizeof *ps->sat);
	ps->shortr = xcalloc(ps->nnodes + 1, sizeof *ps->shortr);
	for (g = 0; g < ps->ngrps; g++)
		for (k = ps->grps[g].off; k < ps->grps[g].off + ps->grps[g].n;
		    k = nd[k].skip)
			if (nd[k].check < PF_SHORT) {
				ps->shortr[ps->nshort].node = k;
				ps->shortr[ps->nshort++].grp = g;
			} else {
				ps->ix_off[nd[k].check - PF_SHORT + 1]++;
				n++;
			}
	for (t = 1; t <= PF_BITS - PF_SHORT; t++)
		ps->ix_off[t] += ps->ix_off[t - 1];
	ps->ix = xcalloc(n + 1, sizeof *ps->ix);
	ps->nix = n;
	/* ix_off[t] runs ahead as t's slots fill, then moves back. */
	for (g = 0; g < ps->ngrps; g++)
		for (k = ps->grps[g].off; k < ps->grps[g].off + ps->grps[g].n;
		    k = nd[k].skip)
			if (nd[k].check >= PF_SHORT) {
				t = nd[k].check - PF_SHORT;
				ps->ix[ps->ix_off[t]].node = k;
				ps->ix[ps->ix_off[t]++].grp = g;
			}
	for (t = PF_BITS - PF_SHORT; t > 0; t--)
		ps->ix_off[t] = ps->ix_off[t - 1];
	ps->ix_off[0] = 0;
}

int
pfx_may_match(struct pfx *ps, int section, int has_anch,
    const struct pfx_text *pt)
{
	const struct pfx_sec *sec = &ps->sec[section];
	unsigned li, gi;
	int r = 0;

	if (sec->always)
		return 1;
	if (ps->serial != pt->serial)
		pfx_memo(ps, pt);
	for (li = sec->line0; li < sec->line0 + sec->nlines; li++) {
		const struct pfx_need *ln = &ps->lines[li];

		for (gi = ln->off; gi < ln->off + ln->n; gi++)
			if (!pfx_sat(ps, gi))
				break;
		if (gi < ln->off + ln->n)
			continue;
		if (!ln->anch || !has_anch)
			return 1;
		r = 2;
	}
	return r;
}

/* Add one symbol of the marked text to the summary: its 1-gram and the
 * 2- and 3-grams it ends (win holds the last three symbols). */
static void
pfx_put(struct pfx_text *pt, unsigned *win, int *n, unsigned char c)
{
	unsigned b;

	*win = (*win << 8 | c) & 0xffffff;
	b = pfx_gram(c, 1);
	pt->bits[b >> 6] |= 1ull << (b & 63);
	if (*n < 3)
		(*n)++;
	if (*n < 2)
		return;
	b = pfx_gram(*win & 0xffff, 2);
	pt->bits[b >> 6] |= 1ull << (b & 63);
	if (*n < 3)
		return;
	b = pfx_gram(*win, 3);
	if (!(pt->bits[b >> 6] >> (b & 63) & 1) && pt->ntri++ < PFX_TEXT_TRIS)
		pt->tri[pt->ntri - 1] = (unsigned short)b;
	pt->bits[b >> 6] |= 1ull << (b & 63);
}

void
pfx_text_init(struct pfx_text *pt, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned win = 0;
	size_t i;
	int n = 0, w, lastw = 0;

	pt->s = s;
	pt->len = len;
	pt->serial = atomic_fetch_add(&pfx_serial_next, 1) + 1;
	pt->ntri = 0;
	memset(pt->bits, 0, sizeof pt->bits);
	/* The text with LIT_MARK where \b holds, as lit_mark() writes
	 * literals. */
	for (i = 0; i <= len; i++) {
		w = i < len && lit_isword(u[i]);
		if (w != lastw)
			pfx_put(pt, &win, &n, LIT_MARK);
		if (i < len)
			pfx_put(pt, &win, &n, u[i]);
		lastw = w;
	}
}

void
pfx_link(struct pfx **sets, int n)
{
	struct pfx_link *lk = xcalloc(1, sizeof *lk);
	unsigned t, e, total = 0;
	int k;

	lk->sets = xcalloc((size_t)n, sizeof *lk->sets);
	memcpy(lk->sets, sets, (size_t)n * sizeof *sets);
	lk->nsets = lk->refs = n;
	lk->ix_off = xcalloc(PF_BITS - PF_SHORT + 1, sizeof *lk->ix_off);
	for (k = 0; k < n; k++) {
		sets[k]->link = lk;
		total += sets[k]->nix;
	}
	lk->ix = xcalloc(total + 1, sizeof *lk->ix);
	for (t = 0; t < PF_BITS - PF_SHORT; t++) {
		lk->ix_off[t + 1] = lk->ix_off[t];
		for (k = 0; k < n; k++)
			for (e = sets[k]->ix_off[t]; e < sets[k]->ix_off[t + 1];
			    e++) {
				lk->ix[lk->ix_off[t + 1]].set = (unsigned)k;
				lk->ix[lk->ix_off[t + 1]].node =
				    sets[k]->ix[e].node;
				lk->ix[lk->ix_off[t + 1]++].grp =
				    sets[k]->ix[e].grp;
			}
	}
}

struct pfx *
pfx_new(void)
{
	return xcalloc(1, sizeof(struct pfx));
}

void
pfx_section(struct pfx *ps)
{
	ps->sec = xrealloc(ps->sec, (size_t)(ps->nsec + 1) * sizeof *ps->sec);
	ps->sec[ps->nsec].always = 0;
	ps->sec[ps->nsec].line0 = ps->nlines;
	ps->sec[ps->nsec].nlines = 0;
	ps->nsec++;
}

void
pfx_free(struct pfx *ps)
{
	if (ps == NULL)
		return;
	if (ps->link != NULL && --ps->link->refs == 0) {
		free(ps->link->sets);
		free(ps->link->ix_off);
		free(ps->link->ix);
		free(ps->link);
	}
	free(ps->sec);
	free(ps->nodes);
	free(ps->grps);
	free(ps->ix_off);
	free(ps->ix);
	free(ps->shortr);
	free(ps->pend);
	free(ps->sat);
	free(ps->lines);
	free(ps);
}
