/* slate.c - the command-line tool: ask, chat, check, eval, unanswered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine/eng.h"
#include "engine/eval.h"
#include "unans.h"

static const char usage[] =
"usage: slate [--knowledge DIR] [--patterns DIR] COMMAND [ARGS]\n"
"\n"
"commands:\n"
"  ask QUESTION...   answer each question in one session; print JSON\n"
"  chat              talk to Slate in the terminal (type a number to\n"
"                    pick an option, /reset to start over, /quit to end)\n"
"  check             validate knowledge and patterns; list every role's\n"
"                    fields and the sources behind them\n"
"  eval FILE.jsonl...  run conversation tests; pass/fail per case\n"
"  unanswered [--db FILE]  questions slated could not answer, grouped\n"
"                    by similarity with counts, newest first\n"
"                    (default database: slate.db)\n"
"\n"
"By default the knowledge/ and patterns/ directories of the current\n"
"directory are used when present, else the installed ones under\n"
SLATE_DATADIR ".\n";

static int
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static const char *
default_dir(const char *name, char *buf, size_t len)
{
	if (is_dir(name))
		return name;
	snprintf(buf, len, "%s/%s", SLATE_DATADIR, name);
	return buf;
}

static void
print_reply(const struct eng_reply *r)
{
	json_t *j = eng_reply_json(r);

	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

static void
show_chat_reply(const struct eng_reply *r)
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

static int
chat(struct eng *e)
{
	static struct eng_reply r;
	struct eng_state st;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int k;

	eng_state_init(&st);
	eng_welcome(e, &st, &r);
	show_chat_reply(&r);
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
		k = atoi(line);
		if (k >= 1 && k <= r.noptions && strspn(line, "0123456789") ==
		    (size_t)n) {
			char value[ENG_ID_MAX];

			memcpy(value, r.options[k - 1].value, sizeof value);
			eng_ask(e, &st, value, strlen(value), &r);
		} else
			eng_ask(e, &st, line, (size_t)n, &r);
		show_chat_reply(&r);
	}
	free(line);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct eng_reply r;
	char kbuf[512], pbuf[512], err[1024];
	const char *kdir = NULL, *pdir = NULL, *cmd;
	struct eng *e;
	struct eng_state st;
	struct eval_result res;
	int i = 1, rc = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--knowledge") == 0 && i + 1 < argc)
			kdir = argv[++i];
		else if (strcmp(argv[i], "--patterns") == 0 && i + 1 < argc)
			pdir = argv[++i];
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else {
			fprintf(stderr, "slate: unknown option %s\n%s",
			    argv[i], usage);
			return 2;
		}
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	cmd = argv[i++];
	if (strcmp(cmd, "unanswered") == 0) {
		const char *db = "slate.db";

		if (i + 1 < argc && strcmp(argv[i], "--db") == 0)
			db = argv[i + 1];
		else if (i < argc) {
			fprintf(stderr, "slate unanswered: unexpected %s\n",
			    argv[i]);
			return 2;
		}
		if (unans_print(db, stdout, err, sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		return 0;
	}
	/* Options may also follow the command, as people tend to type. */
	for (; i + 1 < argc && (strcmp(argv[i], "--knowledge") == 0 ||
	    strcmp(argv[i], "--patterns") == 0); i += 2) {
		if (argv[i][2] == 'k')
			kdir = argv[i + 1];
		else
			pdir = argv[i + 1];
	}
	if (kdir == NULL)
		kdir = default_dir("knowledge", kbuf, sizeof kbuf);
	if (pdir == NULL)
		pdir = default_dir("patterns", pbuf, sizeof pbuf);
	if (strcmp(cmd, "ask") != 0 && strcmp(cmd, "chat") != 0 &&
	    strcmp(cmd, "check") != 0 && strcmp(cmd, "eval") != 0) {
		fprintf(stderr, "slate: unknown command %s\n%s", cmd, usage);
		return 2;
	}
	if ((e = eng_load(kdir, pdir, err, sizeof err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (strcmp(cmd, "check") == 0) {
		eng_describe(e, stdout);
		printf("ok\n");
	} else if (strcmp(cmd, "ask") == 0) {
		eng_state_init(&st);
		if (i >= argc) {
			fputs("slate ask: give a question\n", stderr);
			rc = 2;
		}
		for (; i < argc; i++) {
			eng_ask(e, &st, argv[i], strlen(argv[i]), &r);
			print_reply(&r);
		}
	} else if (strcmp(cmd, "chat") == 0) {
		rc = chat(e);
	} else {
		memset(&res, 0, sizeof res);
		if (i >= argc) {
			fputs("slate eval: give a .jsonl file\n", stderr);
			rc = 2;
		}
		for (; i < argc && rc == 0; i++)
			if (eval_file(e, argv[i], stdout, &res, err,
			    sizeof err) != 0) {
				fprintf(stderr, "%s\n", err);
				rc = 1;
			}
		printf("%d/%d cases passed, %d/%d turns passed\n",
		    res.cases - res.cases_failed, res.cases,
		    res.turns - res.turns_failed, res.turns);
		if (res.cases_failed)
			rc = 1;
	}
	eng_free(e);
	return rc;
}
