/* unans.c - the recorded fallbacks of slated's database, grouped (grp.h)
 * so that the knowledge author sees what to write next. */
#define _XOPEN_SOURCE 700
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "grp.h"
#include "unans.h"

#define UNANS_ROWS 20000      /* newest rows looked at */

/* Control characters would let a question rewrite the terminal. */
static void
unans_put(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc(' ', out);
		else
			fputc(*s, out);
	fputc('"', out);
}

/* A question's time as "YYYY-MM-DD HH:MM" (UTC). */
static void
unans_when(long long ts, char *when, size_t n)
{
	time_t secs = (time_t)(ts / 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(when, n, "%Y-%m-%d %H:%M", &tm);
}

/* The groups as one JSON object, for scripts and dashboards: control
 * characters are escaped by the JSON writer. */
static void
unans_json(const struct grp *g, FILE *out)
{
	json_t *root = json_object(), *arr = json_array(), *o, *vs;
	char when[32];

	for (int k = 0; k < g->ng; k++) {
		const struct grp_group *gr = &g->gs[k];

		unans_when(g->qs[gr->first].ts, when, sizeof when);
		vs = json_array();
		for (int v = 0; v < gr->nvariants; v++)
			json_array_append_new(vs, json_string(
			    g->qs[gr->variants[v]].text));
		o = json_pack("{s:i, s:s, s:I, s:s, s:o}", "count", gr->count,
		    "last_asked", when, "last_ts", (json_int_t)
		    g->qs[gr->first].ts, "question", g->qs[gr->first].text,
		    "also", vs);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "questions", json_integer(g->nq));
	json_object_set_new(root, "groups", arr);
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
}

static void
unans_report(const struct grp *g, FILE *out)
{
	if (g->nq == 0) {
		fprintf(out, "No unanswered questions recorded.\n");
		return;
	}
	fprintf(out, "%d unanswered question%s in %d group%s, newest first:"
	    "\n\n", g->nq, g->nq == 1 ? "" : "s", g->ng, g->ng == 1 ? "" : "s");
	fprintf(out, "%5s  %-16s  %s\n", "count", "last asked (UTC)",
	    "question");
	for (int k = 0; k < g->ng; k++) {
		const struct grp_group *gr = &g->gs[k];
		const struct grp_q *q = &g->qs[gr->first];
		char when[32];

		unans_when(q->ts, when, sizeof when);
		fprintf(out, "%5d  %-16s  ", gr->count, when);
		unans_put(out, q->text);
		fputc('\n', out);
		for (int v = 0; v < gr->nvariants; v++) {
			fprintf(out, "%5s  %-16s    also ", "", "");
			unans_put(out, g->qs[gr->variants[v]].text);
			fputc('\n', out);
		}
	}
}

/* The newest rows of the unanswered table into g; 0 or -1 with err. */
static int
unans_read(sqlite3 *db, const char *db_path, long long since, struct grp *g,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT ts, text FROM unanswered "
	    "WHERE ts >= ?2 ORDER BY ts DESC, rowid DESC LIMIT ?1", -1, &st,
	    NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: no unanswered questions recorded "
		    "here (%s)", db_path, sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int(st, 1, UNANS_ROWS);
	sqlite3_bind_int64(st, 2, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		grp_add(g, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
	if (rc != SQLITE_DONE)
		snprintf(err, errlen, "%s: %s", db_path, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
unans_since(const char *date, long long *ms)
{
	struct tm tm;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(date, "%Y-%m-%d", &tm)) == NULL)
		return -1;
	if (*end == ' ' || *end == 'T')
		end = strptime(end + 1, "%H:%M", &tm);
	if (end == NULL || *end != '\0' || (t = timegm(&tm)) == (time_t)-1)
		return -1;
	*ms = (long long)t * 1000;
	return 0;
}

int
unans_print(const char *db_path, const struct unans_opts *o, FILE *out,
    char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	struct grp g;
	int rc = -1;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", db_path,
		    db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 2000);
	grp_init(&g, UNANS_ROWS);
	if ((rc = unans_read(db, db_path, o->since, &g, err, errlen)) == 0) {
		if (o->json)
			unans_json(&g, out);
		else
			unans_report(&g, out);
	}
	grp_free(&g);
	sqlite3_close(db);
	return rc;
}
