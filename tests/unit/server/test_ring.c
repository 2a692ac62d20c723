/* test_ring.c - the replies kept in memory for --no-transcripts.
 * Exercises: a reply found by session and id, and not by either alone;
 * the oldest entry overwritten once the ring is full; an undone
 * transaction forgetting what it added and only that; forgetting a
 * session's replies. */
#include <stdio.h>
#include "server/ring.h"
#include "t.h"

static const char a[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
static const char b[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

TEST_IMPL(ring_find_by_session_and_id)
{
	struct ring *r = ring_new();

	ring_begin(r);
	ring_add(r, a, "q1", "{\"text\":\"a1\"}");
	ring_add(r, b, "q1", "{\"text\":\"b1\"}");
	ASSERT_STR_EQ(ring_find(r, a, "q1"), "{\"text\":\"a1\"}");
	ASSERT_STR_EQ(ring_find(r, b, "q1"), "{\"text\":\"b1\"}");
	ASSERT_NULL(ring_find(r, a, "q2"));
	ASSERT_NULL(ring_find(r, "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", "q1"));
	ring_free(r);
}

TEST_IMPL(ring_oldest_overwritten)
{
	struct ring *r = ring_new();
	char id[16];

	ring_begin(r);
	for (int i = 0; i < RING_SIZE + 1; i++) {
		snprintf(id, sizeof id, "q%d", i);
		ring_add(r, a, id, "{}");
	}
	ASSERT_NULL(ring_find(r, a, "q0"));
	ASSERT_NOT_NULL(ring_find(r, a, "q1"));
	snprintf(id, sizeof id, "q%d", RING_SIZE);
	ASSERT_NOT_NULL(ring_find(r, a, id));
	ring_free(r);
}

TEST_IMPL(ring_undo_forgets_transaction)
{
	struct ring *r = ring_new();

	ring_begin(r);
	ring_add(r, a, "kept", "{}");
	ring_begin(r);
	ring_add(r, a, "undone1", "{}");
	ring_add(r, a, "undone2", "{}");
	ring_undo(r);
	ASSERT_NOT_NULL(ring_find(r, a, "kept"));
	ASSERT_NULL(ring_find(r, a, "undone1"));
	ASSERT_NULL(ring_find(r, a, "undone2"));
	/* the freed entries are written next: nothing kept is overwritten */
	ring_add(r, a, "after", "{}");
	ASSERT_NOT_NULL(ring_find(r, a, "kept"));
	ASSERT_NOT_NULL(ring_find(r, a, "after"));
	ring_free(r);
}

TEST_IMPL(ring_forget_session)
{
	struct ring *r = ring_new();

	ring_begin(r);
	ring_add(r, a, "q1", "{}");
	ring_add(r, a, "q2", "{}");
	ring_add(r, b, "q1", "{}");
	ring_forget(r, a);
	ASSERT_NULL(ring_find(r, a, "q1"));
	ASSERT_NULL(ring_find(r, a, "q2"));
	ASSERT_NOT_NULL(ring_find(r, b, "q1"));
	ring_free(r);
}

TEST_LIST(
	TEST_ENTRY(ring_find_by_session_and_id)
	TEST_ENTRY(ring_oldest_overwritten)
	TEST_ENTRY(ring_undo_forgets_transaction)
	TEST_ENTRY(ring_forget_session)
)
