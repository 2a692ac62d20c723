/* say.c - every sentence the engine writes, in one place: answers composed
 * from the knowledge base's structured fields, follow-up questions,
 * clarifications, smalltalk, fallbacks, the welcome and the suggested
 * questions.  Each function appends to the reply (text, sources, options,
 * suggestions) and none changes the session: deciding what to say is
 * dlg.c's job, saying it is this file's. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "chain.h"
#include "rep.h"
#include "say.h"
#include "slot.h"

/* An industry as a sentence names it and as a button shows it. */
static const char *const say_industry_word[] = {
	"film", "TV", "music", "theater"
};
static const char *const say_industry_button[] = {
	"Film", "TV", "Music", "Theater"
};

/* Variation texts often open with their own "In music, ..."; only add a
 * lead-in when they do not. */
static void
say_var(struct eng_reply *out, const char *lead, const struct kb_text *t)
{
	if (strncasecmp(t->text, "in ", 3) != 0 &&
	    strncasecmp(t->text, "on ", 3) != 0 &&
	    strncasecmp(t->text, "for ", 4) != 0 &&
	    strncasecmp(t->text, "when ", 5) != 0)
		rep_say(out, "%s", lead);
	rep_cap(out, t->text);
	rep_cite(out, t);
}

/* An industry's variation under "In <industry>: ". */
static void
say_industry_var(struct eng_reply *out, int v, const struct kb_text *t)
{
	char lead[64];

	snprintf(lead, sizeof lead, "In %s: ", say_industry_word[v]);
	say_var(out, lead, t);
}

/* The lead-in of a capacity's variation. */
static const char *
say_capacity_lead(int cap)
{
	return cap == KB_FUNDING ? "In a funding capacity: " :
	    "In a creative capacity: ";
}

/* What the session's industry and capacity add to a general answer, each
 * in a paragraph of its own. */
static void
say_tailor(const struct kb_role *r, const struct eng_state *st, int intl,
    struct eng_reply *out)
{
	int ind = slot_industry(st), cap = slot_capacity(st);

	if (intl && r->var[KB_INTERNATIONAL].text) {
		rep_say(out, "\n\n");
		say_var(out, "In an international co-production: ",
		    &r->var[KB_INTERNATIONAL]);
	}
	if (ind >= 0 && r->var[ind].text) {
		rep_say(out, "\n\n");
		say_industry_var(out, ind, &r->var[ind]);
	}
	if (cap >= 0 && r->var[cap].text) {
		rep_say(out, "\n\n");
		say_var(out, say_capacity_lead(cap), &r->var[cap]);
	}
}

/* Only the parts of a role that the session's industry and capacity
 * select, under a heading naming the role and the context. */
int
say_tailored(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out)
{
	const struct kb_text *parts[3];
	int ind = slot_industry(st), cap = slot_capacity(st), n = 0, i;

	if (intl && r->var[KB_INTERNATIONAL].text)
		parts[n++] = &r->var[KB_INTERNATIONAL];
	if (ind >= 0 && r->var[ind].text)
		parts[n++] = &r->var[ind];
	if (cap >= 0 && r->var[cap].text)
		parts[n++] = &r->var[cap];
	if (n == 0)
		return 0;
	rep_say(out, "%s", r->title);
	if (intl)
		rep_say(out, " in an international co-production");
	if (ind >= 0)
		rep_say(out, " in %s", say_industry_word[ind]);
	if (cap >= 0)
		rep_say(out, "%s %s capacity", ind >= 0 || intl ? "," : " in a",
		    cap == KB_FUNDING ? "funding" : "creative");
	rep_say(out, ":");
	for (i = 0; i < n; i++) {
		rep_say(out, i ? "\n\n" : " ");
		rep_cap(out, parts[i]->text);
		rep_cite(out, parts[i]);
	}
	return 1;
}

/* What a role is, tailored to the session. */
void
say_definition(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out)
{
	rep_cap(out, r->definition.text);
	rep_cite(out, &r->definition);
	say_tailor(r, st, intl, out);
}

/* A role's first duties as a list, tailored to the session. */
void
say_duties(const struct kb_role *r, const struct eng_state *st, int intl,
    struct eng_reply *out)
{
	int i, n = r->duties.nitems < 4 ? r->duties.nitems : 4;

