/* test_wire.c - the protocol's name tables.  Exercises: every type, code
 * and refusal named as docs/protocol.md and /metrics spell them, in the
 * order /metrics lists them; a type found by its name and anything else
 * taken for "other"; values out of range named "other". */
#include "server/wire.h"
#include "t.h"

TEST_IMPL(wire_type_names)
{
	ASSERT_STR_EQ(wire_type_name(WIRE_HELLO), "hello");
	ASSERT_STR_EQ(wire_type_name(WIRE_ASK), "ask");
	ASSERT_STR_EQ(wire_type_name(WIRE_RESET), "reset");
	ASSERT_STR_EQ(wire_type_name(WIRE_FORGET), "forget");
	ASSERT_STR_EQ(wire_type_name(WIRE_OTHER), "other");
	ASSERT_STR_EQ(wire_type_name(WIRE_NTYPE), "other");
}

TEST_IMPL(wire_type_find)
{
	for (int t = 0; t < WIRE_NTYPE; t++)
		ASSERT_EQ(wire_type_find(wire_type_name((enum wire_type)t)), t);
	ASSERT_EQ(wire_type_find("Hello"), WIRE_OTHER);
	ASSERT_EQ(wire_type_find("ask "), WIRE_OTHER);
	ASSERT_EQ(wire_type_find(""), WIRE_OTHER);
	ASSERT_EQ(wire_type_find(NULL), WIRE_OTHER);
}

TEST_IMPL(wire_code_names)
{
	static const char *const want[] = { "bad_json", "bad_type",
		"bad_field", "too_long", "rate_limited", "storage",
		"shutting_down", "other" };

	ASSERT_EQ(WIRE_NCODE, 8);
	for (int c = 0; c < WIRE_NCODE; c++)
		ASSERT_STR_EQ(wire_code_name((enum wire_code)c), want[c]);
	ASSERT_STR_EQ(wire_code_name((enum wire_code)-1), "other");
}

TEST_IMPL(wire_refusal_names)
{
	static const char *const want[] = { "origin", "path", "limit",
		"per_ip", "tcp_per_ip", "shutting_down", "other" };

	ASSERT_EQ(WIRE_NREFUSAL, 7);
	for (int r = 0; r < WIRE_NREFUSAL; r++)
		ASSERT_STR_EQ(wire_refusal_name((enum wire_refusal)r), want[r]);
	ASSERT_STR_EQ(wire_refusal_name(WIRE_NREFUSAL), "other");
}

TEST_LIST(
	TEST_ENTRY(wire_type_names)
	TEST_ENTRY(wire_type_find)
	TEST_ENTRY(wire_code_names)
	TEST_ENTRY(wire_refusal_names)
)
