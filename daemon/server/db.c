/* db.c - the session database's SQL (see db.h and docs/operations.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "ring.h"
#include "common/xmem.h"

/* sessions.seen is for the retention purge, counted in days: a turn
 * updates it only when it is this much older (one write less per turn). */
#define DB_SEEN_MS 60000
/* sessions.slots_at: the last turn (of any session) when sessions.slots
 * was written; later turns of the session hold newer state. */
#define DB_LAST_TURN "(SELECT coalesce(max(rowid), 0) FROM turns)"
enum {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO,
	Q_CREATE, Q_LOOKUP, Q_SESSION, Q_UPSERT, Q_SLOTS, Q_SEEN, Q_TURN,
	Q_UNANS, Q_LOAD, Q_HIST, Q_RESET, Q_FORGET, Q_UNLINK,
	Q_PURGE, Q_PURGE_UNANS, Q_COUNT, Q_N
};

/* Every statement is prepared once and kept: parsing "COMMIT" or
 * "SAVEPOINT job" again for every batch cost as much as a turn's rows.
 * None uses RETURNING, which builds and drops a temporary table on each
 * run. */
static const char *const db_sql[Q_N] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_SAVEPOINT] = "SAVEPOINT job",
	[Q_RELEASE] = "RELEASE job",
	[Q_ROLLBACK_TO] = "ROLLBACK TO job",
	[Q_CREATE] = "INSERT INTO sessions (token, created, seen, slots) "
		     "VALUES (?1, ?2, ?2, ?3) ON CONFLICT (token) DO NOTHING",
	[Q_LOOKUP] = "SELECT reply FROM turns WHERE session = ?1 AND id = ?2",
	/* A turn reads its session's row and writes it only when seen is a
	 * minute old (so that the (seen) index is not rewritten on every
	 * question) or when it must be created again. */
	[Q_SESSION] = "SELECT seen FROM sessions WHERE token = ?1",
	[Q_UPSERT] = "INSERT INTO sessions (token, created, seen, slots, "
		     "slots_at) VALUES (?1, ?2, ?2, ?3, " DB_LAST_TURN ") "
		     "ON CONFLICT (token) DO UPDATE SET seen = excluded.seen, "
		     "slots = excluded.slots, slots_at = excluded.slots_at",
	/* the state after a turn, when there is no turn row to hold it */
	[Q_SLOTS] = "UPDATE sessions SET slots = ?2, slots_at = "
		    DB_LAST_TURN " WHERE token = ?1",
	/* a turn's (at most once a minute) and a resume's */
	[Q_SEEN] = "UPDATE sessions SET seen = ?2 WHERE token = ?1",
	/* The state after a turn is in the turn's own row: the turn is
	 * written anyway, at the end of its table, while the session's row
	 * sits at a random place (tokens are random) and rewriting it cost
	 * one more page in the WAL for nearly every question. */
	[Q_TURN] = "INSERT INTO turns (session, id, ts, user_text, reply, "
		   "slots) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_UNANS] = "INSERT INTO unanswered (ts, session, text) "
		    "VALUES (?1, ?2, ?3)",
	/* A session's state: its last turn's, unless sessions.slots was
	 * written after that turn (a reset, --no-transcripts) or the turn
	 * is older than turns.slots (NULL). */
	[Q_LOAD] = "SELECT s.slots, (SELECT t.slots FROM turns t "
		   "WHERE t.session = s.token AND t.rowid > s.slots_at "
		   "AND t.slots IS NOT NULL ORDER BY t.rowid DESC LIMIT 1) "
		   "FROM sessions s WHERE s.token = ?1",
	[Q_HIST] = "SELECT id, ts, user_text, bot_text, reply FROM turns "
		   "WHERE session = ?1 ORDER BY rowid DESC LIMIT ?2",
	[Q_RESET] = "UPDATE sessions SET slots = ?2, seen = ?3, slots_at = "
		    DB_LAST_TURN " WHERE token = ?1",
	[Q_FORGET] = "DELETE FROM sessions WHERE token = ?1",
	[Q_UNLINK] = "UPDATE unanswered SET session = NULL WHERE session = ?1",
	[Q_PURGE] = "DELETE FROM sessions WHERE seen < ?1",
	[Q_PURGE_UNANS] = "UPDATE unanswered SET session = NULL "
			  "WHERE ts < ?1 AND session IS NOT NULL",
	[Q_COUNT] = "SELECT count(*) FROM sessions",
};

