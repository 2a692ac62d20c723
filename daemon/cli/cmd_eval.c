/* cmd_eval.c - `slate eval`: conversation test files, pass or fail per
 * case, and the totals; the status is 1 when any case failed. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "engine/eng.h"
#include "engine/eval.h"

/* Add one file's results into the totals. */
static void
cmd_eval_add(struct eval_result *res, const struct eval_result *f)
{
	res->cases += f->cases;
	res->cases_failed += f->cases_failed;
	res->turns += f->turns;
	res->turns_failed += f->turns_failed;
	score_add(&res->score, &f->score);
}

static int
cmd_eval_exec(struct cmd_ctx *c)
{
	struct eval_result res, file;
	char err[1024];
	int i, rc = 0, summary = 0, nfiles = 0;

	memset(&res, 0, sizeof res);
	if (c->argc > 0 && strcmp(c->argv[0], "--summary") == 0) {
		summary = 1;
		c->argc--;
		c->argv++;
	}
	if (c->argc == 0) {
		fputs("slate eval: give a .jsonl file\n", stderr);
		rc = 2;
	}
	for (i = 0; i < c->argc && rc == 0; i++) {
		memset(&file, 0, sizeof file);
		if (eval_file(c->eng, c->argv[i], stdout, &file, err,
		    sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			rc = 1;
		}
		printf("%s: %d/%d cases passed\n", c->argv[i],
		    file.cases - file.cases_failed, file.cases);
		score_print(&file.score, c->argv[i], stdout);
		cmd_eval_add(&res, &file);
		nfiles++;
	}
	if (nfiles > 1)
		score_print(&res.score, "all files", stdout);
	if (summary)
		score_confusion(&res.score, stdout);
	printf("%d/%d cases passed, %d/%d turns passed\n",
	    res.cases - res.cases_failed, res.cases,
	    res.turns - res.turns_failed, res.turns);
	if (res.cases_failed)
		rc = 1;
	return rc;
}

const struct cmd_entry cmd_eval_entry = {
	.name = "eval",
	.args = "[--summary] FILE.jsonl...",
	.help = "run conversation tests; pass/fail per case, then\n"
	    "per file: intent accuracy, facts, off-topic declined,\n"
	    "clarify rate, confident wrong (--summary: confusions)",
	.engine = 1,
	.exec = cmd_eval_exec,
};
