/* kb.c - loading and validating the knowledge base. */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kb.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/xmem.h"

#define KB_FILE_MAX (4u * 1024 * 1024)  /* larger knowledge files are refused */

#define KB_MAX_SOURCES 64

struct kb_source { char *id, *title; };

#define KB_MAX_ROWS 1024

/* One entry of the index (a field of a role) and one (entry, score) pair
 * of a term's posting list. */
struct kb_row { int role; char field[24]; };
struct kb_posting { int row; double score; };

/* A word of the index: how many entries hold it and, for words that can
 * tell entries apart, FTS5's bm25 score of each entry for that word. */
struct kb_term {
	char *w;
	int doc;
	struct kb_posting *post;
	int npost;
};

struct kb {
	struct kb_role roles[KB_MAX_ROLES];
	struct kb_term *terms;   /* sorted by word */
	int nterms;
	struct kb_row rows[KB_MAX_ROWS];
	int nrows;
	int nroles;
	struct kb_source sources[KB_MAX_SOURCES];
	int nsources;
	struct kb_topic topics[KB_MAX_ROLES];
	int ntopics;
	sqlite3 *db;
	uint32_t hash;
	char version[16];
};

/* What a file being loaded needs for error messages. */
struct kb_file {
	const char *path;
	const char *raw;       /* file text, to find the line of a key */
	char *err;
	size_t errlen;
};

static const char *var_names[KB_NVAR] = {
	"film", "tv", "music", "theater", "international", "funding", "creative"
};

static const char *stopwords[] = {
	"about", "and", "any", "are", "can", "does", "did", "for", "from",
	"get", "had", "has", "have", "her", "his", "how", "into", "its",
	"just", "like", "mean", "more", "not", "one", "our", "out", "should",
	"some", "tell", "than", "that", "the", "their", "them", "then",
	"there", "they", "this", "was", "what", "when", "where", "which",
	"who", "why", "will", "with", "would", "you", "your", NULL
};



/* Line of the first occurrence of needle in the file, or 1: jansson keeps
 * no positions after parsing, and pointing at the right key is what makes
 * an error message useful to someone editing the file. */
static int
line_of(const struct kb_file *f, const char *needle)
{
	const char *p = needle ? strstr(f->raw, needle) : NULL, *q;
	int line = 1;

	if (p == NULL)
		return 1;
	for (q = f->raw; q < p; q++)
		if (*q == '\n')
			line++;
	return line;
}

static int
fail(const struct kb_file *f, const char *key, const char *why)
{
	char needle[96];

	snprintf(needle, sizeof needle, "\"%s\"", key ? key : "");
	snprintf(f->err, f->errlen, "%s:%d: %s", f->path,
	    line_of(f, key ? needle : NULL), why);
	return -1;
}

static const char *
source_ref(struct kb *kb, const char *id)
{
	int i;

	for (i = 0; i < kb->nsources; i++)
		if (strcmp(kb->sources[i].id, id) == 0)
			return kb->sources[i].id;
	return NULL;
}

/* Parse {"text": ..., "items": [...], "sources": [...]} into t.  want_items
 * says which of text/items must be present. */
