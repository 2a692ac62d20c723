/* cmd_ask.c - `slate ask`: each question a turn of one session, each reply
 * printed as the JSON the daemon sends. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "engine/eng.h"

static void
cmd_ask_print(const struct eng_reply *r)
{
	json_t *j = eng_reply_json(r);

	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(3));
	fputc('\n', stdout);
	json_decref(j);
}

static int
cmd_ask_exec(struct cmd_ctx *c)
{
	static struct eng_reply r;
	struct eng_state st;
	int i;

	if (c->argc == 0) {
		fputs("slate ask: give a question\n", stderr);
		return 2;
	}
	eng_state_init(&st);
	for (i = 0; i < c->argc; i++) {
		eng_ask(c->eng, &st, c->argv[i], strlen(c->argv[i]), &r);
		cmd_ask_print(&r);
	}
	return 0;
}

const struct cmd_entry cmd_ask_entry = {
	.name = "ask",
	.args = "QUESTION...",
	.help = "answer each question in one session; print JSON",
	.engine = 1,
	.exec = cmd_ask_exec,
};
