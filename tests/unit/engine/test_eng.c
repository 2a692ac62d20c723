/* test_eng.c - the engine facade's JSON.
 * Exercises: eng_reply_write()/eng_state_write() produce exactly what the
 * jansson builders produce (same values after parsing), for replies with
 * options, corrections, sources and a ladder, and for awkward text
 * (quotes, backslashes, control characters); too small a fixed buffer
 * gives 0, never a truncated document; a growing writer, started far too
 * small, ends with the same text as a fixed one. */
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

int
main(void)
{
	static const char *qs[] = { "what does a co-prodcer do??", "music",
		"who does a co-producer answer to", "line producer vs upm",
		"I'm a production coordinator, how do I get to co-producer?",
		"what camera should I buy", "hi", NULL };
	static struct eng_reply r;
	char err[1024], small[64];
	struct eng *e = eng_load("knowledge", "patterns", err, sizeof err);
	struct eng_state st;
	int i;

	if (e == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	eng_state_init(&st);
	for (i = 0; qs[i]; i++) {
		eng_ask(e, &st, qs[i], strlen(qs[i]), &r);
		CHECK(same_as_jansson(&r, &st));
		CHECK(grows_the_same(&r));
	}
	/* text no knowledge entry has, but a future one might */
	snprintf(r.text, sizeof r.text, "a \"quote\", a \\ back\tslash\n\x01"
	    " and caf\xc3\xa9");
	snprintf(r.suggestions[0], sizeof r.suggestions[0], "\"\\");
	r.nsuggestions = 1;
	CHECK(same_as_jansson(&r, &st));
	CHECK(grows_the_same(&r));
	CHECK(reply_into(&r, small, sizeof small) == 0);
	CHECK(state_into(&st, small, 8) == 0);
	CHECK(reply_into(&r, small, 0) == 0);
	eng_free(e);
	T_DONE();
}
