/* test_hash.c - FNV-1a.
 * Exercises: the published 32-bit FNV-1a values, folding in pieces giving
 * the hash of the whole, hash_str() agreeing with hash_bytes(). */
#include "common/hash.h"
#include "t.h"

TEST_IMPL(hash_known_values)
{
	ASSERT_EQ(hash_bytes(HASH_INIT, "", 0), 0x811c9dc5u);
	ASSERT_EQ(hash_str(HASH_INIT, "a"), 0xe40c292cu);
	ASSERT_EQ(hash_str(HASH_INIT, "foobar"), 0xbf9cf968u);
}

TEST_IMPL(hash_in_pieces)
{
	unsigned h = hash_bytes(HASH_INIT, "foo", 3);

	ASSERT_EQ(hash_bytes(h, "bar", 3), hash_str(HASH_INIT, "foobar"));
	ASSERT_EQ(hash_bytes(HASH_INIT, "a\0b", 3),
	    hash_bytes(hash_bytes(HASH_INIT, "a\0", 2), "b", 1));
	ASSERT_NE(hash_bytes(HASH_INIT, "a\0b", 3), hash_str(HASH_INIT, "ab"));
}

TEST_LIST(
	TEST_ENTRY(hash_known_values)
	TEST_ENTRY(hash_in_pieces)
)
