/* lit.c - reading a regex line for the literals its matches need.
 *
 * A node of the regex is read into a lit_info: every string it matches
 * is in x (unless x.n < 0), and the subject contains, for every set in
 * req, one of that set's strings.  Sequences multiply exact sets into
 * longer literals, alternatives unite them, and anything not known sets
 * the parser's bad flag, which lit_read() turns into "cannot tell". */
#include <stdlib.h>
#include <string.h>
#include "lit.h"
#include "common/xmem.h"

struct lit_info {
	struct lit_set x;
	int nreq;
	struct lit_set req[LIT_REQMAX];
};
/* A reading allocates and drops a large lit_info per atom, and malloc's
 * work on blocks that size is a real part of loading the patterns
 * (docs/performance.md): the blocks dropped during one lit_read() are
 * kept in its parser for the next atoms and freed when it returns. */
#define LIT_POOL 16
struct lit_parser {
	const char *s;
	size_t i, n;
	int bad;
	struct lit_info *pool[LIT_POOL];
	int npool;
};

/* Marks a literal exactly as pfx_text_init() marks a question, so the
 * two can be compared byte for byte. */
size_t
lit_mark(const char *s, unsigned char *m)
{
	size_t i, n = strlen(s), len = 0;
	int w, lastw = -1;

	for (i = 0; i < n; i++) {
		if (s[i] == LIT_MARK) {
			if (len == 0)
				m[len++] = LIT_MARK;    /* at the start */
			continue;
		}
		w = lit_isword((unsigned char)s[i]);
		if (lastw >= 0 && w != lastw)
			m[len++] = LIT_MARK;
		m[len++] = (unsigned char)s[i];
		lastw = w;
	}
	if (n > 0 && s[n - 1] == LIT_MARK && len > 0 && m[len - 1] != LIT_MARK)
		m[len++] = LIT_MARK;            /* at the end */
	return len;
}

unsigned
lit_nchecks(const unsigned char *m, size_t len)
{
	if (len == 0 || (len == 1 && m[0] == LIT_MARK))
		return 0;
	return len < 3 ? 1 : (unsigned)len - 2;
}

/* lit_nchecks() of a string's marked form. */
static unsigned
lit_checks(const char *s)
{
	unsigned char m[LIT_MARKMAX];

	return lit_nchecks(m, lit_mark(s, m));
}

/* How much a set narrows things: its weakest string's checks, 0 if some
 * string needs nothing. */
static unsigned
lit_strength(const struct lit_set *st)
{
	unsigned best = ~0u, c;
	int i;

	if (st->n <= 0)
		return 0;
	for (i = 0; i < st->n; i++)
		if ((c = lit_checks(st->s[i])) < best)
			best = c;
	return best;
}

static void
lit_release(struct lit_parser *p, struct lit_info *in)
{
	if (in == NULL)
		return;
	if (p->npool < LIT_POOL)
		p->pool[p->npool++] = in;
	else
		free(in);
}

static struct lit_info *
lit_new(struct lit_parser *p, int exact)
{
	struct lit_info *in = p->npool > 0 ? p->pool[--p->npool] :
	    xmalloc(sizeof *in);

	in->nreq = 0;
	in->x.n = exact ? 1 : -1;
	in->x.s[0][0] = '\0';
	return in;
}

static void
lit_set_add(struct lit_set *st, const char *s)
{
	size_t n = strlen(s);
	int i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->s[i], s) == 0)
			return;
	/* callers keep strings within LIT_STRMAX (lit_product checks) */
	if (n > LIT_STRMAX)
		n = LIT_STRMAX;
	memcpy(st->s[st->n], s, n);
	st->s[st->n++][n] = '\0';
}

/* Keep a required set, dropping the weakest when full. */
static void
lit_require(struct lit_info *in, const struct lit_set *st)
{
	unsigned s = lit_strength(st), w = ~0u;
	int i, weak = -1;

	if (s == 0)
		return;
	if (in->nreq < LIT_REQMAX) {
		in->req[in->nreq++] = *st;
		return;
	}
	for (i = 0; i < in->nreq; i++)
		if (lit_strength(&in->req[i]) < w) {
			w = lit_strength(&in->req[i]);
			weak = i;
		}
	if (s > w)
		in->req[weak] = *st;
}

