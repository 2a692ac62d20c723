/* proto.c - the chat protocol (docs/protocol.md) on one connection's state,
 * with no socket in sight: parse and check a message, ask the engine, hand
 * the turn to the store, and build the one answer.
 *
 * Storage is a promise kept when it can be: an answer waits for its turn to
 * be committed, so whatever a client has received is in its resumed
 * history.  When the store fails (disk full, read-only, locked past the
 * busy timeout) the answer is sent anyway, marked "stored": false: Slate
 * keeps answering without storage rather than going silent, and says so in
 * /healthz and the log (loop.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cfg.h"
#include "log.h"
#include "met.h"
#include "proto.h"
#include "wire.h"
#include "common/jw.h"
#include "common/xmem.h"

/* The reply to a question as JSON text, malloc'd:
 * {"type":"reply","re":...,"session":...,<the engine's members>}, written
 * directly, without building jansson objects (docs/performance.md). */
static char *
proto_reply_text(const char *re, const char *token,
    const struct eng_reply *r)
{
	struct jw w;

	jw_grow(&w, 2048);
	jw_lit(&w, "{\"type\":\"reply\",\"re\":");
	jw_str(&w, re);
	jw_lit(&w, ",\"session\":");
	jw_str(&w, token);
	jw_lit(&w, ",");
	eng_reply_write(&w, r);
	jw_lit(&w, "}");
	return jw_take(&w);
}

/* A session's slots as JSON text, malloc'd. */
static char *
proto_state_text(const struct eng_state *st)
{
	struct jw w;

	jw_grow(&w, 512);
	eng_state_write(&w, st);
	return jw_take(&w);
}

void
proto_init(struct proto_conn *c, const struct proto_env *env,
    const struct proto_io *io, uint64_t serial, const char *peer)
{
	memset(c, 0, sizeof *c);
	c->env = env;
	c->io = io;
	c->serial = serial;
	snprintf(c->peer, sizeof c->peer, "%s", peer ? peer : "");
	c->tokens = c->env->cfg->burst;
	c->refilled = c->env->now();
	eng_state_init(&c->st);
}

static void
proto_send(struct proto_conn *c, json_t *msg)
{
	char *s = msg ? json_dumps(msg, JSON_COMPACT) : NULL;

	json_decref(msg);
	if (s == NULL) {
		/* A message jansson would not build (json_pack refuses text
		 * that is not UTF-8; running out of memory aborts, in xmem).
		 * The client must still get its one answer: a fixed one. */
		static const char oom[] = "{\"type\":\"error\",\"re\":null,"
		    "\"code\":\"storage\",\"text\":\"The server is short of "
		    "memory. Please try again.\"}";

		log_error("conn %llu: cannot serialize a message",
		    (unsigned long long)c->serial);
		c->io->send(c, oom, sizeof oom - 1);
		return;
	}
	c->io->send(c, s, strlen(s));
	free(s);
}

/* An error answer.  re is the id of the offending message, if it had one.
 * Too many in a row and the client is treated as abusive: the error is
 * still sent, then the connection is closed with 1008. */
static void
proto_error(struct proto_conn *c, const char *re, enum wire_code code,
    const char *text)
{
	met_error(code);
	proto_send(c, json_pack("{s:s,s:s?,s:s,s:s}", "type", "error", "re",
	    re, "code", wire_code_name(code), "text", text));
	if (++c->errors >= c->env->cfg->max_errors && c->close_code == 0) {
		log_warn("conn %llu peer=%s: %d errors in a row, closing",
		    (unsigned long long)c->serial, c->peer, c->errors);
		c->close_code = 1008;           /* policy violation */
		c->close_why = "too many errors";
	}
}

static int
proto_new_token(struct proto_conn *c)
{
	if (tok_new(c->token) != 0) {
		c->token[0] = '\0';
		log_error("no random bytes for a session token");
		return -1;
	}
	eng_state_init(&c->st);
	log_info("conn %llu: session %.6s... started",
	    (unsigned long long)c->serial, c->token);
	return 0;
}

/* The engine's greeting, as welcome, with history when resumed.  stored
 * is 0 when the store could not be read or written for it. */
