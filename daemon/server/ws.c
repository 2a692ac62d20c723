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
 * itself (a message in, its answer out) is proto.c; the per-address
 * counts are lim.c; this file is the socket side: framing, limits, flow
 * control, closes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cfg.h"
#include "http.h"
#include "jix.h"
#include "jnl.h"
#include "lim.h"
#include "log.h"
#include "met.h"
#include "srv.h"
#include "wire.h"
#include "ws.h"
#include "common/xmem.h"

#define WS_CHUNK 16384              /* bytes per lws_write of a message */
#define WS_BUCKETS 4096
/* Journal records SQLite may lack before connections stop being read:
 * the compactor has fallen that far behind, and pausing input (TCP then
 * pushes back on clients) leaves it the CPU to catch up, rather than the
 * backlog growing without bound. */
#define WS_BACKLOG_MAX 200000

enum { WS_HELD_RX = 1, WS_HELD_SYNC = 2 };

struct conn {
	struct proto_conn p;        /* first: proto's callbacks cast back */
	struct conn *next, **pprev; /* srv.list */
	struct conn *hnext;         /* ws_conns[serial % WS_BUCKETS] */
	struct lim_addr *addr;      /* its address's counters */
	struct lws *wsi;            /* NULL until ESTABLISHED: see CLOSED */
	char *rx;                   /* the message being received */
	size_t rx_len, rx_cap;
	int rx_binary;
	unsigned char *out;         /* the message being sent, LWS_PRE first */
	size_t out_len, out_off;
	int closing;                /* the close is under way: see below */
	int held;                   /* WS_HELD_*: waits for ws_release() */
	uint64_t wait_pos;          /* WS_HELD_SYNC: fsynced up to here */
	double last_msg;            /* srv_now() of its last message */
};

/* Connections by serial, for store jobs coming back: a hash table, so
 * that a job does not cost a walk over every open connection. */
static struct conn *ws_conns[WS_BUCKETS];
static const struct proto_env *ws_env;
static int ws_held;                 /* connections with held set */
static void (*ws_wakeup)(void);

void
ws_init(const struct proto_env *env, void (*wakeup)(void))
{
	ws_env = env;
	ws_wakeup = wakeup;
}

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

/* Pause input until the answer to the message just received is out. */
static void
conn_pause(struct conn *c, int pause)
{
	if (lws_rx_flow_control(c->wsi, !pause) < 0)
		log_debug("conn %llu: flow control refused",
		    (unsigned long long)c->p.serial);
}

/* Input back on when nothing is pending: no answer queued or awaited
 * and no close begun. */
static void
conn_resume_if_idle(struct conn *c)
{
	if (c->out == NULL && !c->p.busy && c->p.close_code == 0) {
		if (jix_backlog(srv.jix) > WS_BACKLOG_MAX) {
			ws_held += !c->held;
			c->held |= WS_HELD_RX;
			return;
		}
		conn_pause(c, 0);
	}
}

void
ws_release(void)
{
	uint64_t synced;

	if (ws_held == 0)
		return;
	synced = jnl_synced(srv.jnl);
	for (struct conn *c = srv.list; c; c = c->next) {
		if (c->held == 0 || c->wsi == NULL)
			continue;
		if ((c->held & WS_HELD_SYNC) && c->wait_pos <= synced) {
			c->held &= ~WS_HELD_SYNC;
			lws_callback_on_writable(c->wsi);
		}
		if ((c->held & WS_HELD_RX) &&
		    jix_backlog(srv.jix) <= WS_BACKLOG_MAX / 2) {
			c->held &= ~WS_HELD_RX;
			conn_pause(c, 0);
		}
		ws_held -= c->held == 0;
	}
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
	if (jnl_mode(srv.jnl) == JNL_SYNC_ALWAYS &&
	    jnl_synced(srv.jnl) < jnl_end(srv.jnl)) {
		/* --fsync always: out once the journal is on disk */
		ws_held += !c->held;
		c->held |= WS_HELD_SYNC;
		c->wait_pos = jnl_end(srv.jnl);
		return;
	}
	lws_callback_on_writable(c->wsi);
}

