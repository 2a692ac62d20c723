/* idx.c - the knowledge base's search index: every role field and topic
 * in an in-memory SQLite FTS5 table, for finding the nearest questions we
 * can answer to one we cannot (see idx.h). */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idx.h"
#include "common/stop.h"
#include "common/xmem.h"

#define IDX_MAX_ROWS 1024

/* One entry of the index (a field of a role) and one (entry, score) pair
 * of a term's posting list. */
struct idx_row { int role; char field[24]; };
struct idx_posting { int row; double score; };

/* A word of the index: how many entries hold it and, for words that can
 * tell entries apart, FTS5's bm25 score of each entry for that word. */
struct idx_term {
	char *w;
	int doc;
	struct idx_posting *post;
	int npost;
};

struct idx {
	struct idx_term *terms;  /* sorted by word */
	int nterms;
	struct idx_row rows[IDX_MAX_ROWS];
	int nrows;
	sqlite3 *db;
};

/* Words too common in questions to tell entries apart. */
static int
idx_add(sqlite3_stmt *ins, int role, const char *name, const char *field,
    const struct kb_text *t)
{
	char buf[4096];
	size_t o = 0;
	int i;

	if (t->text == NULL && t->nitems == 0)
		return 0;
	o += (size_t)snprintf(buf, sizeof buf, "%s. %s", name,
	    t->text ? t->text : "");
	for (i = 0; i < t->nitems && o < sizeof buf; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, " %s",
		    t->items[i]);
	sqlite3_reset(ins);
	sqlite3_bind_int(ins, 1, role);
	sqlite3_bind_text(ins, 2, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, buf, -1, SQLITE_TRANSIENT);
	return sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
}

static int
idx_cmp_term(const void *a, const void *b)
{
	return strcmp(((const struct idx_term *)a)->w,
	    ((const struct idx_term *)b)->w);
}

/* bm25 is a sum over the query's terms, so the score FTS5 gives an OR
 * query is the sum of the scores it gives each term alone.  Scoring every
 * term at load time makes a question's search a few additions instead of
 * a query plan, a cursor and a ranking pass, even when no term matches
 * (docs/performance.md).  The per-term scores are FTS5's own bm25 formula
 * (k1 1.2, b 0.75, weight 1; the body is the one indexed column) applied
 * to the index's token list in one pass, because asking FTS5 once per
 * term would slow every load, and a reload has to stay short.
 * idx_check_postings() holds the two against each other. */
#define IDX_K1 1.2
#define IDX_B 0.75

/* Words in more than a third of the entries cannot tell them apart, and
 * longer ones are noise (FTS5 phrase syntax caps them anyway): neither
 * gets postings. */
static int
idx_scored(const struct idx *ix, const struct idx_term *t)
{
	return t->doc * 3 <= ix->nrows && strlen(t->w) <= 60;
}

static double
idx_bm25(double nrow, double nhit, double f, double dl, double avgdl)
{
	double idf = log((nrow - nhit + 0.5) / (nhit + 0.5));

	if (idf <= 0.0)
		idf = 1e-6;
	return -1.0 * (idf * ((f * (IDX_K1 + 1.0)) /
	    (f + IDX_K1 * (1 - IDX_B + IDX_B * dl / avgdl))));
}

static int
idx_postings(struct idx *ix, int nall)
{
	sqlite3_stmt *q = NULL;
	struct idx_posting buf[IDX_MAX_ROWS];
	struct { int term, row, f; } *occ = NULL;
	int *len = xcalloc((size_t)nall + 1, sizeof *len);
	size_t nocc = 0, cap = 0, i, j;
	double total = 0, avgdl;
	int n, rc = -1;

	if (sqlite3_exec(ix->db, "CREATE VIRTUAL TABLE inst USING "
	    "fts5vocab(fts, 'instance')", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ix->db, "SELECT term, doc FROM inst", -1, &q,
	    NULL) != SQLITE_OK)
		goto out;
	/* rows come by term, then row: a (term, row) pair's count is a run */
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct idx_term key, *t;
		int row = sqlite3_column_int(q, 1);

		if (row < 1 || row > nall)
			continue;
		len[row]++;
		total++;
		if (nocc && occ[nocc - 1].row == row && strcmp(ix->terms[
		    occ[nocc - 1].term].w, (const char *)sqlite3_column_text(q,
		    0)) == 0) {
			occ[nocc - 1].f++;
			continue;
		}
		key.w = (char *)sqlite3_column_text(q, 0);
		t = bsearch(&key, ix->terms, (size_t)ix->nterms,
		    sizeof *ix->terms, idx_cmp_term);
		if (t == NULL)
			continue;
		if (nocc == cap) {
			cap = cap ? cap * 2 : 1024;
			occ = xrealloc(occ, cap * sizeof *occ);
		}
		occ[nocc].term = (int)(t - ix->terms);
		occ[nocc].row = row;
		occ[nocc].f = 1;
		nocc++;
	}
	avgdl = nall ? total / nall : 1;
	for (i = 0; i < nocc; i = j) {
		struct idx_term *t = &ix->terms[occ[i].term];

		for (j = i; j < nocc && occ[j].term == occ[i].term; j++)
			;
		if (!idx_scored(ix, t))
			continue;
		n = 0;
		for (size_t k = i; k < j && n < IDX_MAX_ROWS; k++) {
			if (occ[k].row > ix->nrows)
				continue;
			buf[n].row = occ[k].row - 1;
			buf[n].score = idx_bm25(nall, t->doc, occ[k].f,
			    len[occ[k].row], avgdl);
			n++;
		}
		t->post = xcalloc((size_t)n, sizeof *t->post);
		memcpy(t->post, buf, (size_t)n * sizeof *t->post);
		t->npost = n;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	free(occ);
	free(len);
	return rc;
}

