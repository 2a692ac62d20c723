/* norm.c - input normalisation.  Runs on every question before any regex,
 * so it is a single pass with no allocation. */
#include <string.h>
#include "norm.h"

/* Fold a decoded code point to one ASCII byte, or 0 for "treat as space".
 * Only the characters people actually paste into a chat box are covered:
 * typographic quotes and dashes, and accented Latin letters (théâtre). */
static int
fold(unsigned cp)
{
	static const char latin1[] =	/* U+00C0 .. U+00FF */
	    "aaaaaaaceeeeiiii" "dnooooo ouuuuyts"
	    "aaaaaaaceeeeiiii" "dnooooo ouuuuyty";

	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0] == ' ' ? 0 : latin1[cp - 0xC0];
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0x00B4:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x2033:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212:
		return '-';
	case 0x2026:
		return '.';
	case 0x0153:
		return 'o';
	default:
		return 0;
	}
}

/* Decode one UTF-8 sequence at s (n bytes available).  Returns its length
 * and sets *cp, or returns 1 with *cp = 0xFFFD for an invalid byte, so bad
 * input can never make us skip past the end or stall. */
static size_t
utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		len = 2; c &= 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3; c &= 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4; c &= 0x07; min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return len;
}

size_t
norm_text(const char *in, size_t inlen, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, step;
	unsigned cp;
	int ch, prev = ' ';

	if (outsz == 0)
		return 0;
	while (i < inlen && o + 1 < outsz) {
		step = utf8_next(s + i, inlen - i, &cp);
		i += step;
		if (cp < 0x80)
			ch = (int)cp;
		else
			ch = fold(cp);
		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		if (ch < 0x21 || ch == 0x7F)
			ch = ' ';
		if (ch == '`')
			ch = '\'';
		if (ch == ' ' && prev == ' ')
			continue;
		/* "what??!!" and "co--producer" carry nothing a single one
		 * does not, and long runs only make regexes work harder. */
		if (ch == prev && !(ch >= 'a' && ch <= 'z') &&
		    !(ch >= '0' && ch <= '9'))
			continue;
		out[o++] = (char)ch;
		prev = ch;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

int
norm_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
	/* Three rows are enough for the transposition rule. */
	int rows[3][64], *pp, *p, *c, best, v;
	size_t i, j;

	if (alen >= 63 || blen >= 63)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t)max)
		return max + 1;
	pp = rows[0]; p = rows[1]; c = rows[2];
	for (j = 0; j <= blen; j++)
		p[j] = (int)j;
	for (i = 1; i <= alen; i++) {
		c[0] = (int)i;
		best = c[0];
		for (j = 1; j <= blen; j++) {
			int cost = a[i - 1] != b[j - 1];
			v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		{ int *t = pp; pp = p; p = c; c = t; }
	}
	return p[blen];
}
