/* lex.c - typo correction against the domain lexicon. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lex.h"
#include "norm.h"
#include "common/xmem.h"

#define LEX_MAX 1024
#define LEX_WORD 32

struct lex_word {
	char w[LEX_WORD];
	unsigned char len;
	unsigned char domain;     /* a correction target, not just known */
};

struct lex {
	struct lex_word words[LEX_MAX];
	int n;
	/* words[first[c - 'a'] .. first[c - 'a' + 1]) start with c: sorted,
	 * so best_match() looks only at the letters a typo can start with */
	int first[27];
};

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(((const struct lex_word *)a)->w,
	    ((const struct lex_word *)b)->w);
}

struct lex *
lex_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct lex *lx;
	char line[256];
	int lineno = 0, domain = -1;
	size_t n, i;

	if (f == NULL) {
		snprintf(err, errlen, "%s:0: cannot open", path);
		return NULL;
	}
	lx = xcalloc(1, sizeof *lx);
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (strcmp(line, "[domain]") == 0 || strcmp(line, "[keep]") ==
		    0) {
			domain = line[1] == 'd';
			continue;
		}
		for (i = 0; i < n; i++)
			if (line[i] < 'a' || line[i] > 'z')
				break;
		if (domain < 0 || i < n || n >= LEX_WORD || lx->n == LEX_MAX) {
			snprintf(err, errlen, "%s:%d: expected one lower-case "
			    "word under [domain] or [keep]", path, lineno);
			fclose(f);
			free(lx);
			return NULL;
		}
		memcpy(lx->words[lx->n].w, line, n + 1);
		lx->words[lx->n].len = (unsigned char)n;
		lx->words[lx->n].domain = (unsigned char)domain;
		lx->n++;
	}
	fclose(f);
	if (lx->n == 0) {
		snprintf(err, errlen, "%s:%d: no words", path, lineno);
		free(lx);
		return NULL;
	}
	qsort(lx->words, (size_t)lx->n, sizeof lx->words[0], cmp_word);
	/* A word listed twice must not tie with itself; listed as both, it
	 * is a domain word. */
	for (i = 0, n = 0; i < (size_t)lx->n; i++) {
		if (n > 0 && strcmp(lx->words[n - 1].w, lx->words[i].w) == 0) {
			lx->words[n - 1].domain |= lx->words[i].domain;
			continue;
		}
		lx->words[n++] = lx->words[i];
	}
	lx->n = (int)n;
	for (i = 0, n = 0; i < 26; i++) {
		lx->first[i] = (int)n;
		while ((int)n < lx->n && lx->words[n].w[0] == (char)('a' + i))
			n++;
	}
	lx->first[26] = lx->n;
	return lx;
}

void
lex_free(struct lex *lx)
{
	free(lx);
}

int
lex_nwords(const struct lex *lx)
{
	return lx->n;
}

static int
known(const struct lex *lx, const char *w)
{
	struct lex_word key;

	memcpy(key.w, w, strlen(w) + 1);        /* shorter than LEX_WORD */
	return bsearch(&key, lx->words, (size_t)lx->n, sizeof key,
	    cmp_word) != NULL;
}

struct lex_best { const char *found; int best, ties; };

/* best_match() over the words of one first letter, in sort order. */
static void
best_in(const struct lex *lx, int letter, const char *w, size_t len,
    int max, struct lex_best *b)
{
	int i, d;

	for (i = lx->first[letter - 'a']; i < lx->first[letter - 'a' + 1];
	    i++) {
		const struct lex_word *c = &lx->words[i];

		if (!c->domain || (len < 5 && c->len > 5))
			continue;
		/* People rarely get the first letter wrong: a candidate
		 * starts like w or with w's first two letters swapped. */
		if (c->w[0] != w[0] && !(c->w[0] == w[1] && c->w[1] == w[0]))
			continue;
		d = norm_distance(w, len, c->w, c->len, max);
		if (d > max || d > b->best)
			continue;
		if (d < b->best) {
			b->best = d;
			b->found = c->w;
			b->ties = 0;
		} else
			b->ties++;
	}
}

/* Best domain word within the allowed distance; a tie between two words
 * means we cannot tell, so nothing is corrected (which makes the order
 * the words are tried in irrelevant).  w is at least three letters a-z. */
static const char *
best_match(const struct lex *lx, const char *w, size_t len)
{
	struct lex_best b = { NULL, 3, 0 };
	int max = len >= 10 ? 2 : 1;

	/* Only words starting with w[0], or with w[1] (the first two
	 * letters swapped), can qualify. */
	best_in(lx, w[0], w, len, max, &b);
	if (w[1] != w[0])
		best_in(lx, w[1], w, len, max, &b);
	return b.ties ? NULL : b.found;
}

int
lex_correct(const struct lex *lx, char *s, size_t cap,
    struct eng_corr *corr, int max)
{
	char word[LEX_WORD];
	size_t i = 0, j, len = strlen(s), wl, tl;
	const char *to;
	int n = 0;

	while (i < len) {
		if (!(s[i] >= 'a' && s[i] <= 'z')) {
			i++;
			continue;
		}
		for (j = i; j < len && s[j] >= 'a' && s[j] <= 'z'; j++)
			;
		wl = j - i;
		/* Short words are corrected only as the modifier in "lin
		 * producer": anywhere else too many real words sit one edit
		 * away from a short domain word. */
		if (wl < 3 || wl >= LEX_WORD || (wl < 5 &&
		    strncmp(s + j, " prod", 5) != 0)) {
			i = j;
			continue;
		}
		memcpy(word, s + i, wl);
		word[wl] = '\0';
		if (known(lx, word) || (to = best_match(lx, word, wl)) == NULL) {
			i = j;
			continue;
		}
		tl = strlen(to);
		if (len - wl + tl + 1 > cap) {
			i = j;
			continue;
		}
		memmove(s + i + tl, s + j, len - j + 1);
		memcpy(s + i, to, tl);
		len = len - wl + tl;
		if (n < max) {
			snprintf(corr[n].from, sizeof corr[n].from, "%s", word);
			snprintf(corr[n].to, sizeof corr[n].to, "%s", to);
		}
		n++;
		i += tl;
	}
	return n < max ? n : max;
}
