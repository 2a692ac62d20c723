/* cmd.h - the subcommands of `slate`, one row each in cmd_table[] (slate.c),
 * one file each (cmd_<name>.c). */
#ifndef SLATE_CMD_H
#define SLATE_CMD_H

#include <stddef.h>

struct eng;

/* What a command runs with: the engine, when its row asks for one (else
 * NULL), and the arguments after the command's name. */
struct cmd_ctx {
	struct eng *eng;
	int argc;
	char **argv;
};

struct cmd_entry {
	const char *name;
	const char *args;          /* usage of its arguments, for --help */
	const char *help;          /* what it does, one or two lines */
	int engine;                /* loads knowledge and patterns first */
	int (*exec)(struct cmd_ctx *c);   /* the exit status */
};

extern const struct cmd_entry cmd_ask_entry;
extern const struct cmd_entry cmd_chat_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_eval_entry;
extern const struct cmd_entry cmd_schema_entry;
extern const struct cmd_entry cmd_unanswered_entry;

#endif
