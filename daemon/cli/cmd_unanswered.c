/* cmd_unanswered.c - `slate unanswered`: what visitors asked that slated
 * could not answer, read from its database. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "unans.h"

static int
cmd_unanswered_exec(struct cmd_ctx *c)
{
	struct unans_opts o = { 0 };
	const char *db = "slate.db";
	char err[1024];
	int i;

	for (i = 0; i < c->argc; i++)
		if (strcmp(c->argv[i], "--db") == 0 && i + 1 < c->argc)
			db = c->argv[++i];
		else if (strcmp(c->argv[i], "--json") == 0)
			o.json = 1;
		else if (strcmp(c->argv[i], "--since") == 0 && i + 1 < c->argc) {
			if (unans_since(c->argv[++i], &o.since) != 0) {
				fprintf(stderr, "slate unanswered: --since wants "
				    "YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" (UTC), "
				    "not %s\n", c->argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "slate unanswered: unexpected %s\n",
			    c->argv[i]);
			return 2;
		}
	if (unans_print(db, &o, stdout, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	return 0;
}

const struct cmd_entry cmd_unanswered_entry = {
	.name = "unanswered",
	.args = "[--db FILE] [--since DATE] [--json]",
	.help = "questions slated could not answer, grouped\n"
	    "by similarity with counts, newest first\n"
	    "(default database: slate.db; DATE: YYYY-MM-DD, UTC;\n"
	    "--json: one object for scripts)",
	.engine = 0,
	.exec = cmd_unanswered_exec,
};