static void
proto_welcome(struct proto_conn *c, int resumed, json_t *history, int stored)
{
	struct eng_reply *r = xmalloc(sizeof *r);
	json_t *rj, *msg;

	eng_welcome(*c->env->eng, &c->st, r);
	rj = eng_reply_json(r);
	free(r);
	msg = json_pack("{s:s,s:s,s:b,s:O?,s:O?,s:O?,s:o,s:s,s:{s:i}}",
	    "type", "welcome", "session", c->token, "resumed", resumed,
	    "text", json_object_get(rj, "text"),
	    "suggestions", json_object_get(rj, "suggestions"),
	    "slots", json_object_get(rj, "slots"),
	    "history", history ? history : json_array(),
	    "version", eng_version(*c->env->eng),
	    "limits", "max_text", c->env->cfg->max_text);
	json_decref(rj);
	if (msg && !stored)
		json_object_set_new(msg, "stored", json_false());
	c->errors = 0;
	proto_send(c, msg);
}

/* Hand j to the store thread for the session token (the connection's own
 * when NULL).  j belongs to the store from here on: fill it in first. */
static void
proto_submit(struct proto_conn *c, struct store_job *j, const char *token)
{
	j->conn = c->serial;
	j->ts = c->env->wall_ms();
	j->t0 = c->env->now();
	snprintf(j->token, sizeof j->token, "%s", token ? token : c->token);
	c->busy = 1;
	c->io->submit(c, j);
}

/* A new session: a token, and its row in the store before the welcome, so
 * that every token a client has been given can be resumed. */
static void
proto_start_session(struct proto_conn *c, const char *re)
{
	struct store_job *j;

	if (proto_new_token(c) != 0) {
		proto_error(c, re, WIRE_E_STORAGE, "The server cannot start a "
		    "conversation right now. Please try again.");
		return;
	}
	j = store_job_new(STORE_CREATE);
	if (re)
		snprintf(j->id, sizeof j->id, "%s", re);
	j->slots = proto_state_text(&c->st);
	proto_submit(c, j, NULL);
}

/* A JSON string with no NUL inside, or NULL. */
static const char *
proto_str(json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || strlen(s) != json_string_length(v))
		return NULL;
	return s;
}

static void
proto_hello(struct proto_conn *c, json_t *msg, const char *re)
{
	json_t *s = json_object_get(msg, "session");
	const char *tok;

	if (s == NULL || json_is_null(s)) {
		proto_start_session(c, re);
		return;
	}
	tok = proto_str(s);
	if (tok == NULL || !tok_valid(tok)) {
		proto_error(c, re, WIRE_E_BAD_FIELD, "The session must be null or "
		    "a token this server gave you.");
		return;
	}
	proto_submit(c, store_job_new(STORE_LOAD), tok);
}

/* Characters, not bytes: UTF-8 continuation bytes are not counted.  lws
 * has already rejected invalid UTF-8 (1007), and jansson too. */
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
proto_ask(struct proto_conn *c, json_t *msg, const char *re)
{
	json_t *jt = json_object_get(msg, "text");
	struct eng_reply *r;
	struct store_job *j;
	const char *text;
	size_t len;

	if (re == NULL) {
		proto_error(c, NULL, WIRE_E_BAD_FIELD, "A question needs an \"id\": "
		    "a string of 1 to 64 characters.");
		return;
	}
	if (!json_is_string(jt)) {
		proto_error(c, re, WIRE_E_BAD_FIELD, "A question needs a \"text\" "
		    "string.");
		return;
	}
	text = json_string_value(jt);
	len = json_string_length(jt);
	if (utf8_chars(text, len) > (size_t)c->env->cfg->max_text) {
		char t[128];

		snprintf(t, sizeof t, "That question is too long. Please keep "
		    "it under %d characters.", c->env->cfg->max_text);
		proto_error(c, re, WIRE_E_TOO_LONG, t);
		return;
	}
	if (memchr(text, '\0', len)) {
		proto_error(c, re, WIRE_E_BAD_FIELD, "The question contains a NUL "
		    "character (\\u0000).");
		return;
	}
	if (blank(text, len)) {
		proto_error(c, re, WIRE_E_BAD_FIELD, "The question is empty.");
		return;
	}
	if (c->token[0] == '\0' && proto_new_token(c) != 0) {
		proto_error(c, re, WIRE_E_STORAGE, "The server cannot start a "
		    "conversation right now. Please try again.");
		return;
	}
	r = xmalloc(sizeof *r);
	c->next_st = c->st;
	eng_ask(*c->env->eng, &c->next_st, text, len, r);
	c->ask_kind = r->kind;
	c->ask_intent = r->intent;

	/* The stored turn keeps the reply, whose "text" is the bot's: the
	 * history reads it from there (db.c), so it is not stored twice. */
	j = store_job_new(STORE_TURN);
	snprintf(j->id, sizeof j->id, "%s", re);
	j->user_text = xstrdup(text);
	j->reply = proto_reply_text(re, c->token, r);
	j->slots = proto_state_text(&c->next_st);
	j->fallback = r->kind == ENG_FALLBACK;
	free(r);
	proto_submit(c, j, NULL);
}

