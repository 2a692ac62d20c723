/* test_dlg.c - dialogue transitions on the shipped knowledge and patterns.
 * Exercises: a follow-up asked then filled by a typed answer and re-answered
 * tailored; never asked twice; a pending follow-up survives one unrelated
 * turn and is then dropped; carry-over of role and industry; reset; state
 * JSON round trip (and rejection of bad state); hostile input (empty,
 * huge, NUL bytes, invalid UTF-8) always yields a fallback, never a crash;
 * every reply reports its intent and carries suggestions; typo notes;
 * the hierarchy ladder. */
#include <stdlib.h>
#include <string.h>
#include "engine/eng.h"
#include "t.h"

static struct eng_reply r;
static struct eng *e;
static struct eng_state st;

/* The shipped engine and a fresh session, or a failed check. */
static int
start(void)
{
	char err[1024];

	e = eng_load("knowledge", "patterns", err, sizeof err);
	if (e == NULL)
		fprintf(stderr, "%s\n", err);
	ASSERT_NOT_NULL(e);
	eng_state_init(&st);
	return e != NULL;
}

static void
ask(const char *q)
{
	eng_ask(e, &st, q, strlen(q), &r);
	ASSERT(r.nsuggestions > 0 || r.noptions > 0);
}

TEST_IMPL(dlg_follow_up_filled_and_carried)
{
	if (!start())
		return;
	ask("what does a co-producer do");
	ASSERT_EQ(r.kind, ENG_ANSWER);
	ASSERT_STR_EQ(r.intent, "duties");
	ASSERT_STR_EQ(st.role, "co-producer");
	ASSERT_STR_EQ(st.pending, "industry");
	ASSERT_GE(r.noptions, 2);
	/* typed answer fills the slot and re-answers the same intent */
	ask("it's for an album");
	ASSERT_STR_EQ(r.intent, "duties");
	ASSERT_STR_EQ(st.industry, "music");
	ASSERT_STR_HAS(r.text, "studio");
	/* next dimension offered once */
	ASSERT_STR_EQ(st.pending, "capacity");
	/* an unrelated question: the pending question is kept once... */
	ask("what's the weather like in london");
	ASSERT_EQ(r.kind, ENG_FALLBACK);
	ASSERT_NULL(r.intent);
	ASSERT_STR_EQ(st.pending, "capacity");
	ask("the money side");
	ASSERT_STR_EQ(st.capacity, "funding");
	ASSERT_STR_EQ(r.intent, "duties");
	/* carry-over */
	ask("and an associate producer?");
	ASSERT_STR_EQ(r.intent, "duties");
	ASSERT_STR_EQ(st.role, "associate-producer");
	ASSERT_STR_EQ(st.industry, "music");
	ASSERT_EQ(r.noptions, 0);         /* both dimensions already asked */
	ask("how is that different from a producer?");
	ASSERT_STR_EQ(r.intent, "compare");
	ASSERT_STR_EQ(st.role, "associate-producer");
	ASSERT_STR_EQ(st.other_role, "producer");
	eng_free(e);
}

TEST_IMPL(dlg_compare_then_other_one)
{
	if (!start())
		return;
	/* after a comparison, a new role is compared with the same one */
	ask("line producer vs upm");
	ask("and a showrunner?");
	ASSERT_STR_EQ(r.intent, "compare");
	ASSERT_EQ(r.kind, ENG_ANSWER);
	ASSERT_STR_EQ(st.role, "line-producer");
	ASSERT_STR_EQ(st.other_role, "showrunner");
	/* "the other one" swaps to the other role of the conversation */
	ask("who does the line producer answer to");
	ask("ok what about the other one");
	ASSERT_STR_EQ(r.intent, "hierarchy");
	ASSERT_STR_EQ(st.role, "showrunner");
	eng_free(e);
}

TEST_IMPL(dlg_pending_dropped_after_two_turns)
{
	struct eng_state st2;
	json_t *j;

	if (!start())
		return;
	ask("what is an associate producer");
	ASSERT(st.pending[0] != '\0');
	ask("asdf qwer");
	ask("zxcv uiop");
	ASSERT(st.pending[0] == '\0');
	ask("film");
	ASSERT_EQ(r.kind, ENG_ANSWER);    /* carry-over, not a stale fill */
	/* state survives JSON */
	j = eng_state_to_json(&st);
	ASSERT_OK(eng_state_from_json(&st2, j));
	ASSERT(eng_state_equal(&st, &st2));
	json_decref(j);
	j = json_pack("{s:i}", "role", 5);
	ASSERT_EQ(eng_state_from_json(&st2, j), -1);
	json_decref(j);
	/* reset clears everything */
	ask("start over please");
	ASSERT_STR_EQ(r.intent, "reset");
	ASSERT_EQ(r.kind, ENG_SMALLTALK);
	ASSERT(st.role[0] == '\0' && st.industry[0] == '\0' && st.asked == 0);
	eng_free(e);
}

