/* db.h - the session database: the schema and its migrations, and the
 * prepared statements, on one connection per thread (the compactor's,
 * dbw.h, and the reader's, dbr.h).  Nothing here locks or waits for
 * anything but SQLite. */
#ifndef SLATE_DB_H
#define SLATE_DB_H

#include <stddef.h>
#include <sqlite3.h>
#include "store.h"

enum {
	Q_BEGIN, Q_BEGIN_READ, Q_COMMIT, Q_ROLLBACK, Q_CREATE, Q_ENSURE,
	Q_SESSION, Q_TURN, Q_UNANS, Q_FORGET, Q_UNLINK, Q_PURGE,
	Q_PURGE_UNANS, Q_COUNT, Q_SETPOS, Q_POS, Q_LOAD, Q_HIST, Q_IDS,
	Q_LOOKUP, Q_N
};

struct db;

/* Open (creating or migrating if needed) the database at path and
 * prepare every statement; NULL with err set, in words an operator can
 * act on. */
struct db *db_open(const char *path, const struct store_opts *o, char *err,
    size_t errlen);
sqlite3_stmt *db_q(struct db *d, int q);
const struct store_opts *db_opts(struct db *d);
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Step to the end and reset: 0, or -1 on an error. */
int db_step_done(sqlite3_stmt *st);
void db_reset(sqlite3_stmt *st);
/* "what: SQLite's message (the system's, when there is one)". */
void db_errmsg(struct db *d, const char *what, char *buf, size_t size);
/* Sessions stored, counted (a whole-table read); -1 when unknown. */
long db_count(struct db *d);
/* The connection, for the checkpointer (ckpt.h). */
sqlite3 *db_handle(struct db *d);
/* Finalize and close: the last connection to close checkpoints the WAL
 * into the database file. */
void db_close(struct db *d);

#endif
