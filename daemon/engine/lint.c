/* lint.c - warnings about pattern files (lint.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <jansson.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint.h"
#include "norm.h"
#include "common/xmem.h"

#define LINT_DEPTH 64            /* groups nested deeper are not looked at */
#define LINT_MOST 2              /* "most questions": more than 1 in 2 */
#define LINT_MIN_CORPUS 20       /* fewer questions say nothing of "most" */
/* Words no pattern about producers should need; a line that matches them
 * matches anything. */
#define LINT_GIBBERISH "zqx vvk wub jorp"

/* The shipped questions as the patterns see them. */
struct lint_corpus {
	char **q;
	size_t *len;
	int n, cap;
};

/* One line of a pattern file, compiled alone, and the questions it
 * matches (one byte each). */
struct lint_line {
	const struct pat_set *ps;
	int sec, lineno;
	const char *re;
	pcre2_code *code;
	unsigned char *hits;
	int nhits;
	int always;              /* matches the empty string */
};

/* Is re[i] the start of an unbounded quantifier ("*", "+", "{n,}")?
 * *end gets the index after it, and after a possessive "+" or lazy "?". */
static int
lint_quant(const char *re, size_t i, size_t *end, int *possessive)
{
	size_t j = i;
	int unbounded = 0;

	*possessive = 0;
	if (re[i] == '*' || re[i] == '+') {
		unbounded = 1;
		j = i + 1;
	} else if (re[i] == '?') {
		j = i + 1;
	} else if (re[i] == '{') {
		j = i + 1;
		while (re[j] >= '0' && re[j] <= '9')
			j++;
		if (j == i + 1 || (re[j] != ',' && re[j] != '}'))
			return *end = i, -1;       /* a literal "{" */
		if (re[j] == ',' && re[j + 1] == '}')
			unbounded = 1, j++;
		while (re[j] && re[j] != '}')
			j++;
		if (re[j] == '}')
			j++;
	} else
		return *end = i, -1;
	if (re[j] == '+')
		*possessive = 1, j++;
	else if (re[j] == '?')
		j++;
	*end = j;
	return unbounded;
}

/* Past a character class that opens at re[i] ("[...]"). */
static size_t
lint_skip_class(const char *re, size_t i)
{
	i++;
	if (re[i] == '^')
		i++;
	if (re[i] == ']')
		i++;
	for (; re[i] && re[i] != ']'; i++)
		if (re[i] == '\\' && re[i + 1])
			i++;
	return re[i] ? i + 1 : i;
}

int
lint_nested_quantifier(const char *re)
{
	/* per open group: holds an unbounded quantifier; cannot backtrack */
	int inner[LINT_DEPTH + 1] = { 0 }, atomic[LINT_DEPTH + 1] = { 0 };
	int depth = 0, q, poss, child, was_atomic;
	size_t i = 0, end;

	while (re[i]) {
		if (re[i] == '\\') {
			i += re[i + 1] ? 2 : 1;
		} else if (re[i] == '[') {
			i = lint_skip_class(re, i);
		} else if (re[i] == '(') {
			if (depth == LINT_DEPTH)
				return 0;
			depth++;
			inner[depth] = 0;
			atomic[depth] = strncmp(re + i, "(?>", 3) == 0;
			i++;
			continue;
		} else if (re[i] == ')' && depth > 0) {
			child = inner[depth];
			was_atomic = atomic[depth];
			depth--;
			i++;
			q = lint_quant(re, i, &end, &poss);
			if (q == 1 && !poss && child && !was_atomic)
				return 1;
			inner[depth] |= (child && !was_atomic) ||
			    (q == 1 && !poss);
			if (q >= 0)
				i = end;
			continue;
		} else
			i++;
		/* after an atom: its quantifier, if any */
		q = lint_quant(re, i, &end, &poss);
		if (q == 1 && !poss)
			inner[depth] = 1;
		if (q >= 0)
			i = end;
	}
	return 0;
}

