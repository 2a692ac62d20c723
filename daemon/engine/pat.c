/* pat.c - loading and matching pattern files with PCRE2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lit.h"
#include "pat.h"
#include "common/xmem.h"

/* Bounds for one match attempt.  Real questions need a few hundred steps;
 * these stop a pathological pattern/input pair long before it could hold
 * up the event loop for a noticeable time. */
#define PAT_MATCH_LIMIT 20000
#define PAT_DEPTH_LIMIT 400
#define PAT_LINE_MAX 1024

struct pat_section {
	char *name;
	pcre2_code *code;
	int jit;                /* JIT code exists: pcre2_jit_match() is safe */
	/* Its anchored lines ("^\\W*help\\W*$") alone, when it has others
	 * too: if only those can match, one attempt at the start offset
	 * answers instead of a scan of the whole question. */
	pcre2_code *anch;
	int anch_jit;
	int always;             /* some line has no required literal */
	unsigned line0, nlines; /* its lines in pat_set.lines */
};

/* The prefilter.  Each line of a section is analysed for literals that any
 * match must contain (lit_read()); a section whose every line lacks one
 * in the question cannot match, so its regex is not run.  A literal is
 * kept as the hashed 1-, 2- or 3-byte sequences it needs (pat_text), so
 * checking one is a few bit tests.  A line is an AND of groups, a group an
 * OR of literals, stored as a trie of checks in preorder so literals
 * sharing checks test them once. */
struct pf_node {
	unsigned short check;   /* bit index in pat_text.bits */
	unsigned short leaf;    /* a whole literal is there */
	unsigned skip;          /* next node when check fails: past the subtree */
};
struct pf_line { unsigned off, n; int anch; };  /* groups; line anchored */
struct pf_grp { unsigned off, n; };     /* a group's trie nodes */

struct pat_set {
	struct pat_section *sec;
	int nsec;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	unsigned long limit_hits;
	unsigned long skipped, anchored; /* pat_match_text(): see pat.h */
	struct pf_node *nodes;
	struct pf_grp *grps;
	struct lit_set *pend;           /* groups' literals, until pf_index() */
	struct pf_line *lines;
	unsigned nnodes, ngrps, nlines;
	/* Every group trie's first checks: the 3-grams indexed, so the
	 * question's own 3-grams find the few subtries worth walking
	 * (ix[ix_off[t - PF_SHORT] .. ix_off[t + 1 - PF_SHORT]) check t),
	 * the rare 1- and 2-grams in a list looked at every time. */
	unsigned *ix_off;
	struct pf_root { unsigned node, grp; } *ix, *shortr;
	unsigned nix, nshort;
	/* Which groups the current question satisfies (pf_memo()). */
	unsigned long serial;
	uint64_t *sat;
	struct pat_link *link;          /* pat_link(), or NULL */
};

/* Sets matched against the same questions: their 3-gram indexes merged,
 * so a question's 3-grams are looked up once for all of them.  Freed
 * with the last of its sets. */
struct pat_link {
	struct pat_set **sets;
	int nsets, refs;
	unsigned *ix_off;               /* as pat_set.ix_off */
	struct pf_lroot { unsigned set, node, grp; } *ix;
};

/* Sizes of the summary's two ranges of bits (pat_text.bits). */
#define PF_SHORT_LOG2 10
#define PF_SHORT (1u << PF_SHORT_LOG2)  /* bits below are 1- and 2-grams */
#define PF_TRI_LOG2 13                  /* then this many for 3-grams */
#define PF_BITS (PF_SHORT + (1u << PF_TRI_LOG2))
#if PF_BITS != PAT_TEXT_BITS
#error "pat.h and pat.c disagree on the summary's size"
#endif

/* Tells one question's summary from the next: a pat_set remembers which
 * summary its groups were worked out for (pf_memo()).  Shared by every
 * engine and thread, hence atomic; 0 is never handed out. */
