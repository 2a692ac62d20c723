/* cmd_chat.c - `slate chat`: a conversation in the terminal, a number
 * picking one of the options the last reply offered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "engine/eng.h"

static void
cmd_chat_show(const struct eng_reply *r)
{
	int i;

	printf("\nslate> %s\n", r->text);
	for (i = 0; i < r->noptions; i++)
		printf("   [%d] %s\n", i + 1, r->options[i].label);
	if (r->nsuggestions) {
		printf("   try:");
		for (i = 0; i < r->nsuggestions; i++)
			printf("%s \"%s\"", i ? "," : "", r->suggestions[i]);
		printf("\n");
	}
	printf("   (%s, intent %s)\n\n", eng_kind_name(r->kind),
	    r->intent ? r->intent : "none");
}

/* The option a line picks by its number, or -1 when it is not one. */
static int
cmd_chat_pick(const char *line, size_t n, const struct eng_reply *r)
{
	int k = atoi(line);

	if (k >= 1 && k <= r->noptions && strspn(line, "0123456789") == n)
		return k - 1;
	return -1;
}

static int
cmd_chat_exec(struct cmd_ctx *c)
{
	static struct eng_reply r;
	struct eng_state st;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int k;

	eng_state_init(&st);
	eng_welcome(c->eng, &st, &r);
	cmd_chat_show(&r);
	for (;;) {
		if (isatty(0))
			fputs("you> ", stdout);
		fflush(stdout);
		if ((n = getline(&line, &cap, stdin)) < 0)
			break;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strcmp(line, "/quit") == 0)
			break;
		if (strcmp(line, "/reset") == 0) {
			eng_state_init(&st);
			printf("(session cleared)\n");
			continue;
		}
		if ((k = cmd_chat_pick(line, (size_t)n, &r)) >= 0) {
			/* The reply is rewritten by the turn it starts. */
			char value[ENG_ID_MAX];

			memcpy(value, r.options[k].value, sizeof value);
			eng_ask(c->eng, &st, value, strlen(value), &r);
		} else
			eng_ask(c->eng, &st, line, (size_t)n, &r);
		cmd_chat_show(&r);
	}
	free(line);
	return 0;
}

const struct cmd_entry cmd_chat_entry = {
	.name = "chat",
	.args = "",
	.help = "talk to Slate in the terminal (type a number to\n"
	    "pick an option, /reset to start over, /quit to end)",
	.engine = 1,
	.exec = cmd_chat_exec,
};
