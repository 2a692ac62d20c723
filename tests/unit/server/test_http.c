/* test_http.c - the Origin rule applied before a WebSocket upgrade
 * (http_origin_allowed).  Exercises: same origin as Host over http and
 * https, in any case; another host, another port, a scheme that is
 * neither, and no Host refused; --allow-origin entries matched whole and
 * in any case; "*" allowing anything. */
#include <stddef.h>
#include "server/http.h"
#include "t.h"

TEST_IMPL(http_origin_same_host)
{
	ASSERT(http_origin_allowed("http://slate.example", "slate.example",
	    NULL, 0));
	ASSERT(http_origin_allowed("https://slate.example:8443",
	    "slate.example:8443", NULL, 0));
	ASSERT(http_origin_allowed("HTTPS://Slate.Example", "slate.example",
	    NULL, 0));
}

TEST_IMPL(http_origin_other_refused)
{
	ASSERT(!http_origin_allowed("https://evil.example", "slate.example",
	    NULL, 0));
	ASSERT(!http_origin_allowed("http://slate.example:81",
	    "slate.example", NULL, 0));
	ASSERT(!http_origin_allowed("ftp://slate.example", "slate.example",
	    NULL, 0));
	ASSERT(!http_origin_allowed("slate.example", "slate.example", NULL,
	    0));
	ASSERT(!http_origin_allowed("null", "slate.example", NULL, 0));
	ASSERT(!http_origin_allowed("http://slate.example", NULL, NULL, 0));
	ASSERT(!http_origin_allowed("http://slate.example.evil",
	    "slate.example", NULL, 0));
}

TEST_IMPL(http_origin_allow_list)
{
	char *allow[] = { "https://www.school.example", "https://b.example" };

	ASSERT(http_origin_allowed("https://www.school.example", "slate.example",
	    allow, 2));
	ASSERT(http_origin_allowed("https://WWW.School.Example", NULL, allow,
	    2));
	ASSERT(http_origin_allowed("https://b.example", NULL, allow, 2));
	ASSERT(!http_origin_allowed("https://www.school.example.evil",
	    "slate.example", allow, 2));
	ASSERT(!http_origin_allowed("http://www.school.example",
	    "slate.example", allow, 2));
	/* only the first nallow entries count */
	ASSERT(!http_origin_allowed("https://b.example", NULL, allow, 1));
}

TEST_IMPL(http_origin_star)
{
	char *allow[] = { "https://a.example", "*" };

	ASSERT(http_origin_allowed("https://anything.example", NULL, allow, 2));
	ASSERT(http_origin_allowed("null", NULL, allow, 2));
}

TEST_LIST(
	TEST_ENTRY(http_origin_same_host)
	TEST_ENTRY(http_origin_other_refused)
	TEST_ENTRY(http_origin_allow_list)
	TEST_ENTRY(http_origin_star)
)
