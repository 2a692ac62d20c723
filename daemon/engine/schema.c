/* schema.c - the shape of the knowledge files, as tables, and their
 * Markdown (schema.h); kcheck.c checks files against them. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "kb.h"
#include "schema.h"
#include "val.h"

#define N(a) ((int)(sizeof a / sizeof a[0]))

static const char *const schema_articles[] = { "a", "an", NULL };
static const char *const schema_kinds[] = { "seed", "reference", NULL };
/* The industries a title may belong to alone (kb_var order). */
static const char *const schema_industries[] = { "film", "tv", "music",
	"theater", NULL };

/* The objects, innermost first.  One row per key: its type, whether it is
 * required, and the line knowledge/README.md shows for it. */
static const struct schema_key schema_text_keys[] = {
	{ "text", SCHEMA_STR, 1, .doc = "plain prose, one to three sentences" },
	{ "sources", SCHEMA_SOURCES, 1, .doc = "ids from sources.json" },
};
static const struct schema_obj schema_text = { "a text", schema_text_keys,
	N(schema_text_keys) };

static const struct schema_key schema_items_keys[] = {
	{ "items", SCHEMA_STRS, 1, .max = KB_MAX_ITEMS,
	    .doc = "one duty a line, plain prose" },
	{ "sources", SCHEMA_SOURCES, 1, .doc = "ids from sources.json" },
};
static const struct schema_obj schema_items = { "a list", schema_items_keys,
	N(schema_items_keys) };

static const struct schema_key schema_hier_keys[] = {
	{ "reports_to", SCHEMA_ROLES, 0, .max = KB_MAX_LINKS,
	    .doc = "role ids above this one" },
	{ "oversees", SCHEMA_ROLES, 0, .max = KB_MAX_LINKS,
	    .doc = "role ids below this one" },
	{ "text", SCHEMA_STR, 1, .doc = "where the role sits" },
	{ "sources", SCHEMA_SOURCES, 1, .doc = "ids from sources.json" },
};
static const struct schema_obj schema_hier = { "a hierarchy",
	schema_hier_keys, N(schema_hier_keys) };

static const struct schema_key schema_career_keys[] = {
	{ "text", SCHEMA_STR, 1, .doc = "how people get to and past the role" },
	{ "next", SCHEMA_ROLES, 0, .max = KB_MAX_LINKS,
	    .doc = "role ids it commonly leads to (career plans walk them)" },
	{ "steps", SCHEMA_STRS, 0, .max = KB_MAX_ITEMS,
	    .doc = "concrete things to do in the role to move on" },
	{ "sources", SCHEMA_SOURCES, 1, .doc = "ids from sources.json" },
};
static const struct schema_obj schema_career = { "a career",
	schema_career_keys, N(schema_career_keys) };

static const struct schema_key schema_traits_keys[] = {
	{ "authority", SCHEMA_OBJ, 1, &schema_text,
	    .doc = "completes \"A co-producer has ...\"" },
	{ "involvement", SCHEMA_OBJ, 1, &schema_text,
	    .doc = "completes \"A co-producer has ...\"" },
	{ "focus", SCHEMA_OBJ, 1, &schema_text,
	    .doc = "completes \"A co-producer has ...\"" },
};
static const struct schema_obj schema_traits = { "the traits",
	schema_traits_keys, N(schema_traits_keys) };

/* In kb_var order: test_schema.c holds the two together. */
static const struct schema_key schema_var_keys[] = {
	{ "film", SCHEMA_OBJ, 0, &schema_text, .doc = "how it differs in film" },
	{ "tv", SCHEMA_OBJ, 0, &schema_text, .doc = "in television" },
	{ "music", SCHEMA_OBJ, 0, &schema_text, .doc = "in music" },
	{ "theater", SCHEMA_OBJ, 0, &schema_text, .doc = "in theater" },
	{ "international", SCHEMA_OBJ, 0, &schema_text,
	    .doc = "across borders (co-productions)" },
	{ "funding", SCHEMA_OBJ, 0, &schema_text,
	    .doc = "as the one who brings money" },
	{ "creative", SCHEMA_OBJ, 0, &schema_text,
	    .doc = "as the one who shapes the work" },
};
static const struct schema_obj schema_vars = { "the variations",
	schema_var_keys, N(schema_var_keys) };

static const struct schema_key schema_role_keys[] = {
	{ "id", SCHEMA_FILEID, 1, .doc = "protocol id, the file's name" },
	{ "name", SCHEMA_STR, 1, .doc = "how it reads mid-sentence" },
	{ "title", SCHEMA_STR, 1, .doc = "how it reads on a button" },
	{ "article", SCHEMA_ENUM, 1, .values = schema_articles,
	    .doc = "\"a\" or \"an\"" },
	{ "level", SCHEMA_INT, 1, .min = 1, .max = 20,
	    .doc = "rank in the chain of command, 1 = top" },
	{ "only_in", SCHEMA_ENUM, 0, .values = schema_industries,
	    .doc = "the one industry that has the title" },
	{ "definition", SCHEMA_OBJ, 1, &schema_text, .doc = "what it is" },
	{ "duties", SCHEMA_OBJ, 1, &schema_items, .doc = "what it does" },
	{ "hierarchy", SCHEMA_OBJ, 1, &schema_hier,
	    .doc = "who it answers to and oversees" },
	{ "traits", SCHEMA_OBJ, 1, &schema_traits,
	    .doc = "short predicates comparisons are made of" },
	{ "credit", SCHEMA_OBJ, 1, &schema_text, .doc = "how the credit is earned" },
	{ "career", SCHEMA_OBJ, 1, &schema_career, .doc = "the way in and on" },
	{ "pay", SCHEMA_OBJ, 0, &schema_text, .doc = "what it earns" },
	{ "variations", SCHEMA_OBJ, 0, &schema_vars,
	    .doc = "how it differs by industry and capacity" },
};
static const struct schema_obj schema_role = { "a role", schema_role_keys,
	N(schema_role_keys) };

