/* test_val.c - the engine's value types: replies and state as JSON, the
 * intent and kind name tables.
 * Exercises: eng_reply_write()/eng_state_write() produce exactly what the
 * jansson builders produce (same values after parsing), for replies with
 * options, corrections, sources and a ladder, and for awkward text
 * (quotes, backslashes, control characters); too small a fixed buffer
 * gives 0, never a truncated document; a growing writer, started far too
 * small, ends with the same text as a fixed one; a state survives
 * eng_state_to_json()/eng_state_from_json() (bad slots refused, NULL and
 * "" alike); the intent and kind tables answer both ways. */
#include <stdlib.h>
#include <string.h>
#include "engine/eng.h"
#include "t.h"

static size_t
reply_into(const struct eng_reply *r, char *buf, size_t cap)
{
	struct jw w;

	jw_fixed(&w, buf, cap);
	return eng_reply_write(&w, r);
}

static size_t
state_into(const struct eng_state *st, char *buf, size_t cap)
{
	struct jw w;

	jw_fixed(&w, buf, cap);
	return eng_state_write(&w, st);
}

/* A writer that starts with 1 byte grows to the same text. */
static int
grows_the_same(const struct eng_reply *r)
{
	char fixed[16384];
	struct jw w;
	char *grown;
	size_t n = reply_into(r, fixed, sizeof fixed);
	int ok;

	jw_grow(&w, 1);
	ok = eng_reply_write(&w, r) == n;
	grown = jw_take(&w);
	ok = ok && n > 0 && strcmp(grown, fixed) == 0;
	free(grown);
	return ok;
}

static int
same_as_jansson(const struct eng_reply *r, const struct eng_state *st)
{
	char buf[16384], wrapped[16500];
	json_t *a, *b;
	int ok;
	size_t n = reply_into(r, buf, sizeof buf);

	if (n == 0 || n != strlen(buf))
		return 0;
	snprintf(wrapped, sizeof wrapped, "{%s}", buf);
	a = json_loads(wrapped, 0, NULL);
	b = eng_reply_json(r);
	ok = a && json_equal(a, b);
	json_decref(a);
	json_decref(b);
	n = state_into(st, buf, sizeof buf);
	a = json_loads(buf, 0, NULL);
	b = eng_state_to_json(st);
	ok = ok && n > 0 && a && json_equal(a, b);
	json_decref(a);
	json_decref(b);
	return ok;
}

static const char *qs[] = { "what does a co-prodcer do??", "music",
	"who does a co-producer answer to", "line producer vs upm",
	"I'm a production coordinator, how do I get to co-producer?",
	"what camera should I buy", "hi", NULL };
static struct eng_reply r;

TEST_IMPL(val_reply_text_matches_jansson)
{
	char err[1024], small[64];
	struct eng *e = eng_load("knowledge", "patterns", err, sizeof err);
	struct eng_state st;
	int i;

	ASSERT_NOT_NULL(e);
	if (e == NULL) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	eng_state_init(&st);
	for (i = 0; qs[i]; i++) {
		eng_ask(e, &st, qs[i], strlen(qs[i]), &r);
		ASSERT(same_as_jansson(&r, &st));
		ASSERT(grows_the_same(&r));
	}
	/* text no knowledge entry has, but a future one might */
	snprintf(r.text, sizeof r.text, "a \"quote\", a \\ back\tslash\n\x01"
	    " and caf\xc3\xa9");
	snprintf(r.suggestions[0], sizeof r.suggestions[0], "\"\\");
	r.nsuggestions = 1;
	ASSERT(same_as_jansson(&r, &st));
	ASSERT(grows_the_same(&r));
	ASSERT_EQ(reply_into(&r, small, sizeof small), 0);
	ASSERT_EQ(state_into(&st, small, 8), 0);
	ASSERT_EQ(reply_into(&r, small, 0), 0);
	eng_free(e);
}

TEST_IMPL(val_state_round_trip)
{
	struct eng_state st, back;
	json_t *j;
	char buf[1024];

	eng_state_init(&st);
	snprintf(st.role, sizeof st.role, "line-producer");
	snprintf(st.other_role, sizeof st.other_role, "upm");
	snprintf(st.industry, sizeof st.industry, "tv");
	snprintf(st.last_intent, sizeof st.last_intent, "compare");
	snprintf(st.pending, sizeof st.pending, "capacity");
	st.asked = ENG_ASKED_INDUSTRY | ENG_ASKED_ROLE;
	st.pending_age = 1;
	j = eng_state_to_json(&st);
	ASSERT_STR_EQ(json_string_value(json_object_get(j, "role")),
	    "line-producer");
	ASSERT(json_is_null(json_object_get(j, "capacity")));
	ASSERT_OK(eng_state_from_json(&back, j));
	ASSERT(eng_state_equal(&st, &back));
	json_decref(j);
	/* the text writer's state reads back the same */
	ASSERT_GT(state_into(&st, buf, sizeof buf), 0);
	j = json_loads(buf, 0, NULL);
	ASSERT_OK(eng_state_from_json(&back, j));
	ASSERT(eng_state_equal(&st, &back));
	json_decref(j);
	/* a different slot is a different state */
	back.asked = 0;
	ASSERT(!eng_state_equal(&st, &back));
}

TEST_IMPL(val_state_refused)
{
	struct eng_state st;
	char longid[ENG_ID_MAX + 8];
	json_t *j;

	j = json_pack("{s:i}", "role", 5);
	ASSERT_EQ(eng_state_from_json(&st, j), -1);
	json_decref(j);
	memset(longid, 'x', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	j = json_pack("{s:s}", "industry", longid);
	ASSERT_EQ(eng_state_from_json(&st, j), -1);
	json_decref(j);
	j = json_array();
	ASSERT_EQ(eng_state_from_json(&st, j), -1);
	json_decref(j);
	/* absent and null slots are unset */
	j = json_pack("{s:n}", "role");
	ASSERT_OK(eng_state_from_json(&st, j));
	ASSERT_STR_EQ(st.role, "");
	json_decref(j);
}

TEST_IMPL(val_name_tables)
{
	int i;

	for (i = 0; i < ENG_I_N; i++)
		ASSERT_EQ(eng_intent_find(eng_intent_name(i)), i);
	ASSERT_STR_EQ(eng_intent_name(ENG_I_DEFINITION), "definition");
	ASSERT_STR_EQ(eng_intent_name(ENG_I_RESET), "reset");
	ASSERT_NULL(eng_intent_name(-1));
	ASSERT_NULL(eng_intent_name(ENG_I_N));
	ASSERT_EQ(eng_intent_find("weather"), -1);
	ASSERT(!eng_intent_smalltalk(ENG_I_FUNDING));
	ASSERT(eng_intent_smalltalk(ENG_I_GREETING));
	ASSERT(eng_intent_smalltalk(ENG_I_RESET));
	ASSERT_STR_EQ(eng_kind_name(ENG_ANSWER), "answer");
	ASSERT_STR_EQ(eng_kind_name(ENG_SMALLTALK), "smalltalk");
	ASSERT_STR_EQ(eng_kind_name((enum eng_kind)99), "fallback");
}

TEST_LIST(
	TEST_ENTRY(val_reply_text_matches_jansson)
	TEST_ENTRY(val_state_round_trip)
	TEST_ENTRY(val_state_refused)
	TEST_ENTRY(val_name_tables)
)
