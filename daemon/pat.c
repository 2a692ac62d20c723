/* pat.c - loading and matching pattern files with PCRE2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pat.h"
#include "xmem.h"

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
 * match must contain (pf_*() below); a section whose every line lacks one
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
	struct pf_node *nodes;
	struct pf_grp *grps;
	struct pf_set *pend;            /* groups' literals, until pf_index() */
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

/* ---- literal analysis ---------------------------------------------------
 *
 * A conservative reading of one regex line: every construct it does not
 * know makes the line "unknown", which only means it is always run.  A
 * node's pf_info says: every string it matches is in x (unless x.n < 0),
 * and the subject contains, for every set in req, one of that set's
 * strings.  Strings may hold PF_MARK where \b stands. */

#define PF_MARK '\001'
#define PF_SHORT_LOG2 10
#define PF_SHORT (1u << PF_SHORT_LOG2)  /* bits below are 1- and 2-grams */
#define PF_TRI_LOG2 13                  /* then this many for 3-grams */
#define PF_BITS (PF_SHORT + (1u << PF_TRI_LOG2))
#if PF_BITS != PAT_TEXT_BITS
#error "pat.h and pat.c disagree on the summary's size"
#endif
#define PF_SETMAX 128   /* strings an exact set may hold */
#define PF_STRMAX 24    /* longest literal built by concatenation */
#define PF_REQMAX 8     /* required sets a node keeps */

struct pf_set { int n; char s[PF_SETMAX][PF_STRMAX + 1]; };
struct pf_info { struct pf_set x; int nreq; struct pf_set req[PF_REQMAX]; };
struct pf_parser { const char *s; size_t i, n; int bad; };

/* Tells one question's summary from the next: a pat_set remembers which
 * summary its groups were worked out for (pf_memo()).  Shared by every
 * engine and thread, hence atomic; 0 is never handed out. */
static atomic_ulong pf_serial;

static int
pf_isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

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

/* The bit indices a literal needs in pat_text.bits, in text order; 0 when
 * it needs none (then it is no use as a requirement).  The literal is
 * first put in the form the summary reads text in: PF_MARK wherever a
 * word character meets a non-word one, inside it and where the regex
 * put \b at its ends. */
static unsigned
pf_checks(const char *s, unsigned short *out)
{
	unsigned char m[2 * PF_STRMAX + 2];
	size_t i, n = strlen(s), len = 0, j;
	unsigned k = 0;
	int w, lastw = -1;

	for (i = 0; i < n; i++) {
		if (s[i] == PF_MARK) {
			if (len == 0)
				m[len++] = PF_MARK;     /* at the start */
			continue;
		}
		w = pf_isword((unsigned char)s[i]);
		if (lastw >= 0 && w != lastw)
			m[len++] = PF_MARK;
		m[len++] = (unsigned char)s[i];
		lastw = w;
	}
	if (n > 0 && s[n - 1] == PF_MARK && len > 0 && m[len - 1] != PF_MARK)
		m[len++] = PF_MARK;             /* at the end */
	if (len == 0 || (len == 1 && m[0] == PF_MARK))
		return 0;
	if (len < 3) {
		out[k++] = (unsigned short)pf_gram(len == 1 ? m[0] :
		    (unsigned)m[0] << 8 | m[1], (int)len);
		return k;
	}
	for (j = 0; j + 3 <= len; j++)
		out[k++] = (unsigned short)pf_gram((unsigned)m[j] << 16 |
		    (unsigned)m[j + 1] << 8 | m[j + 2], 3);
	return k;
}

/* How much a set narrows things: its weakest string's checks, 0 if some
 * string needs nothing. */
static unsigned
pf_strength(const struct pf_set *st)
{
	unsigned short tmp[2 * PF_STRMAX + 2];
	unsigned best = ~0u, c;
	int i;

	if (st->n <= 0)
		return 0;
	for (i = 0; i < st->n; i++)
		if ((c = pf_checks(st->s[i], tmp)) < best)
			best = c;
	return best;
}

static struct pf_info *
pf_new(int exact)
{
	struct pf_info *in = xmalloc(sizeof *in);

	in->nreq = 0;
	in->x.n = exact ? 1 : -1;
	in->x.s[0][0] = '\0';
	return in;
}

