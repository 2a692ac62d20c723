/* dbr.c - resumes and resent ids, from SQLite and the journal (dbr.h). */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "dbr.h"
#include "jix.h"
#include "jrd.h"
#include "common/jw.h"
#include "common/xmem.h"

/* One turn of a history, oldest first: its user entry, then its bot
 * entry, which is the reply's members as stored, with from, ts and re. */
static char *
dbr_turn(const char *id, int64_t ts, const char *user, const char *body)
{
	struct jw w;
	char num[32];

	snprintf(num, sizeof num, "%lld", (long long)ts);
	jw_grow(&w, 1024);
	jw_lit(&w, "{\"from\":\"user\",\"text\":");
	jw_str(&w, user ? user : "");
	jw_lit(&w, ",\"ts\":");
	jw_lit(&w, num);
	jw_lit(&w, ",\"id\":");
	jw_str(&w, id ? id : "");
	jw_lit(&w, "},{\"from\":\"bot\",\"ts\":");
	jw_lit(&w, num);
	jw_lit(&w, ",\"re\":");
	jw_str(&w, id ? id : "");
	if (body && body[0]) {
		jw_lit(&w, ",");
		jw_raw(&w, body, strlen(body));
	} else {
		jw_lit(&w, ",\"text\":\"\"");
	}
	jw_lit(&w, "}");
	return jw_take(&w);
}

/* A turn stored by an older version: its reply is a whole message, and
 * what a client needs to redraw it is picked out of it. */
static char *
dbr_legacy_turn(const char *id, int64_t ts, const char *user,
    const char *bot_text, const char *reply)
{
	static const char *const keep[] = { "kind", "intent", "text",
		"options", "ladder" };
	json_t *r = reply ? json_loads(reply, 0, NULL) : NULL;
	json_t *o = json_object();
	char *members, *t;
	size_t n;

	for (size_t k = 0; k < 5; k++) {
		json_t *v = json_object_get(r, keep[k]);

		if (v)
			json_object_set(o, keep[k], v);
	}
	if (bot_text)
		json_object_set_new(o, "text", json_string(bot_text));
	members = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	json_decref(r);
	n = members ? strlen(members) : 0;
	/* "{...}" without its braces */
	if (n >= 2) {
		memmove(members, members + 1, n - 2);
		members[n - 2] = '\0';
	}
	t = dbr_turn(id, ts, user, members);
	free(members);
	return t;
}

struct dbr_hist {
	char **t;
	size_t n, cap;
};

static void
dbr_hist_add(struct dbr_hist *h, char *t)
{
	if (h->n == h->cap)
		h->t = xrealloc(h->t, (h->cap = h->cap ? h->cap * 2 : 16) *
		    sizeof *h->t);
	h->t[h->n++] = t;
}

/* The last max turns of h as a JSON array; h is emptied. */
static char *
dbr_hist_take(struct dbr_hist *h, int max)
{
	size_t from = h->n > (size_t)max ? h->n - (size_t)max : 0;
	struct jw w;

	jw_grow(&w, 256);
	jw_lit(&w, "[");
	for (size_t i = 0; i < h->n; i++) {
		if (i >= from) {
			if (i > from)
				jw_lit(&w, ",");
			jw_raw(&w, h->t[i], strlen(h->t[i]));
		}
		free(h->t[i]);
	}
	jw_lit(&w, "]");
	free(h->t);
	memset(h, 0, sizeof *h);
	return jw_take(&w);
}

/* The session's rows in one read transaction: its slots, its last turns
 * (into h, oldest first), its ids; returns the journal position SQLite
 * held then. */