TEST_IMPL(dlg_uncovered_role_falls_back)
{
	if (!start())
		return;
	ask("what does a co-producer do");
	ask("what does a gaffer do");
	ASSERT_EQ(r.kind, ENG_FALLBACK);
	ASSERT_NULL(r.intent);
	eng_free(e);
}

TEST_IMPL(dlg_hostile_input)
{
	char *huge;
	int i;

	if (!start())
		return;
	eng_ask(e, &st, "", 0, &r);
	ASSERT_EQ(r.kind, ENG_FALLBACK);
	eng_ask(e, &st, NULL, 0, &r);
	ASSERT_EQ(r.kind, ENG_FALLBACK);
	eng_ask(e, &st, "co\0producer", 11, &r);
	eng_ask(e, &st, "\xff\xfe\xc0\x80", 4, &r);
	ASSERT_EQ(r.kind, ENG_FALLBACK);
	huge = malloc(1 << 20);
	for (i = 0; i < (1 << 20); i++)
		huge[i] = "a(["[i % 3];
	eng_ask(e, &st, huge, 1 << 20, &r);
	ASSERT_EQ(r.kind, ENG_FALLBACK);
	memset(huge, 'a', 1 << 20);
	eng_ask(e, &st, huge, 1 << 20, &r);
	ASSERT_EQ(r.kind, ENG_FALLBACK);
	free(huge);
	eng_free(e);
}

TEST_IMPL(dlg_typo_noted_in_front)
{
	if (!start())
		return;
	/* a typo is corrected and reported */
	ask("what does an exectuive producer do");
	ASSERT_STR_EQ(st.role, "executive-producer");
	ASSERT_EQ(r.ncorrections, 1);
	ASSERT_STR_HAS(r.text, "exectuive");
	/* answers composed in pieces keep the typo note in front of them */
	eng_state_init(&st);
	ask("who does a co-prodcer answer to");
	ASSERT_EQ(strncmp(r.text, "(I read \"prodcer\"", 17), 0);
	ASSERT_STR_HAS(r.text, ".) A co-producer answers to");
	eng_state_init(&st);
	ask("do co-prodcers invest their own money");
	ASSERT_STR_EQ(r.intent, "funding");
	ASSERT_EQ(strncmp(r.text, "(I read", 7), 0);
	eng_state_init(&st);
	ask("I'm an executive prodcer, what's my next step?");
	ASSERT_STR_EQ(r.intent, "career");
	ASSERT_STR_HAS(r.text, ".) An executive producer");
	eng_free(e);
}

TEST_IMPL(dlg_hierarchy_ladder)
{
	if (!start())
		return;
	ask("I'm an executive prodcer, what's my next step?");
	/* hierarchy carries a ladder with the role highlighted */
	ask("who does a co-producer answer to");
	ASSERT_STR_EQ(r.intent, "hierarchy");
	ASSERT_GE(r.nladder, 2);
	ASSERT(r.ladder_focus >= 0 && r.ladder_focus < r.nladder);
	if (r.ladder_focus >= 0)
		ASSERT_STR_EQ(r.ladder[r.ladder_focus].value, "co-producer");
	eng_free(e);
}

TEST_IMPL(dlg_welcome)
{
	if (!start())
		return;
	eng_welcome(e, &st, &r);
	ASSERT_EQ(r.kind, ENG_SMALLTALK);
	ASSERT_STR_EQ(r.intent, "greeting");
	ASSERT_EQ(strncmp(r.text, "Hi! I answer questions", 22), 0);
	ask("what does a line producer do");
	eng_welcome(e, &st, &r);
	ASSERT_STR_HAS(r.text, "Welcome back! We were talking about the "
	    "line producer role.");
	ASSERT_GT(r.nsuggestions, 0);
	eng_free(e);
}

TEST_LIST(
	TEST_ENTRY(dlg_follow_up_filled_and_carried)
	TEST_ENTRY(dlg_compare_then_other_one)
	TEST_ENTRY(dlg_pending_dropped_after_two_turns)
	TEST_ENTRY(dlg_uncovered_role_falls_back)
	TEST_ENTRY(dlg_hostile_input)
	TEST_ENTRY(dlg_typo_noted_in_front)
	TEST_ENTRY(dlg_hierarchy_ladder)
	TEST_ENTRY(dlg_welcome)
)
