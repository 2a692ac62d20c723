/* eng.c - the engine facade: loading, the ask entry point, and JSON. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dlg.h"
#include "eng.h"
#include "common/xmem.h"

struct eng {
	struct dlg_src d;
	char version[32];
};

static const char *kind_names[] = { "answer", "clarify", "fallback",
	"smalltalk" };

const char *
eng_kind_name(enum eng_kind k)
{
	return k <= ENG_SMALLTALK ? kind_names[k] : "fallback";
}

/* The pattern files and where each set lives in struct dlg_src: listed
 * once for loading, linking, counting and freeing them. */
static const struct {
	const char *file;
	size_t off;
} eng_sets[] = {
	{ "intents.txt", offsetof(struct dlg_src, intents) },
	{ "roles.txt", offsetof(struct dlg_src, roles) },
	{ "industries.txt", offsetof(struct dlg_src, industries) },
	{ "capacities.txt", offsetof(struct dlg_src, capacities) },
	{ "context.txt", offsetof(struct dlg_src, context) },
	{ "offtopic.txt", offsetof(struct dlg_src, offtopic) },
	{ "topics.txt", offsetof(struct dlg_src, topics) },
};
#define ENG_NSETS (sizeof eng_sets / sizeof eng_sets[0])

static struct pat_set **
eng_set(const struct eng *e, size_t i)
{
	return (struct pat_set **)((char *)&e->d + eng_sets[i].off);
}

void
eng_free(struct eng *e)
{
	if (e == NULL)
		return;
	dlg_release(&e->d);
	kb_free(e->d.kb);
	lex_free(e->d.lex);
	for (size_t i = 0; i < ENG_NSETS; i++)
		pat_free(*eng_set(e, i));
	free(e);
}

static struct pat_set *
load_one(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return pat_load(path, err, errlen);
}

/* Fold a file's bytes into an FNV-1a hash (missing files fold nothing). */
static unsigned
hash_file(unsigned h, const char *dir, const char *name)
{
	char path[1024];
	FILE *f;
	int c;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return h;
	while ((c = getc(f)) != EOF) {
		h ^= (unsigned char)c;
		h *= 16777619u;
	}
	fclose(f);
	return h;
}

struct eng *
eng_load(const char *kdir, const char *pdir, char *err, size_t errlen)
{
	struct eng *e = xcalloc(1, sizeof *e);
	struct pat_set *sets[ENG_NSETS];
	char path[1024];
	unsigned h = 2166136261u;
	size_t i;

	if ((e->d.kb = kb_load(kdir, err, errlen)) == NULL)
		goto fail;
	for (i = 0; i < ENG_NSETS; i++)
		if ((sets[i] = *eng_set(e, i) = load_one(pdir, eng_sets[i].file,
		    err, errlen)) == NULL)
			goto fail;
	snprintf(path, sizeof path, "%s/lexicon.txt", pdir);
	if ((e->d.lex = lex_load(path, err, errlen)) == NULL ||
	    dlg_validate(&e->d, pdir, err, errlen) != 0)
		goto fail;
	/* Every turn matches against all of them. */
	pat_link(sets, (int)ENG_NSETS);
	/* The version names knowledge and patterns, so a reload that changed
	 * only a regex still shows in /healthz. */
	for (i = 0; i < ENG_NSETS; i++)
		h = hash_file(h, pdir, eng_sets[i].file);
	h = hash_file(h, pdir, "lexicon.txt");
	snprintf(e->version, sizeof e->version, "%s-p%08x",
	    kb_version(e->d.kb), h);
	return e;
fail:
	eng_free(e);
	return NULL;
}

const char *
eng_version(const struct eng *e)
{
	return e->version;
}

void
eng_describe(const struct eng *e, FILE *out)
{
	static const char *fields[] = { "definition", "duties", "hierarchy",
		"credit", "career", "pay" };
	int i, f, v;

	fprintf(out, "knowledge %s: %d roles, %d topics, %d sources; lexicon "
	    "%d words\n", e->version, kb_nroles(e->d.kb), kb_ntopics(e->d.kb),
	    kb_nsources(e->d.kb), lex_nwords(e->d.lex));
	for (i = 0; i < kb_nroles(e->d.kb); i++) {
		const struct kb_role *r = kb_role(e->d.kb, i);
		const struct kb_text *t[] = { &r->definition, &r->duties,
			&r->hierarchy, &r->credit, &r->career, &r->pay };

		fprintf(out, "  %-24s", r->id);
		for (f = 0; f < 6; f++) {
			int k;

			fprintf(out, " %s", t[f]->text || t[f]->nitems ?
			    fields[f] : "-");
			for (k = 0; k < t[f]->nsrc; k++)
				fprintf(out, "%s%s", k ? "," : "[",
				    t[f]->src[k]);
			if (t[f]->nsrc)
				fputc(']', out);
		}
		fprintf(out, "\n  %-24s variations:", "");
		for (v = 0; v < KB_NVAR; v++)
			if (r->var[v].text)
				fprintf(out, " %s", kb_var_name(v));
		fputc('\n', out);
	}
	for (i = 0; i < kb_ntopics(e->d.kb); i++) {
		const struct kb_topic *t = kb_topic(e->d.kb, i);
		int k;

		fprintf(out, "  topic %-18s %s", t->id, t->intent);
		for (k = 0; k < t->body.nsrc; k++)
			fprintf(out, "%s%s", k ? "," : "[", t->body.src[k]);
		fprintf(out, "]\n");
	}
}

