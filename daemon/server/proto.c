/* proto.c - the chat protocol (docs/protocol.md) on one connection's state,
 * with no socket in sight: parse and check a message, ask the engine,
 * append the turn to the journal, and build the one answer.  A hello (a
 * new session or a resume, and its welcome) is hello.c's; what the two
 * share is in proto_int.h.
 *
 * Storage is a promise kept when it can be: an answer goes out after its
 * turn is in the journal (jnl.h), so whatever a client has received is in
 * its resumed history, even after a kill -9.  When the journal cannot be
 * written (disk full) the answer is sent anyway, marked "stored": false:
 * Slate keeps answering without storage rather than going silent, and
 * says so in /healthz and the log (loop.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cfg.h"
#include "hello.h"
#include "jix.h"
#include "log.h"
#include "met.h"
#include "proto.h"
#include "proto_int.h"
#include "ring.h"
#include "wire.h"
#include "common/jw.h"
#include "common/xmem.h"

/* The reply to a question, {"type":"reply","re":...,"session":...,<the
 * engine's members>,<tail>}, malloc'd: written around the members as they
 * are journaled, never parsed back. */
static char *
proto_reply_text(const char *re, const char *token, const char *body,
    const char *tail)
{
	struct jw w;

	jw_grow(&w, strlen(body) + 128);
	jw_lit(&w, "{\"type\":\"reply\",\"re\":");
	jw_str(&w, re);
	jw_lit(&w, ",\"session\":");
	jw_str(&w, token);
	jw_lit(&w, ",");
	jw_raw(&w, body, strlen(body));
	jw_lit(&w, tail);
	return jw_take(&w);
}

/* A session's slots as JSON text, malloc'd. */
char *
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

void
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
void
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

int
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

/* The session c now speaks for: its index entry, held while connected. */
void
proto_take_session(struct proto_conn *c, int complete)
{
	struct jix_ses *s = jix_get(c->env->jix, c->token, 1);

	if (s != c->ses) {
		jix_unref(c->env->jix, c->ses);
		jix_ref(s);
		c->ses = s;
	}
	if (complete)
		s->complete = 1;
}

/* Append a record of c's session; 0 stored, -1 not. */
int
proto_append(struct proto_conn *c, struct jrec *r, const char *id)
{
	uint64_t pos;

	r->token = c->token;
	r->ts = c->env->wall_ms();
	if (c->env->append(r, &pos) != 0)
		return -1;
	if (c->ses)
		jix_note(c->env->jix, c->ses, r->type, pos, id);
	return 0;
}

/* Hand j to the reader for the session token.  j belongs to the store
 * from here on: fill it in first. */
void
proto_submit(struct proto_conn *c, struct store_job *j, const char *token)
{
	j->conn = c->serial;
	if (j->t0 == 0)
		j->t0 = c->env->now();
	snprintf(j->token, sizeof j->token, "%s", token);
	c->busy = 1;
	c->io->submit(c, j);
}

/* A JSON string with no NUL inside, or NULL. */
const char *
proto_str(json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || strlen(s) != json_string_length(v))
		return NULL;
	return s;
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

/* A turn answered: engine, journal, reply, each once.  The reply's
 * members are written once, journaled as they are and wrapped for the
 * client; "stored": false when the journal could not take them. */
static void
proto_answer(struct proto_conn *c, const char *re, const char *text,
    size_t len, double t0)
{
	struct eng_reply *r = xmalloc(sizeof *r);
	struct eng_state next = c->st;
	struct jrec rec = { .type = JREC_TURN };
	char esc[200], eid[STORE_ID_MAX * 4 + 8], *body, *slots, *msg;
	struct jw w;
	int rc;

	eng_ask(*c->env->eng, &next, text, len, r);
	jw_grow(&w, 2048);
	eng_reply_write(&w, r);
	body = jw_take(&w);
	slots = proto_state_text(&next);
	rec.fallback = r->kind == ENG_FALLBACK;
	rec.slots = slots;
	if (c->env->transcripts) {
		rec.id = re;
		rec.user = text;
		rec.body = body;
	} else {
		/* nothing said is kept, but what nobody could answer */
		rec.type = JREC_SLOTS;
		rec.user = rec.fallback ? text : NULL;
	}
	rc = proto_append(c, &rec, re);
	if (rc == 0 && !c->env->transcripts)
		ring_add(c->env->ring, c->token, re, body);
	c->st = next;
	c->errors = 0;
	met_reply(r->kind, r->intent, c->env->now() - t0);
	if (log_on(LOG_DEBUG))
		log_debug("conn %llu: reply re=%s kind=%s intent=%s %.2f ms%s",
		    (unsigned long long)c->serial,
		    log_esc(eid, sizeof eid, re, strlen(re)),
		    eng_kind_name(r->kind),
		    r->intent ? r->intent : "none",
		    (c->env->now() - t0) * 1e3, rc ? " (not stored)" : "");
	if (r->kind == ENG_FALLBACK)
		log_info("conn %llu: fallback%s %s",
		    (unsigned long long)c->serial, rc ? " (not stored)" :
		    " recorded", log_esc(esc, sizeof esc, text, len));
	msg = proto_reply_text(re, c->token, body, rc ? ",\"stored\":false}" :
	    "}");
	c->io->send(c, msg, strlen(msg));
	free(msg);
	free(body);
	free(slots);
	free(r);
}

