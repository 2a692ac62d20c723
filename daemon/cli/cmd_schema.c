/* cmd_schema.c - `slate schema`: the knowledge files' schema as the
 * Markdown knowledge/README.md shows, from the table the loader checks. */
#include <stdio.h>
#include "cmd.h"
#include "engine/eng.h"

static int
cmd_schema_exec(struct cmd_ctx *c)
{
	if (c->argc > 0) {
		fprintf(stderr, "slate schema: unexpected %s\n", c->argv[0]);
		return 2;
	}
	eng_schema(stdout);
	return 0;
}

const struct cmd_entry cmd_schema_entry = {
	.name = "schema",
	.args = "",
	.help = "print the knowledge files' schema (Markdown)",
	.engine = 0,
	.exec = cmd_schema_exec,
};
