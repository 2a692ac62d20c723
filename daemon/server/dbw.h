/* dbw.h - journal records into SQLite, a batch per transaction: the
 * compactor's side of the database (cpt.c).  Within a batch each session
 * is written once, at the end, with the state and time its last record
 * left, however many turns it had: no write per turn at the session's
 * random place in the table. */
#ifndef SLATE_DBW_H
#define SLATE_DBW_H

#include <stdint.h>
#include "db.h"
#include "jrec.h"

struct dbw;

struct dbw *dbw_new(struct db *d);
void dbw_free(struct dbw *w);
/* BEGIN IMMEDIATE; -1 with err. */
int dbw_begin(struct dbw *w, char *err, size_t errlen);
/* One record; its strings must stay valid until dbw_chunk() or
 * dbw_commit(). */
int dbw_apply(struct dbw *w, const struct jrec *r, char *err,
    size_t errlen);
/* The sessions the records so far touched written, within the
 * transaction, and let go of: the records' memory may be reused. */
int dbw_chunk(struct dbw *w, char *err, size_t errlen);
/* The sessions written, SQLite's journal position set to pos, COMMIT.
 * -1 with err, and everything rolled back. */
int dbw_commit(struct dbw *w, uint64_t pos, char *err, size_t errlen);
/* Give up the batch (a record failed). */
void dbw_rollback(struct dbw *w);
/* What the last committed batch did: sessions added (or removed), the
 * sessions purged, whether it deleted anything (forget, purge). */
long dbw_dsessions(struct dbw *w);
long dbw_purged(struct dbw *w);
int dbw_deleted(struct dbw *w);

#endif
