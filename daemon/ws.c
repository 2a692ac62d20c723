/* ws.c - the chat protocol over libwebsockets.
 *
 * Every connection handles one client message at a time: when a complete
 * message has arrived, input is paused (lws_rx_flow_control) until its one
 * answer has been written, so memory per connection is bounded by one
 * incoming message and one outgoing one, and TCP pushes back on a client
 * that sends faster than we answer.  Questions are answered by the engine
 * right away (it is fast and bounded), but the answer is written to the
 * socket only when the store thread reports the turn committed: whatever a
 * client has received can be found again after a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "cfg.h"
#include "eng.h"
#include "http.h"
#include "log.h"
#include "met.h"
#include "reload.h"
#include "srv.h"
#include "store.h"
#include "ws.h"

#define WS_CHUNK 16384              /* bytes per lws_write of a message */
#define WS_PURGE_SECS 3600
#define WS_GRACE_SECS 1.5           /* SIGTERM to exit, at most */

struct conn {
	struct conn *next;
	struct lws *wsi;            /* NULL until ESTABLISHED: see CLOSED */
	uint64_t serial;            /* names the connection in store jobs */
	char peer[64];
	char token[STORE_TOKEN_LEN + 1];  /* "" before a session exists */
	struct eng_state st;        /* slots as of the last stored turn */
	struct eng_state next_st;   /* slots of the turn being stored */
	enum eng_kind ask_kind;     /* of the turn being stored */
	const char *ask_intent;
	int busy;                   /* a store job is in flight */
	char *rx;                   /* the message being received */
	size_t rx_len, rx_cap;
	int rx_binary;
	unsigned char *out;         /* the message being sent, LWS_PRE first */
	size_t out_len, out_off;
	double tokens, refilled;    /* rate limit: token bucket */
	int errors;                 /* consecutive errors sent */
	int close_code;             /* close at the next WRITEABLE */
	const char *close_why;
};

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		log_error("out of memory (%zu bytes)", n);
		abort();
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static struct conn *
conn_find(uint64_t serial)
{
	for (struct conn *c = srv.list; c; c = c->next)
		if (c->serial == serial)
			return c;
	return NULL;
}

/* Pause input until the answer to the message just received is out. */
static void
conn_pause(struct conn *c, int pause)
{
	if (lws_rx_flow_control(c->wsi, !pause) < 0)
		log_debug("conn %llu: flow control refused",
		    (unsigned long long)c->serial);
}

/* Queue the one outgoing message of this connection.  Called at most once
 * per client message, when nothing else is queued. */
static void
conn_send_raw(struct conn *c, const char *s, size_t n)
{
	if (c->out) {
		/* A second answer to one message would be a bug here. */
		log_error("conn %llu: answer dropped, one already queued",
		    (unsigned long long)c->serial);
		return;
	}
	c->out = xmalloc(LWS_PRE + n);
	memcpy(c->out + LWS_PRE, s, n);
	c->out_len = n;
	c->out_off = 0;
	lws_callback_on_writable(c->wsi);
}

static void
conn_send(struct conn *c, json_t *msg)
{
	char *s = json_dumps(msg, JSON_COMPACT);

	json_decref(msg);
	if (s == NULL) {
		log_error("conn %llu: cannot serialize a message",
		    (unsigned long long)c->serial);
		return;
	}
	conn_send_raw(c, s, strlen(s));
	free(s);
}

static void
conn_close_later(struct conn *c, int code, const char *why)
{
	if (c->close_code == 0) {
		c->close_code = code;
		c->close_why = why;
	}
	lws_callback_on_writable(c->wsi);
}

/* An error answer.  re is the id of the offending message, if it had one.
 * Too many in a row and the client is treated as abusive: the error is
 * still sent, then the connection is closed with 1008. */
static void
conn_error(struct conn *c, const char *re, const char *code,
    const char *text)
{
	met_error(code);
	conn_send(c, json_pack("{s:s,s:s?,s:s,s:s}", "type", "error", "re", re,
	    "code", code, "text", text));
	if (++c->errors >= srv.cfg->max_errors) {
		log_warn("conn %llu peer=%s: %d errors in a row, closing",
		    (unsigned long long)c->serial, c->peer, c->errors);
		c->close_code = LWS_CLOSE_STATUS_POLICY_VIOLATION;
		c->close_why = "too many errors";
	}
}

static int
conn_new_session(struct conn *c)
{
	if (store_new_token(c->token) != 0) {
		c->token[0] = '\0';
		log_error("no random bytes for a session token");
		return -1;
	}
	eng_state_init(&c->st);
	log_info("conn %llu: session %.6s... started",
	    (unsigned long long)c->serial, c->token);
	return 0;
}