static int
parse_text(struct kb *kb, const struct kb_file *f, json_t *obj,
    const char *key, int want_text, int want_items, struct kb_text *t)
{
	json_t *text, *items, *srcs, *v;
	size_t i;
	char why[160];

	if (!json_is_object(obj))
		return fail(f, key, "expected an object with text and sources");
	text = json_object_get(obj, "text");
	items = json_object_get(obj, "items");
	if (key && strcmp(key, "career") == 0)
		items = json_object_get(obj, "steps");
	if (want_text && (!json_is_string(text) ||
	    json_string_length(text) == 0)) {
		snprintf(why, sizeof why, "\"%s\" needs a non-empty text", key);
		return fail(f, key, why);
	}
	if (text != NULL && !json_is_string(text))
		return fail(f, key, "text must be a string");
	if (want_items && (!json_is_array(items) ||
	    json_array_size(items) == 0)) {
		snprintf(why, sizeof why, "\"%s\" needs a non-empty list", key);
		return fail(f, key, why);
	}
	if (json_is_string(text))
		t->text = xstrdup(json_string_value(text));
	if (json_is_array(items)) {
		if (json_array_size(items) > KB_MAX_ITEMS)
			return fail(f, key, "too many items");
		t->items = xcalloc(json_array_size(items), sizeof(char *));
		json_array_foreach(items, i, v) {
			if (!json_is_string(v) || json_string_length(v) == 0)
				return fail(f, key, "items must be strings");
			t->items[t->nitems++] = xstrdup(json_string_value(v));
		}
	}
	srcs = json_object_get(obj, "sources");
	if (!json_is_array(srcs) || json_array_size(srcs) == 0) {
		snprintf(why, sizeof why, "\"%s\" names no sources", key);
		return fail(f, key, why);
	}
	json_array_foreach(srcs, i, v) {
		const char *ref;

		if (!json_is_string(v) ||
		    (ref = source_ref(kb, json_string_value(v))) == NULL) {
			snprintf(why, sizeof why, "\"%s\" cites unknown source "
			    "%s", key, json_is_string(v) ?
			    json_string_value(v) : "(not a string)");
			return fail(f, key, why);
		}
		if (t->nsrc < KB_MAX_SRC)
			t->src[t->nsrc++] = ref;
	}
	return 0;
}

static int
req_text(struct kb *kb, const struct kb_file *f, json_t *root,
    const char *key, int want_text, int want_items, struct kb_text *t)
{
	json_t *o = json_object_get(root, key);
	char why[96];

	if (o == NULL) {
		snprintf(why, sizeof why, "missing field \"%s\"", key);
		return fail(f, "id", why);
	}
	return parse_text(kb, f, o, key, want_text, want_items, t);
}

static int
opt_text(struct kb *kb, const struct kb_file *f, json_t *parent,
    const char *key, struct kb_text *t)
{
	json_t *o = json_object_get(parent, key);

	if (o == NULL || json_is_null(o))
		return 0;
	return parse_text(kb, f, o, key, 1, 0, t);
}

static int
req_string(const struct kb_file *f, json_t *root, const char *key, char **out)
{
	json_t *v = json_object_get(root, key);
	char why[96];

	if (!json_is_string(v) || json_string_length(v) == 0) {
		snprintf(why, sizeof why, "missing or empty string field "
		    "\"%s\"", key);
		return fail(f, v ? key : "id", why);
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
load_sources(struct kb *kb, const char *dir, char *err, size_t errlen)
{
	char path[1024];
	struct kb_file f;
	size_t len, i;
	char *raw;
	json_t *root, *arr, *s;
	json_error_t je;
	int rc = 0;

	snprintf(path, sizeof path, "%s/sources.json", dir);
	if ((raw = file_read(path, KB_FILE_MAX, &len)) == NULL) {
		snprintf(err, errlen, "%s:0: cannot read", path);
		return -1;
	}
	kb->hash = hash_bytes(kb->hash, raw, len);
	f = (struct kb_file){ path, raw, err, errlen };
	root = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
		free(raw);
		return -1;
	}
	arr = json_object_get(root, "sources");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		rc = fail(&f, NULL, "expected {\"sources\": [...]}");
	json_array_foreach(arr, i, s) {
		json_t *id = json_object_get(s, "id");
		json_t *title = json_object_get(s, "title");

		if (rc != 0)
			break;
		if (!json_is_string(id) || !json_is_string(title)) {
			rc = fail(&f, NULL, "every source needs id and title");
			break;
		}
		if (kb->nsources == KB_MAX_SOURCES ||
		    source_ref(kb, json_string_value(id)) != NULL) {
			rc = fail(&f, json_string_value(id),
			    "duplicate source id or too many sources");
			break;
		}
		kb->sources[kb->nsources].id = xstrdup(json_string_value(id));
		kb->sources[kb->nsources].title =
		    xstrdup(json_string_value(title));
		kb->nsources++;
	}
	json_decref(root);
	free(raw);
	return rc;
}

/* Resolve a list of role ids into indices, after every role is known. */
static int
links(struct kb *kb, const struct kb_file *f, json_t *arr, const char *key,
    int *out, int *n)
{
	json_t *v;
	size_t i;
	int r;
	char why[160];

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > KB_MAX_LINKS)
		return fail(f, key, "expected a short list of role ids");
	json_array_foreach(arr, i, v) {
		r = json_is_string(v) ? kb_find_role(kb, json_string_value(v))
		    : -1;
		if (r < 0) {
			snprintf(why, sizeof why, "\"%s\" names unknown role "
			    "%s", key, json_is_string(v) ?
			    json_string_value(v) : "(not a string)");
			return fail(f, json_is_string(v) ?
			    json_string_value(v) : key, why);
		}
		out[(*n)++] = r;
	}
	return 0;
}