	rep_say(out, "What %s %s typically does:", r->article, r->name);
	for (i = 0; i < n; i++) {
		rep_say(out, "\n- ");
		rep_cap(out, r->duties.items[i]);
	}
	rep_cite(out, &r->duties);
	say_tailor(r, st, intl, out);
}

/* One line of a comparison: a trait of both roles. */
static void
say_trait(const char *label, const struct kb_role *a, const struct kb_text *ta,
    const struct kb_role *b, const struct kb_text *tb, struct eng_reply *out)
{
	size_t n;

	rep_say(out, "\n- %s: %s %s: %s; %s %s: %s", label, a->article, a->name,
	    ta->text, b->article, b->name, tb->text);
	n = strlen(out->text);
	if (n > 0 && out->text[n - 1] != '.')
		rep_say(out, ".");
	rep_cite(out, ta);
	rep_cite(out, tb);
}

/* Which of two roles ranks higher, from their levels and links. */
void
say_rank(const struct kb *kb, int ai, int bi, struct eng_reply *out)
{
	const struct kb_role *a = kb_role(kb, ai), *b = kb_role(kb, bi);
	const struct kb_role *hi = a->level <= b->level ? a : b;
	const struct kb_role *lo = hi == a ? b : a;
	size_t n = strlen(out->text);

	if (n > 0 && out->text[n - 1] != ' ')
		rep_say(out, " ");
	if (a->level == b->level)
		rep_say(out, "%s %s and %s %s sit at about the same level; which "
		    "one leads depends on the production.", a->article,
		    a->name, b->article, b->name);
	else if (chain_reports_to(lo, hi == a ? ai : bi))
		rep_say(out, "%s %s answers directly to the %s.", lo->article,
		    lo->name, hi->name);
	else
		rep_say(out, "%s %s sits higher in the chain of command than %s "
		    "%s.", hi->article, hi->name, lo->article, lo->name);
	if (out->text[n] == ' ')
		n++;
	rep_upper(out, n);
}

/* Two roles trait by trait, then their rank. */
void
say_compare(const struct kb *kb, int ai, int bi, struct eng_reply *out)
{
	const struct kb_role *a = kb_role(kb, ai), *b = kb_role(kb, bi);

	rep_say(out, "%s vs %s:", a->title, b->name);
	say_trait("Authority", a, &a->authority, b, &b->authority, out);
	say_trait("Involvement", a, &a->involvement, b, &b->involvement,
	    out);
	say_trait("Focus", a, &a->focus, b, &b->focus, out);
	rep_say(out, "\n- Rank: ");
	say_rank(kb, ai, bi, out);
}

/* "the producer, the line producer and the UPM" without the first "the",
 * which the sentence around it supplies. */
static void
say_roles(const struct kb *kb, const int *ids, int n, struct eng_reply *out)
{
	int i;

	for (i = 0; i < n; i++)
		rep_say(out, "%s%s", i == 0 ? "" : i == n - 1 ? " and the " :
		    ", the ", kb_role(kb, ids[i])->name);
}

/* Whom a role answers to and oversees, its hierarchy text, and the
 * ladder for the widget's diagram. */
void
say_hierarchy(const struct kb *kb, int ri, struct eng_reply *out)
{
	const struct kb_role *r = kb_role(kb, ri);
	size_t start = strlen(out->text);

	if (r->nreports_to) {
		rep_say(out, "%s %s answers to the ", r->article, r->name);
		say_roles(kb, r->reports_to, r->nreports_to, out);
	} else
		rep_say(out, "%s %s sits at the top of the chain of command",
		    r->article, r->name);
	if (r->noversees) {
		rep_say(out, ", and oversees the ");
		say_roles(kb, r->oversees, r->noversees, out);
	}
	rep_say(out, ". ");
	rep_upper(out, start);
	rep_cap(out, r->hierarchy.text);
	rep_cite(out, &r->hierarchy);
	chain_ladder(kb, ri, out);
}

/* How a role differs by industry (those named, else the session's, else
 * all) and by capacity. */
