/* test_dlg.c - dialogue transitions on the shipped knowledge and patterns.
 * Exercises: a follow-up asked then filled by a typed answer and re-answered
 * tailored; never asked twice; a pending follow-up survives one unrelated
 * turn and is then dropped; carry-over of role and industry; reset; state
 * JSON round trip (and rejection of bad state); hostile input (empty,
 * huge, NUL bytes, invalid UTF-8) always yields a fallback, never a crash;
 * every reply reports its intent and carries suggestions. */
#include <string.h>
#include "engine/eng.h"

#include "t.h"

static struct eng_reply r;

static void
ask(struct eng *e, struct eng_state *st, const char *q)
{
	eng_ask(e, st, q, strlen(q), &r);
	CHECK(r.nsuggestions > 0 || r.noptions > 0);
}

int
main(void)
{
	char err[1024], *huge;
	struct eng *e = eng_load("knowledge", "patterns", err, sizeof err);
	struct eng_state st, st2;
	json_t *j;
	int i;

	if (e == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	eng_state_init(&st);
	ask(e, &st, "what does a co-producer do");
	CHECK(r.kind == ENG_ANSWER);
	CHECK_STR(r.intent, "duties");
	CHECK_STR(st.role, "co-producer");
	CHECK_STR(st.pending, "industry");
	CHECK(r.noptions >= 2);

	/* typed answer fills the slot and re-answers the same intent */
	ask(e, &st, "it's for an album");
	CHECK_STR(r.intent, "duties");
	CHECK_STR(st.industry, "music");
	CHECK(strstr(r.text, "studio") != NULL);
	/* next dimension offered once */
	CHECK_STR(st.pending, "capacity");

	/* an unrelated question: the pending question is kept once... */
	ask(e, &st, "what's the weather like in london");
	CHECK(r.kind == ENG_FALLBACK);
	CHECK(r.intent == NULL);
	CHECK_STR(st.pending, "capacity");
	ask(e, &st, "the money side");
	CHECK_STR(st.capacity, "funding");
	CHECK_STR(r.intent, "duties");

	/* carry-over */
	ask(e, &st, "and an associate producer?");
	CHECK_STR(r.intent, "duties");
	CHECK_STR(st.role, "associate-producer");
	CHECK_STR(st.industry, "music");
	CHECK(r.noptions == 0);           /* both dimensions already asked */
	ask(e, &st, "how is that different from a producer?");
	CHECK_STR(r.intent, "compare");
	CHECK_STR(st.role, "associate-producer");
	CHECK_STR(st.other_role, "producer");

	/* after a comparison, a new role is compared with the same one */
	eng_state_init(&st);
	ask(e, &st, "line producer vs upm");
	ask(e, &st, "and a showrunner?");
	CHECK_STR(r.intent, "compare");
	CHECK(r.kind == ENG_ANSWER);
	CHECK_STR(st.role, "line-producer");
	CHECK_STR(st.other_role, "showrunner");
	/* "the other one" swaps to the other role of the conversation */
	ask(e, &st, "who does the line producer answer to");
	ask(e, &st, "ok what about the other one");
	CHECK_STR(r.intent, "hierarchy");
	CHECK_STR(st.role, "showrunner");

	/* ...and dropped after two unrelated turns */
	eng_state_init(&st);
	ask(e, &st, "what is an associate producer");
	CHECK(st.pending[0] != '\0');
	ask(e, &st, "asdf qwer");
	ask(e, &st, "zxcv uiop");
	CHECK(st.pending[0] == '\0');
	ask(e, &st, "film");
	CHECK(r.kind == ENG_ANSWER);      /* carry-over, not a stale fill */

	/* state survives JSON */
	j = eng_state_to_json(&st);
	CHECK(eng_state_from_json(&st2, j) == 0);
	CHECK(eng_state_equal(&st, &st2));
	json_decref(j);
	j = json_pack("{s:i}", "role", 5);
	CHECK(eng_state_from_json(&st2, j) == -1);
	json_decref(j);

	/* reset clears everything */
	ask(e, &st, "start over please");
	CHECK_STR(r.intent, "reset");
	CHECK(r.kind == ENG_SMALLTALK);
	CHECK(st.role[0] == '\0' && st.industry[0] == '\0' && st.asked == 0);

	/* a role the knowledge base does not cover never gets an answer */
	eng_state_init(&st);
	ask(e, &st, "what does a co-producer do");
	ask(e, &st, "what does a gaffer do");
	CHECK(r.kind == ENG_FALLBACK);
	CHECK(r.intent == NULL);

	/* hostile input */
	eng_state_init(&st);
	eng_ask(e, &st, "", 0, &r);
	CHECK(r.kind == ENG_FALLBACK);
	eng_ask(e, &st, NULL, 0, &r);
	CHECK(r.kind == ENG_FALLBACK);
	eng_ask(e, &st, "co\0producer", 11, &r);
	eng_ask(e, &st, "\xff\xfe\xc0\x80", 4, &r);
	CHECK(r.kind == ENG_FALLBACK);
	huge = malloc(1 << 20);
	for (i = 0; i < (1 << 20); i++)
		huge[i] = "a(["[i % 3];
	eng_ask(e, &st, huge, 1 << 20, &r);
	CHECK(r.kind == ENG_FALLBACK);
	memset(huge, 'a', 1 << 20);
	eng_ask(e, &st, huge, 1 << 20, &r);
	CHECK(r.kind == ENG_FALLBACK);
	free(huge);

	/* a typo is corrected and reported */
	eng_state_init(&st);
	ask(e, &st, "what does an exectuive producer do");
	CHECK_STR(st.role, "executive-producer");
	CHECK(r.ncorrections == 1);
	CHECK(strstr(r.text, "exectuive") != NULL);

	/* answers composed in pieces keep the typo note in front of them */
	eng_state_init(&st);
	ask(e, &st, "who does a co-prodcer answer to");
	CHECK(strncmp(r.text, "(I read \"prodcer\"", 17) == 0);
	CHECK(strstr(r.text, ".) A co-producer answers to") != NULL);
	eng_state_init(&st);
	ask(e, &st, "do co-prodcers invest their own money");
	CHECK_STR(r.intent, "funding");
	CHECK(strncmp(r.text, "(I read", 7) == 0);
	eng_state_init(&st);
	ask(e, &st, "I'm an executive prodcer, what's my next step?");
	CHECK_STR(r.intent, "career");
	CHECK(strstr(r.text, ".) An executive producer") != NULL);

	/* hierarchy carries a ladder with the role highlighted */
	ask(e, &st, "who does a co-producer answer to");
	CHECK_STR(r.intent, "hierarchy");
	CHECK(r.nladder >= 2);
	CHECK(r.ladder_focus >= 0 && r.ladder_focus < r.nladder);
	if (r.ladder_focus >= 0)
		CHECK_STR(r.ladder[r.ladder_focus].value, "co-producer");
	eng_free(e);
	T_DONE();
}
