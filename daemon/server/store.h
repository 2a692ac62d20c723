/* store.h - the session store: SQLite in WAL mode, driven by one thread of
 * its own so that the event loop never waits for the disk.
 *
 * The loop submits jobs; the thread runs whatever has queued up in one
 * transaction (group commit), moves the jobs to a done list and calls
 * wake().  The loop then collects them with store_done() and only then
 * tells the client: a reply is written to its socket after the turn that
 * holds it is committed. */
#ifndef SLATE_STORE_H
#define SLATE_STORE_H

#include <stdint.h>
#include <jansson.h>
#include "tok.h"

#define STORE_ID_MAX 65      /* longest client message id, with NUL */

enum store_op {
	STORE_CREATE,  /* a new session's row, before its welcome */
	STORE_LOAD,    /* session slots and history, and touch it */
	STORE_TURN,    /* a question and its reply, unless id was answered */
	STORE_RESET,   /* new slots for a session */
	STORE_FORGET,  /* delete a session and its transcript */
	STORE_PURGE    /* delete sessions idle longer than the retention */
};

struct store_job {
	enum store_op op;
	uint64_t conn;                      /* who asked; 0 for nobody */
	char token[TOK_LEN + 1];
	char id[STORE_ID_MAX];
	char *user_text;                    /* TURN, malloc'd */
	char *reply;                        /* TURN: the whole reply message,
					       which holds the bot's text
					       (turns.bot_text only in rows
					       of older versions) */
	char *slots;                        /* CREATE, TURN, RESET: eng_state
					       JSON */
	int fallback;                       /* TURN: record as unanswered */
	int64_t ts;                         /* ms since the epoch */
	double t0;                          /* the loop's, for latency */
	/* filled in by the store thread */
	int rc;                             /* 0 done, -1 failed (err) */
	int found;                          /* LOAD: exists; TURN: a repeat */
	long dsessions;                     /* sessions added (-removed) */
	json_t *result;                     /* LOAD: {slots, history};
					       TURN repeat: the stored reply */
	char err[160];
	struct store_job *next;
};

struct store_opts {
	int transcripts;      /* 0: slots only */
	int history_max;      /* turns returned by LOAD */
	int session_days;     /* PURGE retention */
};

struct store;

/* Open (creating if needed) the database, then start the thread.  wake is
 * called from that thread after jobs complete; it must be thread-safe. */
struct store *store_open(const char *path, const struct store_opts *o,
    void (*wake)(void *), void *arg, char *err, size_t errlen);
/* Queue a job; the store owns it until store_done() returns it. */
void store_submit(struct store *s, struct store_job *j);
/* Completed jobs in submission order, or NULL; free each with
 * store_job_free(). */
struct store_job *store_done(struct store *s);
struct store_job *store_job_new(enum store_op op);
void store_job_free(struct store_job *j);
/* For /healthz and /metrics: sessions stored (-1 unknown), jobs queued,
 * and "ok" or the last error. */
long store_sessions(struct store *s);
int store_queued(struct store *s);
void store_state(struct store *s, char *buf, size_t size);
/* Finish every queued job, stop the thread, close the database.  Jobs not
 * yet collected are freed. */
void store_close(struct store *s);

#endif
