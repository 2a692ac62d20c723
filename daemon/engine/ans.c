/* ans.c - answering a turn once the rules (dlg.c) have decided what it
 * asks: the reply's kind and intent, which slots change, which follow-up
 * is left open, and say.c for the sentences. */
#include <string.h>
#include "ans.h"
#include "plan.h"
#include "rep.h"
#include "say.h"
#include "slot.h"

/* A follow-up question is open for slot; it survives one turn. */
static void
ans_pending(struct eng_state *st, const char *slot)
{
	slot_set(st->pending, slot);
	st->pending_age = 0;
}

/* Keep an open question across one interruption only, so an unrelated
 * question moves the conversation on. */
void
ans_age_pending(struct eng_state *st)
{
	if (++st->pending_age > 1)
		st->pending[0] = '\0';
}

/* The reply is an answer to intent, which the next turn may carry over. */
static void
ans_answered(struct ans_turn *t, int intent)
{
	t->out->kind = ENG_ANSWER;
	t->out->intent = eng_intent_name(intent);
	slot_set(t->st->last_intent, eng_intent_name(intent));
}

void
ans_fallback(struct ans_turn *t, int offtopic)
{
	struct idx_hit hits[8];
	int n;

	t->declined = offtopic;
	t->out->kind = ENG_FALLBACK;
	t->out->intent = NULL;
	n = idx_search(t->d->idx, t->p.t, hits, 8);
	say_fallback(t->d->kb, offtopic, hits, n, t->out);
}

void
ans_smalltalk(struct ans_turn *t, int intent)
{
	t->out->kind = ENG_SMALLTALK;
	t->out->intent = eng_intent_name(intent);
	if (intent == ENG_I_RESET)
		eng_state_init(t->st);
	say_smalltalk(intent, t->out);
	say_suggestions(t->d->kb, slot_role(t->d->kb, t->st->role), -1,
	    t->out);
}

void
ans_topic(struct ans_turn *t, int ti)
{
	const struct kb_topic *tp = kb_topic(t->d->kb, ti);

	t->out->kind = ENG_ANSWER;
	t->out->intent = eng_intent_name(eng_intent_find(tp->intent));
	slot_set(t->st->last_intent, tp->intent);
	t->st->pending[0] = '\0';
	say_topic(t->d->kb, ti, t->out);
}

/* Ask which role, offering the broadest first (those that exist across
 * more industries: there are more roles than buttons), then the rest
 * while room lasts. */
static void
ans_clarify(struct ans_turn *t, int intent)
{
	const struct kb *kb = t->d->kb;
	int i, pass;

	t->out->kind = ENG_CLARIFY;
	say_ask_role(intent, t->out);
	for (pass = KB_THEATER + 1; pass >= 0; pass--)
		for (i = 0; i < kb_nroles(kb); i++) {
			const struct kb_role *r = kb_role(kb, i);

			if (kb_role_industries(r) != pass ||
			    (intent == ENG_I_COMPARE &&
			    strcmp(r->id, t->st->role) == 0))
				continue;
			rep_option(t->out, r->title, r->id);
		}
	ans_pending(t->st, "role");
	slot_set(t->st->last_intent, eng_intent_name(intent));
	t->out->intent = eng_intent_name(intent);
}

/* Offer at most one question, and only about a dimension the knowledge
 * base says changes this answer, and never one already asked. */
static void
ans_follow_up(const struct kb_role *r, int intent, struct eng_state *st,
    struct eng_reply *out)
{
	if (intent != ENG_I_DEFINITION && intent != ENG_I_DUTIES &&
	    intent != ENG_I_VARIATION)
		return;
	if (!(st->asked & ENG_ASKED_INDUSTRY) && slot_industry(st) < 0 &&
	    kb_role_industries(r) >= 2) {
		say_ask_industry(r, out);
		st->asked |= ENG_ASKED_INDUSTRY;
		ans_pending(st, "industry");
		return;
	}
	if (!(st->asked & ENG_ASKED_CAPACITY) && slot_capacity(st) < 0 &&
	    r->var[KB_FUNDING].text && r->var[KB_CREATIVE].text) {
		say_ask_capacity(r, out);
		st->asked |= ENG_ASKED_CAPACITY;
		ans_pending(st, "capacity");
	}
}

/* The answer proper to intent about role ri (and oi, the other one). */
static void
ans_compose(struct ans_turn *t, int intent, int ri, int oi, int from)
{
	const struct kb *kb = t->d->kb;
	const struct kb_role *r = kb_role(kb, ri);
	int intl = t->p.international;

	switch (intent) {
	case ENG_I_DEFINITION:
		say_definition(r, t->st, intl, t->out);
		break;
	case ENG_I_DUTIES:
		say_duties(r, t->st, intl, t->out);
		break;
	case ENG_I_COMPARE:
		say_compare(kb, ri, oi, t->out);
		break;
	case ENG_I_HIERARCHY:
		say_hierarchy(kb, ri, t->out);
		if (oi >= 0 && oi != ri)
			say_rank(kb, ri, oi, t->out);
		break;
	case ENG_I_VARIATION:
		say_variation(r, t->st, t->p.industries, intl, t->out);
		break;
	case ENG_I_CREDIT:
		say_credit(r, t->st, t->out);
		break;
	case ENG_I_CAREER:
		say_career(kb, ri, from, t->out);
		break;
	case ENG_I_PAY:
		say_pay(r, t->out);
		break;
	case ENG_I_FUNDING:
		say_funding(kb, r, t->out);
		break;
	}
}

