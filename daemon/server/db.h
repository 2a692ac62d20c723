/* db.h - the session database under the store: the schema and its
 * migrations, the prepared statements, and each job's SQL, run a batch at
 * a time in one transaction.  Used by the store's thread only (store.c);
 * nothing here locks or waits for anything but SQLite. */
#ifndef SLATE_DB_H
#define SLATE_DB_H

#include <stddef.h>
#include <sqlite3.h>
#include "store.h"

struct db;

/* Open (creating or migrating if needed) the database at path and
 * prepare every statement; NULL with err set, in words an operator can
 * act on. */
struct db *db_open(const char *path, const struct store_opts *o, char *err,
    size_t errlen);
/* Run the jobs of batch, filling in their results, in one transaction:
 * a failing job fails alone.  failed gets the first error, or stays "". */
void db_run(struct db *d, struct store_job *batch, char *failed,
    size_t size);
/* Sessions stored, counted (a whole-table read); -1 when unknown. */
long db_count(struct db *d);
/* The connection, for the checkpointer (ckpt.h). */
sqlite3 *db_handle(struct db *d);
/* Finalize and close: the last connection to close checkpoints the WAL
 * into the database file. */
void db_close(struct db *d);

#endif
