/* kb.h - the knowledge base: roles, topics and sources loaded from
 * knowledge/ and validated, kept as plain structures for composing
 * answers (the search index over them is idx.h). */
#ifndef SLATE_KB_H
#define SLATE_KB_H

#include <stddef.h>

#define KB_MAX_ROLES 32
#define KB_MAX_LINKS 8
#define KB_MAX_ITEMS 12
#define KB_MAX_SRC 6

/* Variation keys, in the order the engine knows them. */
enum kb_var { KB_FILM, KB_TV, KB_MUSIC, KB_THEATER, KB_INTERNATIONAL,
	KB_FUNDING, KB_CREATIVE, KB_NVAR };

struct kb_text {
	char *text;            /* NULL when the entry is absent */
	char **items;          /* duties and career steps */
	int nitems;
	const char *src[KB_MAX_SRC];  /* ids, pointing into struct kb */
	int nsrc;
};

/* A role's answer fields, in the order they are loaded, indexed and
 * described. */
enum kb_field { KB_DEFINITION, KB_DUTIES, KB_HIERARCHY, KB_CREDIT,
	KB_CAREER, KB_PAY, KB_NFIELD };

struct kb_role {
	char *id, *name, *title, *article;
	int level;
	int only_in;            /* the one industry with the title, or -1 */
	struct kb_text definition, duties, hierarchy, credit, career, pay;
	struct kb_text authority, involvement, focus;
	struct kb_text var[KB_NVAR];
	int reports_to[KB_MAX_LINKS], nreports_to;
	int oversees[KB_MAX_LINKS], noversees;
	int next[KB_MAX_LINKS], nnext;
};

/* A question that is not about one role: why films list so many
 * producers, what "p.g.a." means, how treaty co-productions work. */
struct kb_topic {
	char *id, *title, *question, *intent;
	struct kb_text body;
	int roles[KB_MAX_LINKS], nroles;     /* roles it touches */
};

struct kb;

/* Load and validate dir/sources.json, dir/roles/ *.json and, if present,
 * dir/topics.json.  On failure NULL
 * and "file:line: reason" in err. */
struct kb *kb_load(const char *dir, char *err, size_t errlen);
void kb_free(struct kb *kb);
int kb_nroles(const struct kb *kb);
const struct kb_role *kb_role(const struct kb *kb, int i);
int kb_find_role(const struct kb *kb, const char *id);
/* How many of film, TV, music and theater the role has a variation for. */
int kb_role_industries(const struct kb_role *r);
int kb_ntopics(const struct kb *kb);
const struct kb_topic *kb_topic(const struct kb *kb, int i);
int kb_find_topic(const struct kb *kb, const char *id);
const char *kb_var_name(enum kb_var v);
int kb_var_find(const char *name);
/* The name of field f ("definition") and a role's text for it. */
const char *kb_field_name(enum kb_field f);
const struct kb_text *kb_field(const struct kb_role *r, enum kb_field f);
/* Content hash of every file read, as "kb-xxxxxxxx". */
const char *kb_version(const struct kb *kb);
int kb_nsources(const struct kb *kb);

#endif