void
say_variation(const struct kb_role *r, const struct eng_state *st,
    unsigned industries, int intl, struct eng_reply *out)
{
	int v, shown = 0, ind = slot_industry(st), cap = slot_capacity(st);
	unsigned want = industries;

	if (want == 0 && ind >= 0)
		want = 1u << ind;
	if (intl && r->var[KB_INTERNATIONAL].text) {
		rep_say(out, "%s", shown++ ? "\n\n" : "");
		say_var(out, "In international co-productions: ",
		    &r->var[KB_INTERNATIONAL]);
	}
	for (v = KB_FILM; v <= KB_THEATER; v++) {
		if (want && !(want & (1u << v)))
			continue;
		if (r->var[v].text == NULL) {
			if (want)
				rep_say(out, "%sFor %s I have nothing specific "
				    "about %s %s beyond the general picture.",
				    shown++ ? "\n\n" : "", say_industry_word[v],
				    r->article, r->name);
			continue;
		}
		rep_say(out, "%s", shown++ ? "\n\n" : "");
		say_industry_var(out, v, &r->var[v]);
	}
	if (cap >= 0 && r->var[cap].text) {
		rep_say(out, "%s", shown++ ? "\n\n" : "");
		say_var(out, say_capacity_lead(cap), &r->var[cap]);
	}
	if (shown == 0) {
		rep_say(out, "The %s role does not change much from one industry "
		    "to another in what I know. ", r->name);
		rep_cap(out, r->definition.text);
		rep_cite(out, &r->definition);
	}
}

/* How a role's credit is earned, and what money changes about it. */
void
say_credit(const struct kb_role *r, const struct eng_state *st,
    struct eng_reply *out)
{
	rep_cap(out, r->credit.text);
	rep_cite(out, &r->credit);
	if (slot_capacity(st) == KB_FUNDING && r->var[KB_FUNDING].text) {
		rep_say(out, "\n\nWhen the credit comes with money: ");
		rep_cap(out, r->var[KB_FUNDING].text);
		rep_cite(out, &r->var[KB_FUNDING]);
	}
}

/* A role's career text and its numbered steps. */
static void
say_career_steps(const struct kb_role *r, struct eng_reply *out)
{
	int i;

	rep_cap(out, r->career.text);
	for (i = 0; i < r->career.nitems; i++) {
		rep_say(out, "\n%d. ", i + 1);
		rep_cap(out, r->career.items[i]);
	}
	rep_cite(out, &r->career);
}

/* The route from where the person is to the role, step by step. */
static void
say_route(const struct kb *kb, const int *path, int n, struct eng_reply *out)
{
	const struct kb_role *r = kb_role(kb, path[n - 1]);
	int i, j;

	rep_say(out, "From %s to %s, step by step:", kb_role(kb, path[0])->name,
	    r->name);
	for (i = 0; i < n - 1; i++) {
		const struct kb_role *s = kb_role(kb, path[i]);
		const struct kb_role *t = kb_role(kb, path[i + 1]);

		rep_say(out, "\n%d. As %s %s, ", i + 1, s->article, s->name);
		for (j = 0; j < s->career.nitems && j < 2; j++)
			rep_say(out, "%s%s", j ? "; " : "", s->career.items[j]);
		rep_say(out, ". That is how you move up to %s.", t->name);
		rep_cite(out, &s->career);
	}
	rep_say(out, "\n%d. Once there: ", n);
	rep_cap(out, r->career.text);
	rep_cite(out, &r->career);
}

/* The first-job topic of an industry, the film one when it has none. */
static int
say_entry_topic(const struct kb *kb, int industry)
{
	char id[48];
	int ti = -1;

	if (industry >= KB_FILM && industry <= KB_THEATER) {
		snprintf(id, sizeof id, "start-out-%s", kb_var_name(industry));
		ti = kb_find_topic(kb, id);
	}
	return ti >= 0 ? ti : kb_find_topic(kb, "start-out-film");
}

