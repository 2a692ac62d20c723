/* proto_int.h - what proto.c shares with hello.c, the one other file that
 * works on a connection's protocol state: not for the transport. */
#ifndef SLATE_PROTO_INT_H
#define SLATE_PROTO_INT_H

#include <jansson.h>
#include "engine/eng.h"
#include "jrec.h"
#include "proto.h"
#include "store.h"
#include "wire.h"

/* msg serialized and sent as the one answer (msg is consumed); a fixed
 * error when jansson would not build it. */
void proto_send(struct proto_conn *c, json_t *msg);
/* An error answer; too many in a row close the connection with 1008. */
void proto_error(struct proto_conn *c, const char *re, enum wire_code code,
    const char *text);
/* A new session token for c, with fresh slots; -1 without randomness. */
int proto_new_token(struct proto_conn *c);
/* The index entry of c's session taken (and held while connected);
 * complete: it knows every id the session has had. */
void proto_take_session(struct proto_conn *c, int complete);
/* Append a record of c's session to the journal: 0 stored, -1 not. */
int proto_append(struct proto_conn *c, struct jrec *r, const char *id);
/* Hand j to the reader for the session token; c is busy until it is
 * back. */
void proto_submit(struct proto_conn *c, struct store_job *j,
    const char *token);
/* A session's slots as JSON text, malloc'd. */
char *proto_state_text(const struct eng_state *st);
/* A JSON string with no NUL inside, or NULL. */
const char *proto_str(json_t *v);

#endif