static void
pf_set_add(struct pf_set *st, const char *s)
{
	size_t n = strlen(s);
	int i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->s[i], s) == 0)
			return;
	/* callers keep strings within PF_STRMAX (pf_product checks) */
	if (n > PF_STRMAX)
		n = PF_STRMAX;
	memcpy(st->s[st->n], s, n);
	st->s[st->n++][n] = '\0';
}

/* Keep a required set, dropping the weakest when full. */
static void
pf_require(struct pf_info *in, const struct pf_set *st)
{
	unsigned s = pf_strength(st), w = ~0u;
	int i, weak = -1;

	if (s == 0)
		return;
	if (in->nreq < PF_REQMAX) {
		in->req[in->nreq++] = *st;
		return;
	}
	for (i = 0; i < in->nreq; i++)
		if (pf_strength(&in->req[i]) < w) {
			w = pf_strength(&in->req[i]);
			weak = i;
		}
	if (s > w)
		in->req[weak] = *st;
}

/* a = a b, when every combination fits. */
static int
pf_product(struct pf_set *a, const struct pf_set *b)
{
	struct pf_set *r;
	char buf[2 * PF_STRMAX + 2];
	size_t la, lb;
	int i, j;

	if (a->n * b->n > PF_SETMAX)
		return 0;
	r = xmalloc(sizeof *r);
	r->n = 0;
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++) {
			la = strlen(a->s[i]);
			lb = strlen(b->s[j]);
			if (la + lb > PF_STRMAX) {
				free(r);
				return 0;
			}
			memcpy(buf, a->s[i], la);
			memcpy(buf + la, b->s[j], lb + 1);
			pf_set_add(r, buf);
		}
	*a = *r;
	free(r);
	return 1;
}

static struct pf_info *pf_alt(struct pf_parser *p);

/* A bracketed class: a few plain characters are an exact set. */
static struct pf_info *
pf_class_atom(struct pf_parser *p)
{
	unsigned char in[256] = { 0 };
	int neg = 0, big = 0, count = 0, c, lo;
	struct pf_info *r;
	char one[2] = { 0, 0 };

	p->i++;
	if (p->i < p->n && p->s[p->i] == '^') {
		neg = 1;
		p->i++;
	}
	for (lo = -1; p->i < p->n; p->i++) {
		c = (unsigned char)p->s[p->i];
		if (c == ']' && !(lo == -1 && (p->s[p->i - 1] == '[' ||
		    (neg && p->s[p->i - 1] == '^' && p->s[p->i - 2] == '['))))
			break;
		if (c == '[' && p->i + 1 < p->n && p->s[p->i + 1] == ':') {
			p->bad = 1;
			return NULL;
		}
		if (c == '\\') {
			if (++p->i >= p->n) {
				p->bad = 1;
				return NULL;
			}
			c = (unsigned char)p->s[p->i];
			if (strchr("dDwWsShHvV", c) != NULL && c != '\0') {
				big = 1;
				continue;
			}
			if (pf_isword((unsigned char)c) || c >= 0x80) {
				p->bad = 1;
				return NULL;
			}
		} else if (c == '-' && lo >= 0 && p->i + 1 < p->n &&
		    p->s[p->i + 1] != ']') {
			int hi = (unsigned char)p->s[++p->i];

			if (hi == '\\' || hi == '[' || hi < lo) {
				p->bad = 1;
				return NULL;
			}
			for (; lo <= hi; lo++)
				in[lo] = 1;
			lo = -1;
			continue;
		}
		in[c] = 1;
		lo = c;
	}
	if (p->i >= p->n) {
		p->bad = 1;
		return NULL;
	}
	p->i++;         /* the ] */
	for (c = 0; c < 256; c++)
		count += in[c];
	if (neg || big || count == 0 || count > 8)
		return pf_new(0);
	r = pf_new(1);
	r->x.n = 0;
	for (c = 1; c < 256; c++)
		if (in[c]) {
			one[0] = (char)c;
			pf_set_add(&r->x, one);
		}
	return r;
}