void
say_plan_step(const struct kb *kb, const struct plan *pl, int k,
    int industry, struct eng_reply *out)
{
	const struct kb_role *r = kb_role(kb, pl->step[k]), *up;
	int ti, j;

	rep_say(out, "Step %d of %d: ", k + 1, pl->n);
	if (r == NULL) {
		rep_say(out, "a first job close to production. ");
		if ((ti = say_entry_topic(kb, industry)) >= 0) {
			rep_cap(out, kb_topic(kb, ti)->body.text);
			rep_cite(out, &kb_topic(kb, ti)->body);
		}
	} else if (k + 1 < pl->n) {
		up = kb_role(kb, pl->step[k + 1]);
		rep_say(out, "work as %s %s. ", r->article, r->name);
		for (j = 0; j < r->career.nitems && j < 2; j++) {
			rep_cap(out, r->career.items[j]);
			rep_say(out, " ");
		}
		if (up)
			rep_say(out, "From there the usual move is up to %s %s.",
			    up->article, up->name);
		rep_cite(out, &r->career);
	} else {
		rep_say(out, "%s. ", r->title);
		rep_cap(out, r->career.text);
		rep_cite(out, &r->career);
	}
	if (k + 1 < pl->n)
		rep_option(out, "Next step", "then what?");
}

void
say_plan_start(const struct kb *kb, const struct plan *pl,
    struct eng_reply *out)
{
	const struct kb_role *goal = kb_role(kb, pl->step[pl->n - 1]);

	rep_say(out, "Yes, that counts: it is where the road to %s starts, and "
	    "it takes %d step%s from there.\n\n", goal ? goal->name :
	    "producing", pl->n, pl->n == 1 ? "" : "s");
}

/* How to reach a role: from the role itself its next steps, from another
 * (from >= 0) the route along career.next links, else its steps. */
void
say_career(const struct kb *kb, int ri, int from, struct eng_reply *out)
{
	const struct kb_role *r = kb_role(kb, ri);
	int path[KB_MAX_ROLES], n;

	if (from >= 0 && from == ri) {
		size_t start = strlen(out->text);

		if (r->nnext) {
			rep_say(out, "From %s, the usual next step is the ",
			    r->name);
			say_roles(kb, r->next, r->nnext, out);
			rep_say(out, ". ");
		} else
			rep_say(out, "%s %s is already at the top of the ladder. ",
			    r->article, r->name);
		rep_upper(out, start);
		say_career_steps(r, out);
		return;
	}
	if (from >= 0 && (n = chain_path(kb, from, ri, path,
	    KB_MAX_ROLES)) > 1) {
		say_route(kb, path, n, out);
		return;
	}
	if (from >= 0)
		rep_say(out, "There is no usual straight line from %s to %s, but "
		    "here is how people get to %s: ", kb_role(kb, from)->name,
		    r->name, r->name);
	say_career_steps(r, out);
}

/* What a role pays, or why there is no figure and how the credit is
 * earned instead. */
void
say_pay(const struct kb_role *r, struct eng_reply *out)
{
	if (r->pay.text) {
		rep_cap(out, r->pay.text);
		rep_cite(out, &r->pay);
		return;
	}
	rep_say(out, "My sources do not give pay figures for %s %s, and I would "
	    "rather not guess. Pay for producer roles is negotiated project "
	    "by project. What I can tell you is how the credit is earned: ",
	    r->article, r->name);
	rep_cap(out, r->credit.text);
	rep_cite(out, &r->credit);
}

/* What money buys: the role's funding variation, or its credit and the
 * credits that can be given for funding. */
void
say_funding(const struct kb *kb, const struct kb_role *r,
    struct eng_reply *out)
{
	int i, n = 0, ids[KB_MAX_ROLES];

	if (r && r->var[KB_FUNDING].text) {
		rep_say(out, "When %s %s brings money: ", r->article, r->name);
		rep_cap(out, r->var[KB_FUNDING].text);
		rep_cite(out, &r->var[KB_FUNDING]);
		return;
	}
	for (i = 0; i < kb_nroles(kb); i++)
		if (kb_role(kb, i)->var[KB_FUNDING].text)
			ids[n++] = i;
	if (r) {
		rep_say(out, "How the %s credit is earned: ", r->name);
		rep_cap(out, r->credit.text);
		rep_cite(out, &r->credit);
		rep_say(out, "\n\n");
	}
	if (n == 0)
		return;
	rep_say(out, "Credits that can be given in return for funding are "
	    "those of the ");
	say_roles(kb, ids, n, out);
	rep_say(out, ". ");
	for (i = 0; i < n && i < 2; i++) {
		const struct kb_role *f = kb_role(kb, ids[i]);

		rep_say(out, "\n %s: ", f->title);
		rep_cap(out, f->var[KB_FUNDING].text);
		rep_cite(out, &f->var[KB_FUNDING]);
	}
}

