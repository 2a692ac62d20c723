/* cpt.h - the compactor: SQLite filled from the journal, behind the loop,
 * on a thread of the lowest priority (SCHED_IDLE), in batches of up to a
 * few MB of records per transaction.  It shares no lock with the loop: it
 * learns what to read from struct jnl_pub, reads the segment files
 * itself, and publishes how far SQLite has got in atomics the loop reads.
 * A segment is deleted once SQLite holds all of it.
 *
 * At start, before the thread and before any connection, cpt_open()
 * replays whatever the journal holds that SQLite lacks (a crash), cutting
 * off a torn last record, and deletes the segments. */
#ifndef SLATE_CPT_H
#define SLATE_CPT_H

#include <stddef.h>
#include <stdint.h>
#include "jnl.h"
#include "store.h"

/* A batch is due at this many records, after this long, or when the
 * journal has been quiet this long (a lone turn is not kept waiting). */
#define CPT_BATCH 4096
#define CPT_DELAY_MS 1000
#define CPT_QUIET_MS 20

struct cpt;

struct cpt_replay {
	long records, segments;
	long torn;                  /* bytes of torn or damaged tails cut */
	double ms;
};

/* Open the database and replay the journal; *seg is the segment the
 * journal is to be written to next.  NULL with err set. */
struct cpt *cpt_open(const char *db, const struct store_opts *o,
    uint32_t *seg, struct cpt_replay *rp, char *err, size_t errlen);
/* Follow the journal pub describes, on the compactor thread. -1 if no
 * thread could be started. */
int cpt_start(struct cpt *c, struct jnl_pub *pub);
/* The journal position SQLite holds everything before. */
uint64_t cpt_done(struct cpt *c);
/* Records applied since start, sessions stored (-1 unknown), sessions
 * purged since start, bytes written to the WAL since start (its frames,
 * each a page and its header). */
uint64_t cpt_applied(struct cpt *c);
uint64_t cpt_wal_bytes(struct cpt *c);
long cpt_sessions(struct cpt *c);
long cpt_purged(struct cpt *c);
/* "ok" or "error: ..." for the last batch. */
void cpt_state(struct cpt *c, char *buf, size_t size);
/* Apply what is left (once nothing more is appended), delete the
 * segments SQLite then holds, stop the thread, close the database. */
void cpt_close(struct cpt *c);

#endif