/* proto's submit: the store thread takes it from here. */
static void
conn_submit(struct proto_conn *pc, struct store_job *j)
{
	store_submit(srv.store, j);
}

static const struct proto_io conn_io = { conn_send, conn_submit };

/* Close with c->p.close_code, politely: from the timer callback, so that
 * lws sends the close frame and then reads, and drops, whatever the client
 * still sends until it acknowledges (at most 5 s).  Returning -1 from
 * WRITEABLE instead counts as a failed write: lws closes the socket at
 * once, unread input makes the kernel reset the connection, and the client
 * loses the answers and the close code still in flight (1006 and nothing
 * at all after a burst of messages). */
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

void
ws_job_done(struct store_job *j)
{
	struct conn *c = j->conn ? conn_find(j->conn) : NULL;

	if (c == NULL || c->wsi == NULL)
		return;
	proto_done(&c->p, j);
	/* input resumes once the answer is written (WRITEABLE) */
	conn_resume_if_idle(c);
}

void
ws_going_away(void)
{
	for (struct conn *c = srv.list; c; c = c->next)
		if (c->wsi) {
			c->p.close_code = LWS_CLOSE_STATUS_GOINGAWAY;
			c->p.close_why = "server shutting down";
			lws_callback_on_writable(c->wsi);
		}
}

/* Refusals are logged at most once a second per reason, with a count of
 * those not logged: a flood of refused connections must not become as
 * many log lines (the log is written on the loop thread). */
static void
ws_refused(enum wire_refusal why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ws_refused(enum wire_refusal why, const char *fmt, ...)
{
	static double last[WIRE_NREFUSAL];
	static unsigned long quiet[WIRE_NREFUSAL];
	char msg[600];
	va_list ap;

	met_refused(why);
	if (srv_now() - last[why] < 1.0) {
		quiet[why]++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (quiet[why])
		log_warn("%s (and %lu more refused for the same reason, not "
		    "logged)", msg, quiet[why]);
	else
		log_warn("%s", msg);
	last[why] = srv_now();
	quiet[why] = 0;
}

/* A new TCP connection on fd: 0 to accept it, -1 to close it now. */
static int
ws_tcp_accept(int fd)
{
	char ip[64];
	int held;

	if (lim_tcp_open(fd, srv.cfg->max_conns_per_ip * 2, ip, sizeof ip,
	    &held) == 0)
		return 0;
	ws_refused(WIRE_R_TCP_PER_IP, "refused a connection from %s: %d "
	    "connections from there", ip, held);
	return -1;
}

/* May this upgrade become a chat connection?  Checked while it is still
 * HTTP, so the client gets a real status code. */
static int
ws_confirm_upgrade(struct lws *wsi, const char *what)
{
	char uri[64], origin[256], peer[64], esc[300];
	int same;

	lws_get_peer_simple(wsi, peer, sizeof peer);
	if (strcmp(what, "websocket") != 0 ||
	    lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
	    strcmp(uri, "/chat") != 0) {
		ws_refused(WIRE_R_PATH, "refused upgrade from %s: not at /chat",
		    peer);
		return http_refuse(wsi, HTTP_STATUS_NOT_FOUND,
		    "WebSocket is at /chat\n");
	}
	if (!http_origin_ok(wsi, origin, sizeof origin)) {
		ws_refused(WIRE_R_ORIGIN, "refused upgrade from %s: origin %s "
		    "not allowed", peer, log_esc(esc, sizeof esc, origin,
		    strlen(origin)));
		return http_refuse(wsi, HTTP_STATUS_FORBIDDEN,
		    "origin not allowed\n");
	}
	if (srv.stopping) {
		met_refused(WIRE_R_SHUTTING_DOWN);
		return http_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "shutting down\n");
	}
	if (srv.conns >= srv.cfg->max_conns) {
		ws_refused(WIRE_R_LIMIT, "refused upgrade from %s: %d "
		    "connections open", peer, srv.conns);
		return http_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "too many connections\n");
	}
	same = lim_ws_count(peer);
	if (same >= srv.cfg->max_conns_per_ip) {
		ws_refused(WIRE_R_PER_IP, "refused upgrade from %s: %d "
		    "connections from there", peer, same);
		return http_refuse(wsi, 429, "too many connections from your "
		    "address\n");
	}
	return 0;
}

