/* store.c - SQLite session store on a thread of its own.  See store.h for
 * the contract and docs/operations.md for why it is built this way. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ckpt.h"
#include "store.h"
#include "thr.h"
#include "common/xmem.h"

/* In --no-transcripts mode nothing said is stored, but a client resending
 * a message after a reconnect must still get the same reply and not a
 * second answer: the thread remembers the last few replies in memory. */
#define STORE_RING 256
/* sessions.seen is for the retention purge, counted in days: a turn
 * updates it only when it is this much older (one write less per turn). */
#define STORE_SEEN_MS 60000
/* sessions.slots_at: the last turn (of any session) when sessions.slots
 * was written; later turns of the session hold newer state. */
#define STORE_LAST_TURN "(SELECT coalesce(max(rowid), 0) FROM turns)"
/* The session count for /metrics is kept from each job's changes and
 * recounted this often, for changes made by other processes (slate). */
#define STORE_RECOUNT_S 60
/* How long the writer waits for more turns to commit together, when the
 * last commit held more than STORE_COALESCE_MIN (a backlog: the wait
 * then saves commits).  At moderate load, batches of two or three, the
 * wait only delayed every reply by it: at 1,000 sessions asking 6,600
 * questions/s, median 0.85 -> 0.26 ms and p99 7.6-9.6 -> 3.8-5.1 ms
 * without it, while saturation still waits and keeps its throughput. */
#define STORE_COALESCE_US 250
#define STORE_COALESCE_MIN 4

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
static const char *const store_sql[Q_N] = {
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
		     "slots_at) VALUES (?1, ?2, ?2, ?3, " STORE_LAST_TURN ") "
		     "ON CONFLICT (token) DO UPDATE SET seen = excluded.seen, "
		     "slots = excluded.slots, slots_at = excluded.slots_at",
	/* the state after a turn, when there is no turn row to hold it */
	[Q_SLOTS] = "UPDATE sessions SET slots = ?2, slots_at = "
		    STORE_LAST_TURN " WHERE token = ?1",
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
		    STORE_LAST_TURN " WHERE token = ?1",
	[Q_FORGET] = "DELETE FROM sessions WHERE token = ?1",
	[Q_UNLINK] = "UPDATE unanswered SET session = NULL WHERE session = ?1",
	[Q_PURGE] = "DELETE FROM sessions WHERE seen < ?1",
	[Q_PURGE_UNANS] = "UPDATE unanswered SET session = NULL "
			  "WHERE ts < ?1 AND session IS NOT NULL",
	[Q_COUNT] = "SELECT count(*) FROM sessions",
};

static const char store_schema[] =
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
} store_migrations[] = {
	{ "SELECT slots_at FROM sessions LIMIT 0", "ALTER TABLE sessions ADD "
	  "COLUMN slots_at INTEGER NOT NULL DEFAULT 0" },
	{ "SELECT slots FROM turns LIMIT 0", "ALTER TABLE turns ADD COLUMN "
	  "slots TEXT" },
};
#define STORE_USER_VERSION "PRAGMA user_version = 2"

struct store_ring {
	char token[TOK_LEN + 1];
	char id[STORE_ID_MAX];
	char *reply;
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *q[Q_N];
	struct store_opts o;
	void (*wake)(void *);
	void *wake_arg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* under mu */
	struct store_job *todo, **todo_tail;
	struct store_job *done, **done_tail;
	int queued, closing;
	long sessions;
	char state[200];
	/* thread only */
	long counted;                   /* sessions, -1 unknown */
	time_t counted_at;
	int last_batch;                 /* jobs in the last batch */
	struct store_ring ring[STORE_RING];
	int ring_next;
	int ring_added;                 /* entries the running attempt added */
	struct ckpt *ckpt;              /* NULL: SQLite checkpoints in COMMIT */
};


struct store_job *
store_job_new(enum store_op op)
{
	struct store_job *j = xcalloc(1, sizeof *j);

	j->op = op;
	return j;
}

void
store_job_free(struct store_job *j)
{
	if (j == NULL)
		return;
	free(j->user_text);
	free(j->reply);
	free(j->slots);
	json_decref(j->result);
	free(j);
}

/* "what: SQLite's message (the system's, when there is one)", e.g.
 * "commit: database or disk is full (No space left on device)". */
