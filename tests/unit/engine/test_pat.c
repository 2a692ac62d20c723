/* test_pat.c - pattern files.
 * Exercises: sections and comments, a bad regex reported as file:line with
 * the PCRE2 offset (whole file rejected), empty files, patterns before a
 * section, an empty section, upper-case literals, leftmost matching, and
 * the match limit turning
 * a catastrophic pattern into "no match" that is counted; the prefilter
 * (pat_match_text) giving pat_match()'s answer for every section, subject
 * length and start, on constructs the literal analysis reads and ones it
 * must give up on, with anchored lines run alone when only they can match,
 * sets alone and linked, on random token soup, a control byte in a class,
 * every question of the conversation tests against the shipped patterns,
 * and a question with more 3-grams than are listed, with the prefilter
 * actually leaving sections and lines out; and the literal reader
 * (lit_read) itself: sequences, alternatives, classes, lookbehind, \b as
 * LIT_MARK, lit_mark()'s boundaries, and "cannot tell" for inline options,
 * patterns that need nothing, and counts past its limit. */
#include <jansson.h>
#include <glob.h>
#include <unistd.h>
#include "engine/lit.h"
#include "engine/norm.h"
#include "engine/pat.h"
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
static void
check_lit(void)
{
	static struct lit_set req[LIT_REQMAX];
	unsigned char m[LIT_MARKMAX];

#define READ(re) lit_read((re), strlen(re), req)
	CHECK(READ("a.*b") == 2);
	CHECK(req[0].n == 1 && has_str(&req[0], "a"));
	CHECK(req[1].n == 1 && has_str(&req[1], "b"));
	CHECK(READ("who|boss") == 1);
	CHECK(req[0].n == 2 && has_str(&req[0], "who") &&
	    has_str(&req[0], "boss"));
	CHECK(READ("[ab]c") == 1);
	CHECK(req[0].n == 2 && has_str(&req[0], "ac") && has_str(&req[0], "bc"));
	CHECK(READ("(?<=ab)cd") == 2);
	CHECK(has_str(&req[0], "ab") && has_str(&req[1], "cd"));
	CHECK(READ("\\bep\\b") == 1);
	CHECK(req[0].n == 1 && has_str(&req[0], "\001ep\001"));
	CHECK(READ("\\bco-?prod\\b") == 1);
	CHECK(req[0].n == 2 && has_str(&req[0], "\001co-prod\001") &&
	    has_str(&req[0], "\001coprod\001"));
	CHECK(READ("(?i)weird") == 0);          /* inline options: unknown */
	CHECK(READ("[[:alpha:]]x") == 0);
	CHECK(READ(".*") == 0);                 /* needs nothing */
	CHECK(READ("a|.") == 0);
	CHECK(READ("x{1001}") == 0);
#undef READ
	/* Marks where a word meets a non-word character, and a \b kept
	 * at either end, as a marked question would show them. */
	CHECK(lit_mark("it's", m) == 6 && memcmp(m, "it\001'\001s", 6) == 0);
	CHECK(lit_mark("\001ep\001", m) == 4 &&
	    memcmp(m, "\001ep\001", 4) == 0);
	CHECK(lit_mark("\001\001", m) == 1 && m[0] == LIT_MARK);
	CHECK(lit_mark("", m) == 0);
}

/* Compare pat_match_text() with pat_match() on t for every section, on
 * the whole text and some shorter subjects, from a few starts. */
static int
same_answers(struct pat_set *ps, const char *t, size_t n)
{
	struct pfx_text pt;
	size_t to, st, s1, e1, s2, e2;
	int i, r1, r2, bad = 0;

	pfx_text_init(&pt, t, n);
	for (i = 0; i < pat_count(ps); i++)
		for (to = n;; to = to * 2 / 3) {
			for (st = 0; st <= to; st += 1 + to / 3) {
				r1 = pat_match(ps, i, t, to, st, &s1, &e1);
				r2 = pat_match_text(ps, i, &pt, to, st, &s2, &e2);
				if (r1 != r2 || (r1 && (s1 != s2 || e1 != e2))) {
					if (bad++ == 0)
						fprintf(stderr, "prefilter: [%s] "
						    "to %zu start %zu: \"%.*s\"\n",
						    pat_name(ps, i), to, st,
						    (int)n, t);
				}
			}
			if (to == 0)
				break;
		}
	return bad;
}

/* Every "say" of the conversation tests, normalised, against every
 * shipped pattern file. */