/* One atom: a literal, escape, class, dot, anchor or group. */
static struct pf_info *
pf_atom(struct pf_parser *p)
{
	const char *s = p->s;
	struct pf_info *r, *in;
	char c = s[p->i];
	int look = 0;   /* 1 positive lookaround, -1 negative */

	if (c == '[')
		return pf_class_atom(p);
	if (c == '(') {
		p->i++;
		if (p->i < p->n && s[p->i] == '?') {
			p->i++;
			if (p->i < p->n && (s[p->i] == ':' || s[p->i] == '>' ||
			    s[p->i] == '|'))
				p->i++;
			else if (p->i < p->n && (s[p->i] == '=' ||
			    s[p->i] == '!')) {
				look = s[p->i] == '=' ? 1 : -1;
				p->i++;
			} else if (p->i + 1 < p->n && s[p->i] == '<' &&
			    (s[p->i + 1] == '=' || s[p->i + 1] == '!')) {
				look = s[p->i + 1] == '=' ? 1 : -1;
				p->i += 2;
			} else {
				p->bad = 1;
				return NULL;
			}
		} else if (p->i < p->n && s[p->i] == '*') {
			p->bad = 1;
			return NULL;
		}
		in = pf_alt(p);
		if (p->bad || p->i >= p->n || s[p->i] != ')') {
			p->bad = 1;
			free(in);
			return NULL;
		}
		p->i++;
		if (look == 0)
			return in;
		/* Zero width; a positive one's text is in the subject. */
		r = pf_new(1);
		if (look > 0) {
			int k;

			for (k = 0; k < in->nreq; k++)
				pf_require(r, &in->req[k]);
			if (in->x.n >= 0)
				pf_require(r, &in->x);
		}
		free(in);
		return r;
	}
	p->i++;
	if (c == '.')
		return pf_new(0);
	if (c == '^' || c == '$')
		return pf_new(1);
	if (c == '*' || c == '+' || c == '?' || c == '{' || c == ')' ||
	    c == '|') {
		p->bad = 1;
		return NULL;
	}
	if (c == '\\') {
		if (p->i >= p->n) {
			p->bad = 1;
			return NULL;
		}
		c = s[p->i++];
		if (c == 'b') {
			r = pf_new(1);
			r->x.s[0][0] = PF_MARK;
			r->x.s[0][1] = '\0';
			return r;
		}
		if (strchr("BAzZGK", c) != NULL)
			return pf_new(1);
		if (strchr("wWsSdDhHvVN", c) != NULL)
			return pf_new(0);
		if (pf_isword((unsigned char)c) || (unsigned char)c >= 0x80) {
			p->bad = 1;
			return NULL;
		}
	}
	if ((unsigned char)c < 0x20) {
		p->bad = 1;     /* would read as PF_MARK */
		return NULL;
	}
	r = pf_new(1);
	r->x.s[0][0] = c;
	r->x.s[0][1] = '\0';
	return r;
}

/* Read a quantifier at p->i, if any: 1 with *min, *max (-1 unbounded). */
static int
pf_quant(struct pf_parser *p, int *min, int *max)
{
	const char *s = p->s;
	size_t i = p->i;
	int digits = 0;

	if (i >= p->n)
		return 0;
	if (s[i] == '?' || s[i] == '*' || s[i] == '+') {
		*min = s[i] == '+';
		*max = s[i] == '?' ? 1 : -1;
		p->i++;
	} else if (s[i] == '{') {
		*min = *max = 0;
		for (i++; i < p->n && s[i] >= '0' && s[i] <= '9'; i++) {
			*min = *min * 10 + (s[i] - '0');
			digits++;
		}
		*max = *min;
		if (i < p->n && s[i] == ',') {
			*max = -1;
			for (i++; i < p->n && s[i] >= '0' && s[i] <= '9'; i++)
				*max = (*max < 0 ? 0 : *max) * 10 + (s[i] - '0');
		}
		/* "{" that is not a plain {n}, {n,} or {n,m} is read by
		 * PCRE2 versions differently: not ours to guess. */
		if (digits == 0 || *min > 1000 || i >= p->n || s[i] != '}') {
			p->bad = 1;
			return 0;
		}
		p->i = i + 1;
	} else
		return 0;
	if (p->i < p->n && (s[p->i] == '?' || s[p->i] == '+'))
		p->i++;
	return 1;
}