static void
store_errmsg(struct store *s, const char *what, char *buf, size_t size)
{
	int e = sqlite3_system_errno(s->db);

	if (e)
		snprintf(buf, size, "%s: %s (%s)", what, sqlite3_errmsg(s->db),
		    strerror(e));
	else
		snprintf(buf, size, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int
store_fail(struct store *s, struct store_job *j, const char *what)
{
	j->rc = -1;
	store_errmsg(s, what, j->err, sizeof j->err);
	return -1;
}

/* Back to the start, and no pointer into a job kept: text is bound
 * SQLITE_STATIC (not copied), and the job is freed after the batch. */
static void
store_reset(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int
store_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	store_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Text stays the job's (or a literal's) until the statement is reset,
 * which is always before the job leaves the thread: no copy. */
static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int
store_run_q(struct store *s, int q)
{
	return store_step_done(s->q[q]);
}

/* The history entries of one session, oldest first. */
static json_t *
store_history(struct store *s, const char *token)
{
	sqlite3_stmt *st = s->q[Q_HIST];
	json_t *rev = json_array(), *hist = json_array();

	bind_text(st, 1, token);
	sqlite3_bind_int(st, 2, s->o.history_max);
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
	store_reset(st);
	for (size_t i = json_array_size(rev); i > 0; i--)
		json_array_append(hist, json_array_get(rev, i - 1));
	json_decref(rev);
	return hist;
}

static int
store_do_load(struct store *s, struct store_job *j)
{
	sqlite3_stmt *st = s->q[Q_LOAD];
	json_t *slots = NULL;
	int rc;

	bind_text(st, 1, j->token);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 1);

		if (t == NULL)
			t = (const char *)sqlite3_column_text(st, 0);
		slots = t ? json_loads(t, 0, NULL) : NULL;
		j->found = 1;
		rc = SQLITE_DONE;
	}
	store_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(slots);
		return store_fail(s, j, "load");
	}
	if (!j->found)
		return 0;
	st = s->q[Q_SEEN];
	bind_text(st, 1, j->token);
	sqlite3_bind_int64(st, 2, j->ts);
	if (store_step_done(st)) {
		json_decref(slots);
		return store_fail(s, j, "load");
	}
	j->result = json_pack("{s:o,s:o}", "slots",
	    slots ? slots : json_object(), "history",
	    s->o.transcripts ? store_history(s, j->token) : json_array());
	return 0;
}

static struct store_ring *
store_ring_find(struct store *s, const char *token, const char *id)
{
	for (int i = 0; i < STORE_RING; i++)
		if (s->ring[i].reply && strcmp(s->ring[i].id, id) == 0 &&
		    strcmp(s->ring[i].token, token) == 0)
			return &s->ring[i];
	return NULL;
}

/* Remember a reply in memory (--no-transcripts).  Called last in a turn,
 * after its rows, so that a failing turn leaves no entry behind. */
static void
store_ring_add(struct store *s, const struct store_job *j)
{
	struct store_ring *r = &s->ring[s->ring_next];

	s->ring_next = (s->ring_next + 1) % STORE_RING;
	s->ring_added++;
	free(r->reply);
	snprintf(r->token, sizeof r->token, "%s", j->token);
	snprintf(r->id, sizeof r->id, "%s", j->id);
	r->reply = xstrdup(j->reply);
}

/* The transaction that added the last ring_added entries was rolled
 * back: forget them, or a resend would be taken for a repeat. */
static void
store_ring_undo(struct store *s)
{
	int n = s->ring_added < STORE_RING ? s->ring_added : STORE_RING;

	for (int k = 0; k < n; k++) {
		s->ring_next = (s->ring_next + STORE_RING - 1) % STORE_RING;
		free(s->ring[s->ring_next].reply);
		s->ring[s->ring_next].reply = NULL;
	}
	s->ring_added = 0;
}