/* The engine's greeting, as welcome, with history when resumed. */
static void
conn_welcome(struct conn *c, int resumed, json_t *history)
{
	struct eng_reply *r = xmalloc(sizeof *r);
	json_t *rj, *msg;

	eng_welcome(srv.eng, &c->st, r);
	rj = eng_reply_json(r);
	free(r);
	msg = json_pack("{s:s,s:s,s:b,s:O?,s:O?,s:O?,s:o,s:s,s:{s:i}}",
	    "type", "welcome", "session", c->token, "resumed", resumed,
	    "text", json_object_get(rj, "text"),
	    "suggestions", json_object_get(rj, "suggestions"),
	    "slots", json_object_get(rj, "slots"),
	    "history", history ? history : json_array(),
	    "version", eng_version(srv.eng),
	    "limits", "max_text", srv.cfg->max_text);
	json_decref(rj);
	c->errors = 0;
	conn_send(c, msg);
}

/* Hand j to the store thread for the session token (the connection's own
 * when NULL).  j belongs to the store from here on: fill it in first. */
static void
conn_submit(struct conn *c, struct store_job *j, const char *token)
{
	j->conn = c->serial;
	j->ts = srv_wall_ms();
	j->t0 = srv_now();
	snprintf(j->token, sizeof j->token, "%s", token ? token : c->token);
	c->busy = 1;
	store_submit(srv.store, j);
}

static void
on_hello(struct conn *c, json_t *msg, const char *re)
{
	json_t *s = json_object_get(msg, "session");

	if (s == NULL || json_is_null(s)) {
		if (conn_new_session(c) != 0) {
			conn_error(c, re, "storage", "The server cannot start "
			    "a conversation right now. Please try again.");
			return;
		}
		conn_welcome(c, 0, NULL);
		return;
	}
	if (!json_is_string(s) || !store_token_valid(json_string_value(s))) {
		conn_error(c, re, "bad_field", "The session must be null or "
		    "a token this server gave you.");
		return;
	}
	conn_submit(c, store_job_new(STORE_LOAD), json_string_value(s));
}

/* Characters, not bytes: UTF-8 continuation bytes are not counted.  lws
 * has already rejected invalid UTF-8 (1007). */
static size_t
utf8_chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

static int
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

static void
on_ask(struct conn *c, json_t *msg, const char *re)
{
	json_t *jt = json_object_get(msg, "text"), *rj, *out;
	struct eng_reply *r;
	struct store_job *j;
	const char *text;
	size_t len;

	if (re == NULL) {
		conn_error(c, NULL, "bad_field", "A question needs an \"id\": "
		    "a string of 1 to 64 characters.");
		return;
	}
	if (!json_is_string(jt)) {
		conn_error(c, re, "bad_field", "A question needs a \"text\" "
		    "string.");
		return;
	}
	text = json_string_value(jt);
	len = json_string_length(jt);
	if (utf8_chars(text, len) > (size_t)srv.cfg->max_text) {
		char t[128];

		snprintf(t, sizeof t, "That question is too long. Please keep "
		    "it under %d characters.", srv.cfg->max_text);
		conn_error(c, re, "too_long", t);
		return;
	}
	if (memchr(text, '\0', len) || blank(text, len)) {
		conn_error(c, re, "bad_field", "The question is empty.");
		return;
	}
	if (c->token[0] == '\0' && conn_new_session(c) != 0) {
		conn_error(c, re, "storage", "The server cannot start a "
		    "conversation right now. Please try again.");
		return;
	}
	r = xmalloc(sizeof *r);
	c->next_st = c->st;
	eng_ask(srv.eng, &c->next_st, text, len, r);
	c->ask_kind = r->kind;
	c->ask_intent = r->intent;
	rj = eng_reply_json(r);
	out = json_pack("{s:s,s:s,s:s}", "type", "reply", "re", re, "session",
	    c->token);
	json_object_update(out, rj);
	json_decref(rj);

	j = store_job_new(STORE_TURN);
	snprintf(j->id, sizeof j->id, "%s", re);
	j->user_text = xstrdup(text);
	j->bot_text = xstrdup(r->text);
	j->reply = json_dumps(out, JSON_COMPACT);
	rj = eng_state_to_json(&c->next_st);
	j->slots = rj ? json_dumps(rj, JSON_COMPACT) : NULL;
	json_decref(rj);
	j->fallback = r->kind == ENG_FALLBACK;
	json_decref(out);
	free(r);
	if (j->reply == NULL) {
		store_job_free(j);
		conn_error(c, re, "storage", "The answer could not be "
		    "prepared. Please ask again.");
		return;
	}
	conn_submit(c, j, NULL);
}

