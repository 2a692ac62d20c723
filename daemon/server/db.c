/* db.c - the session database's SQL (see db.h and docs/operations.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "common/xmem.h"

/* Every statement is prepared once and kept: parsing "COMMIT" again for
 * every batch cost as much as a turn's rows.  None uses RETURNING, which
 * builds and drops a temporary table on each run. */
static const char *const db_sql[Q_N] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_BEGIN_READ] = "BEGIN",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_CREATE] = "INSERT INTO sessions (token, created, seen, slots) "
		     "VALUES (?1, ?2, ?2, ?3) ON CONFLICT (token) DO NOTHING",
	/* a session whose CREATE was not journaled (storage failed) or
	 * that was purged meanwhile, before its turn */
	[Q_ENSURE] = "INSERT INTO sessions (token, created, seen, slots) "
		     "VALUES (?1, ?2, ?2, '{}') ON CONFLICT (token) DO NOTHING",
	/* Once per session and batch, however many turns it had: the
	 * state after them is here, not in each turn's row. */
	[Q_SESSION] = "UPDATE sessions SET seen = max(seen, ?2), slots = "
		      "coalesce(?3, slots), slots_at = CASE WHEN ?3 IS NULL "
		      "THEN slots_at ELSE (SELECT coalesce(max(rowid), 0) FROM "
		      "turns) END WHERE token = ?1",
	/* a replayed turn SQLite already has is left as it is */
	[Q_TURN] = "INSERT INTO turns (session, id, ts, user_text, reply) "
		   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (session, id) "
		   "DO NOTHING",
	[Q_UNANS] = "INSERT INTO unanswered (ts, session, text) "
		    "VALUES (?1, ?2, ?3)",
	[Q_FORGET] = "DELETE FROM sessions WHERE token = ?1",
	[Q_UNLINK] = "DELETE FROM unanswered WHERE session = ?1",
	[Q_PURGE] = "DELETE FROM sessions WHERE seen < ?1",
	[Q_PURGE_UNANS] = "UPDATE unanswered SET session = NULL "
			  "WHERE ts < ?1 AND session IS NOT NULL",
	[Q_COUNT] = "SELECT count(*) FROM sessions",
	[Q_SETPOS] = "UPDATE journal SET pos = ?1",
	[Q_POS] = "SELECT pos FROM journal",
	/* A session's state: its last turn's, unless sessions.slots was
	 * written after that turn or the turn holds none (NULL). */
	[Q_LOAD] = "SELECT s.slots, (SELECT t.slots FROM turns t "
		   "WHERE t.session = s.token AND t.rowid > s.slots_at "
		   "AND t.slots IS NOT NULL ORDER BY t.rowid DESC LIMIT 1) "
		   "FROM sessions s WHERE s.token = ?1",
	[Q_HIST] = "SELECT id, ts, user_text, bot_text, reply FROM turns "
		   "WHERE session = ?1 ORDER BY rowid DESC LIMIT ?2",
	[Q_IDS] = "SELECT id FROM turns WHERE session = ?1",
	[Q_LOOKUP] = "SELECT reply FROM turns WHERE session = ?1 AND id = ?2",
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
    "CREATE INDEX IF NOT EXISTS unanswered_session ON unanswered (session);"
    /* where in the journal SQLite is: the next record it lacks */
    "CREATE TABLE IF NOT EXISTS journal (pos INTEGER NOT NULL);"
    "INSERT INTO journal SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM journal);";

/* Version 3 added the journal table (in the schema); version 2 added
 * sessions.slots_at and turns.slots; a database of
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
#define DB_USER_VERSION "PRAGMA user_version = 3"

struct db {
	sqlite3 *db;
	sqlite3_stmt *q[Q_N];
	struct store_opts o;
};

/* "what: SQLite's message (the system's, when there is one)", e.g.
 * "commit: database or disk is full (No space left on device)". */
void
db_errmsg(struct db *d, const char *what, char *buf, size_t size)
{
	int e = sqlite3_system_errno(d->db);

	if (e)
		snprintf(buf, size, "%s: %s (%s)", what, sqlite3_errmsg(d->db),
		    strerror(e));
	else
		snprintf(buf, size, "%s: %s", what, sqlite3_errmsg(d->db));
}

/* Back to the start, and no pointer into a record kept: text is bound
 * SQLITE_STATIC (not copied). */
void
db_reset(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int
db_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Text stays the caller's until the statement is reset: no copy. */
void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

sqlite3_stmt *
db_q(struct db *d, int q)
{
	return d->q[q];
}

const struct store_opts *
db_opts(struct db *d)
{
	return &d->o;
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
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_open_err(d, path, NULL, err, errlen);
		goto fail;
	}
	sqlite3_busy_timeout(d->db, 5000);
	/* WAL: readers (slate unanswered) never block the writer.
	 * synchronous=NORMAL: a commit is in the WAL file, and so survives
	 * the process being killed, before COMMIT returns; a power failure
	 * can lose the last commits, which the journal still holds until
	 * a later checkpoint (docs/operations.md).  secure_delete: forget and
	 * the purge overwrite what they delete instead of leaving it in free
	 * pages.  The
	 * schema ends with a write (user_version), so a database that cannot
	 * be written is found here, at start, and not at the first question. */
	if (sqlite3_exec(d->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;", NULL,
	    NULL, &msg) != SQLITE_OK ||
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
	sqlite3_close(d->db);
	free(d);
}
