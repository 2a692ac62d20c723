/* ring.c - the last replies, in memory (see ring.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ring.h"
#include "store.h"
#include "common/xmem.h"

struct ring_entry {
	char token[TOK_LEN + 1];
	char id[STORE_ID_MAX];
	char *reply;                    /* NULL: the entry is free */
};

struct ring {
	struct ring_entry e[RING_SIZE];
	int next;                       /* the entry written next */
	int added;                      /* entries the transaction added */
};

struct ring *
ring_new(void)
{
	return xcalloc(1, sizeof(struct ring));
}

void
ring_free(struct ring *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < RING_SIZE; i++)
		free(r->e[i].reply);
	free(r);
}

const char *
ring_find(struct ring *r, const char *token, const char *id)
{
	for (int i = 0; i < RING_SIZE; i++)
		if (r->e[i].reply && strcmp(r->e[i].id, id) == 0 &&
		    strcmp(r->e[i].token, token) == 0)
			return r->e[i].reply;
	return NULL;
}

void
ring_add(struct ring *r, const char *token, const char *id,
    const char *reply)
{
	struct ring_entry *e = &r->e[r->next];

	r->next = (r->next + 1) % RING_SIZE;
	r->added++;
	free(e->reply);
	snprintf(e->token, sizeof e->token, "%s", token);
	snprintf(e->id, sizeof e->id, "%s", id);
	e->reply = xstrdup(reply);
}

void
ring_begin(struct ring *r)
{
	r->added = 0;
}

void
ring_undo(struct ring *r)
{
	int n = r->added < RING_SIZE ? r->added : RING_SIZE;

	for (int k = 0; k < n; k++) {
		r->next = (r->next + RING_SIZE - 1) % RING_SIZE;
		free(r->e[r->next].reply);
		r->e[r->next].reply = NULL;
	}
	r->added = 0;
}

void
ring_forget(struct ring *r, const char *token)
{
	for (int i = 0; i < RING_SIZE; i++)
		if (r->e[i].reply && strcmp(r->e[i].token, token) == 0) {
			free(r->e[i].reply);
			r->e[i].reply = NULL;
		}
}