/* A topic's text, then questions about the roles it touches and the
 * other topics. */
void
say_topic(const struct kb *kb, int ti, struct eng_reply *out)
{
	const struct kb_topic *t = kb_topic(kb, ti);
	int i;

	rep_cap(out, t->body.text);
	rep_cite(out, &t->body);
	for (i = 0; i < t->nroles && out->nsuggestions < 2; i++) {
		const struct kb_role *r = kb_role(kb, t->roles[i]);

		rep_suggest(out, "What does %s %s do?", r->article, r->name);
	}
	for (i = 0; i < kb_ntopics(kb); i++)
		if (i != ti)
			rep_suggest(out, "%s", kb_topic(kb, i)->question);
}

/* The note in front of a reply that says which words were corrected. */
void
say_corrections(const struct eng_corr *corr, int n, struct eng_reply *out)
{
	int i;

	if (n == 0)
		return;
	rep_say(out, "(I read ");
	for (i = 0; i < n; i++)
		rep_say(out, "%s\"%s\" as \"%s\"", i ? ", " : "", corr[i].from,
		    corr[i].to);
	rep_say(out, ".) ");
}

/* Ask which industry, offering those the role has a variation for. */
void
say_ask_industry(const struct kb_role *r, struct eng_reply *out)
{
	int v;

	rep_say(out, "\n\nThis differs by industry. Which one are you asking "
	    "about?");
	for (v = KB_FILM; v <= KB_THEATER; v++)
		if (r->var[v].text)
			rep_option(out, say_industry_button[v], kb_var_name(v));
}

/* Ask whether the role brings money or creative work. */
void
say_ask_capacity(const struct kb_role *r, struct eng_reply *out)
{
	rep_say(out, "\n\nIt also depends on whether the %s brings money or "
	    "creative work. Which do you mean?", r->name);
	rep_option(out, "Funding", "funding");
	rep_option(out, "Creative", "creative");
}

/* After a career answer, ask where the person is now, offering the roles
 * below r that lead somewhere. */
void
say_ask_from(const struct kb *kb, const struct kb_role *r,
    struct eng_reply *out)
{
	int i;

	rep_say(out, "\n\nIf you tell me where you are now, I can lay out the "
	    "steps from there.");
	for (i = 0; i < kb_nroles(kb); i++) {
		const struct kb_role *o = kb_role(kb, i);

		if (o->level > r->level && o->nnext)
			rep_option(out, o->title, o->id);
	}
}

/* The question of a clarification: which role. */
void
say_ask_role(int intent, struct eng_reply *out)
{
	if (intent == ENG_I_COMPARE)
		rep_say(out, "Which role should I compare it with?");
	else
		rep_say(out, "Which role do you mean?");
}

/* Questions to ask next about role ri (-1: starting questions), leaving
 * out the one just answered. */
void
say_suggestions(const struct kb *kb, int ri, int intent,
    struct eng_reply *out)
{
	const struct kb_role *r = kb_role(kb, ri), *o;

	if (r == NULL) {
		rep_suggest(out, "What does a co-producer do?");
		rep_suggest(out, "Associate producer vs co-producer?");
		rep_suggest(out, "How do I become a line producer?");
		return;
	}
	o = r->nreports_to ? kb_role(kb, r->reports_to[0]) :
	    r->noversees ? kb_role(kb, r->oversees[0]) : NULL;
	if (intent != ENG_I_DUTIES)
		rep_suggest(out, "What does %s %s do?", r->article, r->name);
	if (intent != ENG_I_HIERARCHY)
		rep_suggest(out, "Who does %s %s answer to?", r->article, r->name);
	if (intent != ENG_I_COMPARE && o)
		rep_suggest(out, "%s vs %s?", r->title, o->name);
	if (intent != ENG_I_CREDIT)
		rep_suggest(out, "How is the %s credit earned?", r->name);
	if (intent != ENG_I_CAREER)
		rep_suggest(out, "How do I become %s %s?", r->article, r->name);
}

