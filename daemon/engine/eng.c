/* eng.c - the engine facade: loading, the ask entry point, and JSON. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dlg.h"
#include "eng.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/xmem.h"

struct eng {
	struct dlg_src d;
	char version[32];
};

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
