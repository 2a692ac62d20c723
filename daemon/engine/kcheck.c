/* kcheck.c - a knowledge directory checked against the schema, with
 * every error of every file reported (kcheck.h). */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kb.h"
#include "kcheck.h"
#include "schema.h"
#include "val.h"
#include "common/file.h"

#define KCHECK_FILE_MAX (4u * 1024 * 1024)
#define KCHECK_NAMES 64         /* role or source ids a check looks up */

/* One file being checked, and the names its references may use. */
struct kcheck_ctx {
	struct diag *d;
	const char *path, *raw;
	const char *fileid;             /* a role file's name without .json */
	const char *roles[KCHECK_NAMES];
	int nroles;
	const char *sources[KCHECK_NAMES];
	int nsources;
	const char *intents[ENG_I_N];
	int nintents;
};

static int kcheck_object(struct kcheck_ctx *c, const struct schema_obj *o,
    json_t *v, const char *from, const char *owner);

static int
kcheck_has(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return 1;
	return 0;
}

static int
kcheck_nvalues(const char *const *values)
{
	int n = 0;

	while (values[n] != NULL)
		n++;
	return n;
}

/* The line of a quoted word at or after from. */
static int
kcheck_line_of(const struct kcheck_ctx *c, const char *from, const char *word,
    const char **at)
{
	char needle[128];

	snprintf(needle, sizeof needle, "\"%s\"", word);
	return diag_line(c->raw, from, needle, at);
}

/* A name that is not in its list: refused, with the nearest if any. */
static int
kcheck_unknown(struct kcheck_ctx *c, const char *from, const char *owner,
    const char *what, const char *s, const char *const *names, int n)
{
	const char *near = diag_near(s, names, n);
	int line = kcheck_line_of(c, from, s, NULL);

	if (near)
		return diag_err(c->d, c->path, line, "\"%s\" names unknown %s "
		    "%s; did you mean %s?", owner, what, s, near);
	return diag_err(c->d, c->path, line, "\"%s\" names unknown %s %s",
	    owner, what, s);
}

/* A list of names from a fixed set: role ids or source ids. */
static int
kcheck_names(struct kcheck_ctx *c, const struct schema_key *k, json_t *v,
    const char *from, const char *owner, int line)
{
	const char *const *names = k->type == SCHEMA_ROLES ? c->roles :
	    c->sources;
	int n = k->type == SCHEMA_ROLES ? c->nroles : c->nsources, rc = 0;
	const char *what = k->type == SCHEMA_ROLES ? "role" : "source";
	json_t *x;
	size_t i;

	if (!json_is_array(v) || (k->max && json_array_size(v) >
	    (size_t)k->max))
		return diag_err(c->d, c->path, line, "\"%s\" must be a list of "
		    "at most %d %s ids", k->name, k->max ? k->max : KCHECK_NAMES,
		    what);
	if (k->type == SCHEMA_SOURCES && json_array_size(v) == 0)
		return diag_err(c->d, c->path, line, "\"%s\" names no sources",
		    owner);
	json_array_foreach(v, i, x) {
		if (!json_is_string(x))
			rc = diag_err(c->d, c->path, line, "\"%s\" holds a %s id "
			    "that is not a string", k->name, what);
		else if (k->type == SCHEMA_SOURCES && !kcheck_has(names, n,
		    json_string_value(x)))
			rc = diag_err(c->d, c->path, kcheck_line_of(c, from,
			    json_string_value(x), NULL), "\"%s\" cites unknown "
			    "source %s", owner, json_string_value(x));
		else if (!kcheck_has(names, n, json_string_value(x)))
			rc = kcheck_unknown(c, from, k->name, what,
			    json_string_value(x), names, n);
	}
	return rc;
}

