/* test_lit.c - the literal reader (lit_read) and marks (lit_mark).
 * Exercises: sequences, alternatives, classes, lookbehind, \\b as
 * LIT_MARK, lit_mark()'s boundaries, lit_nchecks(), and "cannot tell" for
 * inline options, POSIX classes, patterns that need nothing, and counts
 * past its limit. */
#include "engine/lit.h"
#include "t.h"

/* Does st hold s? */
static int
has_str(const struct lit_set *st, const char *s)
{
	int i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->s[i], s) == 0)
			return 1;
	return 0;
}

/* What lit_read() promises on a few lines, straight from its output. */
TEST_IMPL(lit_read_and_mark)
{
	static struct lit_set req[LIT_REQMAX];
	unsigned char m[LIT_MARKMAX];

#define READ(re) lit_read((re), strlen(re), req)
	ASSERT(READ("a.*b") == 2);
	ASSERT(req[0].n == 1 && has_str(&req[0], "a"));
	ASSERT(req[1].n == 1 && has_str(&req[1], "b"));
	ASSERT(READ("who|boss") == 1);
	ASSERT(req[0].n == 2 && has_str(&req[0], "who") &&
	    has_str(&req[0], "boss"));
	ASSERT(READ("[ab]c") == 1);
	ASSERT(req[0].n == 2 && has_str(&req[0], "ac") && has_str(&req[0], "bc"));
	ASSERT(READ("(?<=ab)cd") == 2);
	ASSERT(has_str(&req[0], "ab") && has_str(&req[1], "cd"));
	ASSERT(READ("\\bep\\b") == 1);
	ASSERT(req[0].n == 1 && has_str(&req[0], "\001ep\001"));
	ASSERT(READ("\\bco-?prod\\b") == 1);
	ASSERT(req[0].n == 2 && has_str(&req[0], "\001co-prod\001") &&
	    has_str(&req[0], "\001coprod\001"));
	ASSERT(READ("(?i)weird") == 0);          /* inline options: unknown */
	ASSERT(READ("[[:alpha:]]x") == 0);
	ASSERT(READ(".*") == 0);                 /* needs nothing */
	ASSERT(READ("a|.") == 0);
	ASSERT(READ("x{1001}") == 0);
#undef READ
	/* Marks where a word meets a non-word character, and a \b kept
	 * at either end, as a marked question would show them. */
	ASSERT(lit_mark("it's", m) == 6 && memcmp(m, "it\001'\001s", 6) == 0);
	ASSERT(lit_mark("\001ep\001", m) == 4 &&
	    memcmp(m, "\001ep\001", 4) == 0);
	ASSERT(lit_mark("\001\001", m) == 1 && m[0] == LIT_MARK);
	ASSERT(lit_mark("", m) == 0);
}

TEST_IMPL(lit_nchecks)
{
	ASSERT_EQ(lit_nchecks((const unsigned char *)"", 0), 0);
	ASSERT_EQ(lit_nchecks((const unsigned char *)"\001", 1), 0);
	ASSERT_EQ(lit_nchecks((const unsigned char *)"ab", 2), 1);
	ASSERT_EQ(lit_nchecks((const unsigned char *)"abcde", 5), 3);
}

TEST_LIST(
	TEST_ENTRY(lit_read_and_mark)
	TEST_ENTRY(lit_nchecks)
)