static int
store_do_turn(struct store *s, struct store_job *j)
{
	sqlite3_stmt *st;
	const char *prev = NULL;
	const char *slots = j->slots ? j->slots : "{}";
	int64_t seen = 0;
	int rc, exists = 0;

	if (s->o.transcripts) {
		st = s->q[Q_LOOKUP];
		bind_text(st, 1, j->token);
		bind_text(st, 2, j->id);
		if (sqlite3_step(st) == SQLITE_ROW)
			prev = (const char *)sqlite3_column_text(st, 0);
		if (prev) {
			j->found = 1;
			j->result = json_loads(prev, 0, NULL);
		}
		store_reset(st);
	} else {
		struct store_ring *r = store_ring_find(s, j->token, j->id);

		if (r) {
			j->found = 1;
			j->result = json_loads(r->reply, 0, NULL);
		}
	}
	if (j->found)
		return 0;
	st = s->q[Q_SESSION];
	bind_text(st, 1, j->token);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		exists = 1;
		seen = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	store_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, j, "session");
	if (!exists) {
		/* its CREATE failed, or it was purged meanwhile */
		st = s->q[Q_UPSERT];
		bind_text(st, 1, j->token);
		sqlite3_bind_int64(st, 2, j->ts);
		bind_text(st, 3, slots);
		if (store_step_done(st))
			return store_fail(s, j, "session");
		j->dsessions = 1;
	} else if (j->ts - seen >= STORE_SEEN_MS) {
		st = s->q[Q_SEEN];
		bind_text(st, 1, j->token);
		sqlite3_bind_int64(st, 2, j->ts);
		if (store_step_done(st))
			return store_fail(s, j, "session");
	}
	if (!s->o.transcripts) {
		st = s->q[Q_SLOTS];
		bind_text(st, 1, j->token);
		bind_text(st, 2, slots);
		if (store_step_done(st))
			return store_fail(s, j, "session");
	} else {
		st = s->q[Q_TURN];
		bind_text(st, 1, j->token);
		bind_text(st, 2, j->id);
		sqlite3_bind_int64(st, 3, j->ts);
		bind_text(st, 4, j->user_text);
		bind_text(st, 5, j->reply ? j->reply : "{}");
		bind_text(st, 6, slots);
		if (store_step_done(st))
			return store_fail(s, j, "turn");
	}
	if (j->fallback && j->user_text) {
		st = s->q[Q_UNANS];
		sqlite3_bind_int64(st, 1, j->ts);
		/* without transcripts, nothing said is tied to a session */
		bind_text(st, 2, s->o.transcripts ? j->token : NULL);
		bind_text(st, 3, j->user_text);
		if (store_step_done(st))
			return store_fail(s, j, "unanswered");
	}
	if (!s->o.transcripts && j->reply)
		store_ring_add(s, j);
	return 0;
}

static int
store_do(struct store *s, struct store_job *j)
{
	sqlite3_stmt *st;

	switch (j->op) {
	case STORE_CREATE:
		st = s->q[Q_CREATE];
		bind_text(st, 1, j->token);
		sqlite3_bind_int64(st, 2, j->ts);
		bind_text(st, 3, j->slots ? j->slots : "{}");
		if (store_step_done(st))
			return store_fail(s, j, "create");
		j->dsessions = sqlite3_changes(s->db);
		return 0;
	case STORE_LOAD:
		return store_do_load(s, j);
	case STORE_TURN:
		return store_do_turn(s, j);
	case STORE_RESET:
		st = s->q[Q_RESET];
		bind_text(st, 1, j->token);
		bind_text(st, 2, j->slots ? j->slots : "{}");
		sqlite3_bind_int64(st, 3, j->ts);
		return store_step_done(st) ? store_fail(s, j, "reset") : 0;
	case STORE_FORGET:
		for (int i = 0; i < STORE_RING; i++)
			if (s->ring[i].reply &&
			    strcmp(s->ring[i].token, j->token) == 0) {
				free(s->ring[i].reply);
				s->ring[i].reply = NULL;
			}
		st = s->q[Q_FORGET];
		bind_text(st, 1, j->token);
		if (store_step_done(st))
			return store_fail(s, j, "forget");
		j->found = sqlite3_changes(s->db) > 0;
		j->dsessions = -j->found;
		st = s->q[Q_UNLINK];
		bind_text(st, 1, j->token);
		return store_step_done(st) ? store_fail(s, j, "forget") : 0;
	case STORE_PURGE: {
		int64_t cut = j->ts - (int64_t)s->o.session_days * 86400000;

		st = s->q[Q_PURGE];
		sqlite3_bind_int64(st, 1, cut);
		if (store_step_done(st))
			return store_fail(s, j, "purge");
		j->found = sqlite3_changes(s->db);
		j->dsessions = -j->found;
		st = s->q[Q_PURGE_UNANS];
		sqlite3_bind_int64(st, 1, cut);
		return store_step_done(st) ? store_fail(s, j, "purge") : 0;
	}
	}
	return -1;
}

/* A job's results, as if it had not run (before a run, and when its
 * transaction is rolled back). */
static void
store_job_clear(struct store_job *j)
{
	j->rc = 0;
	j->found = 0;
	j->dsessions = 0;
	j->err[0] = '\0';
	json_decref(j->result);
	j->result = NULL;
}