static int
load_role(struct kb *kb, const struct kb_file *f, json_t *root,
    struct kb_role *r, const char *fname)
{
	json_t *v, *traits, *vars;
	size_t n;
	int i;

	if (!json_is_object(root))
		return fail(f, NULL, "a role file holds one JSON object");
	if (req_string(f, root, "id", &r->id) || req_string(f, root, "name",
	    &r->name) || req_string(f, root, "title", &r->title) ||
	    req_string(f, root, "article", &r->article))
		return -1;
	n = strlen(r->id);
	if (strncmp(fname, r->id, n) != 0 || strcmp(fname + n, ".json") != 0)
		return fail(f, "id", "id must match the file name");
	v = json_object_get(root, "level");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 20)
		return fail(f, v ? "level" : "id", "level must be 1..20");
	r->level = (int)json_integer_value(v);
	if (req_text(kb, f, root, "definition", 1, 0, &r->definition) ||
	    req_text(kb, f, root, "duties", 0, 1, &r->duties) ||
	    req_text(kb, f, root, "hierarchy", 1, 0, &r->hierarchy) ||
	    req_text(kb, f, root, "credit", 1, 0, &r->credit) ||
	    req_text(kb, f, root, "career", 1, 0, &r->career) ||
	    opt_text(kb, f, root, "pay", &r->pay))
		return -1;
	traits = json_object_get(root, "traits");
	if (!json_is_object(traits))
		return fail(f, "id", "missing field \"traits\"");
	if (req_text(kb, f, traits, "authority", 1, 0, &r->authority) ||
	    req_text(kb, f, traits, "involvement", 1, 0, &r->involvement) ||
	    req_text(kb, f, traits, "focus", 1, 0, &r->focus))
		return -1;
	vars = json_object_get(root, "variations");
	if (vars != NULL && !json_is_object(vars))
		return fail(f, "variations", "variations must be an object");
	for (i = 0; vars && i < KB_NVAR; i++)
		if (opt_text(kb, f, vars, var_names[i], &r->var[i]))
			return -1;
	return 0;
}

/* Second pass: links between roles, once every id is known. */
static int
link_role(struct kb *kb, const struct kb_file *f, json_t *root,
    struct kb_role *r)
{
	json_t *hier = json_object_get(root, "hierarchy");
	json_t *car = json_object_get(root, "career");

	if (links(kb, f, json_object_get(hier, "reports_to"), "reports_to",
	    r->reports_to, &r->nreports_to) ||
	    links(kb, f, json_object_get(hier, "oversees"), "oversees",
	    r->oversees, &r->noversees) ||
	    links(kb, f, json_object_get(car, "next"), "next", r->next,
	    &r->nnext))
		return -1;
	return 0;
}

/* knowledge/topics.json: {"topics": [{"id", "title", "question", "intent",
 * "text", "sources", "roles"}]}.  Optional: a knowledge base may have
 * roles only. */
