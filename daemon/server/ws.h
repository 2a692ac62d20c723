/* ws.h - the chat protocol's socket side: the "slate" libwebsockets
 * protocol at /chat (framing, flow control, closes, refusals) and the
 * connections it holds.  The loop (loop.c) creates the context with
 * ws_protocols and hands store results back through ws_job_done(). */
#ifndef SLATE_WS_H
#define SLATE_WS_H

#include <libwebsockets.h>
#include "proto.h"
#include "store.h"

/* "slate" (the default for every connection, plain HTTP included), then
 * "api" (http.c), then the terminator. */
extern const struct lws_protocols ws_protocols[];

/* Before the context exists: the protocol's environment for every
 * connection, and what to run when the loop is woken
 * (lws_cancel_service: store results, signals). */
void ws_init(const struct proto_env *env, void (*wakeup)(void));
/* A store job is back: answer the client that asked, if still here. */
void ws_job_done(struct store_job *j);
/* Let go of connections held for an fsync (--fsync always) or for the
 * compactor to catch up, once they need not wait any more. */
void ws_release(void);
/* Shutting down: every connection closes with 1001 once the answer it is
 * sending is out. */
void ws_going_away(void);

#endif