static void
store_fail_all(struct store_job *batch, const char *why)
{
	for (struct store_job *j = batch; j; j = j->next) {
		store_job_clear(j);
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
store_attempt(struct store *s, struct store_job *batch, int careful,
    char *failed, size_t size)
{
	s->ring_added = 0;
	for (struct store_job *j = batch; j; j = j->next)
		store_job_clear(j);
	if (store_run_q(s, Q_BEGIN) != 0) {
		store_errmsg(s, "begin", failed, size);
		store_fail_all(batch, failed);
		return 0;
	}
	for (struct store_job *j = batch; j; j = j->next) {
		if (careful && store_run_q(s, Q_SAVEPOINT) != 0) {
			store_fail(s, j, "savepoint");
			if (!failed[0])
				snprintf(failed, size, "%s", j->err);
			continue;
		}
		if (store_do(s, j) == 0) {
			if (careful)
				store_run_q(s, Q_RELEASE);
			continue;
		}
		if (!failed[0])
			snprintf(failed, size, "%s", j->err);
		if (!careful) {
			store_run_q(s, Q_ROLLBACK);
			store_ring_undo(s);
			return -1;
		}
		j->dsessions = 0;
		store_run_q(s, Q_ROLLBACK_TO);
		store_run_q(s, Q_RELEASE);
	}
	if (store_run_q(s, Q_COMMIT) != 0) {
		store_errmsg(s, "commit", failed, size);
		store_fail_all(batch, failed);
		store_run_q(s, Q_ROLLBACK);
		store_ring_undo(s);
	}
	return 0;
}

/* Run one batch and publish the health and session count it leaves. */
static void
store_batch(struct store *s, struct store_job *batch)
{
	char failed[160] = "";

	if (store_attempt(s, batch, 0, failed, sizeof failed) != 0)
		store_attempt(s, batch, 1, failed, sizeof failed);

	/* no count(*) per batch: it reads the whole table */
	long n = s->counted;
	time_t now = time(NULL);

	for (struct store_job *j = batch; j; j = j->next)
		n += j->dsessions;
	if (n < 0 || now - s->counted_at >= STORE_RECOUNT_S) {
		sqlite3_stmt *st = s->q[Q_COUNT];

		n = -1;
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		s->counted_at = now;
	}
	s->counted = n;

	pthread_mutex_lock(&s->mu);
	s->sessions = n;
	if (failed[0])
		snprintf(s->state, sizeof s->state, "error: %s", failed);
	else
		snprintf(s->state, sizeof s->state, "ok");
	pthread_mutex_unlock(&s->mu);
}

static void *
store_main(void *arg)
{
	struct store *s = arg;

	for (;;) {
		struct store_job *batch, *last;
		int idle;

		pthread_mutex_lock(&s->mu);
		while (s->todo == NULL && !s->closing)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->last_batch > STORE_COALESCE_MIN && !s->closing) {
			/* Under load, wait a moment for more turns to share
			 * the commit: every commit writes the pages it
			 * touched again, however few rows changed. */
			struct timespec ts = { 0, STORE_COALESCE_US * 1000 };

			pthread_mutex_unlock(&s->mu);
			nanosleep(&ts, NULL);
			pthread_mutex_lock(&s->mu);
		}
		batch = s->todo;
		s->todo = NULL;
		s->todo_tail = &s->todo;
		pthread_mutex_unlock(&s->mu);
		if (batch == NULL)
			break;          /* closing and nothing left */
		store_batch(s, batch);
		s->last_batch = 1;
		for (last = batch; last->next; last = last->next)
			s->last_batch++;
		pthread_mutex_lock(&s->mu);
		*s->done_tail = batch;
		s->done_tail = &last->next;
		s->queued -= s->last_batch;
		idle = s->todo == NULL;
		pthread_mutex_unlock(&s->mu);
		/* one wake for the whole batch */
		s->wake(s->wake_arg);
		ckpt_note(s->ckpt, idle);
	}
	return NULL;
}

/* Why the database could not be opened at start, in words an operator can
 * act on: SQLite's message, the system's reason, and what to check. */
static void
store_open_err(struct store *s, const char *path, const char *msg, char *err,
    size_t errlen)
{
	int ext = s->db ? sqlite3_extended_errcode(s->db) : SQLITE_NOMEM;
	int rc = ext & 0xff;
	int e = s->db ? sqlite3_system_errno(s->db) : 0;
	const char *hint = "";
	char sys[96] = "";

	if (msg == NULL)
		msg = s->db ? sqlite3_errmsg(s->db) : "out of memory";
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

/* Add what a database of an earlier version lacks (store_migrations);
 * *msg is set, for sqlite3_free(), when that fails. */
static int
store_migrate(struct store *s, char **msg)
{
	size_t n = sizeof store_migrations / sizeof store_migrations[0];

	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(s->db, store_migrations[i].probe, -1,
		    &st, NULL) == SQLITE_OK) {
			sqlite3_finalize(st);
			continue;
		}
		if (sqlite3_exec(s->db, store_migrations[i].add, NULL, NULL,
		    msg) != SQLITE_OK)
			return -1;
	}
	return 0;
}