int
idx_check_postings(struct idx *ix, char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	int i, n, bad = 0;

	if (sqlite3_prepare_v2(ix->db, "SELECT rowid, bm25(fts) FROM fts "
	    "WHERE fts MATCH ?", -1, &q, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "sqlite: %s", sqlite3_errmsg(ix->db));
		return -1;
	}
	for (i = 0; i < ix->nterms && !bad; i++) {
		struct idx_term *t = &ix->terms[i];
		char phrase[80];

		if (!idx_scored(ix, t))
			continue;
		snprintf(phrase, sizeof phrase, "\"%s\"", t->w);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, phrase, -1, SQLITE_TRANSIENT);
		n = 0;
		while (sqlite3_step(q) == SQLITE_ROW && !bad) {
			int row = sqlite3_column_int(q, 0) - 1;
			double want = sqlite3_column_double(q, 1);

			if (row < 0 || row >= ix->nrows)
				continue;
			if (n >= t->npost || t->post[n].row != row ||
			    fabs(t->post[n].score - want) >
			    1e-9 * fabs(want)) {
				snprintf(err, errlen, "\"%s\" row %d: bm25 %.17g, "
				    "computed %.17g", t->w, row, want,
				    n < t->npost ? t->post[n].score : 0.0);
				bad = 1;
			}
			n++;
		}
		if (!bad && n != t->npost) {
			snprintf(err, errlen, "\"%s\": %d rows, computed %d",
			    t->w, n, t->npost);
			bad = 1;
		}
	}
	sqlite3_finalize(q);
	return bad ? -1 : 0;
}

/* Every word of the index with its document count.  A question's words
 * are looked up here first, so words the index lacks, and words nearly
 * every entry holds, never reach FTS5: a query costs time per term even
 * when the term is absent (docs/performance.md), and off-topic questions
 * are mostly such words. */
