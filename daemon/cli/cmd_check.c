/* cmd_check.c - `slate check`: the knowledge and patterns load (the engine
 * was loaded before this runs, so every load error has been reported), what
 * was loaded is listed, and the patterns are linted against the shipped
 * conversations; --strict makes a warning fail the check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"
#include "engine/eng.h"

#define CMD_CHECK_OUT 16384

/* tests/conversations of the current directory, else the installed. */
static const char *
cmd_check_conversations(void)
{
	struct stat sb;

	if (stat("tests/conversations", &sb) == 0 && S_ISDIR(sb.st_mode))
		return "tests/conversations";
	return SLATE_DATADIR "/conversations";
}

static int
cmd_check_exec(struct cmd_ctx *c)
{
	const char *conv = NULL;
	char *out;
	int i, strict = 0, quiet = 0, n;

	for (i = 0; i < c->argc; i++)
		if (strcmp(c->argv[i], "--strict") == 0)
			strict = 1;
		else if (strcmp(c->argv[i], "--quiet") == 0)
			quiet = 1;
		else if (strcmp(c->argv[i], "--conversations") == 0 &&
		    i + 1 < c->argc)
			conv = c->argv[++i];
		else {
			fprintf(stderr, "slate check: unexpected %s\n",
			    c->argv[i]);
			return 2;
		}
	if (!quiet)
		eng_describe(c->eng, stdout);
	out = malloc(CMD_CHECK_OUT);
	if (out == NULL)
		return 1;
	n = eng_lint(c->eng, conv ? conv : cmd_check_conversations(), out,
	    CMD_CHECK_OUT);
	if (n > 0)
		fprintf(stderr, "%s\n%d warning%s%s\n", out, n, n == 1 ? "" : "s",
		    strict ? " (--strict: the check fails)" : "");
	free(out);
	if (strict && n > 0)
		return 1;
	printf("ok\n");
	return 0;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.args = "[--strict] [--quiet] [--conversations DIR]",
	.help = "validate knowledge and patterns; list every role's\n"
	    "fields and the sources behind them; lint the patterns\n"
	    "against the conversations' questions (default:\n"
	    "tests/conversations); --strict fails on a warning",
	.engine = 1,
	.exec = cmd_check_exec,
};