static atomic_ulong pf_serial;

/* The n-gram (n = 1..3) whose bytes are key's low n bytes, last lowest,
 * as a bit index in pat_text.bits.  Hashed: a collision only lets a
 * section run.  3-grams get their own range, so an index can tell them
 * apart. */
static unsigned
pf_gram(unsigned key, int n)
{
	unsigned h = (key | (unsigned)n << 24) * 2654435761u;

	return n < 3 ? h >> (32 - PF_SHORT_LOG2) :
	    PF_SHORT + (h >> (32 - PF_TRI_LOG2));
}

/* The bit indices a literal needs in pat_text.bits, in text order: the
 * n-grams of its marked form, which is how the summary reads text; 0 when
 * it needs none.  lit_read() keeps no set with such a literal. */
static unsigned
pf_checks(const char *s, unsigned short *out)
{
	unsigned char m[LIT_MARKMAX];
	size_t len = lit_mark(s, m);
	unsigned k, n = lit_nchecks(m, len);

	if (n == 1 && len < 3)
		out[0] = (unsigned short)pf_gram(len == 1 ? m[0] :
		    (unsigned)m[0] << 8 | m[1], (int)len);
	else
		for (k = 0; k < n; k++)
			out[k] = (unsigned short)pf_gram((unsigned)m[k] << 16 |
			    (unsigned)m[k + 1] << 8 | m[k + 2], 3);
	return n;
}

struct pf_chk { unsigned short c[LIT_MARKMAX]; unsigned n; };