/* ESTABLISHED: the upgrade went through; c is lws's zeroed pss. */
static void
ws_established(struct lws *wsi, struct conn *c)
{
	char peer[64];

	memset(c, 0, sizeof *c);
	lws_get_peer_simple(wsi, peer, sizeof peer);
	proto_init(&c->p, ws_env, &conn_io, ++srv.serial, peer);
	c->wsi = wsi;
	conn_link(c);
	c->addr = lim_ws_open(c->p.peer);
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
}

/* Append a chunk to the message being received, the buffer grown up to
 * --max-frame (which the caller has checked). */
static void
ws_rx_append(struct conn *c, const void *in, size_t len)
{
	if (c->rx_len + len > c->rx_cap) {
		size_t cap = c->rx_cap ? c->rx_cap : 1024;

		while (cap < c->rx_len + len)
			cap *= 2;
		if (cap > (size_t)srv.cfg->max_frame)
			cap = (size_t)srv.cfg->max_frame;
		c->rx = xrealloc(c->rx, cap);
		c->rx_cap = cap;
	}
	memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;
}

/* RECEIVE: a chunk of a message (lws delivers at most rx_buffer_size at a
 * time, and a fragmented message in more pieces); the whole message goes
 * to proto. */
static void
ws_receive(struct lws *wsi, struct conn *c, const void *in, size_t len)
{
	if (c->p.close_code)
		return;
	if (c->p.busy || c->out) {
		/* input is paused while an answer is pending; more means
		 * the client ignored TCP flow control */
		conn_close_later(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
		    "one message at a time");
		return;
	}
	if (len > (size_t)srv.cfg->max_frame ||
	    c->rx_len + len > (size_t)srv.cfg->max_frame) {
		log_warn("conn %llu peer=%s: message over %d bytes, closing",
		    (unsigned long long)c->p.serial, c->p.peer,
		    srv.cfg->max_frame);
		/* not return -1: with more input buffered, lws would drop
		 * the socket without the close frame (1006) */
		c->rx_len = 0;
		c->p.close_code = LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
		c->p.close_why = "message too large";
		conn_close_soon(c);
		return;
	}
	if (c->rx_len == 0)
		c->rx_binary = lws_frame_is_binary(wsi);
	ws_rx_append(c, in, len);
	if (!lws_is_final_fragment(wsi))
		return;
	/* The idle timer is not moved here: lws keeps timers in one sorted
	 * list, and a timer moved to the far end walks all of it, once per
	 * message per open connection.  It fires as first set and is set
	 * again for what is left. */
	c->last_msg = srv_now();
	conn_pause(c, 1);
	proto_message(&c->p, c->rx, c->rx_len, c->rx_binary);
	c->rx_len = 0;
	conn_resume_if_idle(c);
}

/* SERVER_WRITEABLE: the next chunk of the queued answer, or the close.
 * The only place that writes; it may come spuriously.  -1 when the write
 * failed. */
