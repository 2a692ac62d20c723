/* test_score.c - the rates over labelled turns.
 * Exercises: intent accuracy and the confusion table, fact groups (any
 * alternative, case-insensitive), off-topic declined, clarify rate, and
 * what counts as confident wrong (wrong intent, wrong role, any answer to
 * an off-topic question; never a clarifying question or a fallback). */
#include <string.h>
#include "engine/score.h"
#include "t.h"

static json_t *
turn(const char *js)
{
	json_error_t je;
	json_t *t = json_loads(js, 0, &je);

	if (t == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", je.text);
		exit(2);
	}
	return t;
}

static void
reply(struct eng_reply *r, enum eng_kind k, const char *intent,
    const char *role, const char *text)
{
	memset(r, 0, sizeof *r);
	r->kind = k;
	r->intent = intent;
	snprintf(r->slots.role, sizeof r->slots.role, "%s", role);
	snprintf(r->text, sizeof r->text, "%s", text);
}

TEST_IMPL(score_right_answer)
{
	struct score s = { 0 };
	struct eng_reply r;
	json_t *t = turn("{\"intent\":\"duties\",\"slots\":{\"role\":"
	    "\"line-producer\"},\"facts\":[[\"budget\"],[\"schedule\","
	    "\"logistics\"]]}");

	reply(&r, ENG_ANSWER, "duties", "line-producer",
	    "A line producer runs the BUDGET and the logistics.");
	score_turn(&s, t, &r);
	ASSERT_EQ(s.turns, 1);
	ASSERT_EQ(s.intent_labelled, 1);
	ASSERT_EQ(s.intent_right, 1);
	ASSERT_EQ(s.fact_groups, 2);
	ASSERT_EQ(s.fact_hits, 2);
	ASSERT_EQ(s.confident_wrong, 0);
	ASSERT_NULL(score_missing_fact(t, r.text));
	json_decref(t);
}

TEST_IMPL(score_missing_fact_group)
{
	struct score s = { 0 };
	struct eng_reply r;
	json_t *t = turn("{\"facts\":[[\"budget\"],[\"schedule\","
	    "\"logistics\"]]}");
	const json_t *g;

	reply(&r, ENG_ANSWER, "duties", "", "It is about the budget.");
	score_turn(&s, t, &r);
	ASSERT_EQ(s.fact_groups, 2);
	ASSERT_EQ(s.fact_hits, 1);
	g = score_missing_fact(t, r.text);
	ASSERT_NOT_NULL(g);
	ASSERT_STR_EQ(json_string_value(json_array_get(g, 1)), "logistics");
	/* no label, no intent counted */
	ASSERT_EQ(s.intent_labelled, 0);
	json_decref(t);
}

TEST_IMPL(score_wrong_intent_is_confident_wrong)
{
	struct score s = { 0 };
	struct eng_reply r;
	json_t *t = turn("{\"intent\":\"career\"}");

	reply(&r, ENG_ANSWER, "definition", "", "x");
	score_turn(&s, t, &r);
	ASSERT_EQ(s.intent_right, 0);
	ASSERT_EQ(s.confident_wrong, 1);
	ASSERT_EQ(s.confusion[ENG_I_CAREER][ENG_I_DEFINITION], 1);
	json_decref(t);
}

TEST_IMPL(score_wrong_role_is_confident_wrong)
{
	struct score s = { 0 };
	struct eng_reply r;
	json_t *t = turn("{\"intent\":\"duties\",\"slots\":{\"role\":"
	    "\"co-producer\"}}");

	reply(&r, ENG_ANSWER, "duties", "producer", "x");
	score_turn(&s, t, &r);
	ASSERT_EQ(s.intent_right, 1);
	ASSERT_EQ(s.confident_wrong, 1);
	json_decref(t);
}

TEST_IMPL(score_asking_back_is_not_wrong)
{
	struct score s = { 0 };
	struct eng_reply r;
	json_t *t = turn("{\"intent\":\"career\",\"slots\":{\"role\":"
	    "\"co-producer\"}}");

	reply(&r, ENG_CLARIFY, "career", "", "Which industry?");
	score_turn(&s, t, &r);
	ASSERT_EQ(s.clarify, 1);
	ASSERT_EQ(s.confident_wrong, 0);
	json_decref(t);
}

TEST_IMPL(score_offtopic)
{
	struct score s = { 0 };
	struct eng_reply r;
	json_t *t = turn("{\"intent\":null,\"kind\":\"fallback\"}");

	reply(&r, ENG_FALLBACK, NULL, "", "Not something I cover.");
	score_turn(&s, t, &r);
	ASSERT_EQ(s.offtopic, 1);
	ASSERT_EQ(s.offtopic_declined, 1);
	ASSERT_EQ(s.intent_right, 1);
	ASSERT_EQ(s.confident_wrong, 0);
	reply(&r, ENG_ANSWER, "definition", "producer", "A producer...");
	score_turn(&s, t, &r);
	ASSERT_EQ(s.offtopic, 2);
	ASSERT_EQ(s.offtopic_declined, 1);
	ASSERT_EQ(s.confident_wrong, 1);
	ASSERT_EQ(s.confusion[SCORE_NONE][ENG_I_DEFINITION], 1);
	json_decref(t);
}

TEST_IMPL(score_add_and_print)
{
	struct score a = { 0 }, b = { 0 };
	char buf[512];
	FILE *f;

	a.turns = 2;
	a.intent_labelled = 2;
	a.intent_right = 1;
	b.turns = 2;
	b.intent_labelled = 2;
	b.intent_right = 2;
	b.confusion[1][2] = 3;
	score_add(&a, &b);
	ASSERT_EQ(a.turns, 4);
	ASSERT_EQ(a.intent_right, 3);
	ASSERT_EQ(a.confusion[1][2], 3);
	f = fmemopen(buf, sizeof buf, "w");
	score_print(&a, "x", f);
	score_confusion(&a, f);
	fclose(f);
	ASSERT_STR_HAS(buf, "intent 3/4 (75.0%)");
	ASSERT_STR_HAS(buf, "facts -");
	ASSERT_STR_HAS(buf, "duties     -> compare    3");
}

TEST_LIST(
	TEST_ENTRY(score_right_answer)
	TEST_ENTRY(score_missing_fact_group)
	TEST_ENTRY(score_wrong_intent_is_confident_wrong)
	TEST_ENTRY(score_wrong_role_is_confident_wrong)
	TEST_ENTRY(score_asking_back_is_not_wrong)
	TEST_ENTRY(score_offtopic)
	TEST_ENTRY(score_add_and_print)
)