static const char db_schema[] =
    "PRAGMA foreign_keys = ON;"
    "CREATE TABLE IF NOT EXISTS sessions ("
    "  token TEXT PRIMARY KEY,"
    "  created INTEGER NOT NULL,"
    "  seen INTEGER NOT NULL,"
    "  slots TEXT NOT NULL,"
    "  slots_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS sessions_seen ON sessions (seen);"
    "CREATE TABLE IF NOT EXISTS turns ("
    "  session TEXT NOT NULL REFERENCES sessions (token) ON DELETE CASCADE,"
    "  id TEXT NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  user_text TEXT,"
    "  bot_text TEXT,"
    "  reply TEXT NOT NULL,"
    "  slots TEXT,"
    "  UNIQUE (session, id));"
    /* UNIQUE (session, id) serves history and cascades: a second index
     * on (session) only cost a page write per turn */
    "DROP INDEX IF EXISTS turns_session;"
    "CREATE TABLE IF NOT EXISTS unanswered ("
    "  ts INTEGER NOT NULL,"
    "  session TEXT,"
    "  text TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS unanswered_ts ON unanswered (ts);"
    "CREATE INDEX IF NOT EXISTS unanswered_session ON unanswered (session);";

/* Version 2 added sessions.slots_at and turns.slots; a database of
 * version 1 gets them here, with values that keep its state where it
 * was (slots_at 0 and no turn slots: sessions.slots is the state).  The
 * columns are looked for rather than the version trusted, so a start
 * that stopped half-way finishes the job.  Setting user_version is also
 * the write that finds a read-only database at start. */
static const struct {
	const char *probe, *add;
} db_migrations[] = {
	{ "SELECT slots_at FROM sessions LIMIT 0", "ALTER TABLE sessions ADD "
	  "COLUMN slots_at INTEGER NOT NULL DEFAULT 0" },
	{ "SELECT slots FROM turns LIMIT 0", "ALTER TABLE turns ADD COLUMN "
	  "slots TEXT" },
};
#define DB_USER_VERSION "PRAGMA user_version = 2"

struct db {
	sqlite3 *db;
	sqlite3_stmt *q[Q_N];
	struct store_opts o;
	struct ring *ring;              /* --no-transcripts: the last replies */
};

/* "what: SQLite's message (the system's, when there is one)", e.g.
 * "commit: database or disk is full (No space left on device)". */
static void
db_errmsg(struct db *d, const char *what, char *buf, size_t size)
{
	int e = sqlite3_system_errno(d->db);

	if (e)
		snprintf(buf, size, "%s: %s (%s)", what, sqlite3_errmsg(d->db),
		    strerror(e));
	else
		snprintf(buf, size, "%s: %s", what, sqlite3_errmsg(d->db));
}

static int
db_fail(struct db *d, struct store_job *j, const char *what)
{
	j->rc = -1;
	db_errmsg(d, what, j->err, sizeof j->err);
	return -1;
}

/* Back to the start, and no pointer into a job kept: text is bound
 * SQLITE_STATIC (not copied), and the job is freed after the batch. */
static void
db_reset(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int
db_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Text stays the job's (or a literal's) until the statement is reset,
 * which is always before the job leaves the thread: no copy. */
static void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int
db_run_q(struct db *d, int q)
{
	return db_step_done(d->q[q]);
}

/* The history entries of one session, oldest first. */
static json_t *
db_history(struct db *d, const char *token)
{
	sqlite3_stmt *st = d->q[Q_HIST];
	json_t *rev = json_array(), *hist = json_array();

	db_bind_text(st, 1, token);
	sqlite3_bind_int(st, 2, d->o.history_max);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		json_int_t ts = sqlite3_column_int64(st, 1);
		const char *ut = (const char *)sqlite3_column_text(st, 2);
		const char *bt = (const char *)sqlite3_column_text(st, 3);
		const char *rp = (const char *)sqlite3_column_text(st, 4);
		json_t *reply = rp ? json_loads(rp, 0, NULL) : NULL;
		json_t *bot;

		/* Turns keep the bot's text only in their reply; those
		 * stored by older versions have bot_text too. */
		if (bt == NULL)
			bt = json_string_value(json_object_get(reply, "text"));
		bot = json_pack("{s:s,s:s,s:I,s:s}", "from", "bot",
		    "text", bt ? bt : "", "ts", ts, "re", id ? id : "");

		/* what a client needs to redraw a bot turn as it was */
		if (reply && bot) {
			static const char *const keep[] = { "kind", "intent",
				"options", "ladder" };

			for (size_t k = 0; k < 4; k++) {
				json_t *v = json_object_get(reply, keep[k]);

				if (v)
					json_object_set(bot, keep[k], v);
			}
		}
		json_decref(reply);
		if (bot)
			json_array_append_new(rev, bot);
		json_array_append_new(rev, json_pack("{s:s,s:s,s:I,s:s}",
		    "from", "user", "text", ut ? ut : "", "ts", ts, "id",
		    id ? id : ""));
	}
	db_reset(st);
	for (size_t i = json_array_size(rev); i > 0; i--)
		json_array_append(hist, json_array_get(rev, i - 1));
	json_decref(rev);
	return hist;
}

