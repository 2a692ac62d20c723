/* cmd_check.c - `slate check`: the knowledge and patterns load (the engine
 * was loaded before this runs), and what was loaded is listed. */
#include <stdio.h>
#include "cmd.h"
#include "engine/eng.h"

static int
cmd_check_exec(struct cmd_ctx *c)
{
	eng_describe(c->eng, stdout);
	printf("ok\n");
	return 0;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.args = "",
	.help = "validate knowledge and patterns; list every role's\n"
	    "fields and the sources behind them",
	.engine = 1,
	.exec = cmd_check_exec,
};