static void
proto_reset(struct proto_conn *c, const char *re)
{
	struct store_job *j;

	eng_state_init(&c->next_st);
	if (c->token[0] == '\0') {
		c->st = c->next_st;
		c->errors = 0;
		proto_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type", "reset",
		    "re", re, "session", "text", "Okay, let's start over."));
		return;
	}
	j = store_job_new(STORE_RESET);
	if (re)
		snprintf(j->id, sizeof j->id, "%s", re);
	j->slots = proto_state_text(&c->next_st);
	proto_submit(c, j, NULL);
}

static void
proto_forget(struct proto_conn *c, const char *re)
{
	struct store_job *j;

	if (c->token[0] == '\0') {
		c->errors = 0;
		eng_state_init(&c->st);
		proto_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type",
		    "forgotten", "re", re, "session", "text",
		    "There was nothing to delete."));
		return;
	}
	j = store_job_new(STORE_FORGET);
	if (re)
		snprintf(j->id, sizeof j->id, "%s", re);
	proto_submit(c, j, NULL);
}

/* Token bucket: burst messages at once, then rate per minute. */
static int
proto_rate_ok(struct proto_conn *c)
{
	const struct cfg *cfg = c->env->cfg;
	double now;

	if (cfg->rate == 0)
		return 1;               /* --rate 0: no limit */
	now = c->env->now();
	c->tokens += (now - c->refilled) * cfg->rate / 60.0;
	c->refilled = now;
	if (c->tokens > cfg->burst)
		c->tokens = cfg->burst;
	if (c->tokens < 1)
		return 0;
	c->tokens -= 1;
	return 1;
}

void
proto_message(struct proto_conn *c, const char *buf, size_t len, int binary)
{
	json_error_t jerr;
	json_t *msg;
	const char *re = NULL, *id;
	enum wire_type t;

	if (binary) {
		met_message(WIRE_OTHER);
		proto_error(c, NULL, WIRE_E_BAD_JSON, "Messages must be JSON text, "
		    "not binary.");
		return;
	}
	msg = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (msg == NULL || !json_is_object(msg)) {
		json_decref(msg);
		met_message(WIRE_OTHER);
		proto_error(c, NULL, WIRE_E_BAD_JSON, "That message was not a JSON "
		    "object, so it was ignored.");
		return;
	}
	id = proto_str(json_object_get(msg, "id"));
	if (id && id[0] && strlen(id) < STORE_ID_MAX)
		re = id;
	t = wire_type_find(proto_str(json_object_get(msg, "type")));
	met_message(t);
	if (!proto_rate_ok(c)) {
		proto_error(c, re, WIRE_E_RATE_LIMITED, "You are sending messages "
		    "too fast. Please wait a moment and try again.");
	} else if (json_object_get(msg, "type") == NULL) {
		proto_error(c, re, WIRE_E_BAD_TYPE, "A message needs a \"type\": "
		    "hello, ask, reset or forget.");
	} else if (t == WIRE_HELLO) {
		proto_hello(c, msg, re);
	} else if (t == WIRE_ASK) {
		proto_ask(c, msg, re);
	} else if (t == WIRE_RESET) {
		proto_reset(c, re);
	} else if (t == WIRE_FORGET) {
		proto_forget(c, re);
	} else {
		proto_error(c, re, WIRE_E_BAD_TYPE, "Unknown message type. Use "
		    "hello, ask, reset or forget.");
	}
	json_decref(msg);
}

/* The stored reply for a repeated id, marked as a repeat. */
static void
proto_repeat(struct proto_conn *c, struct store_job *j, const char *re)
{
	log_info("conn %llu: repeated id, stored reply sent",
	    (unsigned long long)c->serial);
	if (j->result == NULL) {
		proto_error(c, re, WIRE_E_STORAGE, "The earlier answer could not "
		    "be read.");
		return;
	}
	json_object_set_new(j->result, "repeat", json_true());
	proto_send(c, json_incref(j->result));
}

