/* loop.h - slated's event loop: the libwebsockets context on one port
 * (the chat protocol at /chat, /healthz and /metrics, static files), and
 * what the loop does besides connections' own events: store results
 * handed back, the one-second tick, the hourly purge, the reload swap and
 * the orderly stop. */
#ifndef SLATE_LOOP_H
#define SLATE_LOOP_H

/* Create the context from srv.cfg and serve until SIGTERM/SIGINT has
 * closed every connection (or the grace period ran out).  The store is
 * flushed before it returns.  0 on a clean stop, -1 if it could not
 * start. */
int loop_run(void);

#endif
