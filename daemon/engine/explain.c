/* explain.c - a turn explained (explain.h). */
#include <stdio.h>
#include <string.h>
#include "explain.h"

/* Where pattern lines fired: one JSON array being written. */
struct explain_out {
	struct jw *w;
	const char *set;            /* which set: intents, roles, ... */
	const char *section;
	const char *text;
	int n;
};

static void
explain_fired(void *arg, const char *path, int line, const char *re,
    size_t ms, size_t me)
{
	struct explain_out *o = arg;
	const char *file = strrchr(path, '/');
	char num[24], match[200];

	snprintf(match, sizeof match, "%.*s", (int)(me - ms), o->text + ms);
	jw_lit(o->w, o->n++ ? ",{\"file\":" : "{\"file\":");
	jw_str(o->w, file ? file + 1 : path);
	snprintf(num, sizeof num, ",\"line\":%d", line);
	jw_lit(o->w, num);
	jw_lit(o->w, ",\"set\":");
	jw_str(o->w, o->set);
	jw_lit(o->w, ",\"section\":");
	jw_str(o->w, o->section);
	jw_lit(o->w, ",\"regex\":");
	jw_str(o->w, re);
	jw_lit(o->w, ",\"match\":");
	jw_str(o->w, match);
	jw_lit(o->w, "}");
}

/* Every line of every section of ps that matches t[from, to). */
static void
explain_set(struct explain_out *o, struct pat_set *ps, const char *set,
    const char *t, size_t from, size_t to)
{
	int i;

	o->set = set;
	for (i = 0; i < pat_count(ps); i++) {
		o->section = pat_name(ps, i);
		pat_explain(ps, i, t, to, from, explain_fired, o);
	}
}

/* The intents with a match in the asking sentence, winner first. */
static void
explain_candidates(const struct parse *p, struct jw *w)
{
	int i, n = 0;

	jw_lit(w, "[");
	if (p->intent >= 0 && (p->cands >> p->intent & 1)) {
		jw_str(w, eng_intent_name(p->intent));
		n++;
	}
	for (i = 0; i < ENG_I_N; i++)
		if ((p->cands >> i & 1) && i != p->intent) {
			jw_lit(w, n++ ? "," : "");
			jw_str(w, eng_intent_name(i));
		}
	jw_lit(w, "]");
}

void
explain_turn(const struct eng_src *d, const struct dlg_trace *tr,
    const struct eng_reply *r, struct jw *w)
{
	const struct parse *p = &tr->p;
	struct explain_out o = { .w = w, .text = p->t };
	char asking[ENG_INPUT_MAX + 1], num[64];
	int i;

	snprintf(asking, sizeof asking, "%.*s", (int)(p->qe - p->qs),
	    p->t + p->qs);
	jw_lit(w, "{\"normalised\":");
	jw_str(w, p->t);
	jw_lit(w, ",\"asking\":");
	jw_str(w, asking);
	jw_lit(w, ",\"roles\":[");
	for (i = 0; i < p->nm; i++) {
		jw_lit(w, i ? "," : "");
		jw_str(w, kb_role(d->kb, p->m[i].role)->id);
	}
	jw_lit(w, "],\"candidates\":");
	explain_candidates(p, w);
	jw_lit(w, ",\"parsed_intent\":");
	jw_str_or_null(w, p->intent >= 0 ? eng_intent_name(p->intent) : NULL);
	jw_lit(w, ",\"topic\":");
	jw_str_or_null(w, p->topic >= 0 ? kb_topic(d->kb, p->topic)->id : NULL);
	jw_lit(w, ",\"rules\":[");
	for (i = 0; i < tr->nsteps; i++) {
		jw_lit(w, i ? "," : "");
		jw_str(w, tr->steps[i]);
	}
	jw_lit(w, "],\"rule\":");
	jw_str(w, tr->rule);
	jw_lit(w, ",\"why\":");
	jw_str(w, tr->why);
	jw_lit(w, ",\"kind\":");
	jw_str(w, eng_kind_name(r->kind));
	jw_lit(w, ",\"intent\":");
	jw_str_or_null(w, r->intent);
	snprintf(num, sizeof num, ",\"confidence\":%.2f,\"fired\":[",
	    r->confidence);
	jw_lit(w, num);
	explain_set(&o, d->topics, "topics", p->t, p->qs, p->qe);
	explain_set(&o, d->intents, "intents", p->t, p->qs, p->qe);
	explain_set(&o, d->roles, "roles", p->t, 0, p->len);
	explain_set(&o, d->industries, "industries", p->t, 0, p->len);
	explain_set(&o, d->capacities, "capacities", p->t, 0, p->len);
	explain_set(&o, d->offtopic, "offtopic", p->t, 0, p->len);
	explain_set(&o, d->context, "context", p->t, 0, p->len);
	jw_lit(w, "]}");
}