static uint64_t
dbr_snapshot(struct db *d, struct store_job *j, struct dbr_hist *h)
{
	sqlite3_stmt *st;
	uint64_t snap = 0;
	size_t first;

	db_step_done(db_q(d, Q_BEGIN_READ));
	st = db_q(d, Q_POS);
	if (sqlite3_step(st) == SQLITE_ROW)
		snap = (uint64_t)sqlite3_column_int64(st, 0);
	db_reset(st);
	st = db_q(d, Q_LOAD);
	db_bind_text(st, 1, j->token);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 1);

		if (t == NULL)
			t = (const char *)sqlite3_column_text(st, 0);
		j->found = 1;
		j->slots = t ? xstrdup(t) : NULL;
	}
	db_reset(st);
	if (!j->found || !db_opts(d)->transcripts)
		goto done;
	st = db_q(d, Q_HIST);
	db_bind_text(st, 1, j->token);
	sqlite3_bind_int(st, 2, db_opts(d)->history_max);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		int64_t ts = sqlite3_column_int64(st, 1);
		const char *ut = (const char *)sqlite3_column_text(st, 2);
		const char *bt = (const char *)sqlite3_column_text(st, 3);
		const char *rp = (const char *)sqlite3_column_text(st, 4);

		dbr_hist_add(h, bt || (rp && rp[0] == '{') ?
		    dbr_legacy_turn(id, ts, ut, bt, rp) :
		    dbr_turn(id, ts, ut, rp));
	}
	db_reset(st);
	first = 0;
	for (size_t a = first, b = h->n; b > a + 1; a++, b--) {
		char *t = h->t[a];

		h->t[a] = h->t[b - 1];
		h->t[b - 1] = t;
	}
	st = db_q(d, Q_IDS);
	db_bind_text(st, 1, j->token);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		if (j->nids % 64 == 0)
			j->ids = xrealloc(j->ids, (j->nids + 64) *
			    sizeof *j->ids);
		j->ids[j->nids++] = jix_hash(id ? id : "");
	}
	db_reset(st);
done:
	db_step_done(db_q(d, Q_COMMIT));
	return snap;
}

static void
dbr_load(struct db *d, const char *journal, struct store_job *j)
{
	struct dbr_hist h = { 0 };
	uint64_t snap = dbr_snapshot(d, j, &h);
	struct jrec r;
	char *buf;

	if (j->gone_pos && j->gone_pos >= snap) {
		/* forgotten, and SQLite has not caught up yet */
		j->found = 0;
		goto out;
	}
	if (j->hold_pos && j->hold_pos >= snap)
		j->found = 1;
	if (j->slots_pos && j->slots_pos >= snap) {
		if (journal && jrd_at(journal, j->slots_pos, &buf, &r) == 0) {
			free(j->slots);
			j->slots = r.slots ? xstrdup(r.slots) : NULL;
			free(buf);
		} else {
			j->retry = 1;
		}
	}
	for (size_t i = 0; i < j->npend && db_opts(d)->transcripts; i++) {
		if (j->pend[i] < snap)
			continue;       /* in SQLite's rows already */
		if (journal == NULL || jrd_at(journal, j->pend[i], &buf,
		    &r) != 0) {
			j->retry = 1;   /* compacted after the snapshot */
			continue;
		}
		dbr_hist_add(&h, dbr_turn(r.id, r.ts, r.user, r.body));
		free(buf);
	}
out:
	j->history = dbr_hist_take(&h, db_opts(d)->history_max);
}

static void
dbr_lookup(struct db *d, const char *journal, struct store_job *j)
{
	sqlite3_stmt *st;
	struct jrec r;
	char *buf;

	for (size_t i = 0; i < j->npend && journal; i++) {
		if (jrd_at(journal, j->pend[i], &buf, &r) != 0)
			continue;       /* compacted: SQLite has it */
		if (r.type == JREC_TURN && r.id && strcmp(r.id, j->id) == 0) {
			j->found = 1;
			j->reply = xstrdup(r.body ? r.body : "");
			free(buf);
			return;
		}
		free(buf);
	}
	st = db_q(d, Q_LOOKUP);
	db_bind_text(st, 1, j->token);
	db_bind_text(st, 2, j->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		j->found = 1;
		j->reply = xstrdup(t ? t : "");
		j->legacy = t && t[0] == '{';
	}
	db_reset(st);
}

void
dbr_run(struct db *d, const char *journal, struct store_job *j)
{
	if (j->op == STORE_LOAD)
		dbr_load(d, journal, j);
	else
		dbr_lookup(d, journal, j);
}
