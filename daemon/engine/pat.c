/* pat.c - loading and matching pattern files with PCRE2.  Which sections
 * need not run at all for a question is the prefilter's business (pfx.c). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lit.h"
#include "pat.h"
#include "common/jw.h"
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
};

struct pat_set {
	struct pat_section *sec;
	int nsec;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	unsigned long limit_hits;
	unsigned long skipped, anchored; /* pat_match_text(): see pat.h */
	struct pfx *pf;
};

/* A file being loaded: where it is, and the current section's regexes as
 * one alternation of all its lines and one of its anchored lines. */
struct pat_loader {
	struct pat_set *ps;
	const char *path;
	int lineno, secline;
	struct jw alt, anch;
	int unanchored;         /* lines of the section that are not anchored */
	char *err;
	size_t errlen;
};

/* Append "(?:re)" to an alternation, after a "|" unless it is the first. */
static void
pat_alternative(struct jw *w, const char *re, size_t n)
{
	jw_lit(w, jw_len(w) ? "|(?:" : "(?:");
	jw_raw(w, re, n);
	jw_lit(w, ")");
}

/* Compile the current section's alternation once its last line is read;
 * 0 or -1 with err. */
static int
pat_compile_section(struct pat_loader *ld)
{
	struct pat_section *s = &ld->ps->sec[ld->ps->nsec - 1];
	int rc;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	if (jw_len(&ld->alt) == 0) {
		snprintf(ld->err, ld->errlen, "%s:%d: section [%s] has no "
		    "pattern", ld->path, ld->secline, s->name);
		return -1;
	}
	/* Patterns see lower-cased text (norm.c), so matching needs no
	 * caseless mode, and no group is ever read back, so none captures:
	 * both make every match cheaper. */
	s->code = pcre2_compile((PCRE2_SPTR)ld->alt.b, PCRE2_ZERO_TERMINATED,
	    PCRE2_NO_AUTO_CAPTURE, &rc, &off, NULL);
	if (s->code == NULL) {
		pcre2_get_error_message(rc, msg, sizeof msg);
		snprintf(ld->err, ld->errlen, "%s:%d: section [%s] does not "
		    "combine: %s", ld->path, ld->secline, s->name, (char *)msg);
		return -1;
	}
	/* JIT is an optimisation: without it matching is slower, not wrong. */
	s->jit = pcre2_jit_compile(s->code, PCRE2_JIT_COMPLETE) == 0;
	/* So is the anchored lines' own code: without it the whole section
	 * runs. */
	if (jw_len(&ld->anch) > 0 && ld->unanchored > 0 &&
	    (s->anch = pcre2_compile((PCRE2_SPTR)ld->anch.b,
	    PCRE2_ZERO_TERMINATED, PCRE2_NO_AUTO_CAPTURE, &rc, &off,
	    NULL)) != NULL)
		s->anch_jit = pcre2_jit_compile(s->anch, PCRE2_JIT_COMPLETE) ==
		    0;
	return 0;
}

/* A "[name]" line: compile the section before it, start a new one. */
static int
pat_header(struct pat_loader *ld, char *line, size_t n)
{
	struct pat_set *ps = ld->ps;

	if (ps->nsec > 0 && pat_compile_section(ld) != 0)
		return -1;
	line[n - 1] = '\0';
	ps->sec = xrealloc(ps->sec, (size_t)(ps->nsec + 1) * sizeof *ps->sec);
	memset(&ps->sec[ps->nsec], 0, sizeof ps->sec[0]);
	ps->sec[ps->nsec].name = xstrdup(line + 1);
	ps->nsec++;
	pfx_section(ps->pf);
	ld->secline = ld->lineno;
	jw_clear(&ld->alt);
	jw_clear(&ld->anch);
	ld->unanchored = 0;
	return 0;
}

/* A regex line: checked and compiled alone, so that an error names its
 * line, then added to the section's alternations and the prefilter. */
