/* test_jw.c - the JSON text writer.
 * Exercises: strings escaped (quote, backslash, newline, other control
 * bytes as \u00xx, UTF-8 as it is); null for NULL and ""; a fixed buffer
 * that runs out stays failed (length 0) and never overflows; a growing
 * writer started at one byte; jw_clear() starting over. */
#include <stdlib.h>
#include "common/jw.h"
#include "t.h"

TEST_IMPL(jw_escapes)
{
	char buf[128];
	struct jw w;

	jw_fixed(&w, buf, sizeof buf);
	jw_str(&w, "a\"b\\c\nd\x01" "e caf\xc3\xa9");
	ASSERT_STR_EQ(buf, "\"a\\\"b\\\\c\\nd\\u0001e caf\xc3\xa9\"");
	ASSERT_EQ(jw_len(&w), strlen(buf));
	jw_fixed(&w, buf, sizeof buf);
	jw_str_or_null(&w, NULL);
	jw_lit(&w, ",");
	jw_str_or_null(&w, "");
	jw_lit(&w, ",");
	jw_str_or_null(&w, "x");
	ASSERT_STR_EQ(buf, "null,null,\"x\"");
}

TEST_IMPL(jw_fixed_full)
{
	char buf[8] = "zzzzzzz";
	struct jw w;

	jw_fixed(&w, buf, 6);
	jw_lit(&w, "abc");
	ASSERT_EQ(jw_len(&w), 3);
	jw_lit(&w, "def");          /* would need 7 bytes with the NUL */
	ASSERT_EQ(jw_len(&w), 0);
	jw_lit(&w, "g");            /* stays failed */
	ASSERT_EQ(jw_len(&w), 0);
	ASSERT_EQ(buf[6], 'z');     /* nothing past cap */
	jw_clear(&w);
	jw_lit(&w, "ok");
	ASSERT_EQ(jw_len(&w), 2);
	ASSERT_STR_EQ(buf, "ok");
	jw_fixed(&w, buf, 0);
	jw_lit(&w, "");
	ASSERT_EQ(jw_len(&w), 0);
}

TEST_IMPL(jw_grows)
{
	struct jw w;
	char *s;
	int i;

	jw_grow(&w, 1);
	for (i = 0; i < 1000; i++)
		jw_raw(&w, "0123456789", i % 10 + 1);
	ASSERT_EQ(jw_len(&w), 5500);
	jw_clear(&w);
	ASSERT_EQ(jw_len(&w), 0);
	jw_str(&w, "q");
	s = jw_take(&w);
	ASSERT_STR_EQ(s, "\"q\"");
	free(s);
}

TEST_LIST(
	TEST_ENTRY(jw_escapes)
	TEST_ENTRY(jw_fixed_full)
	TEST_ENTRY(jw_grows)
)
