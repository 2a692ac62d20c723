/* store.c - SQLite session store on a thread of its own.  See store.h for
 * the contract and docs/operations.md for why it is built this way. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ckpt.h"
#include "db.h"
#include "store.h"
#include "thr.h"
#include "common/xmem.h"

/* The session count for /metrics is kept from each job's changes and
 * recounted this often, for changes made by other processes (slate). */
#define STORE_RECOUNT_S 60
/* How long the writer waits for more turns to commit together, when the
 * last commit held more than STORE_COALESCE_MIN: a backlog, where the
 * wait saves commits.  Below that, batches of two or three, a wait would
 * only delay every reply by as much (docs/performance.md). */
#define STORE_COALESCE_US 250
#define STORE_COALESCE_MIN 4

struct store {
	struct db *db;
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

/* Run one batch and publish the health and session count it leaves. */
static void
store_batch(struct store *s, struct store_job *batch)
{
	char failed[160];

	db_run(s->db, batch, failed, sizeof failed);

	/* no count(*) per batch: it reads the whole table */
	long n = s->counted;
	time_t now = time(NULL);

	for (struct store_job *j = batch; j; j = j->next)
		n += j->dsessions;
	if (n < 0 || now - s->counted_at >= STORE_RECOUNT_S) {
		n = db_count(s->db);
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

struct store *
store_open(const char *path, const struct store_opts *o,
    void (*wake)(void *), void *arg, char *err, size_t errlen)
{
	struct store *s;
	struct db *d = db_open(path, o, err, errlen);

	if (d == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->db = d;
	s->wake = wake;
	s->wake_arg = arg;
	s->todo_tail = &s->todo;
	s->done_tail = &s->done;
	snprintf(s->state, sizeof s->state, "ok");
	s->sessions = db_count(d);
	s->counted = s->sessions;
	s->counted_at = time(NULL);
	/* before the writer thread: it installs a hook on the connection */
	s->ckpt = ckpt_start(db_handle(d));
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (thr_start(&s->thread, store_main, s) != 0) {
		snprintf(err, errlen, "cannot start the store thread");
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		ckpt_stop(s->ckpt);
		db_close(d);
		free(s);
		return NULL;
	}
	return s;
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
	/* the last connection checkpoints the WAL into the main file: the
	 * checkpointer's is closed first so that this one is the last */
	db_close(s->db);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
