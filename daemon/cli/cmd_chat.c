/* cmd_chat.c - `slate chat`: a conversation in the terminal, a number
 * picking one of the options the last reply offered; with --save FILE,
 * each conversation is appended to FILE as a test case (the format of
 * tests/conversations/README.md), every reply's intent, kind and slots as
 * its expectations, for the author to trim. */
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "engine/eng.h"

/* The slots a saved turn expects, as eval reads them. */
static const struct {
	const char *name;
	size_t off;
} cmd_chat_slots[] = {
	{ "role", offsetof(struct eng_state, role) },
	{ "other_role", offsetof(struct eng_state, other_role) },
	{ "from_role", offsetof(struct eng_state, from_role) },
	{ "industry", offsetof(struct eng_state, industry) },
	{ "capacity", offsetof(struct eng_state, capacity) },
};

/* One turn as a case expects it: what was said (or the option chosen),
 * then the reply's intent, kind and the slots it set. */
static json_t *
cmd_chat_turn(const char *key, const char *text, const struct eng_reply *r)
{
	json_t *t = json_object(), *slots = json_object();
	size_t i;

	json_object_set_new(t, key, json_string(text));
	json_object_set_new(t, "intent", r->intent ? json_string(r->intent) :
	    json_null());
	json_object_set_new(t, "kind", json_string(eng_kind_name(r->kind)));
	for (i = 0; i < sizeof cmd_chat_slots / sizeof cmd_chat_slots[0]; i++) {
		const char *v = (const char *)&r->slots + cmd_chat_slots[i].off;

		if (v[0] != '\0')
			json_object_set_new(slots, cmd_chat_slots[i].name,
			    json_string(v));
	}
	if (json_object_size(slots) > 0)
		json_object_set(t, "slots", slots);
	json_decref(slots);
	return t;
}

/* Append the conversation's turns to path as one case; 0 or -1 (said). */
static int
cmd_chat_save(const char *path, json_t *turns)
{
	char name[64];
	time_t now = time(NULL);
	struct tm tm;
	json_t *c;
	FILE *f;
	int rc = 0;

	if (json_array_size(turns) == 0)
		return 0;
	gmtime_r(&now, &tm);
	strftime(name, sizeof name, "saved chat %Y-%m-%d %H:%M:%S", &tm);
	c = json_pack("{s:s, s:O}", "name", name, "turns", turns);
	if ((f = fopen(path, "a")) == NULL || json_dumpf(c, f,
	    JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) != 0 ||
	    fputc('\n', f) == EOF)
		rc = -1;
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "slate chat: cannot write %s\n", path);
	else
		fprintf(stderr, "(saved %zu turns to %s)\n",
		    json_array_size(turns), path);
	json_decref(c);
	json_array_clear(turns);
	return rc;
}

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
	const char *save = NULL;
	json_t *turns = json_array();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int k, rc = 0;

	if (c->argc == 2 && strcmp(c->argv[0], "--save") == 0)
		save = c->argv[1];
	else if (c->argc > 0) {
		fprintf(stderr, "slate chat: unexpected %s\n", c->argv[0]);
		json_decref(turns);
		return 2;
	}
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
			/* a fresh session is a case of its own */
			if (save && cmd_chat_save(save, turns) != 0)
				rc = 1;
			eng_state_init(&st);
			printf("(session cleared)\n");
			continue;
		}
		if ((k = cmd_chat_pick(line, (size_t)n, &r)) >= 0) {
			/* The reply is rewritten by the turn it starts. */
			char value[ENG_ID_MAX];

			memcpy(value, r.options[k].value, sizeof value);
			eng_ask(c->eng, &st, value, strlen(value), &r);
			json_array_append_new(turns, cmd_chat_turn("choose",
			    value, &r));
		} else {
			eng_ask(c->eng, &st, line, (size_t)n, &r);
			json_array_append_new(turns, cmd_chat_turn("say", line,
			    &r));
		}
		cmd_chat_show(&r);
	}
	if (save && cmd_chat_save(save, turns) != 0)
		rc = 1;
	json_decref(turns);
	free(line);
	return rc;
}

const struct cmd_entry cmd_chat_entry = {
	.name = "chat",
	.args = "[--save FILE.jsonl]",
	.help = "talk to Slate in the terminal (type a number to\n"
	    "pick an option, /reset to start over, /quit to end);\n"
	    "--save appends each conversation to FILE as a test\n"
	    "case: every reply's intent, kind and slots expected",
	.engine = 1,
	.exec = cmd_chat_exec,
};
