/* ring.h - the last replies, kept in memory for --no-transcripts: nothing
 * said is stored then, but a client resending a message after a reconnect
 * must still get the same reply and not a second answer.  A fixed number
 * of entries, the oldest overwritten; the store's thread only. */
#ifndef SLATE_RING_H
#define SLATE_RING_H

#define RING_SIZE 256

struct ring;

struct ring *ring_new(void);
void ring_free(struct ring *r);
/* The reply remembered for (token, id), or NULL. */
const char *ring_find(struct ring *r, const char *token, const char *id);
/* Remember reply (copied) for (token, id), as part of the running
 * transaction. */
void ring_add(struct ring *r, const char *token, const char *id,
    const char *reply);
/* A transaction begins: ring_undo() forgets what it adds from now on. */
void ring_begin(struct ring *r);
/* The transaction was rolled back: forget what it added, or a resend
 * would be taken for a repeat. */
void ring_undo(struct ring *r);
/* Forget every reply of a session (forget). */
void ring_forget(struct ring *r, const char *token);

#endif
