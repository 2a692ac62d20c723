/* cpt.c - the compactor (see cpt.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ckpt.h"
#include "cpt.h"
#include "db.h"
#include "dbw.h"
#include "jrd.h"
#include "log.h"
#include "thr.h"
#include "common/xmem.h"

#define CPT_TICK_MS 5
#define CPT_RETRY_MS 1000
#define CPT_RECOUNT_MS 60000
#define CPT_CLOSE_TRIES 3       /* failing batches at close before giving up */
#define CPT_TXN_BYTES (8u << 20) /* journal read into one transaction */

struct cpt {
	char *path;
	struct db *db;
	struct dbw *w;
	struct ckpt *ckpt;
	struct jnl_pub *pub;
	pthread_t thread;
	int started;
	/* the compactor's own */
	uint64_t pos;               /* the next record SQLite lacks */
	int fd;                     /* segment JNL_SEG(pos), or -1 */
	uint32_t fd_seg;
	char *buf;
	size_t cap;
	long batch;                 /* records in the batch being applied */
	int failed;
	char err[200], shown[200];
	long torn;
	double recounted;
	long counted;
	/* published to the loop */
	_Atomic uint64_t done, applied, wal_bytes;
	uint64_t frame;             /* bytes of a WAL frame */
	_Atomic long sessions, purged;
	_Atomic int closing;
	_Atomic unsigned seq;       /* state: odd while being written */
	char state[200];
};

static double
cpt_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A seqlock: the loop copies state without a lock and copies again if
 * it changed meanwhile; the writer never waits. */
static void
cpt_set_state(struct cpt *c, const char *s)
{
	if (strcmp(c->shown, s) == 0)
		return;
	snprintf(c->shown, sizeof c->shown, "%s", s);
	atomic_fetch_add(&c->seq, 1);
	atomic_thread_fence(memory_order_release);
	snprintf(c->state, sizeof c->state, "%s", s);
	atomic_thread_fence(memory_order_release);
	atomic_fetch_add(&c->seq, 1);
}

void
cpt_state(struct cpt *c, char *buf, size_t size)
{
	unsigned a, b;

	do {
		a = atomic_load(&c->seq);
		atomic_thread_fence(memory_order_acquire);
		snprintf(buf, size, "%s", c->state);
		atomic_thread_fence(memory_order_acquire);
		b = atomic_load(&c->seq);
	} while (a != b || (a & 1));
}

static int
cpt_apply(void *arg, const struct jrec *r, uint64_t pos)
{
	struct cpt *c = arg;

	if (dbw_apply(c->w, r, c->err, sizeof c->err) != 0) {
		c->failed = 1;
		return -1;
	}
	c->batch++;
	return 0;
}

/* The segment pos is in, open for reading; -1 when it does not exist. */
static int
cpt_seg_fd(struct cpt *c, uint32_t seg)
{
	char path[4096];

	if (c->fd >= 0 && c->fd_seg == seg)
		return c->fd;
	if (c->fd >= 0)
		close(c->fd);
	jrd_path(path, sizeof path, c->path, seg);
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	c->fd_seg = seg;
	return c->fd;
}

/* A segment SQLite now holds all of: gone. */
static void
cpt_drop_seg(struct cpt *c, uint32_t seg)
{
	char path[4096];

	if (c->fd >= 0 && c->fd_seg == seg) {
		close(c->fd);
		c->fd = -1;
	}
	jrd_path(path, sizeof path, c->path, seg);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("journal: cannot delete %s: %s", path, strerror(errno));
}

/* The counters the loop reads, after a batch is committed. */
static void
cpt_publish(struct cpt *c)
{
	double now = cpt_ms();

	c->counted += dbw_dsessions(c->w);
	if (c->counted < 0 || now - c->recounted >= CPT_RECOUNT_MS) {
		c->counted = db_count(c->db);
		c->recounted = now;
	}
	atomic_store(&c->sessions, c->counted);
	atomic_fetch_add(&c->purged, dbw_purged(c->w));
	atomic_store(&c->wal_bytes, ckpt_written(c->ckpt) * c->frame);
	atomic_store(&c->done, c->pos);
}

/* One batch: the records from pos, up to end, chunk after chunk, in one
 * transaction, so that the pages a batch touches go to the WAL once
 * however many of its records changed them.  1 done, 0 nothing to do,
 * -1 failed (c->err). */