static void
lint_add_question(struct lint_corpus *c, const struct eng_src *d,
    const char *text)
{
	char buf[ENG_INPUT_MAX + 8];
	struct eng_corr corr[ENG_CORR_MAX];
	size_t n = strlen(text);

	/* the text the patterns see: folded, then typos corrected */
	norm_text(text, n > ENG_INPUT_MAX ? ENG_INPUT_MAX : n, buf, sizeof buf);
	lex_correct(d->lex, buf, sizeof buf, corr, ENG_CORR_MAX);
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->q = xrealloc(c->q, (size_t)c->cap * sizeof *c->q);
		c->len = xrealloc(c->len, (size_t)c->cap * sizeof *c->len);
	}
	c->q[c->n] = xstrdup(buf);
	c->len[c->n++] = strlen(buf);
}

/* Every "say" of one .jsonl file (a line that is no case is skipped:
 * slate eval reports those). */
static void
lint_read_file(struct lint_corpus *c, const struct eng_src *d,
    const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, i;
	json_t *j, *t;

	if (f == NULL)
		return;
	while (getline(&line, &cap, f) > 0) {
		if ((j = json_loads(line, 0, NULL)) == NULL)
			continue;
		json_array_foreach(json_object_get(j, "turns"), i, t)
			if (json_is_string(json_object_get(t, "say")))
				lint_add_question(c, d, json_string_value(
				    json_object_get(t, "say")));
		json_decref(j);
	}
	free(line);
	fclose(f);
}

static int
lint_is_jsonl(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 6 && strcmp(e->d_name + n - 6, ".jsonl") == 0;
}