static int
pat_regex(struct pat_loader *ld, const char *line, size_t n)
{
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];
	pcre2_code *one;
	uint32_t opts = 0;
	size_t k;
	int rc;

	if (ld->ps->nsec == 0) {
		snprintf(ld->err, ld->errlen, "%s:%d: pattern before any "
		    "[section] header", ld->path, ld->lineno);
		return -1;
	}
	/* Questions are lower-cased before matching, so an upper-case letter
	 * (other than an escape like \\W) could never match. */
	for (k = 0; k < n; k++)
		if (line[k] >= 'A' && line[k] <= 'Z' &&
		    (k == 0 || line[k - 1] != '\\')) {
			snprintf(ld->err, ld->errlen, "%s:%d: offset %zu: "
			    "upper-case '%c' can never match: questions are "
			    "lower-cased", ld->path, ld->lineno, k, line[k]);
			return -1;
		}
	one = pcre2_compile((PCRE2_SPTR)line, n, PCRE2_NO_AUTO_CAPTURE, &rc,
	    &off, NULL);
	if (one == NULL) {
		pcre2_get_error_message(rc, msg, sizeof msg);
		snprintf(ld->err, ld->errlen, "%s:%d: offset %zu: %s", ld->path,
		    ld->lineno, (size_t)off, (char *)msg);
		return -1;
	}
	/* PCRE2 marks a regex that can only match at the start offset
	 * ("^..." in every branch) as anchored. */
	(void)pcre2_pattern_info(one, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_code_free(one);
	pfx_line(ld->ps->pf, line, n, (opts & PCRE2_ANCHORED) != 0);
	if (opts & PCRE2_ANCHORED)
		pat_alternative(&ld->anch, line, n);
	else
		ld->unanchored++;
	pat_alternative(&ld->alt, line, n);
	return 0;
}

/* Read every line of f; 0 or -1 with err. */
static int
pat_read(struct pat_loader *ld, FILE *f)
{
	char line[PAT_LINE_MAX + 2];
	size_t n;

	while (fgets(line, sizeof line, f) != NULL) {
		ld->lineno++;
		n = strlen(line);
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			snprintf(ld->err, ld->errlen, "%s:%d: line longer than "
			    "%d bytes", ld->path, ld->lineno, PAT_LINE_MAX);
			return -1;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		    line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if ((line[0] == '[' && line[n - 1] == ']' ? pat_header(ld, line,
		    n) : pat_regex(ld, line, n)) != 0)
			return -1;
	}
	if (ld->ps->nsec == 0) {
		snprintf(ld->err, ld->errlen, "%s:%d: no [section] and no "
		    "pattern", ld->path, ld->lineno);
		return -1;
	}
	return pat_compile_section(ld);
}

struct pat_set *
pat_load(const char *path, char *err, size_t errlen)
{
	struct pat_loader ld = { .path = path, .err = err, .errlen = errlen };
	FILE *f;
	int rc;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return NULL;
	}
	ld.ps = xcalloc(1, sizeof *ld.ps);
	ld.ps->pf = pfx_new();
	jw_grow(&ld.alt, 256);
	jw_grow(&ld.anch, 64);
	rc = pat_read(&ld, f);
	fclose(f);
	free(jw_take(&ld.alt));
	free(jw_take(&ld.anch));
	if (rc != 0) {
		pat_free(ld.ps);
		return NULL;
	}
	pfx_index(ld.ps->pf);
	ld.ps->mctx = xcheck(pcre2_match_context_create(NULL));
	pcre2_set_match_limit(ld.ps->mctx, PAT_MATCH_LIMIT);
	pcre2_set_depth_limit(ld.ps->mctx, PAT_DEPTH_LIMIT);
	ld.ps->md = xcheck(pcre2_match_data_create(4, NULL));
	return ld.ps;
}

void
pat_link(struct pat_set **sets, int n)
{
	struct pfx **pfs = xcalloc((size_t)n, sizeof *pfs);
	int k;

	for (k = 0; k < n; k++)
		pfs[k] = sets[k]->pf;
	pfx_link(pfs, n);
	free(pfs);
}

void
pat_free(struct pat_set *ps)
{
	int i;

	if (ps == NULL)
		return;
	pfx_free(ps->pf);
	for (i = 0; i < ps->nsec; i++) {
		free(ps->sec[i].name);
		pcre2_code_free(ps->sec[i].code);
		pcre2_code_free(ps->sec[i].anch);
	}
	free(ps->sec);
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
pat_run(struct pat_set *ps, const pcre2_code *code, int jit, const char *s,
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
	return pat_run(ps, ps->sec[section].code, ps->sec[section].jit, s, len,
	    start, ms, me);
}

int
pat_match_text(struct pat_set *ps, int section, const struct pfx_text *pt,
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
		may = pfx_may_match(ps->pf, section, sec->anch != NULL, pt);
	if (may == 0) {
		ps->skipped++;
		return 0;
	}
	/* The lines that cannot match change nothing when left out. */
	if (may == 2) {
		ps->anchored++;
		return pat_run(ps, sec->anch, sec->anch_jit, pt->s, to, start,
		    ms, me);
	}
	return pat_run(ps, sec->code, sec->jit, pt->s, to, start, ms, me);
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