/* A turn is answered: the reply prepared before the store job went out,
 * marked "stored": false when the store failed. */
static void
proto_turn(struct proto_conn *c, struct store_job *j)
{
	char eid[STORE_ID_MAX * 4 + 8], esc[200];

	c->st = c->next_st;
	met_reply(c->ask_kind, c->ask_intent,
	    c->env->now() - j->t0);
	if (log_on(LOG_DEBUG))
		log_debug("conn %llu: reply re=%s kind=%s intent=%s %.2f ms%s",
		    (unsigned long long)c->serial,
		    log_esc(eid, sizeof eid, j->id, strlen(j->id)),
		    eng_kind_name(c->ask_kind),
		    c->ask_intent ? c->ask_intent : "none",
		    (c->env->now() - j->t0) * 1e3, j->rc ? " (not stored)" : "");
	if (c->ask_kind == ENG_FALLBACK)
		log_info("conn %llu: fallback%s %s",
		    (unsigned long long)c->serial, j->rc ? " (not stored)" :
		    " recorded", log_esc(esc, sizeof esc, j->user_text,
		    strlen(j->user_text)));
	if (j->rc == 0) {
		c->io->send(c, j->reply, strlen(j->reply));
		return;
	}
	json_t *m = json_loads(j->reply, 0, NULL);

	if (m)
		json_object_set_new(m, "stored", json_false());
	proto_send(c, m);
}

void
proto_done(struct proto_conn *c, struct store_job *j)
{
	const char *re = j->id[0] ? j->id : NULL;
	int ok = j->rc == 0;

	c->busy = 0;
	switch (j->op) {
	case STORE_CREATE:
		/* without storage the session lives on this connection only */
		proto_welcome(c, 0, NULL, ok);
		break;
	case STORE_LOAD:
		if (ok && j->found) {
			snprintf(c->token, sizeof c->token, "%s", j->token);
			if (eng_state_from_json(&c->st,
			    json_object_get(j->result, "slots")) != 0)
				eng_state_init(&c->st);
			log_info("conn %llu: session %.6s... resumed",
			    (unsigned long long)c->serial, c->token);
			proto_welcome(c, 1, json_incref(json_object_get(
			    j->result, "history")), 1);
		} else if (ok) {
			proto_start_session(c, re);
		} else {
			/* The store cannot say: keep the client's token, so
			 * that nothing it has is lost, and go on without
			 * history until the store is back. */
			snprintf(c->token, sizeof c->token, "%s", j->token);
			eng_state_init(&c->st);
			proto_welcome(c, 0, NULL, 0);
		}
		break;
	case STORE_TURN:
		c->errors = 0;
		if (ok && j->found)
			proto_repeat(c, j, re);
		else
			proto_turn(c, j);
		break;
	case STORE_RESET: {
		struct eng_reply *r = xmalloc(sizeof *r);
		json_t *rj, *m;

		c->st = c->next_st;
		c->errors = 0;
		eng_welcome(*c->env->eng, &c->st, r);
		rj = eng_reply_json(r);
		free(r);
		m = json_pack("{s:s,s:s?,s:s,s:s,s:O?,s:O?}", "type", "reset",
		    "re", re, "session", c->token, "text",
		    "Okay, let's start over.", "suggestions",
		    json_object_get(rj, "suggestions"), "slots",
		    json_object_get(rj, "slots"));
		json_decref(rj);
		if (m && !ok)
			json_object_set_new(m, "stored", json_false());
		proto_send(c, m);
		break;
	}
	case STORE_FORGET:
		if (!ok) {
			/* not deleted: never say it was */
			proto_error(c, re, WIRE_E_STORAGE, "The conversation could "
			    "not be deleted right now. Please try again.");
			break;
		}
		log_info("conn %llu: session %.6s... forgotten",
		    (unsigned long long)c->serial, c->token);
		c->token[0] = '\0';
		eng_state_init(&c->st);
		c->errors = 0;
		proto_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type",
		    "forgotten", "re", re, "session", "text",
		    "This conversation and its transcript have been deleted."));
		break;
	case STORE_PURGE:
		break;
	}
}