static void
on_reset(struct conn *c, const char *re)
{
	struct store_job *j;
	json_t *sj;

	eng_state_init(&c->next_st);
	if (c->token[0] == '\0') {
		c->st = c->next_st;
		c->errors = 0;
		conn_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type", "reset",
		    "re", re, "session", "text", "Okay, let's start over."));
		return;
	}
	j = store_job_new(STORE_RESET);
	if (re)
		snprintf(j->id, sizeof j->id, "%s", re);
	sj = eng_state_to_json(&c->next_st);
	j->slots = sj ? json_dumps(sj, JSON_COMPACT) : NULL;
	json_decref(sj);
	conn_submit(c, j, NULL);
}

static void
on_forget(struct conn *c, const char *re)
{
	struct store_job *j;

	if (c->token[0] == '\0') {
		c->errors = 0;
		eng_state_init(&c->st);
		conn_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type",
		    "forgotten", "re", re, "session", "text",
		    "There was nothing to delete."));
		return;
	}
	j = store_job_new(STORE_FORGET);
	if (re)
		snprintf(j->id, sizeof j->id, "%s", re);
	conn_submit(c, j, NULL);
}

/* Token bucket: burst messages at once, then rate per minute. */
static int
conn_rate_ok(struct conn *c)
{
	double now = srv_now();

	c->tokens += (now - c->refilled) * srv.cfg->rate / 60.0;
	c->refilled = now;
	if (c->tokens > srv.cfg->burst)
		c->tokens = srv.cfg->burst;
	if (c->tokens < 1)
		return 0;
	c->tokens -= 1;
	return 1;
}

/* One complete client message: exactly one answer is queued, now or when
 * its store job completes. */
static void
conn_message(struct conn *c)
{
	json_error_t jerr;
	json_t *msg, *jid;
	const char *type, *re = NULL;

	if (c->rx_binary) {
		conn_error(c, NULL, "bad_json", "Messages must be JSON text, "
		    "not binary.");
		return;
	}
	msg = json_loadb(c->rx, c->rx_len, JSON_REJECT_DUPLICATES, &jerr);
	if (msg == NULL || !json_is_object(msg)) {
		json_decref(msg);
		conn_error(c, NULL, "bad_json", "That message was not a JSON "
		    "object, so it was ignored.");
		return;
	}
	jid = json_object_get(msg, "id");
	if (json_is_string(jid) && json_string_length(jid) > 0 &&
	    json_string_length(jid) < STORE_ID_MAX &&
	    strlen(json_string_value(jid)) == json_string_length(jid))
		re = json_string_value(jid);
	type = json_string_value(json_object_get(msg, "type"));
	met_message(type && (strcmp(type, "hello") == 0 ||
	    strcmp(type, "ask") == 0 || strcmp(type, "reset") == 0 ||
	    strcmp(type, "forget") == 0) ? type : "other");
	if (!conn_rate_ok(c)) {
		conn_error(c, re, "rate_limited", "You are sending messages "
		    "too fast. Please wait a moment and try again.");
	} else if (type == NULL) {
		conn_error(c, re, "bad_type", "A message needs a \"type\": "
		    "hello, ask, reset or forget.");
	} else if (strcmp(type, "hello") == 0) {
		on_hello(c, msg, re);
	} else if (strcmp(type, "ask") == 0) {
		on_ask(c, msg, re);
	} else if (strcmp(type, "reset") == 0) {
		on_reset(c, re);
	} else if (strcmp(type, "forget") == 0) {
		on_forget(c, re);
	} else {
		conn_error(c, re, "bad_type", "Unknown message type. Use "
		    "hello, ask, reset or forget.");
	}
	json_decref(msg);
}

