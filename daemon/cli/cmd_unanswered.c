/* cmd_unanswered.c - `slate unanswered`: what visitors asked that slated
 * could not answer, read from its database. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "unans.h"

static int
cmd_unanswered_exec(struct cmd_ctx *c)
{
	const char *db = "slate.db";
	char err[1024];

	if (c->argc >= 2 && strcmp(c->argv[0], "--db") == 0)
		db = c->argv[1];
	else if (c->argc > 0) {
		fprintf(stderr, "slate unanswered: unexpected %s\n",
		    c->argv[0]);
		return 2;
	}
	if (unans_print(db, stdout, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	return 0;
}

const struct cmd_entry cmd_unanswered_entry = {
	.name = "unanswered",
	.args = "[--db FILE]",
	.help = "questions slated could not answer, grouped\n"
	    "by similarity with counts, newest first\n"
	    "(default database: slate.db)",
	.engine = 0,
	.exec = cmd_unanswered_exec,
};