void
eng_state_init(struct eng_state *st)
{
	memset(st, 0, sizeof *st);
}

void
eng_ask(struct eng *e, struct eng_state *st, const char *text, size_t len,
    struct eng_reply *r)
{
	dlg_turn(&e->d, st, text ? text : "", text ? len : 0, r);
}

void
eng_welcome(struct eng *e, const struct eng_state *st, struct eng_reply *r)
{
	dlg_welcome(&e->d, st, r);
}

struct eng_stats
eng_stats(const struct eng *e)
{
	struct eng_stats st;

	st.regex_limit_hits = 0;
	for (size_t i = 0; i < ENG_NSETS; i++)
		st.regex_limit_hits += pat_limit_hits(*eng_set(e, i));
	return st;
}

static json_t *
str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *
slots_json(const struct eng_state *st)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o}",
	    "role", str_or_null(st->role),
	    "other_role", str_or_null(st->other_role),
	    "from_role", str_or_null(st->from_role),
	    "industry", str_or_null(st->industry),
	    "capacity", str_or_null(st->capacity));
}

json_t *
eng_reply_json(const struct eng_reply *r)
{
	json_t *j = json_object(), *a;
	int i;

	json_object_set_new(j, "kind", json_string(eng_kind_name(r->kind)));
	json_object_set_new(j, "intent", str_or_null(r->intent));
	json_object_set_new(j, "text", json_string(r->text));
	json_object_set_new(j, "slots", slots_json(&r->slots));
	a = json_array();
	for (i = 0; i < r->noptions; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "label",
		    r->options[i].label, "value", r->options[i].value));
	json_object_set_new(j, "options", a);
	a = json_array();
	for (i = 0; i < r->nsuggestions; i++)
		json_array_append_new(a, json_string(r->suggestions[i]));
	json_object_set_new(j, "suggestions", a);
	a = json_array();
	for (i = 0; i < r->ncorrections; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "from",
		    r->corrections[i].from, "to", r->corrections[i].to));
	json_object_set_new(j, "corrections", a);
	a = json_array();
	for (i = 0; i < r->nsources; i++)
		json_array_append_new(a, json_string(r->sources[i]));
	json_object_set_new(j, "sources", a);
	if (r->nladder > 0) {
		json_t *steps = json_array();

		for (i = 0; i < r->nladder; i++)
			json_array_append_new(steps, json_pack("{s:s,s:s}",
			    "id", r->ladder[i].value, "title",
			    r->ladder[i].label));
		json_object_set_new(j, "ladder", json_pack("{s:o,s:i}",
		    "steps", steps, "focus", r->ladder_focus));
	}
	return j;
}

json_t *
eng_state_to_json(const struct eng_state *st)
{
	json_t *j = slots_json(st);

	json_object_set_new(j, "last_intent", str_or_null(st->last_intent));
	json_object_set_new(j, "pending", str_or_null(st->pending));
	json_object_set_new(j, "asked", json_integer(st->asked));
	json_object_set_new(j, "pending_age", json_integer(st->pending_age));
	return j;
}

int
eng_state_equal(const struct eng_state *a, const struct eng_state *b)
{
	return strcmp(a->role, b->role) == 0 &&
	    strcmp(a->other_role, b->other_role) == 0 &&
	    strcmp(a->from_role, b->from_role) == 0 &&
	    strcmp(a->industry, b->industry) == 0 &&
	    strcmp(a->capacity, b->capacity) == 0 &&
	    strcmp(a->last_intent, b->last_intent) == 0 &&
	    strcmp(a->pending, b->pending) == 0 && a->asked == b->asked &&
	    a->pending_age == b->pending_age;
}

static int
get_slot(const json_t *j, const char *key, char *out)
{
	json_t *v = json_object_get(j, key);

	if (v == NULL || json_is_null(v)) {
		out[0] = '\0';
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) >= ENG_ID_MAX)
		return -1;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