static int
pf_seq_cmp(const void *a, const void *b)
{
	const struct pf_chk *x = a, *y = b;
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
pf_rarest_first(struct pf_chk *c, const unsigned *freq)
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
pf_group(struct pat_set *ps, const struct lit_set *st, const unsigned *freq)
{
	struct pf_chk *seq = xmalloc(LIT_SETMAX * sizeof *seq);
	unsigned open[LIT_MARKMAX], depth = 0, lcp, d;
	struct pf_grp *g;
	const struct pf_chk *prev = NULL;
	int i;

	for (i = 0; i < st->n; i++) {
		seq[i].n = pf_checks(st->s[i], seq[i].c);
		pf_rarest_first(&seq[i], freq);
	}
	qsort(seq, (size_t)st->n, sizeof seq[0], pf_seq_cmp);
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

/* Record what one regex line requires; a line lit_read() cannot read, or
 * that requires nothing, makes its section always run. */
static void
pf_line(struct pat_set *ps, struct pat_section *sec, const char *re,
    size_t n, int anch)
{
	struct pf_line *ln;
	int nreq;

	/* The tries are built at the end (pf_index()), once every
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
pf_walk(const struct pf_node *nd, unsigned k, unsigned end,
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
pf_sat(const struct pat_set *ps, unsigned g)
{
	return ps->sat[g >> 6] >> (g & 63) & 1;
}

/* Mark group g satisfied if the subtrie at root r holds a literal of the
 * question (r's own check is known to be there). */
static void
pf_root_there(struct pat_set *ps, unsigned r, unsigned g,
    const uint64_t *bits)
{
	const struct pf_node *nd = ps->nodes;

	if (!pf_sat(ps, g) && (nd[r].leaf || pf_walk(nd, r + 1, nd[r].skip,
	    bits)))
		ps->sat[g >> 6] |= 1ull << (g & 63);
}

/* Try each of the n roots whose first check the question has. */
static void
pf_roots(struct pat_set *ps, const struct pf_root *rt, unsigned n,
    const uint64_t *bits)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned c = ps->nodes[rt[i].node].check;

		if (bits[c >> 6] >> (c & 63) & 1)
			pf_root_there(ps, rt[i].node, rt[i].grp, bits);
	}
}

/* Start a set's memo for the question: clear it, try the short roots.
 * Returns 0 when the question has too many 3-grams to list, after trying
 * every indexed root of the set too. */
static int
pf_memo_start(struct pat_set *ps, const struct pat_text *pt)
{
	memset(ps->sat, 0, ((ps->ngrps + 63) / 64) * sizeof *ps->sat);
	ps->serial = pt->serial;
	pf_roots(ps, ps->shortr, ps->nshort, pt->bits);
	if (pt->ntri <= PAT_TEXT_TRIS)
		return 1;
	pf_roots(ps, ps->ix, ps->nix, pt->bits);
	return 0;
}

/* Work out which groups of ps (and of the sets linked with it) the
 * question satisfies, once per question, from its distinct 3-grams
 * (pat_text.tri) through the index. */
static void
pf_memo(struct pat_set *ps, const struct pat_text *pt)
{
	const struct pat_link *lk = ps->link;
	unsigned i, t, n;
	int k, listed = 1;

	if (lk == NULL) {
		if (!pf_memo_start(ps, pt))
			return;
		for (i = 0; i < pt->ntri; i++) {
			t = pt->tri[i] - PF_SHORT;
			for (n = ps->ix_off[t]; n < ps->ix_off[t + 1]; n++)
				pf_root_there(ps, ps->ix[n].node,
				    ps->ix[n].grp, pt->bits);
		}
		return;
	}
	for (k = 0; k < lk->nsets; k++)
		listed &= pf_memo_start(lk->sets[k], pt);
	if (!listed)
		return;
	for (i = 0; i < pt->ntri; i++) {
		t = pt->tri[i] - PF_SHORT;
		for (n = lk->ix_off[t]; n < lk->ix_off[t + 1]; n++)
			pf_root_there(lk->sets[lk->ix[n].set], lk->ix[n].node,
			    lk->ix[n].grp, pt->bits);
	}
}

/* Index the first checks of every group trie (see struct pat_set). */
static void
pf_index(struct pat_set *ps)
{
	const struct pf_node *nd;
	unsigned g, k, t, n = 0;

	unsigned *freq = xcalloc(PF_BITS, sizeof *freq), ng = ps->ngrps;
	struct pf_chk c;
	int i;

	for (g = 0; g < ng; g++)
		for (i = 0; i < ps->pend[g].n; i++) {
			c.n = pf_checks(ps->pend[g].s[i], c.c);
			for (k = 0; k < c.n; k++)
				freq[c.c[k]]++;
		}
	ps->ngrps = 0;
	for (g = 0; g < ng; g++)
		pf_group(ps, &ps->pend[g], freq);
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

/* Can any line of the section match the question?  0 no; 2 only some
 * of its anchored lines (and sec->anch has them alone); 1 otherwise. */
static int
pf_may_match(struct pat_set *ps, const struct pat_section *sec,
    const struct pat_text *pt)
{
	unsigned li, gi;
	int r = 0;

	if (sec->always)
		return 1;
	if (ps->serial != pt->serial)
		pf_memo(ps, pt);
	for (li = sec->line0; li < sec->line0 + sec->nlines; li++) {
		const struct pf_line *ln = &ps->lines[li];

		for (gi = ln->off; gi < ln->off + ln->n; gi++)
			if (!pf_sat(ps, gi))
				break;
		if (gi < ln->off + ln->n)
			continue;
		if (!ln->anch || sec->anch == NULL)
			return 1;
		r = 2;
	}
	return r;
}
/* Compile one section's accumulated alternation. */
static int
compile_section(struct pat_set *ps, const char *alt, const char *anch,
    int unanchored, const char *path, int line, char *err, size_t errlen)
{
	struct pat_section *s = &ps->sec[ps->nsec - 1];
	int rc;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	if (alt[0] == '\0') {
		snprintf(err, errlen, "%s:%d: section [%s] has no pattern",
		    path, line, s->name);
		return -1;
	}
	/* Patterns see lower-cased text (norm.c), so matching needs no
	 * caseless mode, and no group is ever read back, so none captures:
	 * both make every match cheaper. */
	s->code = pcre2_compile((PCRE2_SPTR)alt, PCRE2_ZERO_TERMINATED,
	    PCRE2_NO_AUTO_CAPTURE, &rc, &off, NULL);
	if (s->code == NULL) {
		pcre2_get_error_message(rc, msg, sizeof msg);
		snprintf(err, errlen, "%s:%d: section [%s] does not combine: %s",
		    path, line, s->name, (char *)msg);
		return -1;
	}
	/* JIT is an optimisation: without it matching is slower, not wrong. */
	s->jit = pcre2_jit_compile(s->code, PCRE2_JIT_COMPLETE) == 0;
	/* So is the anchored lines' own code: without it the whole section
	 * runs. */
	if (anch[0] != '\0' && unanchored > 0 &&
	    (s->anch = pcre2_compile((PCRE2_SPTR)anch, PCRE2_ZERO_TERMINATED,
	    PCRE2_NO_AUTO_CAPTURE, &rc, &off, NULL)) != NULL)
		s->anch_jit = pcre2_jit_compile(s->anch, PCRE2_JIT_COMPLETE) ==
		    0;
	return 0;
}

struct pat_set *
pat_load(const char *path, char *err, size_t errlen)
{
	FILE *f;
	struct pat_set *ps;
	char line[PAT_LINE_MAX + 2];
	char *alt = NULL, *anch = NULL;
	size_t altlen = 0, anchlen = 0, n, k;
	uint32_t opts;
	int unanchored = 0;
	int lineno = 0, secline = 0, rc, failed = 0;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];
	pcre2_code *one;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return NULL;
	}
	ps = xrealloc(NULL, sizeof *ps);
	memset(ps, 0, sizeof *ps);
	alt = xrealloc(NULL, 1);
	alt[0] = '\0';
	anch = xrealloc(NULL, 1);
	anch[0] = '\0';
	while (!failed && fgets(line, sizeof line, f) != NULL) {
		lineno++;
		n = strlen(line);
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: line longer than %d bytes",
			    path, lineno, PAT_LINE_MAX);
			failed = 1;
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		    line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (line[0] == '[' && line[n - 1] == ']') {
			if (ps->nsec > 0 && compile_section(ps, alt, anch,
			    unanchored, path, secline, err, errlen) != 0) {
				failed = 1;
				break;
			}
			line[n - 1] = '\0';
			ps->sec = xrealloc(ps->sec,
			    (size_t)(ps->nsec + 1) * sizeof *ps->sec);
			ps->sec[ps->nsec].name = xstrdup(line + 1);
			ps->sec[ps->nsec].code = NULL;
			ps->sec[ps->nsec].jit = 0;
			ps->sec[ps->nsec].anch = NULL;
			ps->sec[ps->nsec].anch_jit = 0;
			ps->sec[ps->nsec].always = 0;
			ps->sec[ps->nsec].line0 = ps->nlines;
			ps->sec[ps->nsec].nlines = 0;
			ps->nsec++;
			secline = lineno;
			altlen = anchlen = 0;
			alt[0] = anch[0] = '\0';
			unanchored = 0;
			continue;
		}
		if (ps->nsec == 0) {
			snprintf(err, errlen, "%s:%d: pattern before any "
			    "[section] header", path, lineno);
			failed = 1;
			break;
		}
		/* Questions are lower-cased before matching, so an upper-case
		 * letter (other than an escape like \\W) could never match. */
		for (k = 0; k < n; k++)
			if (line[k] >= 'A' && line[k] <= 'Z' &&
			    (k == 0 || line[k - 1] != '\\'))
				break;
		if (k < n) {
			snprintf(err, errlen, "%s:%d: offset %zu: upper-case "
			    "'%c' can never match: questions are lower-cased",
			    path, lineno, k, line[k]);
			failed = 1;
			break;
		}
		one = pcre2_compile((PCRE2_SPTR)line, n, PCRE2_NO_AUTO_CAPTURE, &rc,
		    &off, NULL);
		if (one == NULL) {
			pcre2_get_error_message(rc, msg, sizeof msg);
			snprintf(err, errlen, "%s:%d: offset %zu: %s", path,
			    lineno, (size_t)off, (char *)msg);
			failed = 1;
			break;
		}
		/* PCRE2 marks a regex that can only match at the start
		 * offset ("^..." in every branch) as anchored. */
		opts = 0;
		(void)pcre2_pattern_info(one, PCRE2_INFO_ALLOPTIONS, &opts);
		pcre2_code_free(one);
		pf_line(ps, &ps->sec[ps->nsec - 1], line, n,
		    (opts & PCRE2_ANCHORED) != 0);
		if (opts & PCRE2_ANCHORED) {
			anch = xrealloc(anch, anchlen + n + 8);
			anchlen += (size_t)sprintf(anch + anchlen, "%s(?:%s)",
			    anchlen ? "|" : "", line);
		} else
			unanchored++;
		alt = xrealloc(alt, altlen + n + 8);
		altlen += (size_t)sprintf(alt + altlen, "%s(?:%s)",
		    altlen ? "|" : "", line);
	}
	fclose(f);
	if (!failed && ps->nsec == 0) {
		snprintf(err, errlen, "%s:%d: no [section] and no pattern",
		    path, lineno);
		failed = 1;
	}
	if (!failed && compile_section(ps, alt, anch, unanchored, path,
	    secline, err,
	    errlen) != 0)
		failed = 1;
	free(alt);
	free(anch);
	if (failed) {
		pat_free(ps);
		return NULL;
	}
	pf_index(ps);
	ps->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(ps->mctx, PAT_MATCH_LIMIT);
	pcre2_set_depth_limit(ps->mctx, PAT_DEPTH_LIMIT);
	ps->md = pcre2_match_data_create(4, NULL);
	if (ps->mctx == NULL || ps->md == NULL) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	return ps;
}