/* a = a b, when every combination fits. */
static int
lit_product(struct lit_set *a, const struct lit_set *b)
{
	struct lit_set *r;
	char buf[2 * LIT_STRMAX + 2];
	size_t la, lb;
	int i, j;

	if (a->n * b->n > LIT_SETMAX)
		return 0;
	r = xmalloc(sizeof *r);
	r->n = 0;
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++) {
			la = strlen(a->s[i]);
			lb = strlen(b->s[j]);
			if (la + lb > LIT_STRMAX) {
				free(r);
				return 0;
			}
			memcpy(buf, a->s[i], la);
			memcpy(buf + la, b->s[j], lb + 1);
			lit_set_add(r, buf);
		}
	*a = *r;
	free(r);
	return 1;
}

static struct lit_info *lit_alt(struct lit_parser *p);

/* A bracketed class: a few plain characters are an exact set. */
static struct lit_info *
lit_class(struct lit_parser *p)
{
	unsigned char in[256] = { 0 };
	int neg = 0, big = 0, count = 0, c, lo;
	struct lit_info *r;
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
			if (lit_isword((unsigned char)c) || c >= 0x80) {
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
	/* a control byte would read as LIT_MARK, as in lit_atom() */
	for (c = 0; c < 0x20 && !big; c++)
		big = in[c];
	if (neg || big || count == 0 || count > 8)
		return lit_new(p, 0);
	r = lit_new(p, 1);
	r->x.n = 0;
	for (c = 1; c < 256; c++)
		if (in[c]) {
			one[0] = (char)c;
			lit_set_add(&r->x, one);
		}
	return r;
}

/* One atom: a literal, escape, class, dot, anchor or group. */
static struct lit_info *
lit_atom(struct lit_parser *p)
{
	const char *s = p->s;
	struct lit_info *r, *in;
	char c = s[p->i];
	int look = 0;   /* 1 positive lookaround, -1 negative */

	if (c == '[')
		return lit_class(p);
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
		in = lit_alt(p);
		if (p->bad || p->i >= p->n || s[p->i] != ')') {
			p->bad = 1;
			lit_release(p, in);
			return NULL;
		}
		p->i++;
		if (look == 0)
			return in;
		/* Zero width; a positive one's text is in the subject. */
		r = lit_new(p, 1);
		if (look > 0) {
			int k;

			for (k = 0; k < in->nreq; k++)
				lit_require(r, &in->req[k]);
			if (in->x.n >= 0)
				lit_require(r, &in->x);
		}
		lit_release(p, in);
		return r;
	}
	p->i++;
	if (c == '.')
		return lit_new(p, 0);
	if (c == '^' || c == '$')
		return lit_new(p, 1);
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
			r = lit_new(p, 1);
			r->x.s[0][0] = LIT_MARK;
			r->x.s[0][1] = '\0';
			return r;
		}
		if (strchr("BAzZGK", c) != NULL)
			return lit_new(p, 1);
		if (strchr("wWsSdDhHvVN", c) != NULL)
			return lit_new(p, 0);
		if (lit_isword((unsigned char)c) || (unsigned char)c >= 0x80) {
			p->bad = 1;
			return NULL;
		}
	}
	if ((unsigned char)c < 0x20) {
		p->bad = 1;     /* would read as LIT_MARK */
		return NULL;
	}
	r = lit_new(p, 1);
	r->x.s[0][0] = c;
	r->x.s[0][1] = '\0';
	return r;
}

/* Read a quantifier at p->i, if any: 1 with *min, *max (-1 unbounded). */
static int
lit_quant(struct lit_parser *p, int *min, int *max)
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
lit_repeat(struct lit_info *it, int min, int max)
{
	struct lit_set x;

	if (min == 1 && max == 1)
		return;
	if (min == 0) {
		/* It may be absent: nothing it needs is needed. */
		if (max == 1 && it->x.n >= 0 && it->x.n < LIT_SETMAX)
			lit_set_add(&it->x, "");
		else
			it->x.n = -1;
		it->nreq = 0;
		return;
	}
	if (it->x.n >= 0) {
		x = it->x;
		it->x.n = -1;
		lit_require(it, &x);
	}
}

/* A run of atoms up to | or ) or the end: adjacent exact sets multiply
 * into longer literals until something inexact cuts the run. */