static int
cpt_step(struct cpt *c, uint64_t end)
{
	uint32_t seg = JNL_SEG(c->pos);
	uint64_t off = JNL_OFF(c->pos), at = off, noff, npos;
	uint64_t limit = seg == JNL_SEG(end) ? JNL_OFF(end) : UINT64_MAX;
	int fd, damaged = 0, stuck = 0, finished;

	if (c->pos >= end)
		return 0;
	fd = cpt_seg_fd(c, seg);
	if (fd < 0 && seg == JNL_SEG(end))
		return 0;               /* not written yet */
	if (dbw_begin(c->w, c->err, sizeof c->err) != 0)
		return -1;
	c->batch = 0;
	c->failed = 0;
	while (fd >= 0 && !damaged && at - off < CPT_TXN_BYTES) {
		noff = jrd_scan(fd, seg, at, limit, &c->buf, &c->cap,
		    cpt_apply, c, &damaged);
		/* the next chunk reuses the buffer the records point into */
		if (c->failed || (noff > at &&
		    dbw_chunk(c->w, c->err, sizeof c->err) != 0)) {
			dbw_rollback(c->w);
			return -1;
		}
		stuck = noff == at;
		if (stuck)
			break;
		at = noff;
	}
	finished = seg < JNL_SEG(end) && (fd < 0 || stuck || damaged);
	if (finished && damaged && fd >= 0) {
		off_t size = lseek(fd, 0, SEEK_END);

		log_warn("journal: segment %u: %lld bytes after offset %llu "
		    "are not whole records (a write torn by a crash): dropped",
		    seg, (long long)(size - (off_t)at),
		    (unsigned long long)at);
		c->torn += (long)(size - (off_t)at);
	}
	npos = finished ? JNL_POS(seg + 1, 0) : JNL_POS(seg, at);
	if (dbw_commit(c->w, npos, c->err, sizeof c->err) != 0)
		return -1;
	c->pos = npos;
	atomic_fetch_add(&c->applied, (uint64_t)c->batch);
	cpt_publish(c);
	if (finished)
		cpt_drop_seg(c, seg);
	if (dbw_deleted(c->w))
		/* what forget and the purge deleted leaves the WAL too */
		sqlite3_wal_checkpoint_v2(db_handle(c->db), NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return 1;
}

/* Whether a batch is due: enough records, an old enough first one, a
 * quiet journal, a forget waiting, or the end. */
static int
cpt_due(struct cpt *c, double *first, double *changed, uint64_t *seen)
{
	uint64_t n = atomic_load(&c->pub->records);
	double now = cpt_ms();

	if (n != *seen) {
		*seen = n;
		*changed = now;
	}
	if (*first == 0)
		*first = now;
	return atomic_load(&c->closing) || atomic_load(&c->pub->urgent) ||
	    n - atomic_load(&c->applied) >= CPT_BATCH ||
	    now - *first >= CPT_DELAY_MS || now - *changed >= CPT_QUIET_MS;
}

static void
cpt_wait(struct cpt *c, int ms)
{
	struct pollfd p = { .fd = c->pub->kick, .events = POLLIN };
	uint64_t junk;

	if (poll(&p, 1, ms) > 0 && read(c->pub->kick, &junk, sizeof junk) < 0)
		return;
}

static void *
cpt_main(void *arg)
{
	struct cpt *c = arg;
	struct sched_param sp = { 0 };
	double first = 0, changed = 0;
	uint64_t seen = 0;
	int tries = 0;

	/* the loop goes first, always: this thread only gets the CPU the
	 * loop leaves (and it holds nothing the loop could wait for) */
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
	for (;;) {
		uint64_t end = atomic_load(&c->pub->end);
		int closing = atomic_load(&c->closing);

		if (c->pos >= end) {
			if (closing)
				break;
			first = 0;
			atomic_store(&c->pub->urgent, 0);
			atomic_store(&c->pub->sleeping, 1);
			if (atomic_load(&c->pub->end) == end &&
			    !atomic_load(&c->closing))
				cpt_wait(c, 1000);
			atomic_store(&c->pub->sleeping, 0);
			continue;
		}
		if (!cpt_due(c, &first, &changed, &seen)) {
			cpt_wait(c, CPT_TICK_MS);
			continue;
		}
		if (cpt_step(c, end) < 0) {
			char st[220];

			snprintf(st, sizeof st, "error: %s", c->err);
			cpt_set_state(c, st);
			if (closing && ++tries >= CPT_CLOSE_TRIES)
				break;
			cpt_wait(c, CPT_RETRY_MS);
			continue;
		}
		cpt_set_state(c, "ok");
		if (c->pos >= end)
			first = 0;
		ckpt_note(c->ckpt, c->pos >= end);
	}
	return NULL;
}

/* Replay: every segment on disk, in order, before anything else runs. */
static int
cpt_replay(struct cpt *c, uint32_t *seg, struct cpt_replay *rp)
{
	uint32_t *segs;
	int n = jrd_segments(c->path, 0, &segs);
	double t0 = cpt_ms();
	uint64_t end;
	int rc = 0;

	memset(rp, 0, sizeof *rp);
	for (int i = 0; i < n; i++)
		if (segs[i] < JNL_SEG(c->pos))
			cpt_drop_seg(c, segs[i]);   /* SQLite has it all */
	end = n > 0 ? JNL_POS(segs[n - 1] + 1, 0) : c->pos;
	if (n > 0 && segs[n - 1] >= JNL_SEG(c->pos))
		rp->segments = n;
	free(segs);
	while (c->pos < end && (rc = cpt_step(c, end)) > 0)
		rp->records += c->batch;
	if (rc < 0)
		return -1;
	/* a new segment after any SQLite has heard of */
	*seg = JNL_SEG(c->pos) + (JNL_OFF(c->pos) > 0);
	if (c->pos != JNL_POS(*seg, 0)) {
		if (dbw_begin(c->w, c->err, sizeof c->err) != 0 ||
		    dbw_commit(c->w, JNL_POS(*seg, 0), c->err,
		    sizeof c->err) != 0)
			return -1;
		c->pos = JNL_POS(*seg, 0);
	}
	atomic_store(&c->done, c->pos);
	rp->torn = c->torn;
	rp->ms = cpt_ms() - t0;
	return 0;
}

/* A WAL frame: a 24-byte header and a page. */
static uint64_t
cpt_frame_bytes(struct db *d)
{
	sqlite3_stmt *st;
	uint64_t page = 4096;

	if (sqlite3_prepare_v2(db_handle(d), "PRAGMA page_size", -1, &st,
	    NULL) != SQLITE_OK)
		return page + 24;
	if (sqlite3_step(st) == SQLITE_ROW)
		page = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return page + 24;
}

struct cpt *
cpt_open(const char *path, const struct store_opts *o, uint32_t *seg,
    struct cpt_replay *rp, char *err, size_t errlen)
{
	struct db *d = db_open(path, o, err, errlen);
	struct cpt *c;
	sqlite3_stmt *st;

	if (d == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	c->db = d;
	c->w = dbw_new(d);
	c->fd = -1;
	st = db_q(d, Q_POS);
	if (sqlite3_step(st) == SQLITE_ROW)
		c->pos = (uint64_t)sqlite3_column_int64(st, 0);
	db_reset(st);
	c->frame = cpt_frame_bytes(d);
	c->counted = db_count(d);
	c->recounted = cpt_ms();
	atomic_init(&c->sessions, c->counted);
	snprintf(c->state, sizeof c->state, "ok");
	snprintf(c->shown, sizeof c->shown, "ok");
	if (cpt_replay(c, seg, rp) != 0) {
		snprintf(err, errlen, "%s: replaying the journal: %s", path,
		    c->err);
		cpt_close(c);
		return NULL;
	}
	return c;
}

int
cpt_start(struct cpt *c, struct jnl_pub *pub)
{
	c->pub = pub;
	/* before the thread: it installs a hook on the connection */
	c->ckpt = ckpt_start(db_handle(c->db));
	if (thr_start(&c->thread, cpt_main, c) != 0)
		return -1;
	c->started = 1;
	return 0;
}

uint64_t
cpt_done(struct cpt *c)
{
	return atomic_load(&c->done);
}

uint64_t
cpt_applied(struct cpt *c)
{
	return atomic_load(&c->applied);
}

uint64_t
cpt_wal_bytes(struct cpt *c)
{
	return atomic_load(&c->wal_bytes);
}

long
cpt_sessions(struct cpt *c)
{
	return atomic_load(&c->sessions);
}

long
cpt_purged(struct cpt *c)
{
	return atomic_load(&c->purged);
}

void
cpt_close(struct cpt *c)
{
	if (c == NULL)
		return;
	if (c->started) {
		atomic_store(&c->closing, 1);
		{
			uint64_t one = 1;

			if (write(c->pub->kick, &one, sizeof one) < 0)
				log_debug("compactor: kick: %s",
				    strerror(errno));
		}
		pthread_join(c->thread, NULL);
		/* all applied: the segment being written is done with too */
		if (c->pos == atomic_load(&c->pub->end) &&
		    dbw_begin(c->w, c->err, sizeof c->err) == 0 &&
		    dbw_commit(c->w, JNL_POS(JNL_SEG(c->pos) + 1, 0), c->err,
		    sizeof c->err) == 0)
			cpt_drop_seg(c, JNL_SEG(c->pos));
	}
	ckpt_stop(c->ckpt);
	if (c->fd >= 0)
		close(c->fd);
	dbw_free(c->w);
	db_close(c->db);
	free(c->buf);
	free(c->path);
	free(c);
}
