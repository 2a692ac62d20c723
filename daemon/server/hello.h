/* hello.h - the hello message on a connection's protocol state: a new
 * session or a resume, answered with a welcome (hello.c).  proto.c hands
 * it every hello and every resume the reader thread sends back. */
#ifndef SLATE_HELLO_H
#define SLATE_HELLO_H

#include <jansson.h>
#include "proto.h"
#include "store.h"

/* A hello; re is its usable id, or NULL.  A resume goes to the reader
 * (c->busy until it is back through hello_loaded()). */
void hello_message(struct proto_conn *c, json_t *msg, const char *re);
/* A resume job (STORE_LOAD) is back: the welcome, with the history. */
void hello_loaded(struct proto_conn *c, struct store_job *j,
    const char *re);

#endif
