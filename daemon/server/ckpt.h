/* ckpt.h - WAL checkpoints for the store, on a thread of their own.
 *
 * A checkpoint fsyncs; run inside a commit (SQLite's automatic one) it
 * holds up that commit, and so every reply waiting for it.  The
 * checkpointer copies the WAL into the database file from its own
 * connection with PASSIVE passes, which never block the writer: when the
 * writer has added CKPT_FRAMES frames since the last pass asked, and
 * after CKPT_IDLE_MS without a commit, so that a quiet server keeps a
 * small WAL.  The WAL only starts over when a pass has copied all of it
 * before the next commit begins; under sustained load that happens only
 * when the writer waits for it, which ckpt_note() does past CKPT_MAX_FRAMES. */
#ifndef SLATE_CKPT_H
#define SLATE_CKPT_H

#include <sqlite3.h>

/* SQLite's own threshold. */
#define CKPT_FRAMES 1000
#define CKPT_IDLE_MS 1000
/* Passes asked for because the writer went idle: at most one this often,
 * since a pass asked at every idle moment costs more than it saves. */
#define CKPT_GAP_MS 1000
/* The WAL's bound.  Past it the writer waits, between two batches and
 * after their replies are on their way, for a pass that lets the next
 * commit start the WAL over: two fsyncs and what was committed since the
 * last pass.  Every turn adds whole pages to the WAL, so the bound is
 * set high enough for such waits to be rare under load and low enough
 * for the file to be read back quickly after a kill -9
 * (docs/performance.md, "Findings"). */
#define CKPT_MAX_FRAMES 65536

struct ckpt;

/* A checkpointer for the WAL database db has open: its own connection,
 * its own thread, and a WAL hook on db in place of SQLite's automatic
 * checkpoint.  NULL when there is none to have (no WAL, an in-memory
 * database, no connection or thread): db keeps the automatic one. */
struct ckpt *ckpt_start(sqlite3 *db);
/* After each commit on db, from the thread that commits; idle: nothing
 * else is queued for it.  Past the bound, returns after the pass. */
void ckpt_note(struct ckpt *c, int idle);
/* Frames the writer has committed to the WAL since start (its thread). */
unsigned long long ckpt_written(struct ckpt *c);
/* Stop the thread and close its connection, before db is closed (the
 * last connection to close copies what is left). */
void ckpt_stop(struct ckpt *c);

#endif
