/* test_log.c - escaping untrusted text for the log.  Exercises: quotes
 * around plain text; \", \\, \n and \t; \xNN for control bytes, DEL and
 * every byte of UTF-8 (no terminal escapes or bidi overrides reach the
 * log); embedded NULs counted by length; a long text cut with "..." and
 * never past the buffer; buffers too small for anything left empty; the
 * level threshold (log_on). */
#include <string.h>
#include "server/log.h"
#include "t.h"

static const char *
esc(const char *s, size_t len)
{
	static char buf[128];

	return log_esc(buf, sizeof buf, s, len);
}

TEST_IMPL(log_esc_plain)
{
	ASSERT_STR_EQ(esc("hello world", 11), "\"hello world\"");
	ASSERT_STR_EQ(esc("", 0), "\"\"");
	/* by length, not by NUL */
	ASSERT_STR_EQ(esc("abcdef", 3), "\"abc\"");
}

TEST_IMPL(log_esc_specials)
{
	ASSERT_STR_EQ(esc("say \"hi\"", 8), "\"say \\\"hi\\\"\"");
	ASSERT_STR_EQ(esc("a\\b", 3), "\"a\\\\b\"");
	ASSERT_STR_EQ(esc("a\nb\tc", 5), "\"a\\nb\\tc\"");
	ASSERT_STR_EQ(esc("\r\x1b[2J", 5), "\"\\x0d\\x1b[2J\"");
	ASSERT_STR_EQ(esc("a\0b", 3), "\"a\\x00b\"");
	ASSERT_STR_EQ(esc("\x7f", 1), "\"\\x7f\"");
	/* é and U+202E (right-to-left override) byte by byte */
	ASSERT_STR_EQ(esc("\xc3\xa9", 2), "\"\\xc3\\xa9\"");
	ASSERT_STR_EQ(esc("\xe2\x80\xae", 3), "\"\\xe2\\x80\\xae\"");
}

TEST_IMPL(log_esc_truncates)
{
	char buf[16], big[200];

	memset(big, 'a', sizeof big);
	log_esc(buf, sizeof buf, big, sizeof big);
	ASSERT_STR_EQ(buf, "\"aaaaaaaaaa...\"");
	ASSERT_LT(strlen(buf), sizeof buf);
	/* an escape is not split across the cut */
	log_esc(buf, sizeof buf, "aaaaaaaa\x01\x02", 10);
	ASSERT_STR_EQ(buf, "\"aaaaaaaa...\"");
	/* exactly fitting: no "..." */
	log_esc(buf, sizeof buf, "aaaaaaaaaa", 10);
	ASSERT_STR_EQ(buf, "\"aaaaaaaaaa\"");
}

TEST_IMPL(log_esc_tiny_buffer)
{
	char buf[8] = "xxxxxxx";

	log_esc(buf, 7, "abc", 3);
	ASSERT_STR_EQ(buf, "");
	buf[0] = 'x';
	log_esc(buf, 0, "abc", 3);
	ASSERT_EQ(buf[0], 'x');
	/* room is always kept for the ..." of a cut */
	log_esc(buf, 8, "abc", 3);
	ASSERT_STR_EQ(buf, "\"ab...\"");
	{
		char b9[9];

		log_esc(b9, sizeof b9, "abc", 3);
		ASSERT_STR_EQ(b9, "\"abc\"");
	}
}

TEST_IMPL(log_levels)
{
	log_set_level(LOG_WARN);
	ASSERT(log_on(LOG_ERROR));
	ASSERT(log_on(LOG_WARN));
	ASSERT(!log_on(LOG_INFO));
	ASSERT(!log_on(LOG_DEBUG));
	log_set_level(LOG_DEBUG);
	ASSERT(log_on(LOG_DEBUG));
	ASSERT_STR_EQ(log_level_names[LOG_INFO], "info");
	ASSERT_NULL(log_level_names[LOG_DEBUG + 1]);
}

TEST_LIST(
	TEST_ENTRY(log_esc_plain)
	TEST_ENTRY(log_esc_specials)
	TEST_ENTRY(log_esc_truncates)
	TEST_ENTRY(log_esc_tiny_buffer)
	TEST_ENTRY(log_levels)
)
