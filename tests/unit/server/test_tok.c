/* test_tok.c - session tokens.  Exercises: a new token has the shape
 * tok_valid() accepts (32 base64url characters) and two are never the
 * same; shapes that are not a token refused (short, long, padding,
 * characters outside base64url, a trailing byte). */
#include <string.h>
#include "server/tok.h"
#include "t.h"

TEST_IMPL(tok_new_is_valid)
{
	char a[TOK_LEN + 1], b[TOK_LEN + 1];

	memset(a, 'x', sizeof a);
	ASSERT_OK(tok_new(a));
	ASSERT_OK(tok_new(b));
	ASSERT_EQ(strlen(a), TOK_LEN);
	ASSERT(tok_valid(a));
	ASSERT(tok_valid(b));
	ASSERT(strcmp(a, b) != 0);
	ASSERT_EQ(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_"), TOK_LEN);
}

TEST_IMPL(tok_valid_shapes)
{
	ASSERT(tok_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	ASSERT(tok_valid("azAZ09-_azAZ09-_azAZ09-_azAZ09-_"));
	ASSERT(!tok_valid(""));
	ASSERT(!tok_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	ASSERT(!tok_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	ASSERT(!tok_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="));
	ASSERT(!tok_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/"));
	ASSERT(!tok_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "));
	ASSERT(!tok_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"));
}

TEST_LIST(
	TEST_ENTRY(tok_new_is_valid)
	TEST_ENTRY(tok_valid_shapes)
)
