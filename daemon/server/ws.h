/* ws.h - the libwebsockets side of slated: one context, one port, the
 * chat protocol at /chat, static files, and the loop that runs it all. */
#ifndef SLATE_WS_H
#define SLATE_WS_H

/* Create the context from srv.cfg and serve until SIGTERM/SIGINT has
 * closed every connection (or the grace period ran out).  The store is
 * flushed before it returns.  0 on a clean stop, -1 if it could not
 * start. */
int ws_run(void);

#endif