static struct lit_info *
lit_seq(struct lit_parser *p)
{
	struct lit_info *acc = lit_new(p, 1), *it;
	struct lit_set cur;
	int flushed = 0, min, max, k;

	cur.n = 1;
	cur.s[0][0] = '\0';
	while (p->i < p->n && p->s[p->i] != '|' && p->s[p->i] != ')') {
		it = lit_atom(p);
		if (it != NULL && !p->bad && lit_quant(p, &min, &max))
			lit_repeat(it, min, max);
		if (it == NULL || p->bad) {
			lit_release(p, it);
			lit_release(p, acc);
			p->bad = 1;
			return NULL;
		}
		for (k = 0; k < it->nreq; k++)
			lit_require(acc, &it->req[k]);
		if (it->x.n < 0 || !lit_product(&cur, &it->x)) {
			lit_require(acc, &cur);
			flushed = 1;
			if (it->x.n >= 0)
				cur = it->x;
			else {
				cur.n = 1;
				cur.s[0][0] = '\0';
			}
		}
		lit_release(p, it);
	}
	if (flushed) {
		lit_require(acc, &cur);
		acc->x.n = -1;
	} else
		acc->x = cur;
	return acc;
}

/* The most selective thing a node requires, into out; 0 if nothing. */
static int
lit_best(const struct lit_info *in, struct lit_set *out)
{
	unsigned best = 0, s;
	int k;

	if (in->x.n >= 0 && (s = lit_strength(&in->x)) > best) {
		best = s;
		*out = in->x;
	}
	for (k = 0; k < in->nreq; k++)
		if ((s = lit_strength(&in->req[k])) > best) {
			best = s;
			*out = in->req[k];
		}
	return best > 0;
}

/* Union b into a; 0 when it would not fit. */
static int
lit_union(struct lit_set *a, const struct lit_set *b)
{
	int i;

	for (i = 0; i < b->n; i++) {
		if (a->n == LIT_SETMAX)
			return 0;
		lit_set_add(a, b->s[i]);
	}
	return 1;
}

/* Cut a set to at most limit strings by keeping shorter prefixes: a
 * prefix of what must occur occurs too. */
static void
lit_shrink(struct lit_set *st, int limit)
{
	struct lit_set *r = xmalloc(sizeof *r);
	char buf[LIT_STRMAX + 1];
	size_t len = LIT_STRMAX, n;
	int i;

	while (st->n > limit && len > 1) {
		len--;
		r->n = 0;
		for (i = 0; i < st->n; i++) {
			n = strlen(st->s[i]);
			n = n < len ? n : len;
			memcpy(buf, st->s[i], n);
			buf[n] = '\0';
			lit_set_add(r, buf);
		}
		*st = *r;
	}
	free(r);
}

/* Alternatives up to ) or the end.  Exact if all are and the union fits;
 * else one of the best requirements of each must be there. */
static struct lit_info *
lit_alt(struct lit_parser *p)
{
	struct lit_info *first = lit_seq(p), *alt, *r;
	struct lit_set u, g, b;
	int exact, any;

	if (first == NULL || p->i >= p->n || p->s[p->i] != '|')
		return first;
	exact = first->x.n >= 0;
	if (exact)
		u = first->x;
	any = lit_best(first, &g);
	lit_release(p, first);
	while (p->i < p->n && p->s[p->i] == '|') {
		p->i++;
		if ((alt = lit_seq(p)) == NULL)
			return NULL;
		if (exact && (alt->x.n < 0 || !lit_union(&u, &alt->x)))
			exact = 0;
		if (any && !lit_best(alt, &b))
			any = 0;
		if (any && !lit_union(&g, &b)) {
			lit_shrink(&g, LIT_SETMAX / 2);
			lit_shrink(&b, LIT_SETMAX / 2);
			any = lit_union(&g, &b);
		}
		lit_release(p, alt);
	}
	r = lit_new(p, 0);
	if (exact)
		r->x = u;
	else if (any)
		lit_require(r, &g);
	return r;
}

/* Called once per regex line at load (pat_load()); the line's own
 * reading is dropped here, only its required sets go back. */
int
lit_read(const char *re, size_t n, struct lit_set *req)
{
	struct lit_parser p = { .s = re, .n = n };
	struct lit_info *in = lit_alt(&p);
	int k, nreq = 0;

	/* Text left over (a stray ")") is as unknown as a bad construct. */
	if (in != NULL && !p.bad && p.i == n) {
		/* An exact reading is a requirement too: one of its
		 * strings is the match. */
		if (in->x.n >= 0) {
			struct lit_set x = in->x;

			lit_require(in, &x);
		}
		nreq = in->nreq;
		for (k = 0; k < nreq; k++)
			req[k] = in->req[k];
	}
	lit_release(&p, in);
	while (p.npool > 0)
		free(p.pool[--p.npool]);
	return nreq;
}
