/* test_pat.c - pattern files.
 * Exercises: sections and comments, a bad regex reported as file:line with
 * the PCRE2 offset (whole file rejected), empty files, patterns before a
 * section, an empty section, upper-case literals, leftmost matching, and
 * the match limit turning a catastrophic pattern into "no match" that is
 * counted.  The prefilter is test_pfx.c's, the literal reader test_lit.c's. */
#include <stdlib.h>
#include <unistd.h>
#include "engine/pat.h"
#include "t.h"

static char dir[] = "/tmp/slate-test-XXXXXX", err[512];

TEST_IMPL(pat_sections_and_matching)
{
	struct pat_set *ps;
	size_t s, e;

	snprintf(dir, sizeof dir, "/tmp/slate-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	ps = pat_load(t_file(dir, "ok.txt", "# roles\n\n[co]\n\\bco-?pro\n"
	    "coproducer\n[ep]\n\\bep\\b\n"), err, sizeof err);
	ASSERT(ps != NULL);
	if (ps) {
		ASSERT(pat_count(ps) == 2);
		ASSERT_STR_EQ(pat_name(ps, 1), "ep");
		ASSERT(pat_find(ps, "co") == 0);
		ASSERT(pat_find(ps, "nope") == -1);
		ASSERT(pat_match(ps, 0, "an ep and a co-pro", 18, 0, &s, &e));
		ASSERT(s == 12 && e == 18);
		ASSERT(pat_match(ps, 1, "an ep", 5, 0, &s, &e));
		ASSERT(!pat_match(ps, 1, "step", 4, 0, &s, &e));
		ASSERT(!pat_match(ps, 0, "co-pro", 6, 7, &s, &e));
		ASSERT(!pat_match(ps, 5, "x", 1, 0, &s, &e));
		pat_free(ps);
	}
}

TEST_IMPL(pat_bad_files)
{
	struct pat_set *ps;

	snprintf(dir, sizeof dir, "/tmp/slate-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	ps = pat_load(t_file(dir, "bad.txt", "[a]\nfine\n[b]\nalso fine\n"
	    "broken(unclosed\n"), err, sizeof err);
	ASSERT(ps == NULL);
	ASSERT(strstr(err, "bad.txt:5: offset 15:") != NULL);
	ASSERT(pat_load(t_file(dir, "empty.txt", ""), err, sizeof err) ==
	    NULL);
	ASSERT(strstr(err, "empty.txt") != NULL);
	ASSERT(pat_load(t_file(dir, "comments.txt", "# only\n# comments\n"),
	    err, sizeof err) == NULL);
	ASSERT(pat_load(t_file(dir, "orphan.txt", "x\n[a]\ny\n"), err,
	    sizeof err) == NULL);
	ASSERT(strstr(err, "orphan.txt:1:") != NULL);
	ASSERT(pat_load(t_file(dir, "nosec.txt", "[a]\n[b]\ny\n"), err,
	    sizeof err) == NULL);
	ASSERT(strstr(err, "[a]") != NULL);
	ASSERT(pat_load("/nonexistent/x.txt", err, sizeof err) == NULL);
	/* questions are lower-cased first: an upper-case literal is a bug */
	ASSERT(pat_load(t_file(dir, "upper.txt", "[a]\n\\bok\\W\nthe EP\n"),
	    err, sizeof err) == NULL);
	ASSERT(strstr(err, "upper.txt:3: offset 4:") != NULL);
}

/* Exponential backtracking must stop at the limit, not hang. */
TEST_IMPL(pat_match_limit)
{
	struct pat_set *ps;
	char big[3000];
	size_t s, e;

	snprintf(dir, sizeof dir, "/tmp/slate-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	ps = pat_load(t_file(dir, "evil.txt", "[evil]\n(a+)+$\n(?:a|a)*b\n"),
	    err, sizeof err);
	ASSERT(ps != NULL);
	if (ps) {
		memset(big, 'a', sizeof big - 2);
		big[sizeof big - 2] = '!';
		big[sizeof big - 1] = '\0';
		ASSERT(!pat_match(ps, 0, big, strlen(big), 0, &s, &e));
		ASSERT(pat_limit_hits(ps) >= 1);
		pat_free(ps);
	}
}

TEST_LIST(
	TEST_ENTRY(pat_sections_and_matching)
	TEST_ENTRY(pat_bad_files)
	TEST_ENTRY(pat_match_limit)
)