/* Apply a quantifier to an atom's reading. */
static void
pf_repeat(struct pf_info *it, int min, int max)
{
	struct pf_set x;

	if (min == 1 && max == 1)
		return;
	if (min == 0) {
		/* It may be absent: nothing it needs is needed. */
		if (max == 1 && it->x.n >= 0 && it->x.n < PF_SETMAX)
			pf_set_add(&it->x, "");
		else
			it->x.n = -1;
		it->nreq = 0;
		return;
	}
	if (it->x.n >= 0) {
		x = it->x;
		it->x.n = -1;
		pf_require(it, &x);
	}
}

/* A run of atoms up to | or ) or the end: adjacent exact sets multiply
 * into longer literals until something inexact cuts the run. */
static struct pf_info *
pf_seq(struct pf_parser *p)
{
	struct pf_info *acc = pf_new(1), *it;
	struct pf_set cur;
	int flushed = 0, min, max, k;

	cur.n = 1;
	cur.s[0][0] = '\0';
	while (p->i < p->n && p->s[p->i] != '|' && p->s[p->i] != ')') {
		it = pf_atom(p);
		if (it != NULL && !p->bad && pf_quant(p, &min, &max))
			pf_repeat(it, min, max);
		if (it == NULL || p->bad) {
			free(it);
			free(acc);
			p->bad = 1;
			return NULL;
		}
		for (k = 0; k < it->nreq; k++)
			pf_require(acc, &it->req[k]);
		if (it->x.n < 0 || !pf_product(&cur, &it->x)) {
			pf_require(acc, &cur);
			flushed = 1;
			if (it->x.n >= 0)
				cur = it->x;
			else {
				cur.n = 1;
				cur.s[0][0] = '\0';
			}
		}
		free(it);
	}
	if (flushed) {
		pf_require(acc, &cur);
		acc->x.n = -1;
	} else
		acc->x = cur;
	return acc;
}

/* The most selective thing a node requires, into out; 0 if nothing. */
static int
pf_best(const struct pf_info *in, struct pf_set *out)
{
	unsigned best = 0, s;
	int k;

	if (in->x.n >= 0 && (s = pf_strength(&in->x)) > best) {
		best = s;
		*out = in->x;
	}
	for (k = 0; k < in->nreq; k++)
		if ((s = pf_strength(&in->req[k])) > best) {
			best = s;
			*out = in->req[k];
		}
	return best > 0;
}

/* Union b into a; 0 when it would not fit. */
static int
pf_union(struct pf_set *a, const struct pf_set *b)
{
	int i;

	for (i = 0; i < b->n; i++) {
		if (a->n == PF_SETMAX)
			return 0;
		pf_set_add(a, b->s[i]);
	}
	return 1;
}

/* Cut a set to at most limit strings by keeping shorter prefixes: a
 * prefix of what must occur occurs too. */
static void
pf_shrink(struct pf_set *st, int limit)
{
	struct pf_set *r = xmalloc(sizeof *r);
	char buf[PF_STRMAX + 1];
	size_t len = PF_STRMAX, n;
	int i;

	while (st->n > limit && len > 1) {
		len--;
		r->n = 0;
		for (i = 0; i < st->n; i++) {
			n = strlen(st->s[i]);
			n = n < len ? n : len;
			memcpy(buf, st->s[i], n);
			buf[n] = '\0';
			pf_set_add(r, buf);
		}
		*st = *r;
	}
	free(r);
}

/* Alternatives up to ) or the end.  Exact if all are and the union fits;
 * else one of the best requirements of each must be there. */
static struct pf_info *
pf_alt(struct pf_parser *p)
{
	struct pf_info *first = pf_seq(p), *alt, *r;
	struct pf_set u, g, b;
	int exact, any;

	if (first == NULL || p->i >= p->n || p->s[p->i] != '|')
		return first;
	exact = first->x.n >= 0;
	if (exact)
		u = first->x;
	any = pf_best(first, &g);
	free(first);
	while (p->i < p->n && p->s[p->i] == '|') {
		p->i++;
		if ((alt = pf_seq(p)) == NULL)
			return NULL;
		if (exact && (alt->x.n < 0 || !pf_union(&u, &alt->x)))
			exact = 0;
		if (any && !pf_best(alt, &b))
			any = 0;
		if (any && !pf_union(&g, &b)) {
			pf_shrink(&g, PF_SETMAX / 2);
			pf_shrink(&b, PF_SETMAX / 2);
			any = pf_union(&g, &b);
		}
		free(alt);
	}
	r = pf_new(0);
	if (exact)
		r->x = u;
	else if (any)
		pf_require(r, &g);
	return r;
}