/* The stored reply for a repeated id, marked as a repeat. */
static void
proto_repeat(struct proto_conn *c, const char *re, const char *reply,
    int legacy)
{
	char *msg;

	log_info("conn %llu: repeated id, stored reply sent",
	    (unsigned long long)c->serial);
	c->errors = 0;
	if (legacy) {
		/* a whole message, as older versions stored it */
		json_t *m = json_loads(reply, 0, NULL);

		if (m == NULL) {
			proto_error(c, re, WIRE_E_STORAGE, "The earlier answer "
			    "could not be read.");
			return;
		}
		json_object_set_new(m, "repeat", json_true());
		proto_send(c, m);
		return;
	}
	msg = proto_reply_text(re, c->token, reply, ",\"repeat\":true}");
	c->io->send(c, msg, strlen(msg));
	free(msg);
}

static void
proto_ask(struct proto_conn *c, json_t *msg, const char *re)
{
	json_t *jt = json_object_get(msg, "text");
	double t0 = c->env->now();
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
	if (c->token[0] == '\0') {
		if (proto_new_token(c) != 0) {
			proto_error(c, re, WIRE_E_STORAGE, "The server cannot "
			    "start a conversation right now. Please try again.");
			return;
		}
		proto_take_session(c, 1);
	}
	if (!c->env->transcripts) {
		const char *prev = ring_find(c->env->ring, c->token, re);

		if (prev)
			proto_repeat(c, re, prev, 0);
		else
			proto_answer(c, re, text, len, t0);
		return;
	}
	j = store_job_new(STORE_LOOKUP);
	if (c->ses == NULL)
		proto_take_session(c, 0);
	if (!jix_seen(c->ses, re, &j->pend, &j->npend)) {
		/* nearly always: an id this session never had */
		store_job_free(j);
		proto_answer(c, re, text, len, t0);
		return;
	}
	snprintf(j->id, sizeof j->id, "%s", re);
	j->user_text = xstrdup(text);
	j->t0 = t0;
	proto_submit(c, j, c->token);
}

static void
proto_reset(struct proto_conn *c, const char *re)
{
	struct jrec r = { .type = JREC_RESET };
	struct eng_reply *rp;
	json_t *rj, *m;
	char *slots;
	int ok = 1;

	eng_state_init(&c->st);
	c->errors = 0;
	if (c->token[0] == '\0') {
		proto_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type", "reset",
		    "re", re, "session", "text", "Okay, let's start over."));
		return;
	}
	slots = proto_state_text(&c->st);
	r.slots = slots;
	ok = proto_append(c, &r, NULL) == 0;
	free(slots);
	rp = xmalloc(sizeof *rp);
	eng_welcome(*c->env->eng, &c->st, rp);
	rj = eng_reply_json(rp);
	free(rp);
	m = json_pack("{s:s,s:s?,s:s,s:s,s:O?,s:O?}", "type", "reset",
	    "re", re, "session", c->token, "text", "Okay, let's start over.",
	    "suggestions", json_object_get(rj, "suggestions"), "slots",
	    json_object_get(rj, "slots"));
	json_decref(rj);
	if (m && !ok)
		json_object_set_new(m, "stored", json_false());
	proto_send(c, m);
}

static void
proto_forget(struct proto_conn *c, const char *re)
{
	struct jrec r = { .type = JREC_FORGET };

	c->errors = 0;
	if (c->token[0] == '\0') {
		eng_state_init(&c->st);
		proto_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type",
		    "forgotten", "re", re, "session", "text",
		    "There was nothing to delete."));
		return;
	}
	if (c->ses == NULL)
		proto_take_session(c, 0);
	if (proto_append(c, &r, NULL) != 0) {
		/* not deleted: never say it was */
		proto_error(c, re, WIRE_E_STORAGE, "The conversation could "
		    "not be deleted right now. Please try again.");
		return;
	}
	ring_forget(c->env->ring, c->token);
	log_info("conn %llu: session %.6s... forgotten",
	    (unsigned long long)c->serial, c->token);
	c->token[0] = '\0';
	jix_unref(c->env->jix, c->ses);
	c->ses = NULL;
	eng_state_init(&c->st);
	proto_send(c, json_pack("{s:s,s:s?,s:n,s:s}", "type",
	    "forgotten", "re", re, "session", "text",
	    "This conversation and its transcript have been deleted."));
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
		hello_message(c, msg, re);
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

void
proto_done(struct proto_conn *c, struct store_job *j)
{
	const char *re = j->id[0] ? j->id : NULL;

	c->busy = 0;
	if (j->op == STORE_LOAD) {
		hello_loaded(c, j, re);
	} else if (j->rc == 0 && j->found) {
		proto_repeat(c, re, j->reply, j->legacy);
	} else if (c->token[0]) {
		/* not a repeat after all (or the store cannot say) */
		proto_answer(c, re, j->user_text, strlen(j->user_text), j->t0);
	} else {
		proto_error(c, re, WIRE_E_STORAGE, "The conversation was "
		    "deleted meanwhile.");
	}
}

void
proto_close(struct proto_conn *c)
{
	jix_unref(c->env->jix, c->ses);
	c->ses = NULL;
}