/* Answer intent about the session's roles, or ask which role is meant. */
/* The session's plan toward role goal (-1: its role, else the producer's
 * general one): from its from_role, or from a first job. */
static void
ans_plan_of(const struct ans_turn *t, int goal, struct plan *pl)
{
	const struct kb *kb = t->d->kb;
	int from = slot_role(kb, t->st->from_role);

	if (goal < 0)
		goal = slot_role(kb, t->st->role);
	if (goal < 0)
		goal = kb_find_role(kb, "producer");
	plan_build(kb, t->st->start[0] ? -1 : from, goal, pl);
}

/* A career answer carries its plan, not yet walked. */
static void
ans_plan_attach(struct ans_turn *t, int goal)
{
	struct plan pl;

	if (t->p.entry) {
		slot_set(t->st->start, "entry");
		t->st->from_role[0] = '\0';
	}
	ans_plan_of(t, goal, &pl);
	plan_reply(t->d->kb, &pl, -1, t->out);
	t->st->step = 0;
}

void
ans_plan_walk(struct ans_turn *t, int first)
{
	const struct kb *kb = t->d->kb;
	struct eng_state *st = t->st;
	struct plan pl;
	int k;

	ans_plan_of(t, -1, &pl);
	k = first ? 0 : (int)st->step;
	if (k >= pl.n)
		k = pl.n - 1;
	st->pending[0] = '\0';
	ans_answered(t, ENG_I_CAREER);
	say_plan_step(kb, &pl, k, kb_var_find(st->industry), t->out);
	plan_reply(kb, &pl, k, t->out);
	st->step = (unsigned)k + 1;
	say_suggestions(kb, slot_role(kb, st->role), ENG_I_CAREER, t->out);
}

void
ans_plan_start(struct ans_turn *t)
{
	const struct kb *kb = t->d->kb;
	struct eng_state *st = t->st;
	struct plan pl;

	slot_set(st->start, "entry");
	st->from_role[0] = '\0';
	ans_plan_of(t, -1, &pl);
	st->pending[0] = '\0';
	ans_answered(t, ENG_I_CAREER);
	say_plan_start(kb, &pl, t->out);
	say_plan_step(kb, &pl, 0, kb_var_find(st->industry), t->out);
	plan_reply(kb, &pl, 0, t->out);
	st->step = 1;
	say_suggestions(kb, slot_role(kb, st->role), ENG_I_CAREER, t->out);
}

/* Intents a question may ask of producing in general, with no role. */
static int
ans_general(int intent)
{
	return intent == ENG_I_PAY || intent == ENG_I_CREDIT ||
	    intent == ENG_I_CAREER;
}

void
ans_answer(struct ans_turn *t, int intent)
{
	const struct kb *kb = t->d->kb;
	struct eng_state *st = t->st;
	int ri = slot_role(kb, st->role), oi = slot_role(kb, st->other_role);
	int from = slot_role(kb, st->from_role);
	const struct kb_role *r = kb_role(kb, ri);

	st->pending[0] = '\0';     /* a new answer supersedes an old question */
	if (intent == ENG_I_FUNDING && r == NULL) {
		ans_answered(t, intent);
		say_funding(kb, NULL, t->out);
		say_suggestions(kb, -1, intent, t->out);
		return;
	}
	if (r == NULL && ans_general(intent) &&
	    (ri = kb_find_role(kb, "producer")) >= 0) {
		/* Pay, credit and careers are asked of producing in general
		 * ("what rate should I ask?"): the producer's answer is the
		 * general one.  The session names no role still, so a
		 * follow-up stays general too. */
		r = kb_role(kb, ri);
	}
	if (r == NULL) {
		ans_clarify(t, intent);
		return;
	}
	if (intent == ENG_I_COMPARE && (oi < 0 || oi == ri)) {
		st->other_role[0] = '\0';
		ans_clarify(t, intent);
		return;
	}
	ans_answered(t, intent);
	/* A follow-up answer or "what about in TV?" already has the general
	 * answer on screen: repeat only what the new industry or capacity
	 * changes, when the knowledge base has something for it. */
	if (!((intent == ENG_I_DEFINITION || intent == ENG_I_DUTIES) &&
	    t->p.tailor_only && say_tailored(r, st, t->p.international, t->out)))
		ans_compose(t, intent, ri, oi, from);
	if (intent == ENG_I_CAREER)
		ans_plan_attach(t, ri);
	if (intent == ENG_I_CAREER && from < 0 && !st->start[0] &&
	    !(st->asked & ENG_ASKED_ROLE)) {
		say_ask_from(kb, r, t->out);
		st->asked |= ENG_ASKED_ROLE;
		ans_pending(st, "from_role");
	} else
		ans_follow_up(r, intent, st, t->out);
	say_suggestions(kb, ri, intent, t->out);
}