int
eng_state_from_json(struct eng_state *st, const json_t *j)
{
	struct eng_state s;
	json_t *v;

	eng_state_init(&s);
	if (!json_is_object(j) ||
	    get_slot(j, "role", s.role) || get_slot(j, "other_role",
	    s.other_role) || get_slot(j, "from_role", s.from_role) ||
	    get_slot(j, "industry", s.industry) || get_slot(j, "capacity",
	    s.capacity) || get_slot(j, "last_intent", s.last_intent) ||
	    get_slot(j, "pending", s.pending))
		return -1;
	if ((v = json_object_get(j, "asked")) && json_is_integer(v))
		s.asked = (unsigned)json_integer_value(v);
	if ((v = json_object_get(j, "pending_age")) && json_is_integer(v))
		s.pending_age = (unsigned)json_integer_value(v);
	*st = s;
	return 0;
}

static void
jw_slots(struct jw *w, const struct eng_state *st)
{
	jw_lit(w, "{\"role\":");
	jw_str_or_null(w, st->role);
	jw_lit(w, ",\"other_role\":");
	jw_str_or_null(w, st->other_role);
	jw_lit(w, ",\"from_role\":");
	jw_str_or_null(w, st->from_role);
	jw_lit(w, ",\"industry\":");
	jw_str_or_null(w, st->industry);
	jw_lit(w, ",\"capacity\":");
	jw_str_or_null(w, st->capacity);
}

static void
jw_pairs(struct jw *w, const struct eng_option *o, int n, const char *k1,
    const char *k2, int values_first)
{
	int i;

	jw_lit(w, "[");
	for (i = 0; i < n; i++) {
		jw_lit(w, i ? ",{\"" : "{\"");
		jw_lit(w, k1);
		jw_lit(w, "\":");
		jw_str(w, values_first ? o[i].value : o[i].label);
		jw_lit(w, ",\"");
		jw_lit(w, k2);
		jw_lit(w, "\":");
		jw_str(w, values_first ? o[i].label : o[i].value);
		jw_lit(w, "}");
	}
	jw_lit(w, "]");
}

/* A JSON array of n strings laid out stride bytes apart from first. */
static void
jw_strs(struct jw *w, const char *first, size_t stride, int n)
{
	jw_lit(w, "[");
	for (int i = 0; i < n; i++) {
		if (i)
			jw_lit(w, ",");
		jw_str(w, first + (size_t)i * stride);
	}
	jw_lit(w, "]");
}

size_t
eng_reply_write(struct jw *w, const struct eng_reply *r)
{
	char num[16];

	jw_lit(w, "\"kind\":");
	jw_str(w, eng_kind_name(r->kind));
	jw_lit(w, ",\"intent\":");
	jw_str_or_null(w, r->intent);
	jw_lit(w, ",\"text\":");
	jw_str(w, r->text);
	jw_lit(w, ",\"slots\":");
	jw_slots(w, &r->slots);
	jw_lit(w, "},\"options\":");
	jw_pairs(w, r->options, r->noptions, "label", "value", 0);
	jw_lit(w, ",\"suggestions\":");
	jw_strs(w, r->suggestions[0], sizeof r->suggestions[0],
	    r->nsuggestions);
	jw_lit(w, ",\"corrections\":[");
	for (int i = 0; i < r->ncorrections; i++) {
		jw_lit(w, i ? ",{\"from\":" : "{\"from\":");
		jw_str(w, r->corrections[i].from);
		jw_lit(w, ",\"to\":");
		jw_str(w, r->corrections[i].to);
		jw_lit(w, "}");
	}
	jw_lit(w, "],\"sources\":");
	jw_strs(w, r->sources[0], sizeof r->sources[0], r->nsources);
	if (r->nladder > 0) {
		jw_lit(w, ",\"ladder\":{\"steps\":");
		jw_pairs(w, r->ladder, r->nladder, "id", "title", 1);
		snprintf(num, sizeof num, "%d", r->ladder_focus);
		jw_lit(w, ",\"focus\":");
		jw_lit(w, num);
		jw_lit(w, "}");
	}
	return jw_len(w);
}

size_t
eng_state_write(struct jw *w, const struct eng_state *st)
{
	char num[48];

	jw_slots(w, st);
	jw_lit(w, ",\"last_intent\":");
	jw_str_or_null(w, st->last_intent);
	jw_lit(w, ",\"pending\":");
	jw_str_or_null(w, st->pending);
	snprintf(num, sizeof num, ",\"asked\":%u,\"pending_age\":%u}",
	    st->asked, st->pending_age);
	jw_lit(w, num);
	return jw_len(w);
}
