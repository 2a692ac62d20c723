/* lim.h - per-address connection counts, for the per-address limits: TCP
 * connections of any kind (lws has no per-address limit in Debian's
 * build, and without one a single client could hold every descriptor with
 * half-sent requests: slowloris) and established WebSocket connections.
 * Hash tables, so that neither an accept nor an upgrade costs a walk over
 * every open connection.  Event loop thread only. */
#ifndef SLATE_LIM_H
#define SLATE_LIM_H

#include <stddef.h>

struct lim_addr;

/* A new TCP connection on descriptor fd, counted against its peer's IPv4
 * address: 0 to accept it, -1 when that address already holds limit
 * connections (it is then not counted).  ip (at least 16 bytes) gets the
 * address, "" when fd has none (not IPv4: accepted, not counted), and
 * *held the connections the address holds besides this one. */
int lim_tcp_open(int fd, int limit, char *ip, size_t iplen, int *held);
/* The connection on fd is gone (nothing happens when it was not
 * counted). */
void lim_tcp_close(int fd);
/* A WebSocket connection from ip is established: its address's counters,
 * to hand back to lim_ws_close(). */
struct lim_addr *lim_ws_open(const char *ip);
void lim_ws_close(struct lim_addr *a);
/* Established WebSocket connections from ip. */
int lim_ws_count(const char *ip);
/* Forget every count, when the loop is gone. */
void lim_reset(void);

#endif