static int
ws_writeable(struct lws *wsi, struct conn *c)
{
	size_t chunk;
	int n, flags;

	if (c->closing)
		return 0;
	/* the answer goes out first; stopping does not wait for one not
	 * yet begun (its turn is stored: a resend gets it) */
	if (c->p.close_code && (c->out == NULL ||
	    (c->p.close_code == LWS_CLOSE_STATUS_GOINGAWAY &&
	    c->out_off == 0))) {
		conn_close_soon(c);
		return 0;
	}
	if (c->out == NULL)
		return 0;               /* spurious: they happen */
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
		/* the rest of the message at the next WRITEABLE; lws_write
		 * in place needs LWS_PRE writable bytes before the chunk,
		 * which the sent bytes provide */
		lws_callback_on_writable(wsi);
		return 0;
	}
	free(c->out);
	c->out = NULL;
	if (c->p.close_code) {
		conn_close_soon(c);
		return 0;
	}
	/* not input back on regardless: the backlog's bound holds here too */
	conn_resume_if_idle(c);
	return 0;
}

/* TIMER: the close begun by conn_close_soon(), or the idle check.  -1 to
 * have lws send the close frame. */
static int
ws_timer(struct lws *wsi, struct conn *c)
{
	double left;

	if (c->closing) {
		/* lws must read to see the ack: input back on (it drops
		 * data frames from now on, RECEIVE ignores them too) */
		conn_pause(c, 0);
		lws_close_reason(wsi, (enum lws_close_status)c->p.close_code,
		    (unsigned char *)c->p.close_why, strlen(c->p.close_why));
		return -1;              /* lws sends it and awaits the ack */
	}
	/* --idle seconds without a message */
	left = c->last_msg + srv.cfg->idle_secs - srv_now();
	if (left > 0) {
		lws_set_timer_usecs(wsi, (lws_usec_t)(left * LWS_US_PER_SEC) +
		    1);
		return 0;
	}
	conn_close_later(c, LWS_CLOSE_STATUS_NORMAL, "idle timeout");
	return 0;
}

/* CLOSED: the one release point of an established connection's state. */
static void
ws_closed(struct lws *wsi, struct conn *c)
{
	if (c == NULL || c->wsi == NULL)
		return;                 /* refused before ESTABLISHED */
	conn_unlink(c);
	proto_close(&c->p);
	ws_held -= c->held != 0;
	c->held = 0;
	lim_ws_close(c->addr);
	c->addr = NULL;
	lim_tcp_close(lws_get_socket_fd(wsi));
	srv.conns--;
	met_conn(0);
	log_info("conn %llu closed conns=%d", (unsigned long long)c->p.serial,
	    srv.conns);
	free(c->rx);
	free(c->out);
	c->rx = NULL;
	c->out = NULL;
	c->wsi = NULL;
	if (srv.stopping && srv.conns == 0)
		lws_cancel_service(srv.ctx);
}

/* The "slate" protocol: the default for every connection, so a client
 * that names no subprotocol gets it (and plain HTTP lands here too). */
static int
ws_chat(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		/* in: the accepted descriptor; nonzero closes it */
		return ws_tcp_accept((int)(lws_intptr_t)in) ? 1 : 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return ws_confirm_upgrade(wsi, in);
	case LWS_CALLBACK_ESTABLISHED:
		ws_established(wsi, c);
		break;
	case LWS_CALLBACK_RECEIVE:
		ws_receive(wsi, c, in, len);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (ws_writeable(wsi, c) < 0)
			return -1;
		break;
	case LWS_CALLBACK_TIMER:
		if (ws_timer(wsi, c) < 0)
			return -1;
		break;
	case LWS_CALLBACK_CLOSED_HTTP:
		/* a plain HTTP connection: its descriptor is still open */
		lim_tcp_close(lws_get_socket_fd(wsi));
		break;
	case LWS_CALLBACK_CLOSED:
		ws_closed(wsi, c);
		break;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		if (ws_wakeup)
			ws_wakeup();
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

const struct lws_protocols ws_protocols[] = {
	/* rx 1024: lws allocates the rx buffer for every connection, idle
	 * or not; a longer message arrives in chunks */
	{ "slate", ws_chat, sizeof(struct conn), 1024, 0, NULL, WS_CHUNK },
	{ "api", http_api, sizeof(struct http_req), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};
