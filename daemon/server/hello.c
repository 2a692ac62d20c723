/* hello.c - the hello message: a new session, or a resume read back by
 * the reader thread (SQLite and the journal), and the welcome that
 * answers either (docs/protocol.md).  Runs on the event loop thread, on a
 * connection's protocol state (proto.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cfg.h"
#include "hello.h"
#include "jix.h"
#include "log.h"
#include "proto.h"
#include "proto_int.h"
#include "common/jw.h"
#include "common/xmem.h"

/* The engine's greeting, as welcome, with history (a JSON array's text)
 * when resumed.  stored is 0 when the store could not be read or written
 * for it. */
static void
hello_welcome(struct proto_conn *c, int resumed, const char *history,
    int stored)
{
	struct eng_reply *r = xmalloc(sizeof *r);
	json_t *rj;
	char *sugg, *slots, num[64];
	struct jw w;

	eng_welcome(*c->env->eng, &c->st, r);
	rj = eng_reply_json(r);
	sugg = json_dumps(json_object_get(rj, "suggestions"), JSON_COMPACT);
	slots = json_dumps(json_object_get(rj, "slots"), JSON_COMPACT);
	jw_grow(&w, 1024 + (history ? strlen(history) : 0));
	jw_lit(&w, "{\"type\":\"welcome\",\"session\":");
	jw_str(&w, c->token);
	jw_lit(&w, resumed ? ",\"resumed\":true,\"text\":" :
	    ",\"resumed\":false,\"text\":");
	jw_str(&w, r->text);
	jw_lit(&w, ",\"suggestions\":");
	jw_lit(&w, sugg ? sugg : "[]");
	jw_lit(&w, ",\"slots\":");
	jw_lit(&w, slots ? slots : "{}");
	jw_lit(&w, ",\"history\":");
	jw_lit(&w, history ? history : "[]");
	jw_lit(&w, ",\"version\":");
	jw_str(&w, eng_version(*c->env->eng));
	snprintf(num, sizeof num, ",\"limits\":{\"max_text\":%d}%s}",
	    c->env->cfg->max_text, stored ? "" : ",\"stored\":false");
	jw_lit(&w, num);
	free(sugg);
	free(slots);
	json_decref(rj);
	free(r);
	c->errors = 0;
	{
		char *t = jw_take(&w);

		c->io->send(c, t, strlen(t));
		free(t);
	}
}

/* A new session: a token, and its record in the journal before the
 * welcome, so that every token a client has been given can be resumed. */
static void
hello_start(struct proto_conn *c, const char *re)
{
	struct jrec r = { .type = JREC_CREATE };
	char *slots;
	int rc;

	if (proto_new_token(c) != 0) {
		proto_error(c, re, WIRE_E_STORAGE, "The server cannot start a "
		    "conversation right now. Please try again.");
		return;
	}
	proto_take_session(c, 1);
	slots = proto_state_text(&c->st);
	r.slots = slots;
	rc = proto_append(c, &r, NULL);
	free(slots);
	/* without storage the session lives on this connection only */
	hello_welcome(c, 0, NULL, rc == 0);
}

/* A resume: what SQLite holds is read on the reader thread, with the
 * positions of what only the journal holds yet. */
static void
hello_load(struct proto_conn *c, const char *tok, int tries)
{
	struct store_job *j = store_job_new(STORE_LOAD);
	struct jix_ses *s = jix_get(c->env->jix, tok, 0);

	j->tries = tries;
	if (s) {
		j->npend = jix_pending(s, &j->pend);
		j->slots_pos = s->slots_pos;
		j->hold_pos = s->hold_pos;
		j->gone_pos = s->gone_pos;
	}
	proto_submit(c, j, tok);
}

void
hello_message(struct proto_conn *c, json_t *msg, const char *re)
{
	json_t *s = json_object_get(msg, "session");
	const char *tok;

	if (s == NULL || json_is_null(s)) {
		hello_start(c, re);
		return;
	}
	tok = proto_str(s);
	if (tok == NULL || !tok_valid(tok)) {
		proto_error(c, re, WIRE_E_BAD_FIELD, "The session must be null or "
		    "a token this server gave you.");
		return;
	}
	hello_load(c, tok, 0);
}

/* A resume is back from the reader. */
void
hello_loaded(struct proto_conn *c, struct store_job *j, const char *re)
{
	struct jrec r = { .type = JREC_SEEN };
	json_t *slots;

	if (j->rc == 0 && j->retry && j->tries < 3) {
		/* compacted while it was read: again, from the new state */
		hello_load(c, j->token, j->tries + 1);
		return;
	}
	if (j->rc == 0 && j->found) {
		snprintf(c->token, sizeof c->token, "%s", j->token);
		proto_take_session(c, 1);
		jix_add_ids(c->ses, j->ids, j->nids);
		slots = j->slots ? json_loads(j->slots, 0, NULL) : NULL;
		if (slots == NULL || eng_state_from_json(&c->st, slots) != 0)
			eng_state_init(&c->st);
		json_decref(slots);
		log_info("conn %llu: session %.6s... resumed",
		    (unsigned long long)c->serial, c->token);
		/* a resume keeps the session from the retention purge */
		proto_append(c, &r, NULL);
		hello_welcome(c, 1, j->history, 1);
	} else if (j->rc == 0) {
		hello_start(c, re);
	} else {
		/* The store cannot say: keep the client's token, so that
		 * nothing it has is lost, and go on without history until
		 * the store is back (its ids are looked up one by one). */
		snprintf(c->token, sizeof c->token, "%s", j->token);
		proto_take_session(c, 0);
		eng_state_init(&c->st);
		hello_welcome(c, 0, NULL, 0);
	}
}
