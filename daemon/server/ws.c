/* ws.c - the chat protocol over libwebsockets.
 *
 * Every connection handles one client message at a time: when a complete
 * message has arrived, input is paused (lws_rx_flow_control) until its one
 * answer has been written, so memory per connection is bounded by one
 * incoming message and one outgoing one, and TCP pushes back on a client
 * that sends faster than we answer.  Questions are answered by the engine
 * right away (it is fast and bounded), but the answer is written to the
 * socket only when the store thread reports the turn committed: whatever a
 * client has received can be found again after a crash.  The protocol
 * itself (a message in, its answer out) is proto.c; this file is the
 * socket side: framing, limits, flow control, closes, the event loop. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <ev.h>
#include <jansson.h>
#include "cfg.h"
#include "engine/eng.h"
#include "http.h"
#include "log.h"
#include "met.h"
#include "proto.h"
#include "reload.h"
#include "srv.h"
#include "store.h"
#include "ws.h"
#include "common/hash.h"
#include "common/xmem.h"

#define WS_CHUNK 16384              /* bytes per lws_write of a message */
#define WS_PURGE_SECS 3600
#define WS_GRACE_SECS 1.5           /* SIGTERM to exit, at most */

struct ws_addr;

struct conn {
	struct proto_conn p;        /* first: proto's callbacks cast back */
	struct conn *next, **pprev; /* srv.list */
	struct conn *hnext;         /* ws_conns[serial % WS_BUCKETS] */
	struct ws_addr *addr;       /* its address's counters */
	struct lws *wsi;            /* NULL until ESTABLISHED: see CLOSED */
	char *rx;                   /* the message being received */
	size_t rx_len, rx_cap;
	int rx_binary;
	unsigned char *out;         /* the message being sent, LWS_PRE first */
	size_t out_len, out_off;
	int closing;                /* the close is under way: see below */
	double last_msg;            /* srv_now() of its last message */
};

static int ws_store_failing;        /* the last store job failed */

/* Connections by serial, for store jobs coming back, and connections by
 * address, for the per-address limits: hash tables, so that neither a job
 * nor an accept costs a walk over every open connection. */
#define WS_BUCKETS 4096
static struct conn *ws_conns[WS_BUCKETS];

struct ws_addr {
	struct ws_addr *next;
	int tcp;                    /* TCP connections in ws_tcp[] */
	int ws;                     /* established WebSocket connections */
	char ip[64];
};
static struct ws_addr *ws_addrs[WS_BUCKETS];


static struct conn *
conn_find(uint64_t serial)
{
	for (struct conn *c = ws_conns[serial % WS_BUCKETS]; c; c = c->hnext)
		if (c->p.serial == serial)
			return c;
	return NULL;
}

/* Link an established connection into srv.list and ws_conns. */
static void
conn_link(struct conn *c)
{
	struct conn **b = &ws_conns[c->p.serial % WS_BUCKETS];

	c->next = srv.list;
	if (srv.list)
		srv.list->pprev = &c->next;
	srv.list = c;
	c->pprev = &srv.list;
	c->hnext = *b;
	*b = c;
}

static void
conn_unlink(struct conn *c)
{
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	for (struct conn **pp = &ws_conns[c->p.serial % WS_BUCKETS]; *pp;
	    pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			break;
		}
}

static unsigned
ws_addr_hash(const char *ip)
{
	return hash_str(HASH_INIT, ip) % WS_BUCKETS;
}

/* The counters of address ip; created (zero) when create is set. */
static struct ws_addr *
ws_addr_get(const char *ip, int create)
{
	struct ws_addr **b = &ws_addrs[ws_addr_hash(ip)], *a;

	for (a = *b; a; a = a->next)
		if (strcmp(a->ip, ip) == 0)
			return a;
	if (!create)
		return NULL;
	a = xcalloc(1, sizeof *a);
	snprintf(a->ip, sizeof a->ip, "%s", ip);
	a->next = *b;
	*b = a;
	return a;
}

/* Free a's counters once nothing counts on them. */
static void
ws_addr_put(struct ws_addr *a)
{
	if (a->tcp > 0 || a->ws > 0)
		return;
	for (struct ws_addr **pp = &ws_addrs[ws_addr_hash(a->ip)]; *pp;
	    pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			free(a);
			return;
		}
}

