/* ckpt.c - the store's checkpointer thread (see ckpt.h). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ckpt.h"
#include "thr.h"
#include "common/xmem.h"

struct ckpt {
	sqlite3 *db;                    /* the writer's connection */
	sqlite3 *own;                   /* the checkpointer's */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;              /* the checkpointer waits on it */
	pthread_cond_t done;            /* the writer waits on it (bound) */
	/* the writer's thread only */
	int frames;                     /* in the WAL after the last commit */
	int mark;                       /* frames at the last pass asked */
	unsigned long long written;     /* frames committed, in all */
	/* under mu */
	int stop;
	int last_frames;                /* frames, for the checkpointer */
	unsigned long commits;          /* commits so far */
	unsigned long asked;            /* passes asked for */
	unsigned long passes;           /* passes finished */
	int running;                    /* a pass is under way */
	struct timespec idle_at;        /* the last pass asked when idle */
	struct timespec last;           /* time of the last commit */
};

static long
ckpt_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* SQLite calls this on the writer after each commit, with the frames now
 * in the WAL; it replaces the automatic checkpoint, which would run right
 * here, inside COMMIT, fsyncs and all. */
static int
ckpt_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct ckpt *c = arg;

	/* fewer than before: the WAL started over */
	c->written += (unsigned long long)(frames >= c->frames ?
	    frames - c->frames : frames);
	c->frames = frames;
	return SQLITE_OK;
}

static int
ckpt_is_wal(sqlite3 *db)
{
	sqlite3_stmt *st;
	int wal = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) !=
	    SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);

		wal = m && strcmp(m, "wal") == 0;
	}
	sqlite3_finalize(st);
	return wal;
}

/* PASSIVE passes when the writer asks for one, and when commits have been
 * idle for CKPT_IDLE_MS. */
static void *
ckpt_main(void *arg)
{
	struct ckpt *c = arg;
	struct sched_param sp = { 0 };
	unsigned long done_commits = 0;

	/* A pass copies the WAL into the database: CPU and disk the loop
	 * must never wait behind on a shared core.  Its mutex is shared
	 * only with the compactor, itself at this priority. */
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		int due = c->asked > c->passes ||
		    (c->commits != done_commits && c->last_frames > 0 &&
		    ckpt_ms_since(&c->last) >= CKPT_IDLE_MS);

		if (!due) {
			struct timespec until;

			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_nsec += CKPT_IDLE_MS % 1000 * 1000000L;
			until.tv_sec += CKPT_IDLE_MS / 1000 +
			    until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&c->cv, &c->mu, &until);
			continue;
		}
		done_commits = c->commits;
		c->running = 1;
		pthread_mutex_unlock(&c->mu);
		/* errors (busy, disk full) are the writer's to report: the
		 * next pass tries again */
		sqlite3_wal_checkpoint_v2(c->own, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->mu);
		c->running = 0;
		c->passes++;
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct ckpt *
ckpt_start(sqlite3 *db)
{
	const char *file = sqlite3_db_filename(db, "main");
	struct ckpt *c;
	pthread_condattr_t ca;

	if (!ckpt_is_wal(db) || file == NULL || file[0] == '\0')
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->db = db;
	if (sqlite3_open_v2(file, &c->own, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(c->own, "PRAGMA synchronous = NORMAL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		sqlite3_close(c->own);
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->done, NULL);
	/* the idle timeout must not jump with the wall clock */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	clock_gettime(CLOCK_MONOTONIC, &c->last);
	if (thr_start(&c->thread, ckpt_main, c) != 0) {
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->cv);
		pthread_cond_destroy(&c->done);
		sqlite3_close(c->own);
		free(c);
		return NULL;
	}
	sqlite3_wal_hook(db, ckpt_hook, c);
	return c;
}

/* Wake the checkpointer when a pass is due: once per CKPT_FRAMES new
 * frames, and when the writer has nothing to do and the WAL is past that
 * size (at most every CKPT_GAP_MS), since a pass that no commit overlaps
 * lets the next commit start the WAL over.  Not after every commit once
 * the WAL is past the threshold, as SQLite's own checkpoint does: under
 * load a pass beside the writer seldom copies all of it, so the WAL stays
 * past the threshold and a pass per commit would sort the WAL's index and
 * fsync twice for a handful of pages. */
void
ckpt_note(struct ckpt *c, int idle)
{
	if (c == NULL)
		return;
	if (c->frames < c->mark)
		c->mark = 0;            /* the WAL started over */
	pthread_mutex_lock(&c->mu);
	c->last_frames = c->frames;
	c->commits++;
	clock_gettime(CLOCK_MONOTONIC, &c->last);
	if (c->frames - c->mark >= CKPT_FRAMES) {
		c->mark = c->frames;
		c->asked = c->passes + 1;
		pthread_cond_signal(&c->cv);
	} else if (idle && c->frames >= CKPT_FRAMES && !c->running &&
	    c->asked <= c->passes &&
	    ckpt_ms_since(&c->idle_at) >= CKPT_GAP_MS) {
		c->idle_at = c->last;
		c->asked = c->passes + 1;
		pthread_cond_signal(&c->cv);
	}
	if (c->frames >= CKPT_MAX_FRAMES) {
		/* a pass that began before this commit cannot copy it: wait
		 * for the next one, which is short when a pass has just
		 * ended (it copies what was committed since) */
		unsigned long want = c->passes + (c->running ? 2 : 1);

		c->asked = want;
		pthread_cond_signal(&c->cv);
		while (c->passes < want && !c->stop)
			pthread_cond_wait(&c->done, &c->mu);
	}
	pthread_mutex_unlock(&c->mu);
}

void
ckpt_stop(struct ckpt *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	sqlite3_wal_hook(c->db, NULL, NULL);
	sqlite3_close(c->own);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	pthread_cond_destroy(&c->done);
	free(c);
}

unsigned long long
ckpt_written(struct ckpt *c)
{
	return c ? c->written : 0;
}