static const struct schema_key schema_topic_keys[] = {
	{ "id", SCHEMA_STR, 1, .doc = "also its section in patterns/topics.txt" },
	{ "title", SCHEMA_STR, 1, .doc = "its name" },
	{ "question", SCHEMA_STR, 1, .doc = "offered as a suggestion" },
	{ "intent", SCHEMA_INTENT, 1, .doc = "a question intent: definition "
	    "... funding" },
	{ "text", SCHEMA_STR, 1, .doc = "the answer" },
	{ "sources", SCHEMA_SOURCES, 1, .doc = "ids from sources.json" },
	{ "roles", SCHEMA_ROLES, 0, .max = KB_MAX_LINKS,
	    .doc = "roles it touches, for suggestions" },
};
static const struct schema_obj schema_topic = { "a topic", schema_topic_keys,
	N(schema_topic_keys) };
static const struct schema_key schema_topics_keys[] = {
	{ "topics", SCHEMA_LIST, 1, &schema_topic, .max = KB_MAX_ROLES,
	    .doc = "questions that are not about one role" },
};
static const struct schema_obj schema_topics = { "topics.json",
	schema_topics_keys, N(schema_topics_keys) };

static const struct schema_key schema_source_keys[] = {
	{ "id", SCHEMA_STR, 1, .doc = "what entries cite" },
	{ "kind", SCHEMA_ENUM, 1, .values = schema_kinds,
	    .doc = "\"seed\" or \"reference\"" },
	{ "title", SCHEMA_STR, 1, .doc = "shown with every citation" },
	{ "file", SCHEMA_STR, 0, .doc = "a seed's file in ../shared/seeds/" },
	{ "url", SCHEMA_URL, 0, .doc = "its public web page (http or https)" },
};
static const struct schema_obj schema_source = { "a source",
	schema_source_keys, N(schema_source_keys) };
static const struct schema_key schema_sources_keys[] = {
	{ "sources", SCHEMA_LIST, 1, &schema_source, .min = 1, .max = 64,
	    .doc = "what entries may cite" },
};
static const struct schema_obj schema_sources = { "sources.json",
	schema_sources_keys, N(schema_sources_keys) };

static const struct schema_obj *const schema_roots[SCHEMA_NFILE] = {
	[SCHEMA_SOURCES_FILE] = &schema_sources,
	[SCHEMA_ROLE_FILE] = &schema_role,
	[SCHEMA_TOPICS_FILE] = &schema_topics,
};

const struct schema_obj *
schema_root(enum schema_file f)
{
	return schema_roots[f];
}

const struct schema_key *
schema_key(const struct schema_obj *o, const char *name)
{
	int i;

	for (i = 0; i < o->nkeys; i++)
		if (strcmp(o->keys[i].name, name) == 0)
			return &o->keys[i];
	return NULL;
}

static const char *const schema_type_names[] = {
	[SCHEMA_STR] = "string", [SCHEMA_FILEID] = "string",
	[SCHEMA_INT] = "integer", [SCHEMA_ENUM] = "one of",
	[SCHEMA_URL] = "url", [SCHEMA_STRS] = "list of strings",
	[SCHEMA_ROLES] = "list of role ids", [SCHEMA_SOURCES] =
	"list of source ids", [SCHEMA_INTENT] = "intent",
	[SCHEMA_OBJ] = "object", [SCHEMA_LIST] = "list of objects",
};

/* One object's table, then the tables of the objects it holds (each
 * once: traits and variations hold texts too). */
static void
schema_doc_obj(FILE *out, const struct schema_obj *o,
    const struct schema_obj **done, int *ndone)
{
	const struct schema_key *k;
	int i, j;

	for (j = 0; j < *ndone; j++)
		if (done[j] == o)
			return;
	done[(*ndone)++] = o;
	fprintf(out, "\n**%s**\n\n| key | type | required | what |\n"
	    "|---|---|---|---|\n", o->name);
	for (i = 0; i < o->nkeys; i++) {
		k = &o->keys[i];
		fprintf(out, "| `%s` | %s", k->name, schema_type_names[k->type]);
		if (k->type == SCHEMA_OBJ || k->type == SCHEMA_LIST)
			fprintf(out, " (%s)", k->obj->name);
		if (k->type == SCHEMA_INT)
			fprintf(out, " %d..%d", k->min, k->max);
		for (j = 0; k->type == SCHEMA_ENUM && k->values[j]; j++)
			fprintf(out, "%s`%s`", j ? ", " : " ", k->values[j]);
		fprintf(out, " | %s | %s |\n", k->required ? "yes" : "no",
		    k->doc);
	}
	for (i = 0; i < o->nkeys; i++)
		if (o->keys[i].obj != NULL)
			schema_doc_obj(out, o->keys[i].obj, done, ndone);
}

void
schema_doc(FILE *out)
{
	const struct schema_obj *done[32];
	int ndone = 0, f;

	for (f = 0; f < SCHEMA_NFILE; f++)
		schema_doc_obj(out, schema_roots[f], done, &ndone);
}
