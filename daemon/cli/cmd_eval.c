/* cmd_eval.c - `slate eval`: conversation test files, pass or fail per
 * case, and the totals; the status is 1 when any case failed.  --summary
 * adds a table per intent and the confusions; --junit FILE and --tap give
 * the cases to CI (with --tap, stdout is TAP alone). */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "rpt.h"
#include "engine/eng.h"
#include "engine/eval.h"

struct cmd_eval_opts {
	int summary, tap;
	const char *junit;
};

/* The options before the files; the index of the first file, or -1. */
static int
cmd_eval_options(struct cmd_ctx *c, struct cmd_eval_opts *o)
{
	int i;

	for (i = 0; i < c->argc && c->argv[i][0] == '-'; i++)
		if (strcmp(c->argv[i], "--summary") == 0)
			o->summary = 1;
		else if (strcmp(c->argv[i], "--tap") == 0)
			o->tap = 1;
		else if (strcmp(c->argv[i], "--junit") == 0 && i + 1 < c->argc)
			o->junit = c->argv[++i];
		else {
			fprintf(stderr, "slate eval: unexpected %s\n", c->argv[i]);
			return -1;
		}
	if (i == c->argc) {
		fputs("slate eval: give a .jsonl file\n", stderr);
		return -1;
	}
	return i;
}

/* The human report: to stdout, or nowhere when stdout is TAP. */
static void
cmd_eval_human(FILE *out, const struct cmd_eval_opts *o,
    const struct eval_result *res, int nfiles)
{
	if (out == NULL)
		return;
	if (nfiles > 1)
		score_print(&res->score, "all files", out);
	if (o->summary) {
		eval_summary(res, out);
		score_confusion(&res->score, out);
	}
	fprintf(out, "%d/%d cases passed, %d/%d turns passed\n",
	    res->cases - res->cases_failed, res->cases,
	    res->turns - res->turns_failed, res->turns);
}

static int
cmd_eval_exec(struct cmd_ctx *c)
{
	struct cmd_eval_opts o = { 0 };
	struct eval_result res, file;
	struct rpt rp = { 0 };
	char err[1024];
	int i, rc = 0, nfiles = 0;
	FILE *out;

	memset(&res, 0, sizeof res);
	if ((i = cmd_eval_options(c, &o)) < 0)
		return 2;
	out = o.tap ? NULL : stdout;
	for (; i < c->argc && rc == 0; i++) {
		memset(&file, 0, sizeof file);
		file.on_case = rpt_add;
		file.arg = &rp;
		if (eval_file(c->eng, c->argv[i], out, &file, err,
		    sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			rc = 1;
		}
		if (out) {
			fprintf(out, "%s: %d/%d cases passed\n", c->argv[i],
			    file.cases - file.cases_failed, file.cases);
			score_print(&file.score, c->argv[i], out);
		}
		eval_add(&res, &file);
		nfiles++;
	}
	cmd_eval_human(out, &o, &res, nfiles);
	if (o.tap)
		rpt_tap(&rp, stdout);
	if (o.junit && rpt_junit(&rp, o.junit, err, sizeof err) != 0) {
		fprintf(stderr, "slate eval: %s\n", err);
		rc = 1;
	}
	rpt_free(&rp);
	if (res.cases_failed)
		rc = 1;
	return rc;
}

const struct cmd_entry cmd_eval_entry = {
	.name = "eval",
	.args = "[--summary] [--junit FILE] [--tap] FILE.jsonl...",
	.help = "run conversation tests; pass/fail per case, then\n"
	    "per file: intent accuracy, facts, off-topic declined,\n"
	    "clarify rate, confident wrong (--summary: per intent\n"
	    "and the confusions; --junit FILE, --tap: for CI)",
	.engine = 1,
	.exec = cmd_eval_exec,
};