static int
kcheck_strings(struct kcheck_ctx *c, const struct schema_key *k, json_t *v,
    int line)
{
	json_t *x;
	size_t i;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > (size_t)k->max)
		return diag_err(c->d, c->path, line, "\"%s\" must be a list of "
		    "1 to %d texts", k->name, k->max);
	json_array_foreach(v, i, x)
		if (!json_is_string(x) || json_string_length(x) == 0)
			return diag_err(c->d, c->path, line, "\"%s\": item %zu is "
			    "not a non-empty string", k->name, i + 1);
	return 0;
}

/* One of a fixed set of words: an enum's values or the intents. */
static int
kcheck_word(struct kcheck_ctx *c, const struct schema_key *k, json_t *v,
    int line, const char *const *values, int n)
{
	const char *s = json_string_value(v), *near;
	char all[256] = "";
	int i;

	if (s && kcheck_has(values, n, s))
		return 0;
	for (i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s",
		    i == 0 ? "" : i == n - 1 ? " or " : ", ", values[i]);
	near = s ? diag_near(s, values, n) : NULL;
	return diag_err(c->d, c->path, line, "\"%s\" is %s%s%s: it must be "
	    "%s%s%s%s", k->name, s ? "\"" : "", s ? s : "not a string",
	    s ? "\"" : "", all, near ? "; did you mean " : "", near ? near : "",
	    near ? "?" : "");
}

/* Each element of a list of objects, ids unique; from moves along the
 * file with the elements so that an error names the element's line. */
static int
kcheck_list(struct kcheck_ctx *c, const struct schema_key *k, json_t *v,
    const char *from, int line)
{
	const char *ids[KCHECK_NAMES], *id;
	json_t *x;
	size_t i;
	int rc = 0, nids = 0;

	if (!json_is_array(v) || json_array_size(v) < (size_t)k->min ||
	    json_array_size(v) > (size_t)k->max)
		return diag_err(c->d, c->path, line, "\"%s\" must be a list of "
		    "%d to %d objects", k->name, k->min, k->max);
	json_array_foreach(v, i, x) {
		id = json_string_value(json_object_get(x, "id"));
		if (id != NULL) {
			line = kcheck_line_of(c, from, id, &from);
			if (kcheck_has(ids, nids, id))
				rc = diag_err(c->d, c->path, line, "duplicate id "
				    "\"%s\" in \"%s\"", id, k->name);
			else if (nids < KCHECK_NAMES)
				ids[nids++] = id;
		}
		if (!json_is_object(x))
			rc = diag_err(c->d, c->path, line, "\"%s\": element %zu "
			    "is not an object", k->name, i + 1);
		else if (kcheck_object(c, k->obj, x, from, id ? id : k->name))
			rc = -1;
	}
	return rc;
}

/* The value v of key k (found at from, owned by the key owner). */
static int
kcheck_value(struct kcheck_ctx *c, const struct schema_key *k, json_t *v,
    const char *from, const char *owner)
{
	int line = diag_line(c->raw, from, NULL, NULL);
	const char *s = json_string_value(v);

	switch (k->type) {
	case SCHEMA_STR:
	case SCHEMA_FILEID:
		if (s == NULL || s[0] == '\0')
			return diag_err(c->d, c->path, line, "\"%s\" must be a "
			    "non-empty string", k->name);
		if (k->type == SCHEMA_FILEID && c->fileid &&
		    strcmp(s, c->fileid) != 0)
			return diag_err(c->d, c->path, line, "id \"%s\" must "
			    "match the file name (%s.json)", s, c->fileid);
		return 0;
	case SCHEMA_INT:
		if (!json_is_integer(v) || json_integer_value(v) < k->min ||
		    json_integer_value(v) > k->max)
			return diag_err(c->d, c->path, line, "\"%s\" must be "
			    "%d..%d", k->name, k->min, k->max);
		return 0;
	case SCHEMA_ENUM:
		return kcheck_word(c, k, v, line, k->values,
		    kcheck_nvalues(k->values));
	case SCHEMA_INTENT:
		return kcheck_word(c, k, v, line, c->intents, c->nintents);
	case SCHEMA_URL:
		/* the widget shows it as a link: nothing but the web */
		if (s == NULL || (strncmp(s, "https://", 8) != 0 &&
		    strncmp(s, "http://", 7) != 0))
			return diag_err(c->d, c->path, line, "a source's url "
			    "must start with https:// or http://");
		return 0;
	case SCHEMA_STRS:
		return kcheck_strings(c, k, v, line);
	case SCHEMA_ROLES:
	case SCHEMA_SOURCES:
		return kcheck_names(c, k, v, from, owner, line);
	case SCHEMA_OBJ:
		if (!json_is_object(v))
			return diag_err(c->d, c->path, line, "\"%s\" must be "
			    "an object (%s)", k->name, k->obj->name);
		return kcheck_object(c, k->obj, v, from, k->name);
	case SCHEMA_LIST:
		return kcheck_list(c, k, v, from, line);
	}
	return 0;
}

