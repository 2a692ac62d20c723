/* jnl.h - the journal: every turn, new session, reset, resume, forget and
 * purge, appended by the event loop with write(2) before the answer goes
 * out.  A write lands in the page cache, so a kill -9 of slated loses
 * nothing written; fsync, which power loss needs, runs on a thread of its
 * own (--fsync always|everysec|no).  The journal is a series of segment
 * files "<db>.jnl.<n>"; the loop starts a new one past JNL_SEG_BYTES or
 * when asked (a forget, so that the old one can be dropped soon), and the
 * compactor (cpt.h) deletes a segment once SQLite holds all of it.
 *
 * A position names a byte in the journal: the segment number times 2^40
 * plus the offset, so that positions only grow.  The loop is the only
 * writer; the compactor reads what struct jnl_pub says is whole. */
#ifndef SLATE_JNL_H
#define SLATE_JNL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "jrec.h"

#define JNL_POS(seg, off) (((uint64_t)(seg) << 40) | (uint64_t)(off))
#define JNL_SEG(pos) ((uint32_t)((pos) >> 40))
#define JNL_OFF(pos) ((pos) & ((UINT64_C(1) << 40) - 1))
#define JNL_SEG_BYTES (64u << 20)

enum jnl_sync { JNL_SYNC_ALWAYS, JNL_SYNC_EVERYSEC, JNL_SYNC_NO };

/* What the loop publishes for the compactor, lock-free. */
struct jnl_pub {
	_Atomic uint64_t end;       /* after the last whole record */
	_Atomic uint64_t records;   /* appended since start */
	_Atomic int sleeping;       /* the compactor waits for kick */
	_Atomic int urgent;         /* a forget: compact without waiting */
	int kick;                   /* eventfd: the compactor's wake-up */
};

struct jnl;

/* Start writing segment seg of the journal of database db.  synced is
 * called from the sync thread after each fsync under --fsync always (it
 * must be thread-safe).  NULL with err set. */
struct jnl *jnl_open(const char *db, uint32_t seg, enum jnl_sync mode,
    void (*synced)(void *), void *arg, char *err, size_t errlen);
/* Append r; *pos is where it starts.  -1 when it could not be written
 * (nothing of it is left in the journal; jnl_error() says why). */
int jnl_append(struct jnl *j, const struct jrec *r, uint64_t *pos);
/* Start a new segment now; if the sync thread has not yet taken the
 * last segment given up, at the next append or jnl_tick(). */
void jnl_rotate_soon(struct jnl *j);
/* The loop's once a second: a new segment put off is started. */
void jnl_tick(struct jnl *j);
/* Wake the compactor now rather than when its batch is due. */
void jnl_urge(struct jnl *j);
/* The position after the last record, and after the last one fsynced. */
uint64_t jnl_end(struct jnl *j);
uint64_t jnl_synced(struct jnl *j);
/* Bytes and records appended since start. */
uint64_t jnl_bytes(struct jnl *j);
/* "" while appends succeed, else the last failure in words. */
const char *jnl_error(struct jnl *j);
enum jnl_sync jnl_mode(struct jnl *j);
struct jnl_pub *jnl_pub(struct jnl *j);
/* fsync (unless --fsync no), stop the sync thread, close. */
void jnl_close(struct jnl *j);

#endif