static void
ws_addr_free_all(void)
{
	for (int i = 0; i < WS_BUCKETS; i++)
		while (ws_addrs[i]) {
			struct ws_addr *a = ws_addrs[i];

			ws_addrs[i] = a->next;
			free(a);
		}
}

/* Pause input until the answer to the message just received is out. */
static void
conn_pause(struct conn *c, int pause)
{
	if (lws_rx_flow_control(c->wsi, !pause) < 0)
		log_debug("conn %llu: flow control refused",
		    (unsigned long long)c->p.serial);
}

/* proto's send: queue the one outgoing message of this connection.  Called
 * at most once per client message, when nothing else is queued. */
static void
conn_send(struct proto_conn *pc, const char *s, size_t n)
{
	struct conn *c = (struct conn *)pc;

	if (c->out) {
		/* A second answer to one message would be a bug here. */
		log_error("conn %llu: answer dropped, one already queued",
		    (unsigned long long)c->p.serial);
		return;
	}
	c->out = xmalloc(LWS_PRE + n);
	memcpy(c->out + LWS_PRE, s, n);
	c->out_len = n;
	c->out_off = 0;
	lws_callback_on_writable(c->wsi);
}

/* proto's submit: the store thread takes it from here. */
static void
conn_submit(struct proto_conn *pc, struct store_job *j)
{
	store_submit(srv.store, j);
}

static const struct proto_io conn_io = { conn_send, conn_submit };
/* Filled in by ws_run(), before the first connection. */
static struct proto_env conn_env;

/* Close with c->p.close_code, politely: from the timer callback, so that
 * lws sends the close frame and then reads, and drops, whatever the client
 * still sends until it acknowledges (at most 5 s).  Returning -1 from
 * WRITEABLE instead counts as a failed write: lws closes the socket at
 * once, unread input makes the kernel reset the connection, and the client
 * loses the answers and the close code still in flight (a burst of 1,000
 * messages got 1006 and nothing at all). */
static void
conn_close_soon(struct conn *c)
{
	if (c->closing)
		return;
	c->closing = 1;
	lws_set_timer_usecs(c->wsi, 1);
}

static void
conn_close_later(struct conn *c, int code, const char *why)
{
	if (c->p.close_code == 0) {
		c->p.close_code = code;
		c->p.close_why = why;
	}
	lws_callback_on_writable(c->wsi);
}

/* Say once, in the log, when the store starts failing and when it is
 * back: in between every answer goes out unsaved ("stored": false). */
static void
ws_store_health(struct store_job *j)
{
	if (j->rc != 0) {
		met_store_error();
		if (!ws_store_failing)
			log_warn("storage failing, answering without storage "
			    "until it recovers: %s", j->err);
		else
			log_debug("store: %s", j->err);
		ws_store_failing = 1;
	} else if (ws_store_failing) {
		log_info("storage recovered: answers are saved again");
		ws_store_failing = 0;
	}
}

/* A store job is back: answer the client that asked, if still here. */
static void
job_done(struct store_job *j)
{
	struct conn *c = j->conn ? conn_find(j->conn) : NULL;

	ws_store_health(j);
	if (j->op == STORE_PURGE && j->rc == 0 && j->found)
		log_info("store: %d idle sessions purged", j->found);
	if (c == NULL || c->wsi == NULL)
		return;
	proto_done(&c->p, j);
	/* input resumes once the answer is written (WRITEABLE) */
	if (c->out == NULL && !c->p.busy && c->p.close_code == 0)
		conn_pause(c, 0);
}

static void
ws_collect(void)
{
	struct store_job *j, *next;

	if (srv.store == NULL)
		return;
	for (j = store_done(srv.store); j; j = next) {
		next = j->next;
		job_done(j);
		store_job_free(j);
	}
}