/* Search hits as questions we can answer. */
static void
say_nearest(const struct kb *kb, const struct idx_hit *hits, int n,
    struct eng_reply *out)
{
	int i;

	for (i = 0; i < n && out->nsuggestions < 3; i++) {
		const struct kb_role *r = kb_role(kb, hits[i].role);
		const char *f = hits[i].field;

		if (hits[i].topic >= 0) {
			rep_suggest(out, "%s", kb_topic(kb, hits[i].topic)->
			    question);
			continue;
		}
		if (r == NULL)
			continue;
		if (strcmp(f, kb_field_name(KB_CAREER)) == 0)
			rep_suggest(out, "How do I become %s %s?", r->article,
			    r->name);
		else if (strcmp(f, kb_field_name(KB_CREDIT)) == 0)
			rep_suggest(out, "How is the %s credit earned?", r->name);
		else if (strcmp(f, kb_field_name(KB_PAY)) == 0)
			rep_suggest(out, "How is %s %s paid?", r->article,
			    r->name);
		else if (strcmp(f, kb_field_name(KB_HIERARCHY)) == 0)
			rep_suggest(out, "Who does %s %s answer to?", r->article,
			    r->name);
		else if (strncmp(f, "var:", 4) == 0 &&
		    kb_var_find(f + 4) <= KB_THEATER)
			rep_suggest(out, "What does %s %s do in %s?", r->article,
			    r->name, say_industry_word[kb_var_find(f + 4)]);
		else
			rep_suggest(out, "What does %s %s do?", r->article,
			    r->name);
	}
}

/* A question we cannot answer: why, then the search hits (n of them) as
 * questions, then the starting questions. */
void
say_fallback(const struct kb *kb, int offtopic, const struct idx_hit *hits,
    int n, struct eng_reply *out)
{
	if (offtopic)
		rep_say(out, "That is outside what I cover: I only know about "
		    "producer roles (what producers, co-producers, associate, "
		    "executive and line producers do, how they rank, how "
		    "credits are earned and how careers go).");
	else
		rep_say(out, "Sorry, I did not understand that, or it is not "
		    "something I cover. I answer questions about producer "
		    "roles in film, TV, music and theater.");
	say_nearest(kb, hits, n, out);
	if (out->nsuggestions)
		rep_say(out, " These might be close to what you want:");
	say_suggestions(kb, -1, -1, out);
}

/* The answer to a greeting, thanks, goodbye, help or reset. */
void
say_smalltalk(int intent, struct eng_reply *out)
{
	switch (intent) {
	case ENG_I_GREETING:
		rep_say(out, "Hi! I can explain producer roles: what a "
		    "co-producer, associate producer, executive producer or "
		    "line producer does, how they differ, and how to get "
		    "there. What would you like to know?");
		break;
	case ENG_I_THANKS:
		rep_say(out, "You're welcome! Anything else about producer "
		    "roles?");
		break;
	case ENG_I_GOODBYE:
		rep_say(out, "Good luck with your project. Come back any time.");
		break;
	case ENG_I_HELP:
		rep_say(out, "Ask me about a producer role: what it is, what the "
		    "job involves, who it answers to, how two roles differ, "
		    "how the credit is earned, what it pays, or how to build "
		    "a career toward it. I can tailor answers to film, TV, "
		    "music or theater, and to a funding or a creative "
		    "capacity.");
		break;
	case ENG_I_RESET:
		rep_say(out, "Done: I have forgotten the roles and context of this "
		    "conversation. What would you like to ask?");
		break;
	}
}

/* The greeting of a new session, or of one that was about role ri. */
void
say_welcome(const struct kb *kb, int ri, struct eng_reply *out)
{
	if (ri >= 0)
		rep_say(out, "Welcome back! We were talking about the %s role. "
		    "Ask me anything else about producer roles.",
		    kb_role(kb, ri)->name);
	else
		rep_say(out, "Hi! I answer questions about producer roles in "
		    "film, TV, music and theater: what a co-producer or an "
		    "associate producer does, who answers to whom, how the "
		    "credit is earned, and how to get there.");
	say_suggestions(kb, ri, -1, out);
}
