/* test_pat.c - pattern files.
 * Exercises: sections and comments, a bad regex reported as file:line with
 * the PCRE2 offset (whole file rejected), empty files, patterns before a
 * section, an empty section, upper-case literals, leftmost matching, and
 * the match limit turning
 * a catastrophic pattern into "no match" that is counted. */
#include <unistd.h>
#include "pat.h"
#include "t.h"

int
main(void)
{
	char dir[] = "/tmp/slate-test-XXXXXX", err[512], big[3000];
	struct pat_set *ps;
	size_t s, e;

	if (mkdtemp(dir) == NULL)
		return 2;
	ps = pat_load(t_file(dir, "ok.txt", "# roles\n\n[co]\n\\bco-?pro\n"
	    "coproducer\n[ep]\n\\bep\\b\n"), err, sizeof err);
	CHECK(ps != NULL);
	if (ps) {
		CHECK(pat_count(ps) == 2);
		CHECK_STR(pat_name(ps, 1), "ep");
		CHECK(pat_find(ps, "co") == 0);
		CHECK(pat_find(ps, "nope") == -1);
		CHECK(pat_match(ps, 0, "an ep and a co-pro", 18, 0, &s, &e));
		CHECK(s == 12 && e == 18);
		CHECK(pat_match(ps, 1, "an ep", 5, 0, &s, &e));
		CHECK(!pat_match(ps, 1, "step", 4, 0, &s, &e));
		CHECK(!pat_match(ps, 0, "co-pro", 6, 7, &s, &e));
		CHECK(!pat_match(ps, 5, "x", 1, 0, &s, &e));
		pat_free(ps);
	}
	ps = pat_load(t_file(dir, "bad.txt", "[a]\nfine\n[b]\nalso fine\n"
	    "broken(unclosed\n"), err, sizeof err);
	CHECK(ps == NULL);
	CHECK(strstr(err, "bad.txt:5: offset 15:") != NULL);
	CHECK(pat_load(t_file(dir, "empty.txt", ""), err, sizeof err) ==
	    NULL);
	CHECK(strstr(err, "empty.txt") != NULL);
	CHECK(pat_load(t_file(dir, "comments.txt", "# only\n# comments\n"),
	    err, sizeof err) == NULL);
	CHECK(pat_load(t_file(dir, "orphan.txt", "x\n[a]\ny\n"), err,
	    sizeof err) == NULL);
	CHECK(strstr(err, "orphan.txt:1:") != NULL);
	CHECK(pat_load(t_file(dir, "nosec.txt", "[a]\n[b]\ny\n"), err,
	    sizeof err) == NULL);
	CHECK(strstr(err, "[a]") != NULL);
	CHECK(pat_load("/nonexistent/x.txt", err, sizeof err) == NULL);
	/* questions are lower-cased first: an upper-case literal is a bug */
	CHECK(pat_load(t_file(dir, "upper.txt", "[a]\n\\bok\\W\nthe EP\n"),
	    err, sizeof err) == NULL);
	CHECK(strstr(err, "upper.txt:3: offset 4:") != NULL);

	/* Exponential backtracking must stop at the limit, not hang. */
	ps = pat_load(t_file(dir, "evil.txt", "[evil]\n(a+)+$\n(?:a|a)*b\n"),
	    err, sizeof err);
	CHECK(ps != NULL);
	if (ps) {
		memset(big, 'a', sizeof big - 2);
		big[sizeof big - 2] = '!';
		big[sizeof big - 1] = '\0';
		CHECK(!pat_match(ps, 0, big, strlen(big), 0, &s, &e));
		CHECK(pat_limit_hits(ps) >= 1);
		pat_free(ps);
	}
	T_DONE();
}