static void
ws_reload_check(void)
{
	char why[512], esc[1100];
	struct eng *e;

	if (srv.reload && reload_ready(srv.reload)) {
		e = reload_finish(srv.reload, why, sizeof why);
		srv.reload = NULL;
		met_reload(e != NULL);
		/* the reason quotes files and test names: escape it */
		log_esc(esc, sizeof esc, why, strlen(why));
		if (e) {
			struct eng *old = srv.eng;

			/* The engine is only used inside callbacks on this
			 * thread, so nothing holds the old one now. */
			srv.eng = e;
			met_regex_carry(eng_stats(old).regex_limit_hits);
			eng_free(old);
			log_info("reload: %s", esc);
		} else {
			log_warn("reload refused, old knowledge kept (%s): %s",
			    eng_version(srv.eng), esc);
		}
		snprintf(srv.reload_status, sizeof srv.reload_status, "%s: %s",
		    e ? "ok" : "refused", why);
	}
	if (srv.hup && !srv.stopping) {
		srv.hup = 0;
		if (srv.reload) {
			srv.reload_again = 1;
		} else {
			log_info("reload: SIGHUP, loading %s and %s",
			    srv.cfg->knowledge, srv.cfg->patterns);
			srv.reload = reload_start(srv.cfg->knowledge,
			    srv.cfg->patterns, srv.cfg->conversations,
			    srv_wake, NULL);
			if (srv.reload == NULL)
				log_error("reload: cannot start a thread");
		}
	}
	if (srv.reload == NULL && srv.reload_again) {
		srv.reload_again = 0;
		srv.hup = 1;
		ws_reload_check();
	}
}

static void
ws_begin_shutdown(void)
{
	if (srv.stopping)
		return;
	srv.stopping = 1;
	srv.deadline = srv_now() + WS_GRACE_SECS;
	log_info("stopping: closing %d connections", srv.conns);
	for (struct conn *c = srv.list; c; c = c->next)
		if (c->wsi) {
			c->p.close_code = LWS_CLOSE_STATUS_GOINGAWAY;
			c->p.close_why = "server shutting down";
			lws_callback_on_writable(c->wsi);
		}
}

/* The libev loop when --event-loop ev: ours (a "foreign" loop to lws),
 * because with an event library lws_service() in 4.1.6 runs the loop
 * until no watcher is left and never returns to check for a stop.  NULL
 * under poll(), where the loop in ws_run() checks for itself. */
static struct ev_loop *ws_ev;

/* Shutting down and every connection closed, or the grace period over. */
static int
ws_done(void)
{
	return srv.stopping && (srv.conns == 0 || srv_now() >= srv.deadline);
}

/* Everything the loop does outside a connection's own events: completed
 * store jobs, a finished reload, signals.  Runs after lws_cancel_service()
 * and from the one-second tick. */
static void
ws_housekeeping(void)
{
	ws_collect();
	ws_reload_check();
	if (srv.stop)
		ws_begin_shutdown();
	if (ws_ev && ws_done()) {
		ev_break(ws_ev, EVBREAK_ALL);
		return;
	}
	if (!srv.stopping && srv_now() >= srv.next_purge) {
		struct store_job *j = store_job_new(STORE_PURGE);

		j->ts = srv_wall_ms();
		srv.next_purge = srv_now() + WS_PURGE_SECS;
		store_submit(srv.store, j);
	}
}

static void
ws_tick(lws_sorted_usec_list_t *sul)
{
	ws_housekeeping();
	lws_sul_schedule(srv.ctx, 0, &srv.tick, ws_tick,
	    srv.stopping ? LWS_US_PER_SEC / 10 : LWS_US_PER_SEC);
}

/* Refusals are logged at most once a second per reason, with a count of
 * those not logged: 2,000 refused connections must not become 2,000 log
 * lines (the log is written on the loop thread). */
