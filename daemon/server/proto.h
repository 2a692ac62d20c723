/* proto.h - the chat protocol without a socket: one complete client message
 * in, exactly one answer out, either at once or when the store job it
 * started comes back.  ws.c feeds it from libwebsockets; the fuzz target
 * tests/fuzz/fuzz_proto.c feeds it bytes.  What it needs from the daemon
 * (settings, engine, clocks) comes in a struct proto_env at proto_init();
 * it runs on the event loop thread only. */
#ifndef SLATE_PROTO_H
#define SLATE_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include "engine/eng.h"
#include "jrec.h"
#include "store.h"
#include "tok.h"

struct cfg;
struct jix;
struct jix_ses;
struct ring;

struct proto_conn;

/* What the protocol needs from the transport. */
struct proto_io {
	/* Queue the one answer to the current message (s is copied). */
	void (*send)(struct proto_conn *c, const char *s, size_t n);
	/* Hand j to the reader; it comes back through proto_done(). */
	void (*submit)(struct proto_conn *c, struct store_job *j);
};

/* What the protocol needs from the daemon, shared by every connection and
 * outliving them all. */
struct proto_env {
	const struct cfg *cfg;      /* max_text, rate, burst, max_errors */
	struct eng *const *eng;     /* the engine in use: a reload swaps it */
	double (*now)(void);        /* monotonic seconds */
	int64_t (*wall_ms)(void);   /* ms since the epoch, for the store */
	/* Append r to the journal: 0, or -1 when it was not stored; *pos
	 * is where it starts. */
	int (*append)(const struct jrec *r, uint64_t *pos);
	struct jix *jix;            /* what is only in the journal yet */
	struct ring *ring;          /* --no-transcripts: the last replies */
	int transcripts;
};

/* One client's protocol state.  The transport embeds it, sets io, serial
 * and peer with proto_init(), and reads close_code after each answer: when
 * set, the connection is closed with it once the answer is written. */
struct proto_conn {
	const struct proto_env *env;
	const struct proto_io *io;
	uint64_t serial;            /* names the connection in store jobs */
	char peer[64];
	char token[TOK_LEN + 1];    /* "" before a session exists */
	struct eng_state st;        /* slots as of the last answered turn */
	struct jix_ses *ses;        /* its entry in the index, or NULL */
	int busy;                   /* a reader job is in flight */
	double tokens, refilled;    /* rate limit: token bucket */
	int errors;                 /* consecutive errors sent */
	int close_code;             /* close once the answer is out */
	const char *close_why;
};

/* A new connection's state; env and io must outlive it. */
void proto_init(struct proto_conn *c, const struct proto_env *env,
    const struct proto_io *io, uint64_t serial, const char *peer);
/* One complete message (all its fragments), binary or text.  Exactly one
 * answer follows: through io->send now, or through proto_done() later
 * (then c->busy is set until it comes). */
void proto_message(struct proto_conn *c, const char *buf, size_t len,
    int binary);
/* A reader job submitted for c is back: its answer goes out. */
void proto_done(struct proto_conn *c, struct store_job *j);
/* The connection is gone: let go of its session. */
void proto_close(struct proto_conn *c);

#endif
