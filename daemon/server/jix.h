/* jix.h - the loop's index of what is only in the journal yet: for each
 * session in use or with records SQLite does not hold, where its records
 * are and a set of the hashes of every message id it has had answered,
 * so that a new id (nearly every question) is known to be new without
 * asking SQLite.  No text is kept here: the reader thread reads it back
 * from the journal (jrd_at) when a resume or a resent id needs it.  The
 * event loop's only. */
#ifndef SLATE_JIX_H
#define SLATE_JIX_H

#include <stddef.h>
#include <stdint.h>
#include "tok.h"

struct jix_ses {
	char token[TOK_LEN + 1];
	int refs;                   /* connections on the session */
	int nrec;                   /* its records not yet compacted */
	int complete;               /* ids covers every id it ever had */
	uint64_t hold_pos;          /* its last record, 0 none */
	uint64_t slots_pos;         /* the record with its latest slots */
	uint64_t gone_pos;          /* its forget, 0 none */
	uint64_t *turn_pos;         /* its turns not yet compacted */
	uint64_t *turn_hash;
	size_t nturns, head, cap;
	uint64_t *ids;              /* open addressing, 0 = empty */
	size_t nids, ids_cap;
	struct jix_ses *hnext;
};

struct jix;

struct jix *jix_new(void);
void jix_free(struct jix *x);
/* The session's entry, created when create is set; NULL otherwise. */
struct jix_ses *jix_get(struct jix *x, const char *token, int create);
/* A connection takes and leaves the session; the entry lives while it
 * has connections or records in the backlog. */
void jix_ref(struct jix_ses *s);
void jix_unref(struct jix *x, struct jix_ses *s);
/* A record of type (jrec.h) for s was appended at pos; id for turns. */
void jix_note(struct jix *x, struct jix_ses *s, int type, uint64_t pos,
    const char *id);
/* 0: id is new to s for certain.  1: it may have been answered: *cand
 * (malloc'd, *ncand entries) holds the journal positions of s's turns
 * whose id hash matches, and SQLite may hold it too. */
int jix_seen(struct jix_ses *s, const char *id, uint64_t **cand,
    size_t *ncand);
/* The pending turn positions of s after pos, malloc'd. */
size_t jix_pending(struct jix_ses *s, uint64_t **pos);
void jix_add_ids(struct jix_ses *s, const uint64_t *h, size_t n);
uint64_t jix_hash(const char *id);
/* SQLite holds every record before done. */
void jix_drop(struct jix *x, uint64_t done);
/* Records not yet compacted; the done position last dropped to. */
size_t jix_backlog(struct jix *x);
uint64_t jix_done(struct jix *x);

#endif