static void
ws_refused(const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ws_refused(const char *reason, const char *fmt, ...)
{
	static const char *const reasons[] = { "origin", "path", "limit",
		"per_ip", "shutting_down", "tcp_per_ip" };
#define WS_NREASON (sizeof reasons / sizeof reasons[0])
	static double last[WS_NREASON];
	static unsigned long quiet[WS_NREASON];
	char msg[600];
	va_list ap;
	size_t i;

	met_refused(reason);
	/* not found: the last row, shared */
	for (i = 0; i < WS_NREASON - 1 && strcmp(reasons[i], reason) != 0; i++)
		;
	if (srv_now() - last[i] < 1.0) {
		quiet[i]++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (quiet[i])
		log_warn("%s (and %lu more refused for the same reason, not "
		    "logged)", msg, quiet[i]);
	else
		log_warn("%s", msg);
	last[i] = srv_now();
	quiet[i] = 0;
}

/* TCP connections by descriptor, with their peer: how many connections,
 * HTTP or WebSocket, one address holds.  lws has no per-address limit in
 * Debian's build, and without one a single client could hold every
 * descriptor with half-sent requests (slowloris).  Each address counts its
 * entries (ws_addr.tcp); an entry is dropped when its connection closes,
 * when its descriptor is reused, or, when the count reaches the limit, when
 * the descriptor no longer has the same peer (closed without a callback
 * we see): only then are the address's entries checked one by one. */
struct ws_tcp {
	struct sockaddr_in peer;
	struct ws_addr *addr;
	int used;
};
static struct ws_tcp *ws_tcp;
static int ws_ntcp;

static int
ws_tcp_same(int fd, const struct sockaddr_in *a)
{
	struct sockaddr_in b;
	socklen_t n = sizeof b;

	return getpeername(fd, (struct sockaddr *)&b, &n) == 0 &&
	    b.sin_family == AF_INET && b.sin_addr.s_addr == a->sin_addr.s_addr &&
	    b.sin_port == a->sin_port;
}

/* The connection on fd is gone (or fd now holds another one). */
static void
ws_tcp_drop(int fd)
{
	struct ws_addr *a;

	if (fd < 0 || fd >= ws_ntcp || !ws_tcp[fd].used)
		return;
	a = ws_tcp[fd].addr;
	ws_tcp[fd].used = 0;
	ws_tcp[fd].addr = NULL;
	a->tcp--;
	ws_addr_put(a);
}

/* A new TCP connection on fd: 0 to accept it, -1 to close it now. */
static int
ws_tcp_accept(int fd)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;
	int limit = srv.cfg->max_conns_per_ip * 2;
	char ip[INET_ADDRSTRLEN];
	struct ws_addr *ad;

	if (fd < 0 || getpeername(fd, (struct sockaddr *)&a, &n) != 0 ||
	    a.sin_family != AF_INET)
		return 0;
	if (fd >= ws_ntcp) {
		int k = fd + 256;
		struct ws_tcp *t = realloc(ws_tcp, (size_t)k * sizeof *t);

		if (t == NULL)
			return 0;
		memset(t + ws_ntcp, 0, (size_t)(k - ws_ntcp) * sizeof *t);
		ws_tcp = t;
		ws_ntcp = k;
	}
	ws_tcp_drop(fd);                /* a reused descriptor */
	inet_ntop(AF_INET, &a.sin_addr, ip, sizeof ip);
	ad = ws_addr_get(ip, 1);
	ws_tcp[fd].peer = a;
	ws_tcp[fd].addr = ad;
	ws_tcp[fd].used = 1;
	ad->tcp++;                      /* this one included: ad stays */
	if (ad->tcp > limit) {
		for (int i = 0; i < ws_ntcp; i++)
			if (i != fd && ws_tcp[i].used && ws_tcp[i].addr == ad &&
			    !ws_tcp_same(i, &ws_tcp[i].peer))
				ws_tcp_drop(i);
	}
	if (ad->tcp > limit) {
		ws_refused("tcp_per_ip", "refused a connection from %s: %d "
		    "connections from there", ip, ad->tcp - 1);
		ws_tcp_drop(fd);
		return -1;
	}
	return 0;
}

/* May this upgrade become a chat connection?  Checked while it is still
 * HTTP, so the client gets a real status code. */
static int
ws_confirm_upgrade(struct lws *wsi, const char *what)
{
	char uri[64], origin[256], peer[64], esc[300];
	struct ws_addr *ad;
	int same;

	lws_get_peer_simple(wsi, peer, sizeof peer);
	if (strcmp(what, "websocket") != 0 ||
	    lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
	    strcmp(uri, "/chat") != 0) {
		ws_refused("path", "refused upgrade from %s: not at /chat",
		    peer);
		return http_refuse(wsi, HTTP_STATUS_NOT_FOUND,
		    "WebSocket is at /chat\n");
	}
	if (!http_origin_ok(wsi, origin, sizeof origin)) {
		ws_refused("origin", "refused upgrade from %s: origin %s not "
		    "allowed", peer, log_esc(esc, sizeof esc, origin,
		    strlen(origin)));
		return http_refuse(wsi, HTTP_STATUS_FORBIDDEN,
		    "origin not allowed\n");
	}
	if (srv.stopping) {
		met_refused("shutting_down");
		return http_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "shutting down\n");
	}
	if (srv.conns >= srv.cfg->max_conns) {
		ws_refused("limit", "refused upgrade from %s: %d connections "
		    "open", peer, srv.conns);
		return http_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "too many connections\n");
	}
	ad = ws_addr_get(peer, 0);
	same = ad ? ad->ws : 0;
	if (same >= srv.cfg->max_conns_per_ip) {
		ws_refused("per_ip", "refused upgrade from %s: %d connections "
		    "from there", peer, same);
		return http_refuse(wsi, 429, "too many connections from your "
		    "address\n");
	}
	return 0;
}