static int
db_do_load(struct db *d, struct store_job *j)
{
	sqlite3_stmt *st = d->q[Q_LOAD];
	json_t *slots = NULL;
	int rc;

	db_bind_text(st, 1, j->token);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 1);

		if (t == NULL)
			t = (const char *)sqlite3_column_text(st, 0);
		slots = t ? json_loads(t, 0, NULL) : NULL;
		j->found = 1;
		rc = SQLITE_DONE;
	}
	db_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(slots);
		return db_fail(d, j, "load");
	}
	if (!j->found)
		return 0;
	st = d->q[Q_SEEN];
	db_bind_text(st, 1, j->token);
	sqlite3_bind_int64(st, 2, j->ts);
	if (db_step_done(st)) {
		json_decref(slots);
		return db_fail(d, j, "load");
	}
	j->result = json_pack("{s:o,s:o}", "slots",
	    slots ? slots : json_object(), "history",
	    d->o.transcripts ? db_history(d, j->token) : json_array());
	return 0;
}

/* A turn whose id this session has already had answered: j->found set
 * and the stored reply in j->result. */
static void
db_turn_repeat(struct db *d, struct store_job *j)
{
	sqlite3_stmt *st;
	const char *prev = NULL;

	if (d->o.transcripts) {
		st = d->q[Q_LOOKUP];
		db_bind_text(st, 1, j->token);
		db_bind_text(st, 2, j->id);
		if (sqlite3_step(st) == SQLITE_ROW)
			prev = (const char *)sqlite3_column_text(st, 0);
		if (prev) {
			j->found = 1;
			j->result = json_loads(prev, 0, NULL);
		}
		db_reset(st);
	} else {
		const char *r = ring_find(d->ring, j->token, j->id);

		if (r) {
			j->found = 1;
			j->result = json_loads(r, 0, NULL);
		}
	}
}

static int
db_do_turn(struct db *d, struct store_job *j)
{
	sqlite3_stmt *st;
	const char *slots = j->slots ? j->slots : "{}";
	int64_t seen = 0;
	int rc, exists = 0;

	db_turn_repeat(d, j);
	if (j->found)
		return 0;
	st = d->q[Q_SESSION];
	db_bind_text(st, 1, j->token);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		exists = 1;
		seen = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, j, "session");
	if (!exists) {
		/* its CREATE failed, or it was purged meanwhile */
		st = d->q[Q_UPSERT];
		db_bind_text(st, 1, j->token);
		sqlite3_bind_int64(st, 2, j->ts);
		db_bind_text(st, 3, slots);
		if (db_step_done(st))
			return db_fail(d, j, "session");
		j->dsessions = 1;
	} else if (j->ts - seen >= DB_SEEN_MS) {
		st = d->q[Q_SEEN];
		db_bind_text(st, 1, j->token);
		sqlite3_bind_int64(st, 2, j->ts);
		if (db_step_done(st))
			return db_fail(d, j, "session");
	}
	if (!d->o.transcripts) {
		st = d->q[Q_SLOTS];
		db_bind_text(st, 1, j->token);
		db_bind_text(st, 2, slots);
		if (db_step_done(st))
			return db_fail(d, j, "session");
	} else {
		st = d->q[Q_TURN];
		db_bind_text(st, 1, j->token);
		db_bind_text(st, 2, j->id);
		sqlite3_bind_int64(st, 3, j->ts);
		db_bind_text(st, 4, j->user_text);
		db_bind_text(st, 5, j->reply ? j->reply : "{}");
		db_bind_text(st, 6, slots);
		if (db_step_done(st))
			return db_fail(d, j, "turn");
	}
	if (j->fallback && j->user_text) {
		st = d->q[Q_UNANS];
		sqlite3_bind_int64(st, 1, j->ts);
		/* without transcripts, nothing said is tied to a session */
		db_bind_text(st, 2, d->o.transcripts ? j->token : NULL);
		db_bind_text(st, 3, j->user_text);
		if (db_step_done(st))
			return db_fail(d, j, "unanswered");
	}
	if (!d->o.transcripts && j->reply)
		/* last in the turn, after its rows, so that a failing turn
		 * leaves no entry behind */
		ring_add(d->ring, j->token, j->id, j->reply);
	return 0;
}

