/* eng.c - the engine facade: loading and checking knowledge and patterns,
 * describing them, and the ask and welcome entry points. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include "dlg.h"
#include "eng.h"
#include "eng_int.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/xmem.h"

/* The pattern files and where each set lives in struct eng_src: listed
 * once for loading, linking, counting and freeing them. */
static const struct {
	const char *file;
	size_t off;
} eng_sets[] = {
	{ "intents.txt", offsetof(struct eng_src, intents) },
	{ "roles.txt", offsetof(struct eng_src, roles) },
	{ "industries.txt", offsetof(struct eng_src, industries) },
	{ "capacities.txt", offsetof(struct eng_src, capacities) },
	{ "context.txt", offsetof(struct eng_src, context) },
	{ "offtopic.txt", offsetof(struct eng_src, offtopic) },
	{ "topics.txt", offsetof(struct eng_src, topics) },
};
#define ENG_NSETS (sizeof eng_sets / sizeof eng_sets[0])

static struct pat_set **
eng_set(const struct eng *e, size_t i)
{
	return (struct pat_set **)((char *)&e->s + eng_sets[i].off);
}

/* What each section of ps stands for, by find(name), into *out; -1 with
 * err when a section stands for nothing in [lo, hi]. */
static int
eng_map(const struct eng_src *d, const struct pat_set *ps,
    int (*find)(const struct eng_src *, const char *), int lo, int hi,
    const char *path, int **out, char *err, size_t errlen)
{
	int *m = xcalloc((size_t)pat_count(ps), sizeof *m), i;

	*out = m;
	for (i = 0; i < pat_count(ps); i++) {
		m[i] = find(d, pat_name(ps, i));
		if (m[i] < lo || m[i] > hi) {
			snprintf(err, errlen, "%s: unknown section [%s]", path,
			    pat_name(ps, i));
			return -1;
		}
	}
	return 0;
}

/* What a section's name stands for, one reader per kind of set. */
static int
eng_map_role(const struct eng_src *d, const char *n)
{
	return kb_find_role(d->kb, n);
}

static int
eng_map_intent(const struct eng_src *d, const char *n)
{
	(void)d;
	return eng_intent_find(n);
}

static int
eng_map_var(const struct eng_src *d, const char *n)
{
	(void)d;
	return kb_var_find(n);
}

static int
eng_map_topic(const struct eng_src *d, const char *n)
{
	return kb_find_topic(d->kb, n);
}

/* Free what eng_map_all() built (not the sets, kb and lexicon). */
static void
eng_unmap(struct eng_src *d)
{
	free(d->role_of);
	free(d->intent_of);
	free(d->industry_of);
	free(d->capacity_of);
	free(d->topic_of);
	d->role_of = d->intent_of = d->industry_of = d->capacity_of =
	    d->topic_of = NULL;
}

/* Map each section of the pattern sets to the intent, role, industry,
 * capacity or topic it stands for, refusing a name that is none, and check
 * that every role and topic has patterns.  0 or -1 with err. */
static int
eng_map_all(struct eng_src *d, const char *dir, char *err,
    size_t errlen)
{
	char path[1024];
	int i;

	eng_unmap(d);
	snprintf(path, sizeof path, "%s/intents.txt", dir);
	if (eng_map(d, d->intents, eng_map_intent, 0, ENG_I_N - 1, path,
	    &d->intent_of, err, errlen))
		return -1;
	snprintf(path, sizeof path, "%s/roles.txt", dir);
	if (eng_map(d, d->roles, eng_map_role, 0, INT_MAX, path, &d->role_of,
	    err, errlen))
		return -1;
	for (i = 0; i < kb_nroles(d->kb); i++)
		if (pat_find(d->roles, kb_role(d->kb, i)->id) < 0) {
			snprintf(err, errlen, "%s: no [%s] section: that role "
			    "could never be recognised", path,
			    kb_role(d->kb, i)->id);
			return -1;
		}
	snprintf(path, sizeof path, "%s/industries.txt", dir);
	if (eng_map(d, d->industries, eng_map_var, KB_FILM, KB_INTERNATIONAL,
	    path, &d->industry_of, err, errlen))
		return -1;
	snprintf(path, sizeof path, "%s/capacities.txt", dir);
	if (eng_map(d, d->capacities, eng_map_var, KB_FUNDING, KB_CREATIVE,
	    path, &d->capacity_of, err, errlen))
		return -1;
	snprintf(path, sizeof path, "%s/topics.txt", dir);
	if (eng_map(d, d->topics, eng_map_topic, 0, INT_MAX, path,
	    &d->topic_of, err, errlen))
		return -1;
	for (i = 0; i < kb_ntopics(d->kb); i++)
		if (pat_find(d->topics, kb_topic(d->kb, i)->id) < 0) {
			snprintf(err, errlen, "%s: no [%s] section: that topic "
			    "could never be recognised", path,
			    kb_topic(d->kb, i)->id);
			return -1;
		}
	d->sec_self = pat_find(d->context, "self");
	d->sec_target = pat_find(d->context, "target");
	d->sec_carry = pat_find(d->context, "carry");
	d->sec_question = pat_find(d->context, "question");
	d->sec_refer = pat_find(d->context, "refer");
	d->sec_other = pat_find(d->context, "other");
	d->sec_entry = pat_find(d->context, "entry");
	d->sec_novice = pat_find(d->context, "novice");
	d->sec_next = pat_find(d->context, "next");
	d->sec_begin = pat_find(d->context, "begin");
	d->sec_not_media = pat_find(d->offtopic, "not-media");
	d->sec_compare = pat_find(d->intents, "compare");
	return 0;
}