static void
lint_read_corpus(struct lint_corpus *c, const struct eng_src *d,
    const char *dir)
{
	struct dirent **names;
	char path[1024];
	int n, i;

	if (dir == NULL || (n = scandir(dir, &names, lint_is_jsonl,
	    alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		lint_read_file(c, d, path);
		free(names[i]);
	}
	free(names);
}

static int
lint_match(const struct lint_line *l, pcre2_match_data *md,
    pcre2_match_context *mc, const char *s, size_t len, size_t *ms,
    size_t *me)
{
	PCRE2_SIZE *ov;

	if (pcre2_match(l->code, (PCRE2_SPTR)s, len, 0, 0, md, mc) < 0)
		return 0;
	ov = pcre2_get_ovector_pointer(md);
	*ms = ov[0];
	*me = ov[1];
	return 1;
}

/* Every line of every set, compiled and run over the corpus. */
static struct lint_line *
lint_lines(struct pat_set *const *sets, int nsets,
    const struct lint_corpus *c, pcre2_match_data *md,
    pcre2_match_context *mc, int *nlines)
{
	struct lint_line *ls = NULL, *l;
	int s, sec, k, q, rc, n = 0;
	PCRE2_SIZE off;
	size_t ms, me;

	for (s = 0; s < nsets; s++)
		for (sec = 0; sec < pat_count(sets[s]); sec++)
			for (k = 0; k < pat_nlines(sets[s], sec); k++) {
				ls = xrealloc(ls, (size_t)(n + 1) * sizeof *ls);
				l = &ls[n++];
				memset(l, 0, sizeof *l);
				l->ps = sets[s];
				l->sec = sec;
				l->re = pat_line(sets[s], sec, k, &l->lineno);
				l->code = pcre2_compile((PCRE2_SPTR)l->re,
				    PCRE2_ZERO_TERMINATED, PCRE2_NO_AUTO_CAPTURE,
				    &rc, &off, NULL);
				l->hits = xcalloc((size_t)c->n + 1, 1);
				if (l->code == NULL)
					continue;    /* checked at load */
				l->always = lint_match(l, md, mc, "", 0, &ms, &me);
				for (q = 0; q < c->n; q++)
					l->nhits += l->hits[q] = (unsigned char)
					    lint_match(l, md, mc, c->q[q], c->len[q],
					    &ms, &me);
			}
	*nlines = n;
	return ls;
}

/* Is path the pattern file named name? */
static int
lint_is_file(const char *path, const char *name)
{
	size_t n = strlen(path), k = strlen(name);

	return n >= k && strcmp(path + n - k, name) == 0 && (n == k ||
	    path[n - k - 1] == '/');
}

/* The warnings about one line on its own. */
static void
lint_line_alone(const struct lint_line *l, const struct lint_corpus *c,
    pcre2_match_data *md, pcre2_match_context *mc, struct diag *dg)
{
	const char *path = pat_path(l->ps);
	size_t ms, me;

	if (lint_nested_quantifier(l->re))
		diag_warn(dg, path, l->lineno, "nested quantifiers can "
		    "backtrack catastrophically: %s", l->re);
	if (l->always)
		diag_warn(dg, path, l->lineno, "matches the empty string, so "
		    "every question: %s", l->re);
	else if (l->code && lint_match(l, md, mc, LINT_GIBBERISH,
	    strlen(LINT_GIBBERISH), &ms, &me))
		diag_warn(dg, path, l->lineno, "matches almost anything (even "
		    "\"%s\"): %s", LINT_GIBBERISH, l->re);
	/* context sections read a sentence's shape ("is it a question?"),
	 * which most questions share: matching most is their job */
	else if (c->n >= LINT_MIN_CORPUS && l->nhits * LINT_MOST > c->n &&
	    !lint_is_file(path, "context.txt"))
		diag_warn(dg, path, l->lineno, "matches %d of the %d shipped "
		    "questions: %s", l->nhits, c->n, l->re);
}

/* The section's first line number, for a warning about all of it. */
static int
lint_sec_line(const struct lint_line *ls, int n, const struct pat_set *ps,
    int sec)
{
	int i;

	for (i = 0; i < n; i++)
		if (ls[i].ps == ps && ls[i].sec == sec)
			return ls[i].lineno;
	return 0;
}

/* A set where the first section (in file order) with a match wins
 * (intents, topics): a section after one that matches everything can
 * never win, and one whose every shipped question an earlier section
 * takes wins none. */
static void
lint_first_wins(const struct pat_set *ps, const struct lint_line *ls, int n,
    const struct lint_corpus *c, struct diag *dg)
{
	int nsec = pat_count(ps), always = -1, aline = 0, i, s, t, q;
	unsigned char *m = xcalloc((size_t)nsec * (size_t)c->n + 1, 1);

	for (i = 0; i < n; i++) {
		if (ls[i].ps != ps)
			continue;
		for (q = 0; q < c->n; q++)
			m[(size_t)ls[i].sec * (size_t)c->n + (size_t)q] |=
			    ls[i].hits[q];
		if (ls[i].always && (always < 0 || ls[i].sec < always))
			always = ls[i].sec, aline = ls[i].lineno;
	}
	for (s = 0; s < nsec; s++) {
		int matched = 0, won = 0, by = -1;

		if (always >= 0 && s > always) {
			diag_warn(dg, pat_path(ps), lint_sec_line(ls, n, ps, s),
			    "section [%s] can never win: [%s] (line %d) matches "
			    "every question first", pat_name(ps, s),
			    pat_name(ps, always), aline);
			continue;
		}
		for (q = 0; q < c->n; q++) {
			if (!m[(size_t)s * (size_t)c->n + (size_t)q])
				continue;
			matched++;
			for (t = 0; t < s && !m[(size_t)t * (size_t)c->n +
			    (size_t)q]; t++)
				;
			if (t == s)
				won++;
			else if (by < 0)
				by = t;
		}
		if (matched > 0 && won == 0)
			diag_warn(dg, pat_path(ps), lint_sec_line(ls, n, ps, s),
			    "section [%s] wins none of the %d shipped questions "
			    "it matches: an earlier section takes each (first "
			    "[%s])", pat_name(ps, s), matched, pat_name(ps, by));
	}
	free(m);
}

struct lint_span { int sec; size_t ms, me; };

/* Count, for question q, the sections of ps that match it and those
 * with a match no longer match of another section covers. */
static void
lint_spans(const struct pat_set *ps, const struct lint_line *ls, int n,
    const struct lint_corpus *c, int q, pcre2_match_data *md,
    pcre2_match_context *mc, int *matched, int *won)
{
	struct lint_span *sp = xcalloc((size_t)n + 1, sizeof *sp);
	int ns = 0, i, j, sec, k;
	unsigned char seen[256] = { 0 }, kept[256] = { 0 };

	for (i = 0; i < n; i++)
		if (ls[i].ps == ps && ls[i].hits[q] && ls[i].sec < 256 &&
		    lint_match(&ls[i], md, mc, c->q[q], c->len[q], &sp[ns].ms,
		    &sp[ns].me))
			sp[ns++].sec = ls[i].sec;
	for (i = 0; i < ns; i++) {
		sec = sp[i].sec;
		seen[sec] = 1;
		for (j = 0, k = 1; j < ns && k; j++)
			if (sp[j].sec != sec && sp[j].ms <= sp[i].ms &&
			    sp[i].me <= sp[j].me && sp[j].me - sp[j].ms >
			    sp[i].me - sp[i].ms)
				k = 0;
		kept[sec] |= (unsigned char)k;
	}
	for (sec = 0; sec < pat_count(ps) && sec < 256; sec++) {
		matched[sec] += seen[sec];
		won[sec] += kept[sec];
	}
	free(sp);
}

/* A set where overlapping mentions keep the longest (roles): a section
 * all of whose shipped matches lie inside longer ones of another. */
static void
lint_longest_wins(const struct pat_set *ps, const struct lint_line *ls,
    int n, const struct lint_corpus *c, pcre2_match_data *md,
    pcre2_match_context *mc, struct diag *dg)
{
	int nsec = pat_count(ps), q, s;
	int *matched = xcalloc((size_t)nsec + 1, sizeof *matched);
	int *won = xcalloc((size_t)nsec + 1, sizeof *won);

	for (q = 0; q < c->n; q++)
		lint_spans(ps, ls, n, c, q, md, mc, matched, won);
	for (s = 0; s < nsec; s++)
		if (matched[s] > 0 && won[s] == 0)
			diag_warn(dg, pat_path(ps), lint_sec_line(ls, n, ps, s),
			    "section [%s] wins none of the %d shipped questions "
			    "it matches: a longer mention of another role "
			    "covers each", pat_name(ps, s), matched[s]);
	free(matched);
	free(won);
}

int
lint_patterns(const struct eng_src *d, struct pat_set *const *sets, int n,
    const char *conv_dir, struct diag *dg)
{
	struct lint_corpus c = { 0 };
	pcre2_match_data *md = xcheck(pcre2_match_data_create(4, NULL));
	pcre2_match_context *mc = xcheck(pcre2_match_context_create(NULL));
	struct lint_line *ls;
	int nl, i, before = dg->nwarn;

	/* the limits turns run with: a line that hits them never matches */
	pcre2_set_match_limit(mc, 20000);
	pcre2_set_depth_limit(mc, 400);
	lint_read_corpus(&c, d, conv_dir);
	if (c.n == 0)
		diag_warn(dg, conv_dir ? conv_dir : "conversations", 0, "no "
		    "shipped questions found: the checks that need them were "
		    "skipped");
	ls = lint_lines(sets, n, &c, md, mc, &nl);
	/* the worst first: past DIAG_MAX lines the rest are only counted */
	for (i = 0; i < nl; i++)
		lint_line_alone(&ls[i], &c, md, mc, dg);
	lint_first_wins(d->intents, ls, nl, &c, dg);
	lint_first_wins(d->topics, ls, nl, &c, dg);
	lint_longest_wins(d->roles, ls, nl, &c, md, mc, dg);
	for (i = 0; i < nl && c.n > 0; i++)
		if (ls[i].nhits == 0)
			diag_warn(dg, pat_path(ls[i].ps), ls[i].lineno, "no "
			    "shipped conversation exercises this line: %s",
			    ls[i].re);
	for (i = 0; i < nl; i++) {
		pcre2_code_free(ls[i].code);
		free(ls[i].hits);
	}
	free(ls);
	for (i = 0; i < c.n; i++)
		free(c.q[i]);
	free(c.q);
	free(c.len);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	return dg->nwarn - before;
}