static int
db_do(struct db *d, struct store_job *j)
{
	sqlite3_stmt *st;

	switch (j->op) {
	case STORE_CREATE:
		st = d->q[Q_CREATE];
		db_bind_text(st, 1, j->token);
		sqlite3_bind_int64(st, 2, j->ts);
		db_bind_text(st, 3, j->slots ? j->slots : "{}");
		if (db_step_done(st))
			return db_fail(d, j, "create");
		j->dsessions = sqlite3_changes(d->db);
		return 0;
	case STORE_LOAD:
		return db_do_load(d, j);
	case STORE_TURN:
		return db_do_turn(d, j);
	case STORE_RESET:
		st = d->q[Q_RESET];
		db_bind_text(st, 1, j->token);
		db_bind_text(st, 2, j->slots ? j->slots : "{}");
		sqlite3_bind_int64(st, 3, j->ts);
		return db_step_done(st) ? db_fail(d, j, "reset") : 0;
	case STORE_FORGET:
		ring_forget(d->ring, j->token);
		st = d->q[Q_FORGET];
		db_bind_text(st, 1, j->token);
		if (db_step_done(st))
			return db_fail(d, j, "forget");
		j->found = sqlite3_changes(d->db) > 0;
		j->dsessions = -j->found;
		st = d->q[Q_UNLINK];
		db_bind_text(st, 1, j->token);
		return db_step_done(st) ? db_fail(d, j, "forget") : 0;
	case STORE_PURGE: {
		int64_t cut = j->ts - (int64_t)d->o.session_days * 86400000;

		st = d->q[Q_PURGE];
		sqlite3_bind_int64(st, 1, cut);
		if (db_step_done(st))
			return db_fail(d, j, "purge");
		j->found = sqlite3_changes(d->db);
		j->dsessions = -j->found;
		st = d->q[Q_PURGE_UNANS];
		sqlite3_bind_int64(st, 1, cut);
		return db_step_done(st) ? db_fail(d, j, "purge") : 0;
	}
	}
	return -1;
}

/* A job's results, as if it had not run (before a run, and when its
 * transaction is rolled back). */
static void
db_job_clear(struct store_job *j)
{
	j->rc = 0;
	j->found = 0;
	j->dsessions = 0;
	j->err[0] = '\0';
	json_decref(j->result);
	j->result = NULL;
}

static void
db_fail_all(struct store_job *batch, const char *why)
{
	for (struct store_job *j = batch; j; j = j->next) {
		db_job_clear(j);
		j->rc = -1;
		snprintf(j->err, sizeof j->err, "%s", why);
	}
}

/* Run a batch in one transaction.  Fast (careful = 0): the jobs one after
 * the other, and -1 as soon as one fails, with everything rolled back.
 * Careful: each job in a savepoint, so that a failing job is undone alone
 * and the others still commit.  A savepoint copies every page a job
 * changes to the statement journal, so it is only paid for when a job has
 * failed (disk full, a lock), which is when it is needed.  The first
 * error is left in failed. */
static int
db_attempt(struct db *d, struct store_job *batch, int careful,
    char *failed, size_t size)
{
	ring_begin(d->ring);
	for (struct store_job *j = batch; j; j = j->next)
		db_job_clear(j);
	if (db_run_q(d, Q_BEGIN) != 0) {
		db_errmsg(d, "begin", failed, size);
		db_fail_all(batch, failed);
		return 0;
	}
	for (struct store_job *j = batch; j; j = j->next) {
		if (careful && db_run_q(d, Q_SAVEPOINT) != 0) {
			db_fail(d, j, "savepoint");
			if (!failed[0])
				snprintf(failed, size, "%s", j->err);
			continue;
		}
		if (db_do(d, j) == 0) {
			if (careful)
				db_run_q(d, Q_RELEASE);
			continue;
		}
		if (!failed[0])
			snprintf(failed, size, "%s", j->err);
		if (!careful) {
			db_run_q(d, Q_ROLLBACK);
			ring_undo(d->ring);
			return -1;
		}
		j->dsessions = 0;
		db_run_q(d, Q_ROLLBACK_TO);
		db_run_q(d, Q_RELEASE);
	}
	if (db_run_q(d, Q_COMMIT) != 0) {
		db_errmsg(d, "commit", failed, size);
		db_fail_all(batch, failed);
		db_run_q(d, Q_ROLLBACK);
		ring_undo(d->ring);
	}
	return 0;
}

