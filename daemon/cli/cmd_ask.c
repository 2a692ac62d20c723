/* cmd_ask.c - `slate ask`: each question a turn of one session, each reply
 * printed as the JSON the daemon sends. */
#include <stdio.h>
#include <stdlib.h>
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

/* The explanation eng_explain() wrote, indented like the reply. */
static void
cmd_ask_print_why(struct jw *w)
{
	json_t *j = json_loads(w->b, 0, NULL);

	fputs("explain: ", stdout);
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

static int
cmd_ask_exec(struct cmd_ctx *c)
{
	static struct eng_reply r;
	struct eng_state st;
	struct jw w;
	int i, explain = 0;

	if (c->argc > 0 && strcmp(c->argv[0], "--explain") == 0) {
		explain = 1;
		c->argc--;
		c->argv++;
	}
	if (c->argc == 0) {
		fputs("slate ask: give a question\n", stderr);
		return 2;
	}
	eng_state_init(&st);
	for (i = 0; i < c->argc; i++) {
		if (!explain) {
			eng_ask(c->eng, &st, c->argv[i], strlen(c->argv[i]), &r);
			cmd_ask_print(&r);
			continue;
		}
		jw_grow(&w, 4096);
		eng_explain(c->eng, &st, c->argv[i], strlen(c->argv[i]), &r, &w);
		cmd_ask_print(&r);
		cmd_ask_print_why(&w);
		free(jw_take(&w));
	}
	return 0;
}

const struct cmd_entry cmd_ask_entry = {
	.name = "ask",
	.args = "[--explain] QUESTION...",
	.help = "answer each question in one session; print JSON\n"
	    "(--explain: the pattern lines that fired, file:line,\n"
	    "the intents in the running, the rule that answered)",
	.engine = 1,
	.exec = cmd_ask_exec,
};
