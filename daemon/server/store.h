/* store.h - the reader: the questions the loop cannot answer from memory,
 * asked of SQLite and the journal on a thread of its own (normal
 * priority, its own read-only use of the database) so that the event loop
 * never waits for the disk: a resume (slots, history, the ids answered)
 * and a resent id that may have been answered (the stored reply).  The
 * loop submits jobs; the thread runs them and calls wake(); the loop
 * collects them with store_done(). */
#ifndef SLATE_STORE_H
#define SLATE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "tok.h"

#define STORE_ID_MAX 65      /* longest client message id, with NUL */

enum store_op {
	STORE_LOAD,    /* a session's slots, history and id hashes */
	STORE_LOOKUP   /* the reply stored for (token, id), if any */
};

struct store_job {
	enum store_op op;
	uint64_t conn;                      /* who asked */
	char token[TOK_LEN + 1];
	char id[STORE_ID_MAX];
	char *user_text;                    /* LOOKUP: the question, malloc'd */
	double t0;                          /* the loop's, for latency */
	int tries;                          /* LOAD: submissions so far */
	/* what the loop knows that SQLite may not have yet */
	uint64_t *pend;                     /* LOAD: its turns in the journal;
					       LOOKUP: those the id may be */
	size_t npend;
	uint64_t slots_pos, hold_pos, gone_pos;
	/* filled in by the thread */
	int rc;                             /* 0 done, -1 failed (err) */
	int found;
	int retry;                          /* LOAD: compacted meanwhile */
	int legacy;                         /* LOOKUP: reply is a whole
					       message of an older version */
	char *slots;                        /* LOAD: eng_state JSON */
	char *history;                      /* LOAD: a JSON array */
	char *reply;                        /* LOOKUP: the reply's members */
	uint64_t *ids;                      /* LOAD: id hashes in SQLite */
	size_t nids;
	char err[160];
	struct store_job *next;
};

struct store_opts {
	int transcripts;      /* 0: slots only */
	int history_max;      /* turns returned by LOAD */
	int session_days;     /* retention */
};

struct store;

/* Open the database (it exists: the compactor made it) for reading and
 * start the thread.  journal: the database path the journal's segments
 * are named after, or NULL for none.  wake is called from that thread
 * after jobs complete; it must be thread-safe. */
struct store *store_open(const char *path, const char *journal,
    const struct store_opts *o, void (*wake)(void *), void *arg, char *err,
    size_t errlen);
/* Queue a job; the store owns it until store_done() returns it. */
void store_submit(struct store *s, struct store_job *j);
/* Completed jobs in submission order, or NULL; free each with
 * store_job_free(). */
struct store_job *store_done(struct store *s);
struct store_job *store_job_new(enum store_op op);
void store_job_free(struct store_job *j);
int store_queued(struct store *s);
/* Finish every queued job, stop the thread, close the database.  Jobs not
 * yet collected are freed. */
void store_close(struct store *s);

#endif
