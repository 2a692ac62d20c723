/* kb.c - loading and validating the knowledge base (see kb.h). */
#include <dirent.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kb.h"
#include "val.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/xmem.h"

#define KB_FILE_MAX (4u * 1024 * 1024)  /* larger knowledge files are refused */

#define KB_MAX_SOURCES 64

/* A source the entries cite; titles are loaded for showing sources. */
struct kb_source { char *id, *title; };


struct kb {
	struct kb_role roles[KB_MAX_ROLES];
	int nroles;
	struct kb_source sources[KB_MAX_SOURCES];
	int nsources;
	struct kb_topic topics[KB_MAX_ROLES];
	int ntopics;
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

/* The answer fields of a role file: name, where the text goes, and
 * whether it needs a text, needs items, or may be absent. */
static const struct {
	const char *name;
	size_t off;
	int want_text, want_items, optional;
} kb_fields[KB_NFIELD] = {
	[KB_DEFINITION] = { "definition", offsetof(struct kb_role, definition),
	    1, 0, 0 },
	[KB_DUTIES] = { "duties", offsetof(struct kb_role, duties), 0, 1, 0 },
	[KB_HIERARCHY] = { "hierarchy", offsetof(struct kb_role, hierarchy),
	    1, 0, 0 },
	[KB_CREDIT] = { "credit", offsetof(struct kb_role, credit), 1, 0, 0 },
	[KB_CAREER] = { "career", offsetof(struct kb_role, career), 1, 0, 0 },
	[KB_PAY] = { "pay", offsetof(struct kb_role, pay), 1, 0, 1 },
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
	/* A title only one industry uses ("showrunner": television) says
	 * which industry a question about it is in. */
	r->only_in = -1;
	if ((v = json_object_get(root, "only_in")) != NULL) {
		r->only_in = json_is_string(v) ? kb_var_find(json_string_value(v)) :
		    -1;
		if (r->only_in < KB_FILM || r->only_in > KB_THEATER)
			return fail(f, "only_in", "only_in must be film, tv, music "
			    "or theater");
	}
	for (i = 0; i < KB_NFIELD; i++) {
		struct kb_text *t = (struct kb_text *)((char *)r +
		    kb_fields[i].off);

		if (kb_fields[i].optional ? opt_text(kb, f, root,
		    kb_fields[i].name, t) : req_text(kb, f, root,
		    kb_fields[i].name, kb_fields[i].want_text,
		    kb_fields[i].want_items, t))
			return -1;
	}
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
		k = eng_intent_find(tp->intent);
		if (k < 0 || k > ENG_I_FUNDING) {
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
	int i, v, f;

	if (kb == NULL)
		return;
	for (i = 0; i < kb->nroles; i++) {
		struct kb_role *r = &kb->roles[i];

		free(r->id); free(r->name); free(r->title); free(r->article);
		for (f = 0; f < KB_NFIELD; f++)
			free_text((struct kb_text *)kb_field(r, f));
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
kb_field_name(enum kb_field f)
{
	return kb_fields[f].name;
}

const struct kb_text *
kb_field(const struct kb_role *r, enum kb_field f)
{
	return (const struct kb_text *)((const char *)r + kb_fields[f].off);
}
