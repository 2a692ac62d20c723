/* test_pfx.c - the prefilter (pat_match_text over pfx.c).
 * Exercises: the prefilter giving pat_match()'s answer for every section,
 * subject length and start, on constructs the literal analysis reads and
 * ones it must give up on, with anchored lines run alone when only they
 * can match, sets alone and linked, on random token soup, a control byte
 * in a class, every question of the conversation tests against the
 * shipped patterns, and a question with more 3-grams than are listed, with
 * the prefilter actually leaving sections and lines out. */
#include <jansson.h>
#include <glob.h>
#include <stdlib.h>
#include <unistd.h>
#include "engine/norm.h"
#include "engine/pat.h"
#include "t.h"

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
TEST_IMPL(pfx_shipped_questions)
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
		ASSERT(ps[f] != NULL);
		if (ps[f] == NULL)
			return;
	}
	pat_link(ps, 7);        /* as the engine does */
	ASSERT(glob("tests/conversations/*.jsonl", 0, NULL, &g) == 0);
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
					ASSERT(same_answers(ps[f], t, n) == 0);
				asked++;
			}
			ASSERT(c != NULL);
			json_decref(c);
		}
		free(line);
		if (fp)
			fclose(fp);
	}
	globfree(&g);
	ASSERT(asked > 500);
	{
		/* most sections are never run on a real question */
		unsigned long sk, an, skipped = 0;

		for (f = 0; f < 7; f++) {
			pat_prefilter_counts(ps[f], &sk, &an);
			skipped += sk;
		}
		ASSERT(skipped > (unsigned long)asked * 7);
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
		ASSERT(same_answers(ps[f], t, n) == 0);
	for (f = 0; f < 7; f++)
		pat_free(ps[f]);
}

/* Constructs the literal analysis reads (\b inside and around literals,
 * classes, counted repeats, lookarounds, \K, anchors) and ones it gives
 * up on, against random strings of tokens those patterns care about. */
TEST_IMPL(pfx_constructs)
{
	char dir[] = "/tmp/slate-test-XXXXXX";
	static const char *tok[] = { "co", "-", " ", "prod", "ucer", "s",
		"x", "y", "ab", "cd", "ef", "g", "hi", "hey", "who", "'s",
		" is", "boss", "cat", "?", "it's", "its", "done", "a", "b", ".",
		"c", "weird", "_", "ep", "my ep", "zz", "'" };
	struct pat_set *ps;
	char err[512], t[256];
	unsigned long r = 12345;
	size_t n;
	int i, k, bad = 0;

	if (mkdtemp(dir) == NULL)
		exit(2);
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
	ASSERT(ps != NULL);
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
	ASSERT(bad == 0);
	/* and the prefilter does save work: [a] needs "co...prod" or "ep",
	 * which "hey" lacks; of [k] only the first line (anchored) can
	 * match "hi" */
	{
		struct pfx_text pt;
		unsigned long sk0, an0, sk1, an1;
		size_t ms, me;

		pat_prefilter_counts(ps, &sk0, &an0);
		pfx_text_init(&pt, "hey", 3);
		ASSERT(!pat_match_text(ps, pat_find(ps, "a"), &pt, 3, 0, &ms,
		    &me));
		pfx_text_init(&pt, "hi", 2);
		ASSERT(pat_match_text(ps, pat_find(ps, "k"), &pt, 2, 0, &ms,
		    &me));
		pat_prefilter_counts(ps, &sk1, &an1);
		ASSERT(sk1 == sk0 + 1 && an1 == an0 + 1);
	}
	pat_free(ps);
}

TEST_LIST(
	TEST_ENTRY(pfx_constructs)
	TEST_ENTRY(pfx_shipped_questions)
)
