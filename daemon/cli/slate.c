/* slate.c - the command-line tool: options, then one row of cmd_table[]
 * run with the engine it asks for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"
#include "engine/eng.h"


static const struct cmd_entry *const cmd_table[] = {
	&cmd_ask_entry,
	&cmd_chat_entry,
	&cmd_check_entry,
	&cmd_eval_entry,
	&cmd_unanswered_entry,
	NULL
};

#define SLATE_HELP_COL 20    /* where a command's help text starts */

/* The usage text, its command list made from cmd_table[]. */
static void
slate_usage(FILE *out)
{
	const struct cmd_entry *const *c;
	const char *p, *nl;
	int n;

	fputs("usage: slate [--knowledge DIR] [--patterns DIR] COMMAND [ARGS]\n"
	    "       slate --help | --version\n\ncommands:\n", out);
	for (c = cmd_table; *c != NULL; c++) {
		n = fprintf(out, "  %s%s%s", (*c)->name, *(*c)->args ? " " : "",
		    (*c)->args);
		fprintf(out, "%*s", n < SLATE_HELP_COL ? SLATE_HELP_COL - n : 2,
		    "");
		for (p = (*c)->help; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
			fprintf(out, "%.*s\n%*s", (int)(nl - p), p,
			    SLATE_HELP_COL, "");
		fprintf(out, "%s\n", p);
	}
	fputs("\nBy default the knowledge/ and patterns/ directories of the "
	    "current\ndirectory are used when present, else the installed "
	    "ones under\n" SLATE_DATADIR ".\n", out);
}

static const struct cmd_entry *
slate_find(const char *name)
{
	const struct cmd_entry *const *c;

	for (c = cmd_table; *c != NULL; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

/* dir/ of the current directory when there is one, else the installed. */
static const char *
slate_default_dir(const char *name, char *buf, size_t len)
{
	struct stat sb;

	if (stat(name, &sb) == 0 && S_ISDIR(sb.st_mode))
		return name;
	snprintf(buf, len, "%s/%s", SLATE_DATADIR, name);
	return buf;
}

/* --knowledge DIR or --patterns DIR at argv[i]: 1 and the value taken. */
static int
slate_dir_option(int argc, char **argv, int i, const char **kdir,
    const char **pdir)
{
	if (i + 1 >= argc)
		return 0;
	if (strcmp(argv[i], "--knowledge") == 0)
		*kdir = argv[i + 1];
	else if (strcmp(argv[i], "--patterns") == 0)
		*pdir = argv[i + 1];
	else
		return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	char kbuf[512], pbuf[512], err[1024];
	const char *kdir = NULL, *pdir = NULL;
	const struct cmd_entry *cmd;
	struct cmd_ctx c;
	int i = 1, rc;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (slate_dir_option(argc, argv, i, &kdir, &pdir))
			i++;
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			slate_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("slate %s\n", SLATE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "slate: unknown option %s\n", argv[i]);
			slate_usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		slate_usage(stderr);
		return 2;
	}
	if ((cmd = slate_find(argv[i])) == NULL) {
		fprintf(stderr, "slate: unknown command %s\n", argv[i]);
		slate_usage(stderr);
		return 2;
	}
	i++;
	memset(&c, 0, sizeof c);
	if (cmd->engine) {
		/* Options may also follow the command, as people tend to type. */
		for (; slate_dir_option(argc, argv, i, &kdir, &pdir); i += 2)
			;
		if (kdir == NULL)
			kdir = slate_default_dir("knowledge", kbuf, sizeof kbuf);
		if (pdir == NULL)
			pdir = slate_default_dir("patterns", pbuf, sizeof pbuf);
		if ((c.eng = eng_load(kdir, pdir, err, sizeof err)) == NULL) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	c.argc = argc - i;
	c.argv = argv + i;
	rc = cmd->exec(&c);
	eng_free(c.eng);
	return rc;
}