/* A key o does not have: refused, with the nearest key or the list. */
static int
kcheck_stray(struct kcheck_ctx *c, const struct schema_obj *o,
    const char *name, const char *from)
{
	const char *names[32], *near;
	char all[400] = "";
	int i, line = kcheck_line_of(c, from, name, NULL);

	for (i = 0; i < o->nkeys && i < 32; i++) {
		names[i] = o->keys[i].name;
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s",
		    i ? ", " : "", names[i]);
	}
	if ((near = diag_near(name, names, i)) != NULL)
		return diag_err(c->d, c->path, line, "unknown key \"%s\" in %s; "
		    "did you mean \"%s\"?", name, o->name, near);
	return diag_err(c->d, c->path, line, "unknown key \"%s\" in %s (it "
	    "may have %s)", name, o->name, all);
}

/* Every key of v known to o, every required one there, every value right;
 * from is where v starts in the file, owner the key it is under (what a
 * "cites unknown source" names). */
static int
kcheck_object(struct kcheck_ctx *c, const struct schema_obj *o, json_t *v,
    const char *from, const char *owner)
{
	const struct schema_key *k;
	const char *name, *at;
	json_t *x;
	int i, rc = 0;

	json_object_foreach(v, name, x)
		if (schema_key(o, name) == NULL)
			rc = kcheck_stray(c, o, name, from);
	for (i = 0; i < o->nkeys; i++) {
		k = &o->keys[i];
		x = json_object_get(v, k->name);
		if (x == NULL) {
			if (k->required)
				rc = diag_err(c->d, c->path, diag_line(c->raw, from,
				    NULL, NULL), "missing field \"%s\" in %s",
				    k->name, o->name);
			continue;
		}
		kcheck_line_of(c, from, k->name, &at);
		if (kcheck_value(c, k, x, at, owner ? owner : o->name) != 0)
			rc = -1;
	}
	return rc;
}