/* A store job is back: answer the client that asked, if still here. */
static void
job_done(struct store_job *j)
{
	struct conn *c = j->conn ? conn_find(j->conn) : NULL;
	const char *re = j->id[0] ? j->id : NULL;

	if (j->rc != 0) {
		met_store_error();
		log_error("store: %s", j->err);
	}
	if (j->op == STORE_PURGE && j->rc == 0 && j->found)
		log_info("store: %d idle sessions purged", j->found);
	if (c == NULL || c->wsi == NULL)
		return;
	c->busy = 0;
	if (j->rc != 0) {
		conn_error(c, re, "storage", j->op == STORE_TURN ?
		    "Your question could not be saved, so it was not answered."
		    " Please ask again." : "The conversation store is not "
		    "available. Please try again.");
		return;
	}
	switch (j->op) {
	case STORE_LOAD:
		if (j->found) {
			snprintf(c->token, sizeof c->token, "%s", j->token);
			if (eng_state_from_json(&c->st,
			    json_object_get(j->result, "slots")) != 0)
				eng_state_init(&c->st);
			log_info("conn %llu: session %.6s... resumed",
			    (unsigned long long)c->serial, c->token);
			conn_welcome(c, 1, json_incref(json_object_get(
			    j->result, "history")));
		} else if (conn_new_session(c) != 0) {
			conn_error(c, NULL, "storage", "The server cannot "
			    "start a conversation right now.");
		} else {
			conn_welcome(c, 0, NULL);
		}
		break;
	case STORE_TURN:
		c->errors = 0;
		if (j->found) {
			/* a resend: the stored answer, and nothing else */
			log_info("conn %llu: repeated id, stored reply sent",
			    (unsigned long long)c->serial);
			if (j->result) {
				json_object_set_new(j->result, "repeat",
				    json_true());
				conn_send(c, json_incref(j->result));
			} else {
				conn_error(c, re, "storage", "The earlier "
				    "answer could not be read.");
			}
			break;
		}
		c->st = c->next_st;
		met_reply(eng_kind_name(c->ask_kind), c->ask_intent,
		    srv_now() - j->t0);
		{
			char eid[STORE_ID_MAX * 4 + 8];

			log_debug("conn %llu: reply re=%s kind=%s intent=%s "
			    "%.2f ms", (unsigned long long)c->serial,
			    log_esc(eid, sizeof eid, j->id, strlen(j->id)),
			    eng_kind_name(c->ask_kind), c->ask_intent ?
			    c->ask_intent : "none", (srv_now() - j->t0) * 1e3);
		}
		if (c->ask_kind == ENG_FALLBACK) {
			char esc[200];

			log_info("conn %llu: fallback recorded %s",
			    (unsigned long long)c->serial, log_esc(esc,
			    sizeof esc, j->user_text, strlen(j->user_text)));
		}
		conn_send_raw(c, j->reply, strlen(j->reply));
		break;
	case STORE_RESET: {
		struct eng_reply *r = xmalloc(sizeof *r);
		json_t *rj;

		c->st = c->next_st;
		c->errors = 0;
		eng_welcome(srv.eng, &c->st, r);
		rj = eng_reply_json(r);
		free(r);
		conn_send(c, json_pack("{s:s,s:s?,s:s,s:s,s:O?,s:O?}", "type",
		    "reset", "re", re, "session", c->token, "text",
		    "Okay, let's start over.", "suggestions",
		    json_object_get(rj, "suggestions"), "slots",
		    json_object_get(rj, "slots")));
		json_decref(rj);
		break;
	}
	case STORE_FORGET:
		log_info("conn %llu: session %.6s... forgotten",
		    (unsigned long long)c->serial, c->token);
		c->token[0] = '\0';
		eng_state_init(&c->st);
		c->errors = 0;
		conn_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type",
		    "forgotten", "re", re, "session", "text",
		    "This conversation and its transcript have been deleted."));
		break;
	case STORE_PURGE:
		break;
	}
	/* input resumes once the answer is written (WRITEABLE) */
	if (c->out == NULL && c->close_code == 0)
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
			c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
			c->close_why = "server shutting down";
			lws_callback_on_writable(c->wsi);
		}
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

/* May this upgrade become a chat connection?  Checked while it is still
 * HTTP, so the client gets a real status code. */
