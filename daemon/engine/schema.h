/* schema.h - the shape of every knowledge file, as one table of objects and
 * their keys: what kb_load() checks before it loads (kcheck.h) (an unknown key, a
 * wrong type, a name not in its list: each refused with file:line and, for
 * a near miss, "did you mean"), and what knowledge/README.md shows
 * (schema_doc(); tests/schema_doc.sh keeps the two in step). */
#ifndef SLATE_SCHEMA_H
#define SLATE_SCHEMA_H

#include <stddef.h>
#include <stdio.h>

enum schema_type {
	SCHEMA_STR,       /* a non-empty string */
	SCHEMA_FILEID,    /* a string, the file's name without ".json" */
	SCHEMA_INT,       /* an integer in [min, max] */
	SCHEMA_ENUM,      /* one of values[] */
	SCHEMA_URL,       /* an http:// or https:// address */
	SCHEMA_STRS,      /* a list of 1..max non-empty strings */
	SCHEMA_ROLES,     /* a list of up to max role ids */
	SCHEMA_SOURCES,   /* a non-empty list of source ids */
	SCHEMA_INTENT,    /* a question intent: definition ... funding */
	SCHEMA_OBJ,       /* an object shaped as obj */
	SCHEMA_LIST,      /* a non-empty list of objects shaped as obj */
};

struct schema_obj;

struct schema_key {
	const char *name;
	enum schema_type type;
	int required;
	const struct schema_obj *obj;   /* SCHEMA_OBJ, SCHEMA_LIST */
	const char *const *values;      /* SCHEMA_ENUM, NULL-terminated */
	int min, max;                   /* SCHEMA_INT; max items of a list */
	const char *doc;                /* one line for knowledge/README.md */
};

struct schema_obj {
	const char *name;               /* "a role", "a text" */
	const struct schema_key *keys;
	int nkeys;
};

/* The files: sources.json, roles/<id>.json, topics.json. */
enum schema_file { SCHEMA_SOURCES_FILE, SCHEMA_ROLE_FILE, SCHEMA_TOPICS_FILE,
	SCHEMA_NFILE };

const struct schema_obj *schema_root(enum schema_file f);
/* The key of o named name, or NULL. */
const struct schema_key *schema_key(const struct schema_obj *o,
    const char *name);
/* The schema as the Markdown of knowledge/README.md's "Schema" part. */
void schema_doc(FILE *out);

#endif