struct store *
store_open(const char *path, const struct store_opts *o,
    void (*wake)(void *), void *arg, char *err, size_t errlen)
{
	struct store *s = xcalloc(1, sizeof *s);
	char *msg = NULL;
	s->o = *o;
	s->wake = wake;
	s->wake_arg = arg;
	s->todo_tail = &s->todo;
	s->done_tail = &s->done;
	s->sessions = -1;
	snprintf(s->state, sizeof s->state, "ok");
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		store_open_err(s, path, NULL, err, errlen);
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* WAL: readers (slate unanswered) never block the writer.
	 * synchronous=NORMAL: a commit is in the WAL file, and so survives
	 * the process being killed, before COMMIT returns; only a power
	 * failure can lose the last commits (docs/operations.md).  The
	 * schema ends with a write (user_version), so a database that cannot
	 * be written is found here, at start, and not at the first question. */
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(s->db, store_schema, NULL, NULL, &msg) != SQLITE_OK ||
	    store_migrate(s, &msg) != 0 ||
	    sqlite3_exec(s->db, STORE_USER_VERSION, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		store_open_err(s, path, msg, err, errlen);
		sqlite3_free(msg);
		goto fail;
	}
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		snprintf(err, errlen, "%s: the database is read-only: slated "
		    "needs to write to it and to its directory", path);
		goto fail;
	}
	for (int i = 0; i < Q_N; i++)
		if (sqlite3_prepare_v3(s->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", path,
			    sqlite3_errmsg(s->db));
			goto fail;
		}
	if (sqlite3_step(s->q[Q_COUNT]) == SQLITE_ROW)
		s->sessions = sqlite3_column_int64(s->q[Q_COUNT], 0);
	sqlite3_reset(s->q[Q_COUNT]);
	s->counted = s->sessions;
	s->counted_at = time(NULL);
	/* before the writer thread: it installs a hook on s->db */
	s->ckpt = ckpt_start(s->db);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (thr_start(&s->thread, store_main, s) != 0) {
		snprintf(err, errlen, "cannot start the store thread");
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		ckpt_stop(s->ckpt);
		goto fail;
	}
	return s;
fail:
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(s->q[i]);
	sqlite3_close(s->db);
	free(s);
	return NULL;
}

void
store_submit(struct store *s, struct store_job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&s->mu);
	*s->todo_tail = j;
	s->todo_tail = &j->next;
	s->queued++;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

struct store_job *
store_done(struct store *s)
{
	struct store_job *list;

	pthread_mutex_lock(&s->mu);
	list = s->done;
	s->done = NULL;
	s->done_tail = &s->done;
	pthread_mutex_unlock(&s->mu);
	return list;
}

long
store_sessions(struct store *s)
{
	long n;

	pthread_mutex_lock(&s->mu);
	n = s->sessions;
	pthread_mutex_unlock(&s->mu);
	return n;
}

int
store_queued(struct store *s)
{
	int n;

	pthread_mutex_lock(&s->mu);
	n = s->queued;
	pthread_mutex_unlock(&s->mu);
	return n;
}

void
store_state(struct store *s, char *buf, size_t size)
{
	pthread_mutex_lock(&s->mu);
	snprintf(buf, size, "%s", s->state);
	pthread_mutex_unlock(&s->mu);
}

void
store_close(struct store *s)
{
	struct store_job *j, *next;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->closing = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	ckpt_stop(s->ckpt);
	for (j = store_done(s); j; j = next) {
		next = j->next;
		store_job_free(j);
	}
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(s->q[i]);
	for (int i = 0; i < STORE_RING; i++)
		free(s->ring[i].reply);
	/* the last connection checkpoints the WAL into the main file: the
	 * checkpointer's is closed first so that this one is the last */
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