static int
ws_confirm_upgrade(struct lws *wsi, const char *what)
{
	char uri[64], origin[256], peer[64], esc[300];
	int same = 0;

	if (strcmp(what, "websocket") != 0 ||
	    lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
	    strcmp(uri, "/chat") != 0) {
		met_refused("path");
		return http_refuse(wsi, HTTP_STATUS_NOT_FOUND,
		    "WebSocket is at /chat\n");
	}
	lws_get_peer_simple(wsi, peer, sizeof peer);
	if (!http_origin_ok(wsi, origin, sizeof origin)) {
		met_refused("origin");
		log_warn("refused upgrade from %s: origin %s not allowed", peer,
		    log_esc(esc, sizeof esc, origin, strlen(origin)));
		return http_refuse(wsi, HTTP_STATUS_FORBIDDEN,
		    "origin not allowed\n");
	}
	if (srv.stopping) {
		met_refused("shutting_down");
		return http_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "shutting down\n");
	}
	if (srv.conns >= srv.cfg->max_conns) {
		met_refused("limit");
		log_warn("refused upgrade from %s: %d connections open", peer,
		    srv.conns);
		return http_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "too many connections\n");
	}
	for (struct conn *c = srv.list; c; c = c->next)
		same += c->wsi && strcmp(c->peer, peer) == 0;
	if (same >= srv.cfg->max_conns_per_ip) {
		met_refused("per_ip");
		log_warn("refused upgrade from %s: %d connections from there",
		    peer, same);
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

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return ws_confirm_upgrade(wsi, in);
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof *c);
		c->wsi = wsi;
		c->serial = ++srv.serial;
		c->tokens = srv.cfg->burst;
		c->refilled = srv_now();
		lws_get_peer_simple(wsi, c->peer, sizeof c->peer);
		c->next = srv.list;
		srv.list = c;
		srv.conns++;
		met_conn(1);
		lws_set_timer_usecs(wsi, (lws_usec_t)srv.cfg->idle_secs *
		    LWS_US_PER_SEC);
		log_info("conn %llu open peer=%s conns=%d",
		    (unsigned long long)c->serial, c->peer, srv.conns);
		if (srv.stopping)
			conn_close_later(c, LWS_CLOSE_STATUS_GOINGAWAY,
			    "server shutting down");
		break;
	case LWS_CALLBACK_RECEIVE:
		if (c->close_code)
			break;
		if (c->busy || c->out) {
			/* input is paused while an answer is pending; more
			 * means the client ignored TCP flow control */
			conn_close_later(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
			    "one message at a time");
			break;
		}
		if (len > (size_t)srv.cfg->max_frame ||
		    c->rx_len + len > (size_t)srv.cfg->max_frame) {
			log_warn("conn %llu peer=%s: message over %d bytes, "
			    "closing", (unsigned long long)c->serial, c->peer,
			    srv.cfg->max_frame);
			lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
			    (unsigned char *)"message too large", 17);
			return -1;
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
		lws_set_timer_usecs(wsi, (lws_usec_t)srv.cfg->idle_secs *
		    LWS_US_PER_SEC);
		conn_pause(c, 1);
		conn_message(c);
		c->rx_len = 0;
		if (c->out == NULL && !c->busy && c->close_code == 0)
			conn_pause(c, 0);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c->close_code && (c->out == NULL ||
		    c->close_code == LWS_CLOSE_STATUS_GOINGAWAY)) {
			lws_close_reason(wsi, (enum lws_close_status)
			    c->close_code, (unsigned char *)c->close_why,
			    strlen(c->close_why));
			return -1;
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
		if (c->close_code) {
			lws_callback_on_writable(wsi);
			break;
		}
		if (!c->busy)
			conn_pause(c, 0);
		break;
	case LWS_CALLBACK_TIMER:
		conn_close_later(c, LWS_CLOSE_STATUS_NORMAL, "idle timeout");
		break;
	case LWS_CALLBACK_CLOSED:
		if (c == NULL || c->wsi == NULL)
			break;          /* refused before ESTABLISHED */
		for (struct conn **pp = &srv.list; *pp; pp = &(*pp)->next)
			if (*pp == c) {
				*pp = c->next;
				break;
			}
		srv.conns--;
		met_conn(0);
		log_info("conn %llu closed conns=%d",
		    (unsigned long long)c->serial, srv.conns);
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
	{ "slate", ws_chat, sizeof(struct conn), 4096, 0, NULL, WS_CHUNK },
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
	int n = 0;

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
	info.timeout_secs = 10;
	info.keepalive_timeout = 5;
	/* sized from our limits, never from ulimit -n (which can be 2^30) */
	info.fd_limit_per_thread = (unsigned)srv.cfg->max_conns + 64;
	info.pt_serv_buf_size = 16 * 1024;
	info.server_string = "slated";
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6;

	srv.ctx = lws_create_context(&info);
	if (srv.ctx == NULL) {
		log_error("cannot listen on %s:%d", srv.cfg->bind,
		    srv.cfg->port);
		return -1;
	}
	srv_set_wake(srv.ctx);
	srv.next_purge = srv_now();   /* once at start, then hourly */
	lws_sul_schedule(srv.ctx, 0, &srv.tick, ws_tick, LWS_US_PER_SEC);
	log_info("listening on http://%s:%d/ (web %s, WebSocket /chat)",
	    srv.cfg->bind, srv.cfg->port, srv.cfg->web);
	ws_housekeeping();

	while (n >= 0) {
		if (srv.stopping && (srv.conns == 0 || srv_now() >= srv.deadline))
			break;
		n = lws_service(srv.ctx, 0);
	}
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
	return n < 0 ? -1 : 0;
}
