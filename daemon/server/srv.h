/* srv.h - the one loop-wide state of slated: configuration, the engine in
 * use, the store, the connection list and the stop/reload flags.  Touched
 * only from the event loop thread, except srv_wake(). */
#ifndef SLATE_SRV_H
#define SLATE_SRV_H

#include <signal.h>
#include <stdint.h>
#include <libwebsockets.h>

struct cfg;
struct conn;
struct eng;
struct store;
struct reload;
struct jnl;
struct cpt;
struct jix;
struct ring;

struct server {
	const struct cfg *cfg;
	struct lws_context *ctx;
	struct eng *eng;              /* swapped whole by a reload */
	struct store *store;          /* the reader (resumes, resent ids) */
	struct jnl *jnl;              /* the journal, written by the loop */
	struct cpt *cpt;              /* the compactor: journal to SQLite */
	struct jix *jix;              /* what only the journal holds yet */
	struct ring *ring;            /* --no-transcripts: the last replies */
	double started;               /* srv_now() at start */
	int conns;                    /* established WebSocket connections */
	struct conn *list;
	uint64_t serial;              /* last connection number handed out */
	volatile sig_atomic_t stop;   /* set by SIGTERM/SIGINT */
	volatile sig_atomic_t hup;    /* set by SIGHUP */
	int stopping;                 /* 1001 sent to everyone, exiting */
	double deadline;              /* exit by then even if peers linger */
	struct reload *reload;        /* a reload in progress, or NULL */
	int reload_again;             /* another SIGHUP came during it */
	char reload_status[600];      /* outcome of the last reload */
	double next_purge;
	unsigned long purged;         /* sessions purged, as last logged */
	lws_sorted_usec_list_t tick;
};

extern struct server srv;

/* Monotonic seconds. */
double srv_now(void);
/* Milliseconds since the epoch, for timestamps clients see. */
int64_t srv_wall_ms(void);
/* Wake the event loop from the store or reload thread: lws_cancel_service
 * on the context registered with srv_set_wake(), if any (NULL: the loop
 * is gone and nobody needs waking). */
void srv_wake(void *unused);
void srv_set_wake(struct lws_context *ctx);

#endif
