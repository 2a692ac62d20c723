/* test_lint.c - the pattern lint.
 * Exercises: nested quantifiers found (and atomic groups, possessive and
 * bounded quantifiers, escapes and classes left alone); on a copy of the
 * shipped patterns with risky lines added, each warning names its
 * file:line: "(a+)+$", a bare ".*" under a role section, a line matching
 * the empty string that leaves later intent sections unable to win, a
 * line no conversation exercises; no questions, no corpus checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "engine/eng.h"
#include "engine/lint.h"
#include "t.h"

static char err[16384], out[65536];

TEST_IMPL(lint_nested_quantifiers)
{
	ASSERT(lint_nested_quantifier("(a+)+$"));
	ASSERT(lint_nested_quantifier("(?:\\w+\\s?)*x"));
	ASSERT(lint_nested_quantifier("((ab)*c)+"));
	ASSERT(lint_nested_quantifier("(x*y){2,}"));
	ASSERT(!lint_nested_quantifier("(a+)?"));
	ASSERT(!lint_nested_quantifier("(a+){1,3}"));
	ASSERT(!lint_nested_quantifier("(?>a+)+"));
	ASSERT(!lint_nested_quantifier("(a++)+"));
	ASSERT(!lint_nested_quantifier("\\(a+\\)+"));
	ASSERT(!lint_nested_quantifier("([a+]b)+"));
	ASSERT(!lint_nested_quantifier("\\bco[- ]?producers?\\b"));
	ASSERT(!lint_nested_quantifier("(a|b)+c{2}"));
}

/* A copy of the shipped patterns with text appended to roles.txt and
 * intents.txt; its conversations: one file of two questions. */
static const char *
risky_copy(const char *roles, const char *intents, char *conv, size_t n)
{
	static char dir[64], pdir[96];
	char cmd[1024];

	snprintf(dir, sizeof dir, "/tmp/slate-lint-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	snprintf(cmd, sizeof cmd, "cp -r patterns %s/ && mkdir %s/conv",
	    dir, dir);
	if (system(cmd) != 0)
		exit(2);
	snprintf(cmd, sizeof cmd, "%s/patterns", dir);
	t_file(cmd, "roles.txt.add", roles);
	t_file(cmd, "intents.txt.add", intents);
	snprintf(cmd, sizeof cmd, "cd %s/patterns && cat roles.txt.add >> "
	    "roles.txt && cat intents.txt.add >> intents.txt && rm *.add", dir);
	if (system(cmd) != 0)
		exit(2);
	snprintf(conv, n, "%s/conv", dir);
	t_file(conv, "a.jsonl", "{\"name\": \"x\", \"turns\": [{\"say\": \"what "
	    "does a co-producer do?\"}, {\"say\": \"and a line producer\"}]}\n");
	snprintf(pdir, sizeof pdir, "%s/patterns", dir);
	return pdir;
}

TEST_IMPL(lint_risky_lines_named)
{
	char conv[128], want[128];
	const char *pdir = risky_copy("\n[co-producer]\n(a+)+$\n.*\n", "", conv,
	    sizeof conv);
	struct eng *e = eng_load("knowledge", pdir, err, sizeof err);
	FILE *p;
	int line = 0, n;

	ASSERT_NOT_NULL(e);
	if (e == NULL) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	n = eng_lint(e, conv, out, sizeof out);
	ASSERT_GT(n, 2);
	snprintf(want, sizeof want, "grep -n '^(a+)+\\$$' %s/roles.txt | cut "
	    "-d: -f1", pdir);
	if ((p = popen(want, "r")) == NULL || fscanf(p, "%d", &line) != 1)
		exit(2);
	pclose(p);
	snprintf(want, sizeof want, "roles.txt:%d: warning: nested "
	    "quantifiers", line);
	ASSERT_STR_HAS(out, want);
	snprintf(want, sizeof want, "roles.txt:%d: warning: matches the empty "
	    "string", line + 1);
	ASSERT_STR_HAS(out, want);
	ASSERT_STR_HAS(out, "wins none of the");
	ASSERT_STR_HAS(out, "no shipped conversation exercises this line");
	eng_free(e);
}

TEST_IMPL(lint_always_matching_intent_blocks_the_rest)
{
	char conv[128];
	const char *pdir;
	struct eng *e;

	/* an intent section early in the file that matches everything */
	pdir = risky_copy("", "", conv, sizeof conv);
	snprintf(out, sizeof out, "sed -i '0,/^\\[/s//[definition]\\n.*\\n"
	    "[/' %s/intents.txt", pdir);
	if (system(out) != 0)
		exit(2);
	e = eng_load("knowledge", pdir, err, sizeof err);
	ASSERT_NOT_NULL(e);
	if (e == NULL) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	eng_lint(e, conv, out, sizeof out);
	ASSERT_STR_HAS(out, "section [reset] can never win: [definition] "
	    "(line ");
	eng_free(e);
}

TEST_IMPL(lint_without_questions)
{
	struct eng *e = eng_load("knowledge", "patterns", err, sizeof err);

	ASSERT_NOT_NULL(e);
	if (e == NULL)
		return;
	ASSERT_EQ(eng_lint(e, "/nonexistent", out, sizeof out), 1);
	ASSERT_STR_HAS(out, "no shipped questions found");
	/* the shipped patterns hold nothing risky: only unexercised lines */
	eng_lint(e, "tests/conversations", out, sizeof out);
	ASSERT_STR_LACKS(out, "nested");
	ASSERT_STR_LACKS(out, "matches the empty");
	ASSERT_STR_LACKS(out, "almost anything");
	ASSERT_STR_LACKS(out, "wins none");
	eng_free(e);
}

TEST_LIST(
	TEST_ENTRY(lint_nested_quantifiers)
	TEST_ENTRY(lint_risky_lines_named)
	TEST_ENTRY(lint_always_matching_intent_blocks_the_rest)
	TEST_ENTRY(lint_without_questions)
)