void
eng_free(struct eng *e)
{
	if (e == NULL)
		return;
	eng_unmap(&e->s);
	idx_free(e->s.idx);
	kb_free(e->s.kb);
	lex_free(e->s.lex);
	for (size_t i = 0; i < ENG_NSETS; i++)
		pat_free(*eng_set(e, i));
	free(e);
}

static struct pat_set *
eng_load_set(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return pat_load(path, err, errlen);
}

/* Fold a file's bytes into an FNV-1a hash (missing files fold nothing). */
static unsigned
eng_hash_file(unsigned h, const char *dir, const char *name)
{
	char path[1024];
	char *buf;
	size_t len;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((buf = file_read(path, (size_t)-1, &len)) == NULL)
		return h;
	h = hash_bytes(h, buf, len);
	free(buf);
	return h;
}

struct eng *
eng_load(const char *kdir, const char *pdir, char *err, size_t errlen)
{
	struct eng *e = xcalloc(1, sizeof *e);
	struct pat_set *sets[ENG_NSETS];
	char path[1024];
	unsigned h = HASH_INIT;
	size_t i;

	if ((e->s.kb = kb_load(kdir, err, errlen)) == NULL ||
	    (e->s.idx = idx_build(e->s.kb, err, errlen)) == NULL)
		goto fail;
	for (i = 0; i < ENG_NSETS; i++)
		if ((sets[i] = *eng_set(e, i) = eng_load_set(pdir, eng_sets[i].file,
		    err, errlen)) == NULL)
			goto fail;
	snprintf(path, sizeof path, "%s/lexicon.txt", pdir);
	if ((e->s.lex = lex_load(path, err, errlen)) == NULL ||
	    eng_map_all(&e->s, pdir, err, errlen) != 0)
		goto fail;
	/* Every turn matches against all of them. */
	pat_link(sets, (int)ENG_NSETS);
	/* The version names knowledge and patterns, so a reload that changed
	 * only a regex still shows in /healthz. */
	for (i = 0; i < ENG_NSETS; i++)
		h = eng_hash_file(h, pdir, eng_sets[i].file);
	h = eng_hash_file(h, pdir, "lexicon.txt");
	snprintf(e->version, sizeof e->version, "%s-p%08x",
	    kb_version(e->s.kb), h);
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
	int i, f, v;

	fprintf(out, "knowledge %s: %d roles, %d topics, %d sources; lexicon "
	    "%d words\n", e->version, kb_nroles(e->s.kb), kb_ntopics(e->s.kb),
	    kb_nsources(e->s.kb), lex_nwords(e->s.lex));
	for (i = 0; i < kb_nroles(e->s.kb); i++) {
		const struct kb_role *r = kb_role(e->s.kb, i);

		fprintf(out, "  %-24s", r->id);
		for (f = 0; f < KB_NFIELD; f++) {
			const struct kb_text *t = kb_field(r, f);
			int k;

			fprintf(out, " %s", t->text || t->nitems ?
			    kb_field_name(f) : "-");
			for (k = 0; k < t->nsrc; k++)
				fprintf(out, "%s%s", k ? "," : "[", t->src[k]);
			if (t->nsrc)
				fputc(']', out);
		}
		fprintf(out, "\n  %-24s variations:", "");
		for (v = 0; v < KB_NVAR; v++)
			if (r->var[v].text)
				fprintf(out, " %s", kb_var_name(v));
		fputc('\n', out);
	}
	for (i = 0; i < kb_ntopics(e->s.kb); i++) {
		const struct kb_topic *t = kb_topic(e->s.kb, i);
		int k;

		fprintf(out, "  topic %-18s %s", t->id, t->intent);
		for (k = 0; k < t->body.nsrc; k++)
			fprintf(out, "%s%s", k ? "," : "[", t->body.src[k]);
		fprintf(out, "]\n");
	}
}

void
eng_ask(struct eng *e, struct eng_state *st, const char *text, size_t len,
    struct eng_reply *r)
{
	dlg_turn(&e->s, st, text ? text : "", text ? len : 0, r);
}

void
eng_welcome(struct eng *e, const struct eng_state *st, struct eng_reply *r)
{
	dlg_welcome(&e->s, st, r);
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
