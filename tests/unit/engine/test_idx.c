/* test_idx.c - the knowledge base's search index.
 * Exercises: FTS5 search on the shipped knowledge; FTS syntax and SQL
 * quoting in a question are read as plain words (same hits); an empty
 * question finds nothing; the scores computed at build agree with FTS5's
 * own bm25 term by term; max bounds the hits. */
#include <string.h>
#include "engine/idx.h"
#include "engine/kb.h"
#include "t.h"

static struct kb *kb;
static struct idx *ix;
static char err[1024];

/* The shipped knowledge base and its index, or a failed check. */
static int
load(void)
{
	kb = kb_load("knowledge", err, sizeof err);
	ASSERT_NOT_NULL(kb);
	if (kb == NULL)
		return 0;
	ix = idx_build(kb, err, sizeof err);
	ASSERT_NOT_NULL(ix);
	return ix != NULL;
}

TEST_IMPL(idx_search_finds)
{
	struct idx_hit hits[4];
	int n;

	if (!load())
		return;
	n = idx_search(ix, "who books session musicians and studio time",
	    hits, 4);
	ASSERT_GT(n, 0);
	ASSERT_LE(n, 4);
	ASSERT_EQ(idx_search(ix, "who books session musicians and studio "
	    "time", hits, 1), 1);
	ASSERT_EQ(idx_search(ix, "", hits, 4), 0);
	idx_free(ix);
	kb_free(kb);
}

TEST_IMPL(idx_query_syntax_is_plain_words)
{
	struct idx_hit hits[4], plain[4];
	int np, i;

	if (!load())
		return;
	np = idx_search(ix, "who books session musicians and studio time",
	    plain, 4);
	ASSERT_GT(np, 0);
	ASSERT_EQ(idx_search(ix, "\"who\" books session* (musicians) AND "
	    "'studio'; time --", hits, 4), np);
	for (i = 0; i < np; i++) {
		ASSERT_EQ(hits[i].role, plain[i].role);
		ASSERT_EQ(hits[i].topic, plain[i].topic);
		ASSERT_STR_EQ(hits[i].field, plain[i].field);
	}
	idx_free(ix);
	kb_free(kb);
}

TEST_IMPL(idx_scores_are_fts5_bm25)
{
	if (!load())
		return;
	err[0] = '\0';
	ASSERT_OK(idx_check_postings(ix, err, sizeof err));
	if (err[0])
		fprintf(stderr, "%s\n", err);
	idx_free(ix);
	kb_free(kb);
}

TEST_LIST(
	TEST_ENTRY(idx_search_finds)
	TEST_ENTRY(idx_query_syntax_is_plain_words)
	TEST_ENTRY(idx_scores_are_fts5_bm25)
)