/* A knowledge file read and parsed, or NULL with the reason counted. */
static json_t *
kcheck_read(struct diag *d, const char *path, char **raw, int optional)
{
	json_error_t je;
	size_t len;
	json_t *root;

	if ((*raw = file_read(path, KCHECK_FILE_MAX, &len)) == NULL) {
		if (!optional)
			diag_err(d, path, 0, "cannot read");
		return NULL;
	}
	if ((root = json_loadb(*raw, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		diag_err(d, path, je.line, "%s", je.text);
	else if (!json_is_object(root)) {
		diag_err(d, path, 1, "expected one JSON object");
		json_decref(root);
		root = NULL;
	}
	return root;
}

static int
kcheck_is_json(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".json") == 0;
}

/* Every file parsed before any is checked: references are checked
 * against the ids of all of them. */
struct kcheck_dir {
	char paths[KB_MAX_ROLES + 2][1024];
	char *raws[KB_MAX_ROLES + 2];
	json_t *roots[KB_MAX_ROLES + 2];
	char fileids[KB_MAX_ROLES][256];
	int nroles;                     /* role files at [2, 2 + nroles) */
};

static void
kcheck_read_all(struct kcheck_dir *sd, const char *dir, struct diag *d)
{
	struct dirent **names = NULL;
	int n, i;

	snprintf(sd->paths[0], sizeof sd->paths[0], "%s/sources.json", dir);
	sd->roots[0] = kcheck_read(d, sd->paths[0], &sd->raws[0], 0);
	snprintf(sd->paths[1], sizeof sd->paths[1], "%s/topics.json", dir);
	sd->roots[1] = kcheck_read(d, sd->paths[1], &sd->raws[1], 1);
	snprintf(sd->paths[2], sizeof sd->paths[2], "%s/roles", dir);
	if ((n = scandir(sd->paths[2], &names, kcheck_is_json, alphasort)) <= 0)
		diag_err(d, sd->paths[2], 0, "no role files");
	if (n > KB_MAX_ROLES)
		diag_err(d, sd->paths[2], 0, "more than %d roles", KB_MAX_ROLES);
	for (i = 0; i < n; i++) {
		if (i < KB_MAX_ROLES) {
			snprintf(sd->paths[2 + i], sizeof sd->paths[0], "%s/roles/"
			    "%s", dir, names[i]->d_name);
			snprintf(sd->fileids[i], sizeof sd->fileids[i], "%.*s",
			    (int)(strlen(names[i]->d_name) - 5), names[i]->d_name);
			sd->roots[2 + i] = kcheck_read(d, sd->paths[2 + i],
			    &sd->raws[2 + i], 0);
			sd->nroles++;
		}
		free(names[i]);
	}
	free(names);
}

/* The ids references may use: every source's and every role's. */
static void
kcheck_gather(struct kcheck_ctx *c, const struct kcheck_dir *sd)
{
	json_t *x;
	size_t i;
	int k;

	json_array_foreach(json_object_get(sd->roots[0], "sources"), i, x)
		if (json_is_string(json_object_get(x, "id")) &&
		    c->nsources < KCHECK_NAMES)
			c->sources[c->nsources++] =
			    json_string_value(json_object_get(x, "id"));
	for (k = 0; k < sd->nroles; k++)
		if (json_is_string(json_object_get(sd->roots[2 + k], "id")))
			c->roles[c->nroles++] =
			    json_string_value(json_object_get(sd->roots[2 + k],
			    "id"));
	for (k = 0; k <= ENG_I_FUNDING; k++)
		c->intents[c->nintents++] = eng_intent_name(k);
}

int
kcheck_dir(const char *dir, char *err, size_t errlen)
{
	struct kcheck_dir *sd = calloc(1, sizeof *sd);
	struct kcheck_ctx c = { 0 };
	struct diag d;
	int i, k;

	diag_init(&d, err, errlen);
	if (sd == NULL)
		return diag_err(&d, dir, 0, "out of memory"), 1;
	kcheck_read_all(sd, dir, &d);
	c.d = &d;
	kcheck_gather(&c, sd);
	for (k = 0; k < 2 + sd->nroles; k++) {
		/* sources, roles, topics: the order they are read in */
		i = k == 0 ? 0 : k == 1 + sd->nroles ? 1 : k + 1;
		if (sd->roots[i] == NULL)
			continue;
		c.path = sd->paths[i];
		c.raw = sd->raws[i];
		c.fileid = i >= 2 ? sd->fileids[i - 2] : NULL;
		kcheck_object(&c, schema_root(i == 0 ? SCHEMA_SOURCES_FILE :
		    i == 1 ? SCHEMA_TOPICS_FILE : SCHEMA_ROLE_FILE),
		    sd->roots[i], c.raw, NULL);
	}
	for (i = 0; i < 2 + sd->nroles; i++) {
		json_decref(sd->roots[i]);
		free(sd->raws[i]);
	}
	free(sd);
	return d.nerr;
}