static int
load_topics(struct kb *kb, const char *dir, char *err, size_t errlen)
{
	static const char *intents[] = { "definition", "duties", "compare",
		"hierarchy", "variation", "credit", "career", "pay", "funding",
		NULL };
	char path[1024];
	struct kb_file f;
	size_t len, i;
	char *raw;
	json_t *root, *arr, *t, *v;
	json_error_t je;
	int rc = 0, k;

	snprintf(path, sizeof path, "%s/topics.json", dir);
	if ((raw = file_read(path, KB_FILE_MAX, &len)) == NULL)
		return 0;
	kb->hash = hash_bytes(kb->hash, raw, len);
	f = (struct kb_file){ path, raw, err, errlen };
	root = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
		free(raw);
		return -1;
	}
	arr = json_object_get(root, "topics");
	if (!json_is_array(arr))
		rc = fail(&f, NULL, "expected {\"topics\": [...]}");
	json_array_foreach(arr, i, t) {
		struct kb_topic *tp;

		if (rc != 0)
			break;
		if (kb->ntopics == KB_MAX_ROLES) {
			rc = fail(&f, NULL, "too many topics");
			break;
		}
		tp = &kb->topics[kb->ntopics++];
		if ((rc = req_string(&f, t, "id", &tp->id)) != 0 ||
		    (rc = req_string(&f, t, "title", &tp->title)) != 0 ||
		    (rc = req_string(&f, t, "question", &tp->question)) != 0 ||
		    (rc = req_string(&f, t, "intent", &tp->intent)) != 0 ||
		    (rc = parse_text(kb, &f, t, tp->id, 1, 0, &tp->body)) != 0)
			break;
		for (k = 0; intents[k]; k++)
			if (strcmp(intents[k], tp->intent) == 0)
				break;
		if (intents[k] == NULL) {
			rc = fail(&f, tp->id, "intent must be one of the "
			    "question intents (definition ... funding)");
			break;
		}
		if (kb_find_topic(kb, tp->id) != kb->ntopics - 1) {
			rc = fail(&f, tp->id, "duplicate topic id");
			break;
		}
		v = json_object_get(t, "roles");
		if ((rc = links(kb, &f, v, "roles", tp->roles,
		    &tp->nroles)) != 0)
			break;
	}
	json_decref(root);
	free(raw);
	return rc;
}

static int
is_json_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	    strcmp(d->d_name + n - 5, ".json") == 0;
}

