/* test_store.c - the session store (store, db, ckpt) on its own, without
 * the daemon.  Exercises: a session created, a turn stored and its state
 * resumed from the turn's row; a repeated id answered from the stored
 * reply; reset state winning over older turns; a turn whose session row is
 * gone storing it again; forget; --no-transcripts keeping state in the
 * session row; a version 1 database (no turns.slots, no
 * sessions.slots_at) migrated at open with its state and history kept;
 * one failing job in a batch leaving the others committed; the WAL
 * checkpointed by the store's own thread after a quiet second.  Each case
 * has a database of its own in a fresh directory. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "server/ckpt.h"
#include "server/store.h"
#include "common/xmem.h"
#include "t.h"

static char dir[64];

/* A fresh directory for this case's database, and the database's path. */
static const char *
db_path(void)
{
	static char path[128];

	snprintf(dir, sizeof dir, "/tmp/test_store.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(path, sizeof path, "%s/s.db", dir);
	return path;
}

static void
db_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static void
nowake(void *arg)
{
}

/* Submit one job and wait (at most 5 s) for it to come back. */
static struct store_job *
run(struct store *s, struct store_job *j)
{
	struct store_job *back = NULL;

	store_submit(s, j);
	for (int i = 0; i < 5000 && back == NULL; i++) {
		back = store_done(s);
		if (back == NULL)
			usleep(1000);
	}
	if (back == NULL) {
		fprintf(stderr, "a store job never came back\n");
		exit(2);
	}
	return back;
}

static struct store_job *
job(enum store_op op, const char *token, const char *id, const char *slots)
{
	struct store_job *j = store_job_new(op);

	snprintf(j->token, sizeof j->token, "%s", token);
	snprintf(j->id, sizeof j->id, "%s", id ? id : "");
	j->slots = slots ? xstrdup(slots) : NULL;
	j->ts = 1700000000000;
	return j;
}

static struct store_job *
turn(const char *token, const char *id, const char *slots)
{
	struct store_job *j = job(STORE_TURN, token, id, slots);
	char reply[200];

	snprintf(reply, sizeof reply, "{\"type\":\"reply\",\"re\":\"%s\","
	    "\"text\":\"answer %s\"}", id, id);
	j->user_text = xstrdup("what does a producer do?");
	j->reply = xstrdup(reply);
	return j;
}

/* The role a resumed session gets, or "" (a static buffer). */
static const char *
resumed_role(struct store *s, const char *token, int *hist)
{
	static char role[64];
	struct store_job *j = run(s, job(STORE_LOAD, token, NULL, NULL));
	const char *r;

	r = json_string_value(json_object_get(json_object_get(j->result,
	    "slots"), "role"));
	snprintf(role, sizeof role, "%s", j->rc == 0 && j->found && r ? r : "");
	if (hist)
		*hist = (int)json_array_size(json_object_get(j->result,
		    "history"));
	store_job_free(j);
	return role;
}

static struct store *
open_store(const char *path, int transcripts)
{
	struct store_opts o = { .transcripts = transcripts,
		.history_max = 200, .session_days = 30 };
	char err[512];
	struct store *s = store_open(path, &o, nowake, NULL, err, sizeof err);

	if (s == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		exit(2);
	}
	return s;
}

static const char tok_a[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/* tok_a's session with one turn, q1, that makes the role co-producer. */
static struct store *
seeded(const char *path)
{
	struct store *s = open_store(path, 1);

	store_job_free(run(s, job(STORE_CREATE, tok_a, NULL, "{}")));
	store_job_free(run(s, turn(tok_a, "q1", "{\"role\":\"co-producer\"}")));
	return s;
}

TEST_IMPL(store_turn_resumed)
{
	struct store *s = open_store(db_path(), 1);
	struct store_job *j;
	int hist = 0;

	j = run(s, job(STORE_CREATE, tok_a, NULL, "{}"));
	CHECK(j->rc == 0 && j->dsessions == 1);
	store_job_free(j);
	j = run(s, turn(tok_a, "q1", "{\"role\":\"co-producer\"}"));
	CHECK(j->rc == 0 && !j->found);
	store_job_free(j);
	CHECK_STR(resumed_role(s, tok_a, &hist), "co-producer");
	CHECK(hist == 2);
	store_close(s);
	db_remove();
}

/* the same id again: the stored reply, nothing written */
TEST_IMPL(store_repeated_id)
{
	struct store *s = seeded(db_path());
	struct store_job *j;
	int hist = 0;

	j = run(s, turn(tok_a, "q1", "{\"role\":\"line-producer\"}"));
	CHECK(j->rc == 0 && j->found);
	CHECK_STR(json_string_value(json_object_get(j->result, "text")),
	    "answer q1");
	store_job_free(j);
	CHECK_STR(resumed_role(s, tok_a, &hist), "co-producer");
	CHECK(hist == 2);
	store_close(s);
	db_remove();
}

/* a reset is newer than every turn before it, older than after */
TEST_IMPL(store_reset_between_turns)
{
	struct store *s = seeded(db_path());
	struct store_job *j;
	int hist = 0;

	j = run(s, job(STORE_RESET, tok_a, NULL, "{\"role\":null}"));
	CHECK(j->rc == 0);
	store_job_free(j);
	CHECK_STR(resumed_role(s, tok_a, NULL), "");
	j = run(s, turn(tok_a, "q2", "{\"role\":\"producer\"}"));
	store_job_free(j);
	CHECK_STR(resumed_role(s, tok_a, &hist), "producer");
	CHECK(hist == 4);
	store_close(s);
	db_remove();
}

/* a turn whose session row is gone stores the session again */
TEST_IMPL(store_turn_without_session)
{
	struct store *s = open_store(db_path(), 1);
	struct store_job *j;

	j = run(s, turn("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "q1",
	    "{\"role\":\"director\"}"));
	CHECK(j->rc == 0 && j->dsessions == 1);
	store_job_free(j);
	CHECK_STR(resumed_role(s, "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", NULL),
	    "director");
	store_close(s);
	db_remove();
}

/* forget deletes one session and leaves the others */
TEST_IMPL(store_forget)
{
	struct store *s = seeded(db_path());
	struct store_job *j;

	store_job_free(run(s, turn("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "q1",
	    "{\"role\":\"director\"}")));
	j = run(s, job(STORE_FORGET, tok_a, NULL, NULL));
	CHECK(j->rc == 0 && j->found == 1);
	store_job_free(j);
	j = run(s, job(STORE_LOAD, tok_a, NULL, NULL));
	CHECK(j->rc == 0 && !j->found);
	store_job_free(j);
	CHECK(store_sessions(s) == 1);
	store_close(s);
	db_remove();
}

/* --no-transcripts: no turn rows, the state in the session row, and a
 * resend still recognised (from memory). */
TEST_IMPL(store_no_transcripts)
{
	const char *tok = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
	const char *path = db_path();
	struct store *s = open_store(path, 1);
	struct store_job *j;

	/* a turn stored with transcripts, then the server runs without */
	store_job_free(run(s, job(STORE_CREATE, tok, NULL, "{}")));
	store_job_free(run(s, turn(tok, "q1", "{\"role\":\"co-producer\"}")));
	store_close(s);
	s = open_store(path, 0);
	j = run(s, turn(tok, "q2", "{\"role\":\"line-producer\"}"));
	CHECK(j->rc == 0 && !j->found);
	store_job_free(j);
	CHECK_STR(resumed_role(s, tok, NULL), "line-producer");
	j = run(s, turn(tok, "q2", "{\"role\":\"producer\"}"));
	CHECK(j->rc == 0 && j->found);
	store_job_free(j);
	CHECK_STR(resumed_role(s, tok, NULL), "line-producer");
	store_close(s);
	db_remove();
}

/* A database as version 1 wrote it. */
TEST_IMPL(store_migrate_v1)
{
	const char *tok = "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD";
	const char *path = db_path();
	sqlite3 *db;
	struct store *s;
	int hist = 0;

	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db,
	    "PRAGMA journal_mode = WAL;"
	    "CREATE TABLE sessions (token TEXT PRIMARY KEY, created INTEGER "
	    "NOT NULL, seen INTEGER NOT NULL, slots TEXT NOT NULL) WITHOUT "
	    "ROWID;"
	    "CREATE INDEX sessions_seen ON sessions (seen);"
	    "CREATE TABLE turns (session TEXT NOT NULL REFERENCES sessions "
	    "(token) ON DELETE CASCADE, id TEXT NOT NULL, ts INTEGER NOT NULL,"
	    " user_text TEXT, bot_text TEXT, reply TEXT NOT NULL, UNIQUE "
	    "(session, id));"
	    "CREATE TABLE unanswered (ts INTEGER NOT NULL, session TEXT, text "
	    "TEXT NOT NULL);"
	    "INSERT INTO sessions VALUES ('DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD', "
	    "1, 1, '{\"role\":\"executive-producer\"}');"
	    "INSERT INTO turns VALUES ('DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD', "
	    "'old', 1, 'hi', 'hello', '{\"text\":\"hello\"}');"
	    "PRAGMA user_version = 1;", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);

	s = open_store(path, 1);
	CHECK_STR(resumed_role(s, tok, &hist), "executive-producer");
	CHECK(hist == 2);
	store_job_free(run(s, turn(tok, "new", "{\"role\":\"producer\"}")));
	CHECK_STR(resumed_role(s, tok, &hist), "producer");
	CHECK(hist == 4);
	store_close(s);

	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
	db_remove();
}

/* One job that fails (a trigger refuses its turn) fails alone, whether
 * or not the others shared its transaction. */
TEST_IMPL(store_failing_job_alone)
{
	const char *tok = "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE";
	const char *path = db_path();
	struct store *s = open_store(path, 1);
	struct store_job *j, *next;
	sqlite3 *db;
	int ok = 0, failed = 0, n = 0;

	store_job_free(run(s, job(STORE_CREATE, tok, NULL, "{}")));
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON turns "
	    "WHEN new.id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END",
	    NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	store_submit(s, turn(tok, "a", "{\"role\":\"producer\"}"));
	store_submit(s, turn(tok, "boom", "{\"role\":\"director\"}"));
	store_submit(s, turn(tok, "c", "{\"role\":\"line-producer\"}"));
	for (int i = 0; i < 5000 && n < 3; i++) {
		for (j = store_done(s); j; j = next) {
			next = j->next;
			n++;
			if (strcmp(j->id, "boom") == 0)
				failed += j->rc != 0 && strstr(j->err, "boom");
			else
				ok += j->rc == 0;
			store_job_free(j);
		}
		usleep(1000);
	}
	CHECK(n == 3 && ok == 2 && failed == 1);
	CHECK_STR(resumed_role(s, tok, NULL), "line-producer");
	store_close(s);
	db_remove();
}

/* After a quiet second the checkpointer has copied the WAL into the
 * database file: the file holds every page a reader sees. */
TEST_IMPL(store_checkpoint_when_quiet)
{
	const char *tok = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
	const char *path = db_path();
	struct store *s = open_store(path, 1);
	sqlite3 *db;
	sqlite3_stmt *st;
	struct stat sb;
	long pages = 0;

	store_job_free(run(s, job(STORE_CREATE, tok, NULL, "{}")));
	for (int i = 0; i < 50; i++) {
		char id[16];

		snprintf(id, sizeof id, "q%d", i);
		store_job_free(run(s, turn(tok, id, "{}")));
	}
	usleep((CKPT_IDLE_MS + 1500) * 1000);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL) ==
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		pages = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	CHECK(stat(path, &sb) == 0);
	CHECK(pages > 4 && sb.st_size == pages * 4096);
	store_close(s);
	db_remove();
}

TEST_LIST(
	TEST_ENTRY(store_turn_resumed)
	TEST_ENTRY(store_repeated_id)
	TEST_ENTRY(store_reset_between_turns)
	TEST_ENTRY(store_turn_without_session)
	TEST_ENTRY(store_forget)
	TEST_ENTRY(store_no_transcripts)
	TEST_ENTRY(store_migrate_v1)
	TEST_ENTRY(store_failing_job_alone)
	TEST_ENTRY(store_checkpoint_when_quiet)
)