/* Does this turn answer the pending follow-up?  Only when it carries the
 * slot asked for and no new question of its own; then the slot is set. */
int
ans_fill_pending(struct ans_turn *t)
{
	const struct parse *p = &t->p;
	const struct kb *kb = t->d->kb;
	struct eng_state *st = t->st;

	/* "the money side" reads as a funding question and "is it different
	 * on stage" as a variation one; with no role named they are answers
	 * to the question we asked. */
	if (p->intent >= 0 && !eng_intent_smalltalk(p->intent) &&
	    !p->slot_only && strcmp(eng_intent_name(p->intent),
	    st->last_intent) != 0)
		return 0;
	if (p->slot_only && (p->industry >= 0 || p->capacity >= 0)) {
		/* Answering another dimension than the one asked still
		 * answers: "the money side" when we asked for an industry. */
		if (p->industry >= 0)
			slot_set(st->industry, kb_var_name(p->industry));
		if (p->capacity >= 0)
			slot_set(st->capacity, kb_var_name(p->capacity));
		return 1;
	}
	if (strcmp(st->pending, "industry") == 0 && p->industry >= 0) {
		slot_set(st->industry, kb_var_name(p->industry));
		return 1;
	}
	if (strcmp(st->pending, "capacity") == 0 && p->capacity >= 0) {
		slot_set(st->capacity, kb_var_name(p->capacity));
		return 1;
	}
	if (strcmp(st->pending, "from_role") == 0 && (p->self_role >= 0 ||
	    (p->nm == 1 && !parse_context(t->d, p, t->d->sec_carry)))) {
		slot_set_role(kb, st->from_role, p->self_role >= 0 ?
		    p->self_role : p->m[0].role);
		return 1;
	}
	if (strcmp(st->pending, "role") == 0 && p->nm >= 1) {
		if (strcmp(st->last_intent, "compare") == 0 && st->role[0])
			slot_set_role(kb, st->other_role, p->m[0].role);
		else
			slot_set_role(kb, st->role, p->m[0].role);
		return 1;
	}
	return 0;
}

/* The roles of a comparison: both named, or the one named against the
 * session's role ("how is that different from a producer?"). */
static void
ans_compare_roles(struct ans_turn *t)
{
	const struct parse *p = &t->p;
	const struct kb *kb = t->d->kb;
	struct eng_state *st = t->st;

	if (p->nm >= 2) {
		slot_set_role(kb, st->role, p->m[0].role);
		slot_set_role(kb, st->other_role, p->m[1].role);
	} else if (p->nm == 1 && st->role[0] &&
	    slot_role(kb, st->role) != p->m[0].role) {
		slot_set_role(kb, st->other_role, p->m[0].role);
	} else if (p->nm == 1) {
		slot_set_role(kb, st->role, p->m[0].role);
		st->other_role[0] = '\0';
	}
}

/* Put what the question names into the session's slots. */
void
ans_apply_entities(struct ans_turn *t, int intent)
{
	const struct parse *p = &t->p;
	const struct kb *kb = t->d->kb;
	struct eng_state *st = t->st;

	if (p->industry >= 0)
		slot_set(st->industry, kb_var_name(p->industry));
	if (p->capacity >= 0)
		slot_set(st->capacity, kb_var_name(p->capacity));
	else if (intent == ENG_I_FUNDING)
		slot_set(st->capacity, "funding");
	if (p->self_role >= 0)
		slot_set_role(kb, st->from_role, p->self_role);
	if (intent == ENG_I_COMPARE) {
		ans_compare_roles(t);
		return;
	}
	if (intent == ENG_I_HIERARCHY && p->nm == 1 && st->role[0] &&
	    slot_role(kb, st->role) != p->m[0].role &&
	    parse_context(t->d, p, t->d->sec_refer)) {
		/* "where does that sit compared to a co-EP?" */
		slot_set_role(kb, st->other_role, p->m[0].role);
		return;
	}
	if (p->nm >= 2) {
		slot_set_role(kb, st->role, p->m[0].role);
		slot_set_role(kb, st->other_role, p->m[1].role);
	} else if (p->nm == 1 && slot_role(kb, st->role) != p->m[0].role) {
		/* The role talked about before stays as the other one, so
		 * "how are the two different?" and "what about the other
		 * one?" have something to refer to. */
		memcpy(st->other_role, st->role, ENG_ID_MAX);
		slot_set_role(kb, st->role, p->m[0].role);
	}
}