static int
fts_add(struct kb *kb, sqlite3_stmt *ins, int role, const char *field,
    const struct kb_text *t)
{
	char buf[4096];
	size_t o = 0;
	int i;

	if (t->text == NULL && t->nitems == 0)
		return 0;
	o += (size_t)snprintf(buf, sizeof buf, "%s. %s", kb->roles[role].name,
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
cmp_term(const void *a, const void *b)
{
	return strcmp(((const struct kb_term *)a)->w,
	    ((const struct kb_term *)b)->w);
}

/* bm25 is a sum over the query's terms, so the score FTS5 gives an OR
 * query is the sum of the scores it gives each term alone.  Scoring every
 * term at load time makes a question's search a few additions instead of
 * a query plan, a cursor and a ranking pass (tens of microseconds even
 * when no term matches).  The per-term scores are FTS5's own bm25 formula
 * (k1 1.2, b 0.75, weight 1; the body is the one indexed column) applied
 * to the index's token list in one pass: asking FTS5 once per term took
 * most of the load time, and a reload has to stay short.
 * kb_check_postings() holds the two against each other. */
#define KB_K1 1.2
#define KB_B 0.75

/* Words in more than a third of the entries cannot tell them apart, and
 * longer ones are noise (FTS5 phrase syntax caps them anyway): neither
 * gets postings. */
static int
term_scored(const struct kb *kb, const struct kb_term *t)
{
	return t->doc * 3 <= kb->nrows && strlen(t->w) <= 60;
}

static double
bm25_term(double nrow, double nhit, double f, double dl, double avgdl)
{
	double idf = log((nrow - nhit + 0.5) / (nhit + 0.5));

	if (idf <= 0.0)
		idf = 1e-6;
	return -1.0 * (idf * ((f * (KB_K1 + 1.0)) /
	    (f + KB_K1 * (1 - KB_B + KB_B * dl / avgdl))));
}

static int
load_postings(struct kb *kb, int nall)
{
	sqlite3_stmt *q = NULL;
	struct kb_posting buf[KB_MAX_ROWS];
	struct { int term, row, f; } *occ = NULL;
	int *len = xcalloc((size_t)nall + 1, sizeof *len);
	size_t nocc = 0, cap = 0, i, j;
	double total = 0, avgdl;
	int n, rc = -1;

	if (sqlite3_exec(kb->db, "CREATE VIRTUAL TABLE inst USING "
	    "fts5vocab(fts, 'instance')", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db, "SELECT term, doc FROM inst", -1, &q,
	    NULL) != SQLITE_OK)
		goto out;
	/* rows come by term, then row: a (term, row) pair's count is a run */
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct kb_term key, *t;
		int row = sqlite3_column_int(q, 1);

		if (row < 1 || row > nall)
			continue;
		len[row]++;
		total++;
		if (nocc && occ[nocc - 1].row == row && strcmp(kb->terms[
		    occ[nocc - 1].term].w, (const char *)sqlite3_column_text(q,
		    0)) == 0) {
			occ[nocc - 1].f++;
			continue;
		}
		key.w = (char *)sqlite3_column_text(q, 0);
		t = bsearch(&key, kb->terms, (size_t)kb->nterms,
		    sizeof *kb->terms, cmp_term);
		if (t == NULL)
			continue;
		if (nocc == cap) {
			cap = cap ? cap * 2 : 1024;
			occ = xrealloc(occ, cap * sizeof *occ);
		}
		occ[nocc].term = (int)(t - kb->terms);
		occ[nocc].row = row;
		occ[nocc].f = 1;
		nocc++;
	}
	avgdl = nall ? total / nall : 1;
	for (i = 0; i < nocc; i = j) {
		struct kb_term *t = &kb->terms[occ[i].term];

		for (j = i; j < nocc && occ[j].term == occ[i].term; j++)
			;
		if (!term_scored(kb, t))
			continue;
		n = 0;
		for (size_t k = i; k < j && n < KB_MAX_ROWS; k++) {
			if (occ[k].row > kb->nrows)
				continue;
			buf[n].row = occ[k].row - 1;
			buf[n].score = bm25_term(nall, t->doc, occ[k].f,
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
kb_check_postings(struct kb *kb, char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	int i, n, bad = 0;

	if (sqlite3_prepare_v2(kb->db, "SELECT rowid, bm25(fts) FROM fts "
	    "WHERE fts MATCH ?", -1, &q, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "sqlite: %s", sqlite3_errmsg(kb->db));
		return -1;
	}
	for (i = 0; i < kb->nterms && !bad; i++) {
		struct kb_term *t = &kb->terms[i];
		char phrase[80];

		if (!term_scored(kb, t))
			continue;
		snprintf(phrase, sizeof phrase, "\"%s\"", t->w);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, phrase, -1, SQLITE_TRANSIENT);
		n = 0;
		while (sqlite3_step(q) == SQLITE_ROW && !bad) {
			int row = sqlite3_column_int(q, 0) - 1;
			double want = sqlite3_column_double(q, 1);

			if (row < 0 || row >= kb->nrows)
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
 * every entry holds, never reach FTS5: a query costs microseconds per
 * term even when the term is absent, and off-topic questions are mostly
 * such words. */
static int
load_vocab(struct kb *kb)
{
	sqlite3_stmt *q = NULL;
	int cap = 256, nall = 0;

	if (sqlite3_exec(kb->db, "CREATE VIRTUAL TABLE vocab USING "
	    "fts5vocab(fts, 'row')", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db, "SELECT term, doc FROM vocab", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	kb->terms = xcalloc((size_t)cap, sizeof *kb->terms);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (kb->nterms == cap) {
			cap *= 2;
			kb->terms = xrealloc(kb->terms, (size_t)cap *
			    sizeof *kb->terms);
		}
		kb->terms[kb->nterms].w = xstrdup((const char *)
		    sqlite3_column_text(q, 0));
		kb->terms[kb->nterms].doc = sqlite3_column_int(q, 1);
		kb->terms[kb->nterms].post = NULL;   /* realloc leaves garbage */
		kb->terms[kb->nterms].npost = 0;
		kb->nterms++;
	}
	sqlite3_finalize(q);
	qsort(kb->terms, (size_t)kb->nterms, sizeof *kb->terms, cmp_term);
	if (sqlite3_prepare_v2(kb->db, "SELECT rowid, role, field FROM fts "
	    "ORDER BY rowid", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(q) == SQLITE_ROW) {
		nall++;
		if (kb->nrows == KB_MAX_ROWS)
			continue;
		/* rowids are 1..n in insertion order */
		kb->rows[kb->nrows].role = sqlite3_column_int(q, 1);
		snprintf(kb->rows[kb->nrows].field,
		    sizeof kb->rows[0].field, "%s",
		    (const char *)sqlite3_column_text(q, 2));
		kb->nrows++;
	}
	sqlite3_finalize(q);
	return load_postings(kb, nall);
}

/* The index's spelling of w (w itself, or w without/with a plural s), if
 * it is a word that can tell entries apart. */
static const struct kb_term *
useful_term(const struct kb *kb, const char *w)
{
	char alt[40];
	struct kb_term key, *t;
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
		t = bsearch(&key, kb->terms, (size_t)kb->nterms,
		    sizeof *kb->terms, cmp_term);
		if (t != NULL)
			return t->npost > 0 ? t : NULL;
	}
	return NULL;
}

static int
build_index(struct kb *kb, char *err, size_t errlen)
{
	sqlite3_stmt *ins = NULL;
	int i, v, rc = 0;
	char field[32];

	if (sqlite3_open(":memory:", &kb->db) != SQLITE_OK ||
	    sqlite3_exec(kb->db, "CREATE VIRTUAL TABLE fts USING fts5("
	    "role UNINDEXED, field UNINDEXED, body, "
	    "tokenize='unicode61')", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db, "INSERT INTO fts VALUES (?,?,?)", -1,
	    &ins, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "sqlite: %s", kb->db ?
		    sqlite3_errmsg(kb->db) : "cannot open");
		sqlite3_finalize(ins);
		return -1;
	}
	sqlite3_exec(kb->db, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < kb->nroles && rc == 0; i++) {
		struct kb_role *r = &kb->roles[i];

		rc |= fts_add(kb, ins, i, "definition", &r->definition);
		rc |= fts_add(kb, ins, i, "duties", &r->duties);
		rc |= fts_add(kb, ins, i, "hierarchy", &r->hierarchy);
		rc |= fts_add(kb, ins, i, "credit", &r->credit);
		rc |= fts_add(kb, ins, i, "career", &r->career);
		rc |= fts_add(kb, ins, i, "pay", &r->pay);
		for (v = 0; v < KB_NVAR; v++) {
			snprintf(field, sizeof field, "var:%s", var_names[v]);
			rc |= fts_add(kb, ins, i, field, &r->var[v]);
		}
	}
	for (i = 0; i < kb->ntopics && rc == 0; i++) {
		char buf[4096];

		/* topics are rows with role -1 - index */
		snprintf(buf, sizeof buf, "%s. %s", kb->topics[i].title,
		    kb->topics[i].body.text);
		sqlite3_reset(ins);
		sqlite3_bind_int(ins, 1, -1 - i);
		sqlite3_bind_text(ins, 2, "topic", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, buf, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_exec(kb->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_finalize(ins);
	if (rc == 0)
		rc = load_vocab(kb);
	if (rc != 0)
		snprintf(err, errlen, "sqlite: %s", sqlite3_errmsg(kb->db));
	return rc;
}

struct kb *
kb_load(const char *dir, char *err, size_t errlen)
{
	struct kb *kb = xcalloc(1, sizeof *kb);
	struct dirent **names = NULL;
	json_t *roots[KB_MAX_ROLES] = { 0 };
	char *raws[KB_MAX_ROLES] = { 0 };
	char paths[KB_MAX_ROLES][1024];
	char rdir[1024];
	struct kb_file f;
	json_error_t je;
	int n = 0, i, rc = 0;
	size_t len;

	kb->hash = HASH_INIT;
	if (load_sources(kb, dir, err, errlen) != 0) {
		kb_free(kb);
		return NULL;
	}
	snprintf(rdir, sizeof rdir, "%s/roles", dir);
	n = scandir(rdir, &names, is_json_name, alphasort);
	if (n <= 0) {
		snprintf(err, errlen, "%s:0: no role files", rdir);
		free(names);
		kb_free(kb);
		return NULL;
	}
	if (n > KB_MAX_ROLES) {
		snprintf(err, errlen, "%s:0: more than %d roles", rdir,
		    KB_MAX_ROLES);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i++) {
		if (snprintf(paths[i], sizeof paths[i], "%s/%s", rdir,
		    names[i]->d_name) >= (int)sizeof paths[i]) {
			snprintf(err, errlen, "%s:0: path too long", rdir);
			rc = -1;
			break;
		}
		if ((raws[i] = file_read(paths[i], KB_FILE_MAX, &len)) == NULL) {
			snprintf(err, errlen, "%s:0: cannot read", paths[i]);
			rc = -1;
			break;
		}
		kb->hash = hash_bytes(kb->hash, raws[i], len);
		roots[i] = json_loadb(raws[i], len, JSON_REJECT_DUPLICATES, &je);
		if (roots[i] == NULL) {
			snprintf(err, errlen, "%s:%d: %s", paths[i], je.line,
			    je.text);
			rc = -1;
			break;
		}
		f = (struct kb_file){ paths[i], raws[i], err, errlen };
		rc = load_role(kb, &f, roots[i], &kb->roles[kb->nroles++],
		    names[i]->d_name);
	}
	for (i = 0; rc == 0 && i < n; i++) {
		f = (struct kb_file){ paths[i], raws[i], err, errlen };
		rc = link_role(kb, &f, roots[i], &kb->roles[i]);
	}
	for (i = 0; i < n; i++) {
		json_decref(roots[i]);
		free(raws[i]);
		free(names[i]);
	}
	free(names);
	if (rc == 0)
		rc = load_topics(kb, dir, err, errlen);
	if (rc == 0)
		rc = build_index(kb, err, errlen);
	if (rc != 0) {
		kb_free(kb);
		return NULL;
	}
	snprintf(kb->version, sizeof kb->version, "kb-%08x", kb->hash);
	return kb;
}

static void
free_text(struct kb_text *t)
{
	int i;

	free(t->text);
	for (i = 0; i < t->nitems; i++)
		free(t->items[i]);
	free(t->items);
}

void
kb_free(struct kb *kb)
{
	int i, v;

	if (kb == NULL)
		return;
	for (i = 0; i < kb->nroles; i++) {
		struct kb_role *r = &kb->roles[i];

		free(r->id); free(r->name); free(r->title); free(r->article);
		free_text(&r->definition); free_text(&r->duties);
		free_text(&r->hierarchy); free_text(&r->credit);
		free_text(&r->career); free_text(&r->pay);
		free_text(&r->authority); free_text(&r->involvement);
		free_text(&r->focus);
		for (v = 0; v < KB_NVAR; v++)
			free_text(&r->var[v]);
	}
	for (i = 0; i < kb->ntopics; i++) {
		free(kb->topics[i].id); free(kb->topics[i].title);
		free(kb->topics[i].question); free(kb->topics[i].intent);
		free_text(&kb->topics[i].body);
	}
	for (i = 0; i < kb->nsources; i++) {
		free(kb->sources[i].id);
		free(kb->sources[i].title);
	}
	for (i = 0; i < kb->nterms; i++) {
		free(kb->terms[i].w);
		free(kb->terms[i].post);
	}
	free(kb->terms);
	sqlite3_close(kb->db);
	free(kb);
}

int
kb_nroles(const struct kb *kb)
{
	return kb->nroles;
}

const struct kb_role *
kb_role(const struct kb *kb, int i)
{
	return i >= 0 && i < kb->nroles ? &kb->roles[i] : NULL;
}

int
kb_find_role(const struct kb *kb, const char *id)
{
	int i;

	for (i = 0; i < kb->nroles; i++)
		if (kb->roles[i].id && strcmp(kb->roles[i].id, id) == 0)
			return i;
	return -1;
}

int
kb_role_industries(const struct kb_role *r)
{
	int v, n = 0;

	for (v = KB_FILM; v <= KB_THEATER; v++)
		n += r->var[v].text != NULL;
	return n;
}

int
kb_ntopics(const struct kb *kb)
{
	return kb->ntopics;
}

const struct kb_topic *
kb_topic(const struct kb *kb, int i)
{
	return i >= 0 && i < kb->ntopics ? &kb->topics[i] : NULL;
}

int
kb_find_topic(const struct kb *kb, const char *id)
{
	int i;

	for (i = 0; i < kb->ntopics; i++)
		if (kb->topics[i].id && strcmp(kb->topics[i].id, id) == 0)
			return i;
	return -1;
}

const char *
kb_var_name(enum kb_var v)
{
	return var_names[v];
}

int
kb_var_find(const char *name)
{
	int i;

	for (i = 0; i < KB_NVAR; i++)
		if (strcmp(var_names[i], name) == 0)
			return i;
	return -1;
}

static int
is_stopword(const char *w)
{
	int i;

	for (i = 0; stopwords[i]; i++)
		if (strcmp(stopwords[i], w) == 0)
			return 1;
	return 0;
}

int
kb_search(struct kb *kb, const char *q, struct kb_hit *hits, int max)
{
	double score[KB_MAX_ROWS];
	char word[32];
	const struct kb_term *t, *used[16];
	size_t w;
	int n = 0, nused = 0, i, j, best;
	const char *p = q;

	for (i = 0; i < kb->nrows; i++)
		score[i] = 0;
	while (*p) {
		while (*p && !(*p >= 'a' && *p <= 'z'))
			p++;
		for (w = 0; *p >= 'a' && *p <= 'z'; p++)
			if (w + 1 < sizeof word)
				word[w++] = *p;
		word[w] = '\0';
		if (w < 3 || is_stopword(word) ||
		    (t = useful_term(kb, word)) == NULL || nused == 16)
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
		for (i = 0; i < kb->nrows; i++)
			if (score[i] < 0 && (best < 0 || score[i] <
			    score[best]))
				best = i;
		if (best < 0)
			break;
		hits[n].role = kb->rows[best].role >= 0 ?
		    kb->rows[best].role : -1;
		hits[n].topic = kb->rows[best].role < 0 ?
		    -1 - kb->rows[best].role : -1;
		snprintf(hits[n].field, sizeof hits[n].field, "%s",
		    kb->rows[best].field);
		score[best] = 0;
		n++;
	}
	return n;
}

const char *
kb_version(const struct kb *kb)
{
	return kb->version;
}

int
kb_nsources(const struct kb *kb)
{
	return kb->nsources;
}

const char *
kb_source_id(const struct kb *kb, int i)
{
	return kb->sources[i].id;
}

const char *
kb_source_title(const struct kb *kb, int i)
{
	return kb->sources[i].title;
}