static int
idx_vocab(struct idx *ix)
{
	sqlite3_stmt *q = NULL;
	int cap = 256, nall = 0;

	if (sqlite3_exec(ix->db, "CREATE VIRTUAL TABLE vocab USING "
	    "fts5vocab(fts, 'row')", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ix->db, "SELECT term, doc FROM vocab", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	ix->terms = xcalloc((size_t)cap, sizeof *ix->terms);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (ix->nterms == cap) {
			cap *= 2;
			ix->terms = xrealloc(ix->terms, (size_t)cap *
			    sizeof *ix->terms);
		}
		ix->terms[ix->nterms].w = xstrdup((const char *)
		    sqlite3_column_text(q, 0));
		ix->terms[ix->nterms].doc = sqlite3_column_int(q, 1);
		ix->terms[ix->nterms].post = NULL;   /* realloc leaves garbage */
		ix->terms[ix->nterms].npost = 0;
		ix->nterms++;
	}
	sqlite3_finalize(q);
	qsort(ix->terms, (size_t)ix->nterms, sizeof *ix->terms, idx_cmp_term);
	if (sqlite3_prepare_v2(ix->db, "SELECT rowid, role, field FROM fts "
	    "ORDER BY rowid", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(q) == SQLITE_ROW) {
		nall++;
		if (ix->nrows == IDX_MAX_ROWS)
			continue;
		/* rowids are 1..n in insertion order */
		ix->rows[ix->nrows].role = sqlite3_column_int(q, 1);
		snprintf(ix->rows[ix->nrows].field,
		    sizeof ix->rows[0].field, "%s",
		    (const char *)sqlite3_column_text(q, 2));
		ix->nrows++;
	}
	sqlite3_finalize(q);
	return idx_postings(ix, nall);
}

/* The index's spelling of w (w itself, or w without/with a plural s), if
 * it is a word that can tell entries apart. */
static const struct idx_term *
idx_lookup(const struct idx *ix, const char *w)
{
	char alt[40];
	struct idx_term key, *t;
	size_t n = strlen(w);
	int i;

	for (i = 0; i < 3; i++) {
		if (i == 0)
			snprintf(alt, sizeof alt, "%s", w);
		else if (i == 1 && n > 3 && w[n - 1] == 's')
			snprintf(alt, sizeof alt, "%.*s", (int)(n - 1), w);
		else if (i == 2)
			snprintf(alt, sizeof alt, "%ss", w);
		else
			continue;
		key.w = alt;
		t = bsearch(&key, ix->terms, (size_t)ix->nterms,
		    sizeof *ix->terms, idx_cmp_term);
		if (t != NULL)
			return t->npost > 0 ? t : NULL;
	}
	return NULL;
}

/* The index's rows: every field and variation of every role (its name
 * first, so that a question naming it finds it), then every topic. */
static int
idx_fill(const struct kb *kb, sqlite3_stmt *ins)
{
	char field[32], buf[4096];
	int i, f, v, rc = 0;

	for (i = 0; i < kb_nroles(kb) && rc == 0; i++) {
		const struct kb_role *r = kb_role(kb, i);

		for (f = 0; f < KB_NFIELD; f++)
			rc |= idx_add(ins, i, r->name, kb_field_name(f),
			    kb_field(r, f));
		for (v = 0; v < KB_NVAR; v++) {
			snprintf(field, sizeof field, "var:%s", kb_var_name(v));
			rc |= idx_add(ins, i, r->name, field, &r->var[v]);
		}
	}
	for (i = 0; i < kb_ntopics(kb) && rc == 0; i++) {
		const struct kb_topic *t = kb_topic(kb, i);

		/* topics are rows with role -1 - index */
		snprintf(buf, sizeof buf, "%s. %s", t->title, t->body.text);
		sqlite3_reset(ins);
		sqlite3_bind_int(ins, 1, -1 - i);
		sqlite3_bind_text(ins, 2, "topic", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, buf, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
	}
	return rc;
}

struct idx *
idx_build(const struct kb *kb, char *err, size_t errlen)
{
	struct idx *ix = xcalloc(1, sizeof *ix);
	sqlite3_stmt *ins = NULL;
	int rc;

	if (sqlite3_open(":memory:", &ix->db) != SQLITE_OK ||
	    sqlite3_exec(ix->db, "CREATE VIRTUAL TABLE fts USING fts5("
	    "role UNINDEXED, field UNINDEXED, body, "
	    "tokenize='unicode61')", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ix->db, "INSERT INTO fts VALUES (?,?,?)", -1,
	    &ins, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "sqlite: %s", ix->db ?
		    sqlite3_errmsg(ix->db) : "cannot open");
		sqlite3_finalize(ins);
		idx_free(ix);
		return NULL;
	}
	sqlite3_exec(ix->db, "BEGIN", NULL, NULL, NULL);
	rc = idx_fill(kb, ins);
	sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_finalize(ins);
	if (rc == 0)
		rc = idx_vocab(ix);
	if (rc != 0) {
		snprintf(err, errlen, "sqlite: %s", sqlite3_errmsg(ix->db));
		idx_free(ix);
		return NULL;
	}
	return ix;
}

void
idx_free(struct idx *ix)
{
	int i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->nterms; i++) {
		free(ix->terms[i].w);
		free(ix->terms[i].post);
	}
	free(ix->terms);
	sqlite3_close(ix->db);
	free(ix);
}

int
idx_search(const struct idx *ix, const char *q, struct idx_hit *hits, int max)
{
	double score[IDX_MAX_ROWS];
	char word[32];
	const struct idx_term *t, *used[16];
	size_t w;
	int n = 0, nused = 0, i, j, best;
	const char *p = q;

	for (i = 0; i < ix->nrows; i++)
		score[i] = 0;
	while (*p) {
		while (*p && !(*p >= 'a' && *p <= 'z'))
			p++;
		for (w = 0; *p >= 'a' && *p <= 'z'; p++)
			if (w + 1 < sizeof word)
				word[w++] = *p;
		word[w] = '\0';
		if (w < 3 || stop_is(word) ||
		    (t = idx_lookup(ix, word)) == NULL || nused == 16)
			continue;
		for (j = 0; j < nused && used[j] != t; j++)
			;
		if (j < nused)
			continue;       /* a repeated word counts once, as in FTS5 */
		used[nused++] = t;
		for (j = 0; j < t->npost; j++)
			score[t->post[j].row] += t->post[j].score;
	}
	/* bm25 scores are negative: lower is a better match. */
	while (n < max) {
		best = -1;
		for (i = 0; i < ix->nrows; i++)
			if (score[i] < 0 && (best < 0 || score[i] <
			    score[best]))
				best = i;
		if (best < 0)
			break;
		hits[n].role = ix->rows[best].role >= 0 ?
		    ix->rows[best].role : -1;
		hits[n].topic = ix->rows[best].role < 0 ?
		    -1 - ix->rows[best].role : -1;
		snprintf(hits[n].field, sizeof hits[n].field, "%s",
		    ix->rows[best].field);
		score[best] = 0;
		n++;
	}
	return n;
}
