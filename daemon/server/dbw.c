/* dbw.c - applying journal records to SQLite (see dbw.h). */
#include <stdlib.h>
#include <string.h>
#include "dbw.h"
#include "jix.h"
#include "common/xmem.h"

/* A session touched in this batch. */
struct dbw_ses {
	const char *token;          /* NULL: a free slot */
	int64_t seen;
	const char *slots;          /* the latest, NULL unchanged */
	int ensured, dirty;
};

struct dbw {
	struct db *d;
	struct dbw_ses *tab;
	size_t n, cap;
	long dsessions, purged;
	int deleted;
};

struct dbw *
dbw_new(struct db *d)
{
	struct dbw *w = xcalloc(1, sizeof *w);

	w->d = d;
	return w;
}

void
dbw_free(struct dbw *w)
{
	if (w == NULL)
		return;
	free(w->tab);
	free(w);
}

static struct dbw_ses *
dbw_find(struct dbw *w, const char *token)
{
	size_t i;

	if ((w->n + 1) * 2 > w->cap) {
		struct dbw_ses *old = w->tab;
		size_t oc = w->cap;

		w->cap = oc ? oc * 2 : 256;
		w->tab = xcalloc(w->cap, sizeof *w->tab);
		w->n = 0;
		for (i = 0; i < oc; i++)
			if (old[i].token)
				*dbw_find(w, old[i].token) = old[i];
		free(old);
	}
	for (i = jix_hash(token) & (w->cap - 1); w->tab[i].token;
	    i = (i + 1) & (w->cap - 1))
		if (strcmp(w->tab[i].token, token) == 0)
			return &w->tab[i];
	w->tab[i].token = token;
	w->n++;
	return &w->tab[i];
}

static int
dbw_fail(struct dbw *w, const char *what, char *err, size_t errlen)
{
	db_errmsg(w->d, what, err, errlen);
	return -1;
}

/* The session's row exists before its turns (the foreign key). */
static int
dbw_ensure(struct dbw *w, struct dbw_ses *s, const struct jrec *r)
{
	sqlite3_stmt *st = db_q(w->d, Q_ENSURE);

	if (s->ensured)
		return 0;
	db_bind_text(st, 1, r->token);
	sqlite3_bind_int64(st, 2, r->ts);
	if (db_step_done(st) != 0)
		return -1;
	w->dsessions += sqlite3_changes(db_handle(w->d));
	s->ensured = 1;
	return 0;
}

/* Write every touched session's row, once. */
static int
dbw_flush(struct dbw *w)
{
	sqlite3_stmt *st = db_q(w->d, Q_SESSION);

	for (size_t i = 0; i < w->cap; i++) {
		struct dbw_ses *s = &w->tab[i];

		if (s->token == NULL || !s->dirty)
			continue;
		db_bind_text(st, 1, s->token);
		sqlite3_bind_int64(st, 2, s->seen);
		db_bind_text(st, 3, s->slots);
		if (db_step_done(st) != 0)
			return -1;
		s->dirty = 0;
		s->slots = NULL;
	}
	return 0;
}

/* Forget the sessions seen: their tokens point into the records. */
static void
dbw_clear(struct dbw *w)
{
	w->n = 0;
	if (w->tab)
		memset(w->tab, 0, w->cap * sizeof *w->tab);
}

int
dbw_chunk(struct dbw *w, char *err, size_t errlen)
{
	if (dbw_flush(w) != 0)
		return dbw_fail(w, "session", err, errlen);
	dbw_clear(w);
	return 0;
}

int
dbw_begin(struct dbw *w, char *err, size_t errlen)
{
	dbw_clear(w);
	w->dsessions = w->purged = 0;
	w->deleted = 0;
	if (db_step_done(db_q(w->d, Q_BEGIN)) != 0)
		return dbw_fail(w, "begin", err, errlen);
	return 0;
}

static int
dbw_unanswered(struct dbw *w, const struct jrec *r, const char *token)
{
	sqlite3_stmt *st = db_q(w->d, Q_UNANS);

	if (!r->fallback || r->user == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, r->ts);
	db_bind_text(st, 2, token);
	db_bind_text(st, 3, r->user);
	return db_step_done(st);
}

