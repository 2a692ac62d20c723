/* dbr.h - the reader's questions (store.h) answered from one snapshot of
 * SQLite plus the journal records the loop says SQLite may lack. */
#ifndef SLATE_DBR_H
#define SLATE_DBR_H

#include "db.h"
#include "store.h"

/* Run j (LOAD or LOOKUP), filling in its results.  journal: see
 * store_open(). */
void dbr_run(struct db *d, const char *journal, struct store_job *j);

#endif