struct pf_chk { unsigned short c[2 * PF_STRMAX + 2]; unsigned n; };

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
 * least one check: pf_require() keeps no set with one that needs none. */
static void
pf_group(struct pat_set *ps, const struct pf_set *st, const unsigned *freq)
{
	struct pf_chk *seq = xmalloc(PF_SETMAX * sizeof *seq);
	unsigned open[2 * PF_STRMAX + 2], depth = 0, lcp, d;
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

/* Record what one regex line requires; a line we cannot read, or that
 * requires nothing, makes its section always run. */
static void
pf_line(struct pat_set *ps, struct pat_section *sec, const char *re,
    size_t n, int anch)
{
	struct pf_parser p = { re, 0, n, 0 };
	struct pf_info *in = pf_alt(&p);
	struct pf_line *ln;
	int k;

	if (in != NULL && (p.bad || p.i != n)) {
		free(in);
		in = NULL;
	}
	if (in != NULL && in->x.n >= 0) {
		struct pf_set x = in->x;

		pf_require(in, &x);
	}
	if (in == NULL || in->nreq == 0) {
		sec->always = 1;
		free(in);
		return;
	}
	ps->lines = xrealloc(ps->lines, (ps->nlines + 1) * sizeof *ps->lines);
	ln = &ps->lines[ps->nlines++];
	ln->off = ps->ngrps;
	ln->n = (unsigned)in->nreq;
	ln->anch = anch;
	sec->nlines++;
	/* The tries are built at the end (pf_index()), once every
	 * literal's 3-grams can be counted. */
	ps->pend = xrealloc(ps->pend, (ps->ngrps + (unsigned)in->nreq) *
	    sizeof *ps->pend);
	for (k = 0; k < in->nreq; k++)
		ps->pend[ps->ngrps++] = in->req[k];
	free(in);
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

/* Start a set's memo for the question: clear it, try the short roots.
 * Returns 0 when the question has too many 3-grams to list, after trying
 * every indexed root of the set too. */
static int
pf_memo_start(struct pat_set *ps, const struct pat_text *pt)
{
	const struct pf_node *nd = ps->nodes;
	const struct pf_root *rt;
	unsigned i, c;

	memset(ps->sat, 0, ((ps->ngrps + 63) / 64) * sizeof *ps->sat);
	ps->serial = pt->serial;
	for (i = 0; i < ps->nshort; i++) {
		rt = &ps->shortr[i];
		c = nd[rt->node].check;
		if (pt->bits[c >> 6] >> (c & 63) & 1)
			pf_root_there(ps, rt->node, rt->grp, pt->bits);
	}
	if (pt->ntri <= PAT_TEXT_TRIS)
		return 1;
	for (i = 0; i < ps->nix; i++) {
		rt = &ps->ix[i];
		c = nd[rt->node].check;
		if (pt->bits[c >> 6] >> (c & 63) & 1)
			pf_root_there(ps, rt->node, rt->grp, pt->bits);
	}
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
	/* The text with PF_MARK where \b holds, as pf_checks() writes
	 * literals. */
	for (i = 0; i <= len; i++) {
		w = i < len && pf_isword(u[i]);
		if (w != lastw)
			pf_put(pt, &win, &n, PF_MARK);
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
	if (to <= pt->len && !(to > 0 && to < pt->len && pf_isword(u[to - 1])
	    && pf_isword(u[to])))
		may = pf_may_match(ps, sec, pt);
	if (may == 0)
		return 0;
	/* The lines that cannot match change nothing when left out. */
	if (may == 2)
		return pf_run(ps, sec->anch, sec->anch_jit, pt->s, to, start,
		    ms, me);
	return pf_run(ps, sec->code, sec->jit, pt->s, to, start, ms, me);
}

unsigned long
pat_limit_hits(const struct pat_set *ps)
{
	return ps->limit_hits;
}
