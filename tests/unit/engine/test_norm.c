/* test_norm.c - normalisation and edit distance.
 * Exercises: case folding, Unicode punctuation and accents, invalid UTF-8,
 * NUL and control bytes, collapsing, truncation, edit distance. */
#include <stdlib.h>
#include "engine/norm.h"
#include "t.h"

static const char *
n(const char *in, size_t len)
{
	static char out[256];

	norm_text(in, len, out, sizeof out);
	return out;
}

#define N(s) n(s, strlen(s))

TEST_IMPL(norm_folding)
{
	ASSERT_STR_EQ(N("What does a Co-Producer DO??"),
	    "what does a co-producer do?");
	ASSERT_STR_EQ(N("  lots   of\t\nspace  "), "lots of space");
	ASSERT_STR_EQ(N("it\xe2\x80\x99s the producer\xe2\x80\x99s call"),
	    "it's the producer's call");
	ASSERT_STR_EQ(N("co\xe2\x80\x93producer"), "co-producer");
	ASSERT_STR_EQ(N("th\xc3\xa9\xc3\xa2tre"), "theatre");
	ASSERT_STR_EQ(N("\xe2\x80\x9cquoted\xe2\x80\x9d"), "\"quoted\"");
	ASSERT_STR_EQ(N("wow!!!!!! ......"), "wow! .");
}

TEST_IMPL(norm_bad_bytes)
{
	/* invalid UTF-8, a lone continuation byte, a truncated sequence */
	ASSERT_STR_EQ(N("a\xff" "b\x80" "c\xe2\x80"), "a b c");
	/* an overlong encoding of '/' must not become '/' */
	ASSERT_STR_EQ(N("x\xc0\xaf" "y"), "x y");
	ASSERT_STR_EQ(n("ab\0cd", 5), "ab cd");
	ASSERT_STR_EQ(N("\x01\x02\x7f"), "");
	ASSERT_STR_EQ(N(""), "");
}

TEST_IMPL(norm_truncation)
{
	char out[8], buf[256];

	norm_text("abcdefghijkl", 12, out, sizeof out);
	ASSERT_STR_EQ(out, "abcdefg");
	ASSERT_EQ(norm_text("x", 1, out, 0), 0);
	memset(buf, 'a', sizeof buf);
	ASSERT_EQ(norm_text(buf, sizeof buf, out, sizeof out), 7);
}

TEST_IMPL(norm_distance)
{
	ASSERT_EQ(norm_distance("producer", 8, "producer", 8, 2), 0);
	ASSERT_EQ(norm_distance("prodcuer", 8, "producer", 8, 2), 1);
	ASSERT_EQ(norm_distance("exectuive", 9, "executive", 9, 2), 1);
	ASSERT_EQ(norm_distance("assosiate", 9, "associate", 9, 2), 1);
	ASSERT_EQ(norm_distance("cat", 3, "producer", 8, 2), 3);
	ASSERT_EQ(norm_distance("", 0, "ab", 2, 2), 2);
}

TEST_LIST(
	TEST_ENTRY(norm_folding)
	TEST_ENTRY(norm_bad_bytes)
	TEST_ENTRY(norm_truncation)
	TEST_ENTRY(norm_distance)
)