void
pat_link(struct pat_set **sets, int n)
{
	struct pat_link *lk = xcalloc(1, sizeof *lk);
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

void
pat_free(struct pat_set *ps)
{
	int i;

	if (ps == NULL)
		return;
	if (ps->link != NULL && --ps->link->refs == 0) {
		free(ps->link->sets);
		free(ps->link->ix_off);
		free(ps->link->ix);
		free(ps->link);
	}
	for (i = 0; i < ps->nsec; i++) {
		free(ps->sec[i].name);
		pcre2_code_free(ps->sec[i].code);
		pcre2_code_free(ps->sec[i].anch);
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
	pcre2_match_data_free(ps->md);
	pcre2_match_context_free(ps->mctx);
	free(ps);
}

int
pat_count(const struct pat_set *ps)
{
	return ps->nsec;
}

const char *
pat_name(const struct pat_set *ps, int section)
{
	return ps->sec[section].name;
}

int
pat_find(const struct pat_set *ps, const char *name)
{
	int i;

	for (i = 0; i < ps->nsec; i++)
		if (strcmp(ps->sec[i].name, name) == 0)
			return i;
	return -1;
}

/* One match of code (JIT code when jit) on s[0, len) from start. */
static int
pf_run(struct pat_set *ps, const pcre2_code *code, int jit, const char *s,
    size_t len, size_t start, size_t *ms, size_t *me)
{
	PCRE2_SIZE *ov;
	int rc;

	/* With JIT code, pcre2_jit_match() gives the same answer without
	 * pcre2_match()'s per-call checks, which our arguments pass. */
	if (jit)
		rc = pcre2_jit_match(code, (PCRE2_SPTR)s, len, start, 0, ps->md,
		    ps->mctx);
	else
		rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, 0, ps->md,
		    ps->mctx);
	if (rc < 0) {
		if (rc == PCRE2_ERROR_MATCHLIMIT ||
		    rc == PCRE2_ERROR_DEPTHLIMIT ||
		    rc == PCRE2_ERROR_JIT_STACKLIMIT ||
		    rc == PCRE2_ERROR_HEAPLIMIT)
			ps->limit_hits++;
		return 0;
	}
	ov = pcre2_get_ovector_pointer(ps->md);
	*ms = ov[0];
	*me = ov[1];
	return 1;
}

int
pat_match(struct pat_set *ps, int section, const char *s, size_t len,
    size_t start, size_t *ms, size_t *me)
{
	if (section < 0 || section >= ps->nsec || start > len)
		return 0;
	return pf_run(ps, ps->sec[section].code, ps->sec[section].jit, s, len,
	    start, ms, me);
}

/* Add one symbol of the marked text to the summary: its 1-gram and the
 * 2- and 3-grams it ends (win holds the last three symbols). */
static void
pf_put(struct pat_text *pt, unsigned *win, int *n, unsigned char c)
{
	unsigned b;

	*win = (*win << 8 | c) & 0xffffff;
	b = pf_gram(c, 1);
	pt->bits[b >> 6] |= 1ull << (b & 63);
	if (*n < 3)
		(*n)++;
	if (*n < 2)
		return;
	b = pf_gram(*win & 0xffff, 2);
	pt->bits[b >> 6] |= 1ull << (b & 63);
	if (*n < 3)
		return;
	b = pf_gram(*win, 3);
	if (!(pt->bits[b >> 6] >> (b & 63) & 1) && pt->ntri++ < PAT_TEXT_TRIS)
		pt->tri[pt->ntri - 1] = (unsigned short)b;
	pt->bits[b >> 6] |= 1ull << (b & 63);
}

void
pat_text_init(struct pat_text *pt, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned win = 0;
	size_t i;
	int n = 0, w, lastw = 0;

	pt->s = s;
	pt->len = len;
	pt->serial = atomic_fetch_add(&pf_serial, 1) + 1;
	pt->ntri = 0;
	memset(pt->bits, 0, sizeof pt->bits);
	/* The text with LIT_MARK where \b holds, as lit_mark() writes
	 * literals. */
	for (i = 0; i <= len; i++) {
		w = i < len && lit_isword(u[i]);
		if (w != lastw)
			pf_put(pt, &win, &n, LIT_MARK);
		if (i < len)
			pf_put(pt, &win, &n, u[i]);
		lastw = w;
	}
}

int
pat_match_text(struct pat_set *ps, int section, const struct pat_text *pt,
    size_t to, size_t start, size_t *ms, size_t *me)
{
	const unsigned char *u = (const unsigned char *)pt->s;
	const struct pat_section *sec;
	int may = 1;

	if (section < 0 || section >= ps->nsec || start > to)
		return 0;
	sec = &ps->sec[section];
	/* The summary covers pt->s[0, pt->len): a shorter subject holds
	 * fewer literals, unless the cut splits a word and so makes a word
	 * end that the summary has not seen. */
	if (to <= pt->len && !(to > 0 && to < pt->len && lit_isword(u[to - 1])
	    && lit_isword(u[to])))
		may = pf_may_match(ps, sec, pt);
	if (may == 0) {
		ps->skipped++;
		return 0;
	}
	/* The lines that cannot match change nothing when left out. */
	if (may == 2) {
		ps->anchored++;
		return pf_run(ps, sec->anch, sec->anch_jit, pt->s, to, start,
		    ms, me);
	}
	return pf_run(ps, sec->code, sec->jit, pt->s, to, start, ms, me);
}

unsigned long
pat_limit_hits(const struct pat_set *ps)
{
	return ps->limit_hits;
}

void
pat_prefilter_counts(const struct pat_set *ps, unsigned long *skipped,
    unsigned long *anchored)
{
	*skipped = ps->skipped;
	*anchored = ps->anchored;
}
