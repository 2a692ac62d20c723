/* cmd_eval.c - `slate eval`: conversation test files, pass or fail per
 * case, and the totals; the status is 1 when any case failed. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "engine/eng.h"
#include "engine/eval.h"

static int
cmd_eval_exec(struct cmd_ctx *c)
{
	struct eval_result res;
	char err[1024];
	int i, rc = 0;

	memset(&res, 0, sizeof res);
	if (c->argc == 0) {
		fputs("slate eval: give a .jsonl file\n", stderr);
		rc = 2;
	}
	for (i = 0; i < c->argc && rc == 0; i++)
		if (eval_file(c->eng, c->argv[i], stdout, &res, err,
		    sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			rc = 1;
		}
	printf("%d/%d cases passed, %d/%d turns passed\n",
	    res.cases - res.cases_failed, res.cases,
	    res.turns - res.turns_failed, res.turns);
	if (res.cases_failed)
		rc = 1;
	return rc;
}

const struct cmd_entry cmd_eval_entry = {
	.name = "eval",
	.args = "FILE.jsonl...",
	.help = "run conversation tests; pass/fail per case",
	.engine = 1,
	.exec = cmd_eval_exec,
};
