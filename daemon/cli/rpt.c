/* rpt.c - JUnit XML and TAP reports of conversation tests (rpt.h). */
#include <stdlib.h>
#include <string.h>
#include "rpt.h"
#include "common/xmem.h"

void
rpt_add(void *arg, const struct eval_case *c)
{
	struct rpt *r = arg;
	struct rpt_case *k;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->cs = xrealloc(r->cs, (size_t)r->cap * sizeof *r->cs);
	}
	k = &r->cs[r->n++];
	k->path = xstrdup(c->path);
	k->name = xstrdup(c->name);
	k->why = xstrdup(c->why ? c->why : "");
	k->line = c->line;
	k->turns = c->turns;
	k->turns_failed = c->turns_failed;
}

void
rpt_free(struct rpt *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->cs[i].path);
		free(r->cs[i].name);
		free(r->cs[i].why);
	}
	free(r->cs);
	memset(r, 0, sizeof *r);
}

/* Text in an XML attribute or element; control characters, which XML 1.0
 * cannot hold, become spaces. */
static void
rpt_xml(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, out);
		}
}

/* One file's cases, [from, to), as a testsuite. */
static void
rpt_suite(const struct rpt *r, int from, int to, FILE *out)
{
	int i, failures = 0;

	for (i = from; i < to; i++)
		failures += r->cs[i].turns_failed > 0;
	fputs("  <testsuite name=\"", out);
	rpt_xml(out, r->cs[from].path);
	fprintf(out, "\" tests=\"%d\" failures=\"%d\">\n", to - from, failures);
	for (i = from; i < to; i++) {
		const struct rpt_case *c = &r->cs[i];

		fputs("    <testcase classname=\"", out);
		rpt_xml(out, c->path);
		fputs("\" name=\"", out);
		rpt_xml(out, c->name);
		fprintf(out, "\" line=\"%d\"", c->line);
		if (c->turns_failed == 0) {
			fputs("/>\n", out);
			continue;
		}
		fprintf(out, ">\n      <failure message=\"%d of %d turns failed"
		    "\">", c->turns_failed, c->turns);
		rpt_xml(out, c->why);
		fputs("</failure>\n    </testcase>\n", out);
	}
	fputs("  </testsuite>\n", out);
}

int
rpt_junit(const struct rpt *r, const char *path, char *err, size_t errlen)
{
	FILE *out = fopen(path, "w");
	int i, from = 0, failures = 0;

	if (out == NULL) {
		snprintf(err, errlen, "%s: cannot write", path);
		return -1;
	}
	for (i = 0; i < r->n; i++)
		failures += r->cs[i].turns_failed > 0;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
	    "name=\"slate eval\" tests=\"%d\" failures=\"%d\">\n", r->n,
	    failures);
	for (i = 1; i <= r->n; i++)
		if (i == r->n || strcmp(r->cs[i].path, r->cs[from].path) != 0) {
			rpt_suite(r, from, i, out);
			from = i;
		}
	fputs("</testsuites>\n", out);
	if (fclose(out) != 0) {
		snprintf(err, errlen, "%s: cannot write", path);
		return -1;
	}
	return 0;
}

/* A TAP description or YAML scalar: one line, no '#' (a TAP directive). */
static void
rpt_tap_text(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == '#' ? ' ' : *s, out);
}

void
rpt_tap(const struct rpt *r, FILE *out)
{
	int i;

	fprintf(out, "TAP version 13\n1..%d\n", r->n);
	for (i = 0; i < r->n; i++) {
		const struct rpt_case *c = &r->cs[i];

		fprintf(out, "%s %d - ", c->turns_failed ? "not ok" : "ok", i + 1);
		rpt_tap_text(out, c->name);
		fputc('\n', out);
		if (c->turns_failed == 0)
			continue;
		fprintf(out, "  ---\n  at: %s:%d\n  failed: %d of %d turns\n"
		    "  why: '", c->path, c->line, c->turns_failed, c->turns);
		for (const char *p = c->why; *p; p++)
			if (*p == '\'')
				fputs("''", out);
			else
				fputc((unsigned char)*p < 0x20 ? ' ' : *p, out);
		fputs("'\n  ...\n", out);
	}
}
