/* test_grp.c - grouping the unanswered questions.
 * Exercises: rewordings joining one group, unrelated questions apart, the
 * shorter question's words deciding, stop words and light stemming, the
 * wordings kept per group (distinct, capped), a full table, and questions
 * with no content words. */
#include "cli/grp.h"
#include "t.h"

TEST_IMPL(grp_rewordings_join)
{
	struct grp g;

	grp_init(&g, 8);
	ASSERT_EQ(grp_add(&g, 3, "how do I bake sourdough bread"), 0);
	ASSERT_EQ(grp_add(&g, 2, "tips for baking sourdough bread?"), 0);
	ASSERT_EQ(grp_add(&g, 1, "what camera should a film student buy"), 1);
	ASSERT_EQ(g.ng, 2);
	ASSERT_EQ(g.nq, 3);
	ASSERT_EQ(g.gs[0].count, 2);
	ASSERT_EQ(g.gs[0].first, 0);
	ASSERT_EQ(g.gs[0].nvariants, 1);
	ASSERT_EQ(g.gs[0].variants[0], 1);
	ASSERT_EQ(g.gs[1].count, 1);
	grp_free(&g);
}

TEST_IMPL(grp_one_shared_word_is_not_enough)
{
	struct grp g;

	grp_init(&g, 4);
	grp_add(&g, 2, "best laptop for editing");
	/* "editing" is shared, nothing else */
	ASSERT_EQ(grp_add(&g, 1, "editing software pricing"), 1);
	grp_free(&g);
}

TEST_IMPL(grp_short_question_joins_long_rewording)
{
	struct grp g;

	grp_init(&g, 4);
	grp_add(&g, 2, "tuition fees scholarship");
	ASSERT_EQ(grp_add(&g, 1, "hello, I was wondering about the tuition "
	    "fees and whether there is any scholarship for international "
	    "applicants this year"), 0);
	grp_free(&g);
}

TEST_IMPL(grp_stop_words_and_stems)
{
	struct grp g;

	grp_init(&g, 4);
	grp_add(&g, 1, "Tips for the camera");
	ASSERT_EQ(g.qs[0].nwords, 2);
	ASSERT_STR_EQ(g.qs[0].words[0], "tip");
	ASSERT_STR_EQ(g.qs[0].words[1], "camera");
	grp_add(&g, 0, "what is it");
	ASSERT_EQ(g.qs[1].nwords, 0);
	grp_free(&g);
}

TEST_IMPL(grp_variants_distinct_and_capped)
{
	struct grp g;

	grp_init(&g, 16);
	grp_add(&g, 9, "sourdough bread recipe");
	grp_add(&g, 8, "SOURDOUGH BREAD RECIPE");          /* same wording */
	grp_add(&g, 7, "a sourdough bread recipe please");
	grp_add(&g, 6, "sourdough bread recipe?");
	grp_add(&g, 5, "recipe for sourdough bread");
	grp_add(&g, 4, "the sourdough bread recipe");
	ASSERT_EQ(g.ng, 1);
	ASSERT_EQ(g.gs[0].count, 6);
	ASSERT_EQ(g.gs[0].nvariants, GRP_VARIANTS);
	for (int v = 0; v < g.gs[0].nvariants; v++)
		ASSERT_NE(g.gs[0].variants[v], 1);
	grp_free(&g);
}

TEST_IMPL(grp_empty_texts_match_only_themselves)
{
	struct grp g;

	grp_init(&g, 4);
	ASSERT_EQ(grp_add(&g, 3, "???"), 0);
	ASSERT_EQ(grp_add(&g, 2, "???"), 0);
	ASSERT_EQ(grp_add(&g, 1, "!!"), 1);
	ASSERT_EQ(grp_add(&g, 0, NULL), 2);
	ASSERT_STR_EQ(g.qs[3].text, "");
	grp_free(&g);
}

TEST_IMPL(grp_full)
{
	struct grp g;

	grp_init(&g, 1);
	ASSERT_EQ(grp_add(&g, 1, "one"), 0);
	ASSERT_EQ(grp_add(&g, 0, "two"), -1);
	ASSERT_EQ(g.nq, 1);
	grp_free(&g);
	ASSERT_NULL(g.qs);
}

TEST_LIST(
	TEST_ENTRY(grp_rewordings_join)
	TEST_ENTRY(grp_one_shared_word_is_not_enough)
	TEST_ENTRY(grp_short_question_joins_long_rewording)
	TEST_ENTRY(grp_stop_words_and_stems)
	TEST_ENTRY(grp_variants_distinct_and_capped)
	TEST_ENTRY(grp_empty_texts_match_only_themselves)
	TEST_ENTRY(grp_full)
)
