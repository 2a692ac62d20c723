/* pat.c - loading and matching pattern files with PCRE2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
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
};

struct pat_set {
	struct pat_section *sec;
	int nsec;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	unsigned long limit_hits;
};



/* Compile one section's accumulated alternation. */
static int
compile_section(struct pat_set *ps, const char *alt, const char *path,
    int line, char *err, size_t errlen)
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
	(void)pcre2_jit_compile(s->code, PCRE2_JIT_COMPLETE);
	return 0;
}

struct pat_set *
pat_load(const char *path, char *err, size_t errlen)
{
	FILE *f;
	struct pat_set *ps;
	char line[PAT_LINE_MAX + 2];
	char *alt = NULL;
	size_t altlen = 0, n, k;
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
			if (ps->nsec > 0 && compile_section(ps, alt, path,
			    secline, err, errlen) != 0) {
				failed = 1;
				break;
			}
			line[n - 1] = '\0';
			ps->sec = xrealloc(ps->sec,
			    (size_t)(ps->nsec + 1) * sizeof *ps->sec);
			ps->sec[ps->nsec].name = xstrdup(line + 1);
			ps->sec[ps->nsec].code = NULL;
			ps->nsec++;
			secline = lineno;
			altlen = 0;
			alt[0] = '\0';
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
		pcre2_code_free(one);
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
	if (!failed && compile_section(ps, alt, path, secline, err,
	    errlen) != 0)
		failed = 1;
	free(alt);
	if (failed) {
		pat_free(ps);
		return NULL;
	}
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
pat_free(struct pat_set *ps)
{
	int i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->nsec; i++) {
		free(ps->sec[i].name);
		pcre2_code_free(ps->sec[i].code);
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

int
pat_match(struct pat_set *ps, int section, const char *s, size_t len,
    size_t start, size_t *ms, size_t *me)
{
	PCRE2_SIZE *ov;
	int rc;

	if (section < 0 || section >= ps->nsec || start > len)
		return 0;
	rc = pcre2_match(ps->sec[section].code, (PCRE2_SPTR)s, len, start, 0,
	    ps->md, ps->mctx);
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

unsigned long
pat_limit_hits(const struct pat_set *ps)
{
	return ps->limit_hits;
}