/* Why the database could not be opened at start, in words an operator can
 * act on: SQLite's message, the system's reason, and what to check. */
static void
db_open_err(struct db *d, const char *path, const char *msg, char *err,
    size_t errlen)
{
	int ext = d->db ? sqlite3_extended_errcode(d->db) : SQLITE_NOMEM;
	int rc = ext & 0xff;
	int e = d->db ? sqlite3_system_errno(d->db) : 0;
	const char *hint = "";
	char sys[96] = "";

	if (msg == NULL)
		msg = d->db ? sqlite3_errmsg(d->db) : "out of memory";
	if (e)
		snprintf(sys, sizeof sys, " (%s)", strerror(e));
	if (rc == SQLITE_READONLY || e == EROFS || e == EACCES || e == EPERM)
		hint = ": the database or its directory is read-only; slated "
		    "needs to write both (the -wal and -shm files live beside "
		    "the database)";
	else if (rc == SQLITE_FULL || e == ENOSPC || e == EDQUOT ||
	    e == EFBIG || ext == SQLITE_IOERR_WRITE ||
	    ext == SQLITE_IOERR_SHMSIZE || ext == SQLITE_IOERR_TRUNCATE)
		hint = ": writing failed: the disk is full, or a quota or file "
		    "size limit was reached";
	else if (rc == SQLITE_CANTOPEN)
		hint = ": check that the directory exists and is writable";
	else if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		hint = ": the file is not a Slate database, or it is damaged";
	snprintf(err, errlen, "%s: %s%s%s", path, msg, sys, hint);
}

/* Add what a database of an earlier version lacks (db_migrations);
 * *msg is set, for sqlite3_free(), when that fails. */
static int
db_migrate(struct db *d, char **msg)
{
	size_t n = sizeof db_migrations / sizeof db_migrations[0];

	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(d->db, db_migrations[i].probe, -1,
		    &st, NULL) == SQLITE_OK) {
			sqlite3_finalize(st);
			continue;
		}
		if (sqlite3_exec(d->db, db_migrations[i].add, NULL, NULL,
		    msg) != SQLITE_OK)
			return -1;
	}
	return 0;
}

void
db_run(struct db *d, struct store_job *batch, char *failed, size_t size)
{
	failed[0] = '\0';
	if (db_attempt(d, batch, 0, failed, size) != 0)
		db_attempt(d, batch, 1, failed, size);
}

long
db_count(struct db *d)
{
	sqlite3_stmt *st = d->q[Q_COUNT];
	long n = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

sqlite3 *
db_handle(struct db *d)
{
	return d->db;
}

struct db *
db_open(const char *path, const struct store_opts *o, char *err,
    size_t errlen)
{
	struct db *d = xcalloc(1, sizeof *d);
	char *msg = NULL;

	d->o = *o;
	d->ring = ring_new();
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_open_err(d, path, NULL, err, errlen);
		goto fail;
	}
	sqlite3_busy_timeout(d->db, 5000);
	/* WAL: readers (slate unanswered) never block the writer.
	 * synchronous=NORMAL: a commit is in the WAL file, and so survives
	 * the process being killed, before COMMIT returns; only a power
	 * failure can lose the last commits (docs/operations.md).  The
	 * schema ends with a write (user_version), so a database that cannot
	 * be written is found here, at start, and not at the first question. */
	if (sqlite3_exec(d->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(d->db, db_schema, NULL, NULL, &msg) != SQLITE_OK ||
	    db_migrate(d, &msg) != 0 ||
	    sqlite3_exec(d->db, DB_USER_VERSION, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		db_open_err(d, path, msg, err, errlen);
		sqlite3_free(msg);
		goto fail;
	}
	if (sqlite3_db_readonly(d->db, "main") == 1) {
		snprintf(err, errlen, "%s: the database is read-only: slated "
		    "needs to write to it and to its directory", path);
		goto fail;
	}
	for (int i = 0; i < Q_N; i++)
		if (sqlite3_prepare_v3(d->db, db_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &d->q[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", path,
			    sqlite3_errmsg(d->db));
			goto fail;
		}
	return d;
fail:
	db_close(d);
	return NULL;
}

void
db_close(struct db *d)
{
	if (d == NULL)
		return;
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(d->q[i]);
	ring_free(d->ring);
	sqlite3_close(d->db);
	free(d);
}