static void
check_shipped(void)
{
	static const char *files[] = { "intents", "roles", "industries",
		"capacities", "context", "offtopic", "topics" };
	struct pat_set *ps[7];
	char err[512], path[256], t[1024];
	glob_t g;
	size_t i, k, n;
	unsigned long r = 777;
	int f, asked = 0;

	for (f = 0; f < 7; f++) {
		snprintf(path, sizeof path, "patterns/%s.txt", files[f]);
		ps[f] = pat_load(path, err, sizeof err);
		CHECK(ps[f] != NULL);
		if (ps[f] == NULL)
			return;
	}
	pat_link(ps, 7);        /* as the engine does */
	CHECK(glob("tests/conversations/*.jsonl", 0, NULL, &g) == 0);
	for (i = 0; i < g.gl_pathc; i++) {
		FILE *fp = fopen(g.gl_pathv[i], "r");
		char *line = NULL;
		size_t cap = 0;

		while (fp && getline(&line, &cap, fp) > 0) {
			json_t *c = json_loads(line, 0, NULL), *turn;

			json_array_foreach(json_object_get(c, "turns"), k, turn) {
				const char *say = json_string_value(
				    json_object_get(turn, "say"));

				if (say == NULL)
					continue;
				n = norm_text(say, strlen(say), t, sizeof t);
				for (f = 0; f < 7; f++)
					CHECK(same_answers(ps[f], t, n) == 0);
				asked++;
			}
			CHECK(c != NULL);
			json_decref(c);
		}
		free(line);
		if (fp)
			fclose(fp);
	}
	globfree(&g);
	CHECK(asked > 500);
	{
		/* most sections are never run on a real question */
		unsigned long sk, an, skipped = 0;

		for (f = 0; f < 7; f++) {
			pat_prefilter_counts(ps[f], &sk, &an);
			skipped += sk;
		}
		CHECK(skipped > (unsigned long)asked * 7);
	}
	/* More distinct 3-grams than pfx_text lists (PFX_TEXT_TRIS): every
	 * indexed root is then tried instead of the listed ones. */
	for (n = 0; n < 700; n++) {
		r = r * 6364136223846793005ul + 1442695040888963407ul;
		t[n] = (char)('a' + (r >> 33) % 26);
	}
	n += (size_t)snprintf(t + n, sizeof t - n,
	    " what does a line producer do");
	for (f = 0; f < 7; f++)
		CHECK(same_answers(ps[f], t, n) == 0);
	for (f = 0; f < 7; f++)
		pat_free(ps[f]);
}

/* Constructs the literal analysis reads (\b inside and around literals,
 * classes, counted repeats, lookarounds, \K, anchors) and ones it gives
 * up on, against random strings of tokens those patterns care about. */
static void
check_constructs(const char *dir)
{
	static const char *tok[] = { "co", "-", " ", "prod", "ucer", "s",
		"x", "y", "ab", "cd", "ef", "g", "hi", "hey", "who", "'s",
		" is", "boss", "cat", "?", "it's", "its", "done", "a", "b", ".",
		"c", "weird", "_", "ep", "my ep", "zz", "'" };
	struct pat_set *ps;
	char err[512], t[256];
	unsigned long r = 12345;
	size_t n;
	int i, k, bad = 0;

	ps = pat_load(t_file(dir, "pf.txt",
	    "[a]\n\\bco[- ]?prod(ucer|s)?\\b\n\\bep(?<!my ep)s?\\b\n"
	    "[b]\nx{2,3}y\n(?:zz){1}\\b\n"
	    "[c]\n(?<=ab)cd\n(?=ef)efg\n"
	    "[d]\n^\\W*(hi|hey+)\\b\n"
	    "[e]\n\\bwho('s| is)?\\b.{0,10}\\bboss\\b\n"
	    "[f]\n[a-c]at\\?\n[^x]a\\.b\n"
	    "[g]\n(it's|its) (\\w+ ){0,2}done$\n"
	    "[h]\na\\Kb\\.c\n\\b_\\b\n"
	    "[i]\n(?i)weird\n'\\b\n"
	    "[j]\n\\bhi\\b|\\b's\\b|boss?\n"
	    "[k]\n^\\W*(hi|\\?|cat)\\W*$\nzz\\b\n^a\\b\n\\Gb\n"
	    "[l]\na[\x01\x02]b\n"), err, sizeof err);
	CHECK(ps != NULL);
	if (ps == NULL)
		return;
	for (i = 0; i < 20000; i++) {
		n = 0;
		for (k = (int)(r % 12) + 1; k > 0; k--) {
			const char *w;

			r = r * 6364136223846793005ul + 1442695040888963407ul;
			w = tok[(r >> 33) % (sizeof tok / sizeof tok[0])];
			if (n + strlen(w) >= sizeof t)
				break;
			memcpy(t + n, w, strlen(w));
			n += strlen(w);
		}
		t[n] = '\0';
		bad += same_answers(ps, t, n);
	}
	/* a control byte in a class is not a literal (it reads as the
	 * word-boundary mark): no subject may lose its match */
	bad += same_answers(ps, "xa\001b", 4);
	CHECK(bad == 0);
	/* and the prefilter does save work: [a] needs "co...prod" or "ep",
	 * which "hey" lacks; of [k] only the first line (anchored) can
	 * match "hi" */
	{
		struct pfx_text pt;
		unsigned long sk0, an0, sk1, an1;
		size_t ms, me;

		pat_prefilter_counts(ps, &sk0, &an0);
		pfx_text_init(&pt, "hey", 3);
		CHECK(!pat_match_text(ps, pat_find(ps, "a"), &pt, 3, 0, &ms,
		    &me));
		pfx_text_init(&pt, "hi", 2);
		CHECK(pat_match_text(ps, pat_find(ps, "k"), &pt, 2, 0, &ms,
		    &me));
		pat_prefilter_counts(ps, &sk1, &an1);
		CHECK(sk1 == sk0 + 1 && an1 == an0 + 1);
	}
	pat_free(ps);
}

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
	check_lit();
	check_constructs(dir);
	check_shipped();
	T_DONE();
}
