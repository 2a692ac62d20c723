/* test_stop.c - the stop word list.
 * Exercises: every listed word found (the binary search needs the list
 * sorted), content words and near misses not found, case sensitivity. */
#include "common/stop.h"
#include "t.h"

TEST_IMPL(stop_words_found)
{
	ASSERT(stop_is("a"));
	ASSERT(stop_is("about"));
	ASSERT(stop_is("the"));
	ASSERT(stop_is("your"));
	ASSERT(stop_is("what"));
	ASSERT(stop_is("s"));
}

TEST_IMPL(stop_content_words_not_found)
{
	ASSERT(!stop_is("producer"));
	ASSERT(!stop_is("budget"));
	ASSERT(!stop_is(""));
	ASSERT(!stop_is("th"));
	ASSERT(!stop_is("thee"));
	ASSERT(!stop_is("zzz"));
	ASSERT(!stop_is("The"));     /* callers fold case first */
}

TEST_LIST(
	TEST_ENTRY(stop_words_found)
	TEST_ENTRY(stop_content_words_not_found)
)
