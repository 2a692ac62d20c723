/* store.c - the reader thread (see store.h).  Its queue's mutex is
 * shared with the loop, which is why it runs at normal priority and holds
 * the mutex only to move a list. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "db.h"
#include "dbr.h"
#include "store.h"
#include "thr.h"
#include "common/xmem.h"

struct store {
	struct db *db;
	char *journal;
	void (*wake)(void *);
	void *wake_arg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* under mu */
	struct store_job *todo, **todo_tail;
	struct store_job *done, **done_tail;
	int queued, closing;
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
	free(j->pend);
	free(j->slots);
	free(j->history);
	free(j->reply);
	free(j->ids);
	free(j);
}

static void *
store_main(void *arg)
{
	struct store *s = arg;

	for (;;) {
		struct store_job *batch, *last, *j;
		int n = 0;

		pthread_mutex_lock(&s->mu);
		while (s->todo == NULL && !s->closing)
			pthread_cond_wait(&s->cv, &s->mu);
		batch = s->todo;
		s->todo = NULL;
		s->todo_tail = &s->todo;
		pthread_mutex_unlock(&s->mu);
		if (batch == NULL)
			break;          /* closing and nothing left */
		for (j = batch; j; j = j->next) {
			dbr_run(s->db, s->journal, j);
			last = j;
			n++;
		}
		pthread_mutex_lock(&s->mu);
		*s->done_tail = batch;
		s->done_tail = &last->next;
		s->queued -= n;
		pthread_mutex_unlock(&s->mu);
		s->wake(s->wake_arg);
	}
	return NULL;
}

struct store *
store_open(const char *path, const char *journal, const struct store_opts *o,
    void (*wake)(void *), void *arg, char *err, size_t errlen)
{
	struct store *s;
	struct db *d = db_open(path, o, err, errlen);

	if (d == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->db = d;
	s->journal = journal ? xstrdup(journal) : NULL;
	s->wake = wake;
	s->wake_arg = arg;
	s->todo_tail = &s->todo;
	s->done_tail = &s->done;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (thr_start(&s->thread, store_main, s) != 0) {
		snprintf(err, errlen, "cannot start the reader thread");
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		db_close(d);
		free(s->journal);
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
	for (j = store_done(s); j; j = next) {
		next = j->next;
		store_job_free(j);
	}
	db_close(s->db);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->journal);
	free(s);
}