/* The "slate" protocol: the default for every connection, so a client
 * that names no subprotocol gets it (and plain HTTP lands here too). */
static int
ws_chat(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn *c = user;
	int n, flags;
	size_t chunk;
	double left;

	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		/* in: the accepted descriptor; nonzero closes it */
		return ws_tcp_accept((int)(lws_intptr_t)in) ? 1 : 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return ws_confirm_upgrade(wsi, in);
	case LWS_CALLBACK_ESTABLISHED: {
		char peer[64];

		memset(c, 0, sizeof *c);
		lws_get_peer_simple(wsi, peer, sizeof peer);
		proto_init(&c->p, &conn_env, &conn_io, ++srv.serial, peer);
		c->wsi = wsi;
		conn_link(c);
		c->addr = ws_addr_get(c->p.peer, 1);
		c->addr->ws++;
		srv.conns++;
		met_conn(1);
		c->last_msg = srv_now();
		lws_set_timer_usecs(wsi, (lws_usec_t)srv.cfg->idle_secs *
		    LWS_US_PER_SEC);
		log_info("conn %llu open peer=%s conns=%d",
		    (unsigned long long)c->p.serial, c->p.peer, srv.conns);
		if (srv.stopping)
			conn_close_later(c, LWS_CLOSE_STATUS_GOINGAWAY,
			    "server shutting down");
		break;
	}
	case LWS_CALLBACK_RECEIVE:
		if (c->p.close_code)
			break;
		if (c->p.busy || c->out) {
			/* input is paused while an answer is pending; more
			 * means the client ignored TCP flow control */
			conn_close_later(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
			    "one message at a time");
			break;
		}
		if (len > (size_t)srv.cfg->max_frame ||
		    c->rx_len + len > (size_t)srv.cfg->max_frame) {
			log_warn("conn %llu peer=%s: message over %d bytes, "
			    "closing", (unsigned long long)c->p.serial, c->p.peer,
			    srv.cfg->max_frame);
			/* not return -1: with more input buffered, lws would
			 * drop the socket without the close frame (1006) */
			c->rx_len = 0;
			c->p.close_code = LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
			c->p.close_why = "message too large";
			conn_close_soon(c);
			break;
		}
		if (c->rx_len + len > c->rx_cap) {
			size_t cap = c->rx_cap ? c->rx_cap : 1024;

			while (cap < c->rx_len + len)
				cap *= 2;
			if (cap > (size_t)srv.cfg->max_frame)
				cap = (size_t)srv.cfg->max_frame;
			char *p = realloc(c->rx, cap);
			if (p == NULL)
				return -1;
			c->rx = p;
			c->rx_cap = cap;
		}
		if (c->rx_len == 0)
			c->rx_binary = lws_frame_is_binary(wsi);
		memcpy(c->rx + c->rx_len, in, len);
		c->rx_len += len;
		if (!lws_is_final_fragment(wsi))
			break;
		/* The idle timer is not moved here: lws keeps timers in one
		 * sorted list, and a timer moved to the far end walks all of
		 * it, once per message per open connection.  It fires as
		 * first set and is set again for what is left. */
		c->last_msg = srv_now();
		conn_pause(c, 1);
		proto_message(&c->p, c->rx, c->rx_len, c->rx_binary);
		c->rx_len = 0;
		if (c->out == NULL && !c->p.busy && c->p.close_code == 0)
			conn_pause(c, 0);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c->closing)
			break;
		/* the answer goes out first; stopping does not wait for
		 * one not yet begun (its turn is stored: a resend gets it) */
		if (c->p.close_code && (c->out == NULL ||
		    (c->p.close_code == LWS_CLOSE_STATUS_GOINGAWAY &&
		    c->out_off == 0))) {
			conn_close_soon(c);
			break;
		}
		if (c->out == NULL)
			break;          /* spurious: they happen */
		chunk = c->out_len - c->out_off;
		if (chunk > WS_CHUNK)
			chunk = WS_CHUNK;
		flags = lws_write_ws_flags(LWS_WRITE_TEXT, c->out_off == 0,
		    c->out_off + chunk == c->out_len);
		n = lws_write(wsi, c->out + LWS_PRE + c->out_off, chunk,
		    (enum lws_write_protocol)flags);
		if (n < (int)chunk)
			return -1;
		c->out_off += chunk;
		if (c->out_off < c->out_len) {
			/* the rest of the message at the next WRITEABLE;
			 * lws_write in place needs LWS_PRE writable bytes
			 * before the chunk, which the sent bytes provide */
			lws_callback_on_writable(wsi);
			break;
		}
		free(c->out);
		c->out = NULL;
		if (c->p.close_code) {
			conn_close_soon(c);
			break;
		}
		if (!c->p.busy)
			conn_pause(c, 0);
		break;
	case LWS_CALLBACK_TIMER:
		if (c->closing) {
			/* lws must read to see the ack: input back on (it
			 * drops data frames from now on, RECEIVE ignores
			 * them too) */
			conn_pause(c, 0);
			lws_close_reason(wsi, (enum lws_close_status)
			    c->p.close_code, (unsigned char *)c->p.close_why,
			    strlen(c->p.close_why));
			return -1;      /* lws sends it and awaits the ack */
		}
		/* --idle seconds without a message */
		left = c->last_msg + srv.cfg->idle_secs - srv_now();
		if (left > 0) {
			lws_set_timer_usecs(wsi, (lws_usec_t)(left *
			    LWS_US_PER_SEC) + 1);
			break;
		}
		conn_close_later(c, LWS_CLOSE_STATUS_NORMAL, "idle timeout");
		break;
	case LWS_CALLBACK_CLOSED_HTTP:
		/* a plain HTTP connection: its descriptor is still open */
		ws_tcp_drop(lws_get_socket_fd(wsi));
		break;
	case LWS_CALLBACK_CLOSED:
		if (c == NULL || c->wsi == NULL)
			break;          /* refused before ESTABLISHED */
		conn_unlink(c);
		c->addr->ws--;
		ws_addr_put(c->addr);
		c->addr = NULL;
		ws_tcp_drop(lws_get_socket_fd(wsi));
		srv.conns--;
		met_conn(0);
		log_info("conn %llu closed conns=%d",
		    (unsigned long long)c->p.serial, srv.conns);
		free(c->rx);
		free(c->out);
		c->rx = NULL;
		c->out = NULL;
		c->wsi = NULL;
		if (srv.stopping && srv.conns == 0)
			lws_cancel_service(srv.ctx);
		break;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		ws_housekeeping();
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols ws_protocols[] = {
	/* rx 1024: lws allocates the rx buffer for every connection, idle
	 * or not (3 KB each saved); a longer message arrives in chunks */
	{ "slate", ws_chat, sizeof(struct conn), 1024, 0, NULL, WS_CHUNK },
	{ "api", http_api, sizeof(struct http_req), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static const lws_retry_bo_t ws_retry_template = { 0 };

int
ws_run(void)
{
	struct lws_context_creation_info info;
	struct lws_http_mount m_metrics, m_healthz, m_web;
	lws_retry_bo_t retry = ws_retry_template;
	void *foreign[1];
	int n = 0;

	conn_env.cfg = srv.cfg;
	conn_env.eng = &srv.eng;
	conn_env.now = srv_now;
	conn_env.wall_ms = srv_wall_ms;
	memset(&m_metrics, 0, sizeof m_metrics);
	m_metrics.mountpoint = "/metrics";
	m_metrics.mountpoint_len = 8;
	m_metrics.protocol = "api";
	m_metrics.origin_protocol = LWSMPRO_CALLBACK;
	m_healthz = m_metrics;
	m_healthz.mount_next = &m_metrics;
	m_healthz.mountpoint = "/healthz";
	m_healthz.mountpoint_len = 8;
	memset(&m_web, 0, sizeof m_web);
	m_web.mount_next = &m_healthz;
	m_web.mountpoint = "/";
	m_web.mountpoint_len = 1;
	m_web.origin = srv.cfg->web;
	m_web.def = "index.html";
	m_web.origin_protocol = LWSMPRO_FILE;
	m_web.cache_max_age = 300;
	m_web.cache_reusable = 1;
	m_web.cache_revalidate = 1;

	/* validity: ping after ping_secs without a pong, drop after twice */
	retry.secs_since_valid_ping = (uint16_t)srv.cfg->ping_secs;
	retry.secs_since_valid_hangup = (uint16_t)(srv.cfg->ping_secs * 2);

	memset(&info, 0, sizeof info);
	info.port = srv.cfg->port;
	info.iface = srv.cfg->bind;
	info.vhost_name = "slated";
	info.protocols = ws_protocols;
	info.mounts = &m_web;
	info.headers = http_headers;
	info.retry_and_idle_policy = &retry;
	/* a request's headers must arrive within this (slowloris) */
	info.timeout_secs = (unsigned)srv.cfg->header_timeout;
	info.timeout_secs_ah_idle = (unsigned)srv.cfg->header_timeout;
	info.keepalive_timeout = 5;
	/* sized from our limits, never from ulimit -n (which can be 2^30) */
	info.fd_limit_per_thread = (unsigned)srv.cfg->max_conns + 64;
	info.pt_serv_buf_size = 16 * 1024;
	info.server_string = "slated";
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6;

	if (srv.cfg->event_loop == CFG_LOOP_EV) {
		ws_ev = ev_loop_new(EVFLAG_AUTO);
		if (ws_ev == NULL) {
			log_error("cannot create the libev loop");
			return -1;
		}
		foreign[0] = ws_ev;
		info.foreign_loops = foreign;
		info.options |= LWS_SERVER_OPTION_LIBEV;
	}

	srv.ctx = lws_create_context(&info);
	if (srv.ctx == NULL) {
		log_error("cannot listen on %s:%d%s", srv.cfg->bind,
		    srv.cfg->port, ws_ev ? " (or load libwebsockets' libev "
		    "plugin: package libwebsockets-evlib-ev)" : "");
		if (ws_ev)
			ev_loop_destroy(ws_ev);
		ws_ev = NULL;
		return -1;
	}
	srv_set_wake(srv.ctx);
	srv.next_purge = srv_now();   /* once at start, then hourly */
	lws_sul_schedule(srv.ctx, 0, &srv.tick, ws_tick, LWS_US_PER_SEC);
	log_info("listening on http://%s:%d/ (web %s, WebSocket /chat, %s)",
	    srv.cfg->bind, srv.cfg->port, srv.cfg->web,
	    ws_ev ? "libev" : "poll");
	ws_housekeeping();

	if (ws_ev)
		ev_run(ws_ev, 0);
	while (ws_ev == NULL && n >= 0 && !ws_done())
		n = lws_service(srv.ctx, 0);
	if (srv.conns)
		log_warn("stopping: %d connections did not close in time",
		    srv.conns);
	lws_sul_cancel(&srv.tick);
	/* flush: every queued turn is committed before the process ends */
	store_close(srv.store);
	srv.store = NULL;
	srv_set_wake(NULL);
	lws_context_destroy(srv.ctx);
	srv.ctx = NULL;
	if (ws_ev)
		ev_loop_destroy(ws_ev);
	ws_ev = NULL;
	free(ws_tcp);
	ws_tcp = NULL;
	ws_ntcp = 0;
	ws_addr_free_all();
	return n < 0 ? -1 : 0;
}
