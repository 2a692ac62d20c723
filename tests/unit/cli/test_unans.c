/* test_unans.c - the unanswered report read from a store's database.
 * Exercises: --since dates parsed (a day, a day and a time, garbage
 * refused); older questions left out; --json one object with the groups,
 * counts and times; the table unchanged in shape. */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/unans.h"
#include "t.h"

/* A database with three questions: two alike on 2027-03-03, one on
 * 2026-11-08. */
static const char *
make_db(void)
{
	static char path[64];
	sqlite3 *db;
	int fd;

	snprintf(path, sizeof path, "/tmp/slate-unans-XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		exit(2);
	close(fd);
	if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_exec(db,
	    "CREATE TABLE unanswered (id INTEGER PRIMARY KEY, ts INTEGER, "
	    "session TEXT, text TEXT);"
	    "INSERT INTO unanswered (ts, text) VALUES "
	    "(1794096000000, 'who pays the caterer on set?'),"
	    "(1804032000000, 'who pays the catering on a film set?'),"
	    "(1804035600000, 'who pays the caterer on set');",
	    NULL, NULL, NULL) != SQLITE_OK)
		exit(2);
	sqlite3_close(db);
	return path;
}

TEST_IMPL(unans_since_dates)
{
	long long ms = 0;

	ASSERT_OK(unans_since("2027-03-03", &ms));
	ASSERT_EQ(ms, 1804032000000LL);
	ASSERT_OK(unans_since("2027-03-03 01:00", &ms));
	ASSERT_EQ(ms, 1804035600000LL);
	ASSERT_EQ(unans_since("yesterday", &ms), -1);
	ASSERT_EQ(unans_since("2027-03-03x", &ms), -1);
}

static char *
run(const char *db, const struct unans_opts *o)
{
	static char err[256];
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ASSERT_OK(unans_print(db, o, out, err, sizeof err));
	fclose(out);
	return buf;
}

TEST_IMPL(unans_since_and_json)
{
	const char *db = make_db();
	struct unans_opts o = { 0 };
	char *s;

	s = run(db, &o);
	ASSERT_STR_HAS(s, "3 unanswered questions");
	free(s);
	o.json = 1;
	s = run(db, &o);
	ASSERT_STR_HAS(s, "\"questions\": 3");
	ASSERT_STR_HAS(s, "\"last_asked\": \"2027-03-03 01:00\"");
	free(s);
	ASSERT_OK(unans_since("2027-03-01", &o.since));
	s = run(db, &o);
	ASSERT_STR_HAS(s, "\"questions\": 2");
	ASSERT_STR_HAS(s, "\"count\": 2");
	ASSERT_STR_HAS(s, "\"question\": \"who pays the caterer on set\"");
	ASSERT_STR_LACKS(s, "caterer on set?\"");
	free(s);
	unlink(db);
}

TEST_LIST(
	TEST_ENTRY(unans_since_dates)
	TEST_ENTRY(unans_since_and_json)
)
