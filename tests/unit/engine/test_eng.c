/* test_eng.c - the engine facade.
 * Exercises: eng_load() refuses a missing directory with a message; the
 * version names knowledge and patterns; eng_describe() lists every role
 * and topic; eng_ask() answers and eng_stats() starts at no limit hit. */
#include <stdlib.h>
#include <string.h>
#include "engine/eng.h"
#include "t.h"

TEST_IMPL(eng_load_refuses_missing)
{
	char err[1024] = "";

	ASSERT_NULL(eng_load("/nonexistent", "patterns", err, sizeof err));
	ASSERT_STR_HAS(err, "/nonexistent");
	err[0] = '\0';
	ASSERT_NULL(eng_load("knowledge", "/nonexistent", err, sizeof err));
	ASSERT_STR_HAS(err, "/nonexistent");
}

TEST_IMPL(eng_version_and_describe)
{
	char err[1024], *text = NULL;
	size_t len = 0;
	struct eng *e = eng_load("knowledge", "patterns", err, sizeof err);
	struct eng_reply r;
	struct eng_state st;
	FILE *f;

	ASSERT_NOT_NULL(e);
	if (e == NULL)
		return;
	ASSERT_EQ(strncmp(eng_version(e), "kb-", 3), 0);
	ASSERT_STR_HAS(eng_version(e), "-p");
	ASSERT_EQ(strlen(eng_version(e)), strlen("kb-12345678-p12345678"));
	f = open_memstream(&text, &len);
	eng_describe(e, f);
	fclose(f);
	ASSERT_EQ(strncmp(text, "knowledge kb-", 13), 0);
	ASSERT_STR_HAS(text, "co-producer");
	ASSERT_STR_HAS(text, " definition[");
	ASSERT_STR_HAS(text, "variations:");
	ASSERT_STR_HAS(text, "  topic ");
	free(text);
	eng_state_init(&st);
	eng_ask(e, &st, "what is a line producer", 23, &r);
	ASSERT_EQ(r.kind, ENG_ANSWER);
	ASSERT_STR_EQ(r.slots.role, "line-producer");
	ASSERT_EQ(eng_stats(e).regex_limit_hits, 0);
	eng_free(e);
}

TEST_LIST(
	TEST_ENTRY(eng_load_refuses_missing)
	TEST_ENTRY(eng_version_and_describe)
)