static int
dbw_turn(struct dbw *w, struct dbw_ses *s, const struct jrec *r)
{
	sqlite3_stmt *st = db_q(w->d, Q_TURN);

	if (dbw_ensure(w, s, r) != 0)
		return -1;
	db_bind_text(st, 1, r->token);
	db_bind_text(st, 2, r->id);
	sqlite3_bind_int64(st, 3, r->ts);
	db_bind_text(st, 4, r->user);
	db_bind_text(st, 5, r->body ? r->body : "");
	if (db_step_done(st) != 0)
		return -1;
	return dbw_unanswered(w, r, r->token);
}

/* Forget: the session's rows, and what it left in unanswered. */
static int
dbw_forget(struct dbw *w, struct dbw_ses *s, const struct jrec *r)
{
	sqlite3_stmt *st = db_q(w->d, Q_FORGET);

	s->dirty = s->ensured = 0;
	s->slots = NULL;
	db_bind_text(st, 1, r->token);
	if (db_step_done(st) != 0)
		return -1;
	w->dsessions -= sqlite3_changes(db_handle(w->d));
	w->deleted = 1;
	st = db_q(w->d, Q_UNLINK);
	db_bind_text(st, 1, r->token);
	return db_step_done(st);
}

static int
dbw_purge(struct dbw *w, const struct jrec *r)
{
	sqlite3_stmt *st = db_q(w->d, Q_PURGE);
	int n;

	if (dbw_flush(w) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, r->ts);
	if (db_step_done(st) != 0)
		return -1;
	n = sqlite3_changes(db_handle(w->d));
	w->purged += n;
	w->dsessions -= n;
	w->deleted |= n > 0;
	st = db_q(w->d, Q_PURGE_UNANS);
	sqlite3_bind_int64(st, 1, r->ts);
	return db_step_done(st);
}

int
dbw_apply(struct dbw *w, const struct jrec *r, char *err, size_t errlen)
{
	struct dbw_ses *s = NULL;
	int rc = 0;

	if (r->type != JREC_PURGE) {
		if (r->token == NULL)
			return 0;       /* nothing to apply it to */
		s = dbw_find(w, r->token);
	}
	switch (r->type) {
	case JREC_CREATE: {
		sqlite3_stmt *st = db_q(w->d, Q_CREATE);

		db_bind_text(st, 1, r->token);
		sqlite3_bind_int64(st, 2, r->ts);
		db_bind_text(st, 3, r->slots ? r->slots : "{}");
		rc = db_step_done(st);
		w->dsessions += sqlite3_changes(db_handle(w->d));
		s->ensured = 1;
		break;
	}
	case JREC_TURN:
		rc = db_opts(w->d)->transcripts ? dbw_turn(w, s, r) :
		    dbw_ensure(w, s, r);
		break;
	case JREC_SLOTS:
	case JREC_RESET:
		rc = dbw_ensure(w, s, r);
		/* without transcripts, nothing said is tied to a session */
		if (rc == 0 && r->type == JREC_SLOTS)
			rc = dbw_unanswered(w, r, NULL);
		break;
	case JREC_FORGET:
		return dbw_forget(w, s, r) ? dbw_fail(w, "forget", err,
		    errlen) : 0;
	case JREC_PURGE:
		return dbw_purge(w, r) ? dbw_fail(w, "purge", err, errlen) : 0;
	}
	if (rc != 0)
		return dbw_fail(w, "turn", err, errlen);
	if (r->ts > s->seen)
		s->seen = r->ts;
	if (r->slots && r->type != JREC_CREATE)
		s->slots = r->slots;
	s->dirty |= r->type != JREC_CREATE;
	return 0;
}

int
dbw_commit(struct dbw *w, uint64_t pos, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_q(w->d, Q_SETPOS);

	if (dbw_flush(w) != 0) {
		dbw_fail(w, "session", err, errlen);
		goto fail;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)pos);
	if (db_step_done(st) != 0) {
		dbw_fail(w, "journal position", err, errlen);
		goto fail;
	}
	if (db_step_done(db_q(w->d, Q_COMMIT)) != 0) {
		dbw_fail(w, "commit", err, errlen);
		goto fail;
	}
	return 0;
fail:
	db_step_done(db_q(w->d, Q_ROLLBACK));
	return -1;
}

void
dbw_rollback(struct dbw *w)
{
	db_step_done(db_q(w->d, Q_ROLLBACK));
}

long
dbw_dsessions(struct dbw *w)
{
	return w->dsessions;
}

long
dbw_purged(struct dbw *w)
{
	return w->purged;
}

int
dbw_deleted(struct dbw *w)
{
	return w->deleted;
}
