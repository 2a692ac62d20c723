/* dlg.c - the turn: what a question means given the session so far.
 *
 * parse.c reads the question on its own; here the turn rules, a table run
 * in order, decide which question is really being asked (a follow-up
 * answered, a carry-over, the other role, smalltalk, off-topic), and ans.c
 * answers it.  Nothing here allocates; replies are built in the caller's
 * fixed-size struct. */
#include <string.h>
#include "ans.h"
#include "dlg.h"
#include "say.h"
#include "slot.h"

/* A rule: when its condition holds, its action runs; an action either
 * ends the turn (it replied) or adjusts what the turn is about and lets
 * the next rules look.  The rules run in the order of dlg_rules[]. */
#define DLG_NEXT 0
#define DLG_DONE 1

struct dlg_rule {
	int (*when)(struct ans_turn *);
	int (*then)(struct ans_turn *);
};

/* The session's role is not the one the question names. */
static int
dlg_other_than_session(const struct ans_turn *t)
{
	return t->p.nm == 1 && t->st->role[0] &&
	    slot_role(t->d->kb, t->st->role) != t->p.m[0].role;
}

/* parse.c read "how does that compare to the co-producers on the same
 * show?" as a variation (one role, an industry); pointing back at a
 * different role the session is about makes it a comparison. */
static int
dlg_when_refers_back(struct ans_turn *t)
{
	return t->intent == ENG_I_VARIATION && dlg_other_than_session(t) &&
	    parse_section(t->d->intents, t->d->sec_compare, &t->p) &&
	    parse_context(t->d, &t->p, t->d->sec_refer);
}

static int
dlg_then_compare(struct ans_turn *t)
{
	t->intent = t->p.intent = ENG_I_COMPARE;
	return DLG_NEXT;
}

/* "the money side" after a question is an answer to it, not a new
 * question. */
static int
dlg_when_slot_answer(struct ans_turn *t)
{
	return t->p.slot_only && t->last >= 0 &&
	    !eng_intent_smalltalk(t->last);
}

static int
dlg_then_no_intent(struct ans_turn *t)
{
	t->intent = -1;
	return DLG_NEXT;
}

static int
dlg_when_reset(struct ans_turn *t)
{
	return t->intent == ENG_I_RESET;
}

static int
dlg_then_smalltalk(struct ans_turn *t)
{
	ans_smalltalk(t, t->intent);
	return DLG_DONE;
}

/* "an insurance producer", "oil producers": the role word is there, the
 * trade is not ours. */
static int
dlg_when_not_media(struct ans_turn *t)
{
	return t->p.nocc > 0 &&
	    parse_section(t->d->offtopic, t->d->sec_not_media, &t->p);
}

static int
dlg_then_offtopic(struct ans_turn *t)
{
	ans_fallback(t, 1);
	return DLG_DONE;
}

/* The conversation is about a career: a plan is there to walk. */
static int
dlg_in_career(const struct ans_turn *t)
{
	return t->last == ENG_I_CAREER || t->st->step > 0;
}

/* "I'm a PA right now, does that count?" in a career conversation: the
 * plan starts from a first job. */
static int
dlg_when_plan_start(struct ans_turn *t)
{
	return dlg_in_career(t) && t->p.entry && t->p.nm == 0 &&
	    (t->intent < 0 || t->intent == ENG_I_CAREER);
}

static int
dlg_then_plan_start(struct ans_turn *t)
{
	ans_plan_start(t);
	return DLG_DONE;
}

/* "where do I start?", "then what?", "which job should I apply for
 * first?": the plan's first step, or the one after the last shown. */
static int
dlg_when_plan_walk(struct ans_turn *t)
{
	return dlg_in_career(t) && t->p.nm == 0 && (t->intent < 0 ||
	    t->intent == ENG_I_CAREER) &&
	    (parse_context(t->d, &t->p, t->d->sec_next) ||
	    parse_context(t->d, &t->p, t->d->sec_begin));
}

static int
dlg_then_plan_walk(struct ans_turn *t)
{
	ans_plan_walk(t, !parse_context(t->d, &t->p, t->d->sec_next));
	return DLG_DONE;
}

/* "ok what about the other one": swap to the other role of the
 * conversation and ask the last question again. */
static int
dlg_when_other_one(struct ans_turn *t)
{
	return t->p.nm == 0 && t->st->other_role[0] && t->last >= 0 &&
	    (t->p.intent < 0 || t->p.intent == t->last) &&
	    parse_section(t->d->context, t->d->sec_other, &t->p);
}

static int
dlg_then_swap(struct ans_turn *t)
{
	char tmp[ENG_ID_MAX];

	memcpy(tmp, t->st->role, ENG_ID_MAX);
	memcpy(t->st->role, t->st->other_role, ENG_ID_MAX);
	memcpy(t->st->other_role, tmp, ENG_ID_MAX);
	ans_answer(t, t->last);
	return DLG_DONE;
}

/* "so I work as a UPM on a cable drama": no question, but where the
 * person is now; remember it and say where it usually leads. */
static int
dlg_when_self_intro(struct ans_turn *t)
{
	return t->p.intent < 0 && t->p.nm == 0 && t->p.self_role >= 0 &&
	    !t->st->pending[0];
}

static int
dlg_then_career_from(struct ans_turn *t)
{
	slot_set_role(t->d->kb, t->st->from_role, t->p.self_role);
	slot_set_role(t->d->kb, t->st->role, t->p.self_role);
	ans_answer(t, ENG_I_CAREER);
	return DLG_DONE;
}

/* A greeting or thanks wrapped around a real question ("thanks! and for
 * a line producer?") is that question. */
static int
dlg_when_polite_question(struct ans_turn *t)
{
	return t->intent >= 0 && eng_intent_smalltalk(t->intent) &&
	    t->has_entity;
}

/* Off-topic even if it names an industry ("is the film school open?"):
 * not an answer to our question, which stays open. */
static int
dlg_when_offtopic(struct ans_turn *t)
{
	return t->p.nm == 0 && parse_offtopic(t->d, &t->p);
}

static int
dlg_then_offtopic_aside(struct ans_turn *t)
{
	if (t->st->pending[0])
		ans_age_pending(t->st);
	ans_fallback(t, 1);
	return DLG_DONE;
}

/* A question about a topic ("why are there so many producers?") is a new
 * question even when it names roles. */
static int
dlg_when_topic(struct ans_turn *t)
{
	return t->p.topic >= 0 && !t->p.slot_only && (t->intent < 0 ||
	    !eng_intent_smalltalk(t->intent));
}

static int
dlg_then_topic(struct ans_turn *t)
{
	/* The roles it names stay the conversation's, for the follow-ups. */
	if (t->p.nm >= 1)
		slot_set_role(t->d->kb, t->st->role, t->p.m[0].role);
	if (t->p.nm >= 2)
		slot_set_role(t->d->kb, t->st->other_role, t->p.m[1].role);
	if (t->p.industry >= 0)
		slot_set(t->st->industry, kb_var_name(t->p.industry));
	if (t->p.capacity >= 0)
		slot_set(t->st->capacity, kb_var_name(t->p.capacity));
	ans_topic(t, t->p.topic);
	return DLG_DONE;
}

static int
dlg_when_pending(struct ans_turn *t)
{
	return t->st->pending[0] != '\0';
}

/* The answer to our follow-up re-answers the last question with it;
 * anything else leaves the question open for one more turn (a new answer
 * drops it at once: see ans_answer()). */
static int
dlg_then_fill_pending(struct ans_turn *t)
{
	if (t->last >= 0 && ans_fill_pending(t)) {
		t->st->pending[0] = '\0';
		t->p.tailor_only = t->p.nm == 0;
		if (t->p.industry >= 0 && strcmp(kb_var_name(t->p.industry),
		    t->st->industry))
			slot_set(t->st->industry, kb_var_name(t->p.industry));
		ans_answer(t, t->last);
		return DLG_DONE;
	}
	ans_age_pending(t->st);
	return DLG_NEXT;
}

/* "I'm a production coordinator - will I get credited?" asks about the
 * role the person holds. */
static int
dlg_when_about_self(struct ans_turn *t)
{
	return t->p.nm == 0 && t->p.self_role >= 0 && t->intent >= 0 &&
	    t->intent != ENG_I_CAREER && !eng_intent_smalltalk(t->intent);
}

static int
dlg_then_about_self(struct ans_turn *t)
{
	t->p.m[0] = (struct parse_mention){ t->p.self_role, 0, 0 };
	t->p.nm = 1;
	return DLG_NEXT;
}

/* "producer vs cinematographer": half of it is not ours. */
static int
dlg_when_half_offtopic(struct ans_turn *t)
{
	return t->intent == ENG_I_COMPARE && t->p.nm < 2 &&
	    parse_offtopic(t->d, &t->p);
}

static int
dlg_when_smalltalk(struct ans_turn *t)
{
	return t->intent >= 0 && eng_intent_smalltalk(t->intent);
}

/* Carry-over: "and an associate producer?", "what about in TV?" re-ask
 * the last question with the new slot. */
static int
dlg_when_carry_over(struct ans_turn *t)
{
	return t->intent < 0 && t->has_entity;
}

static int
dlg_then_carry_over(struct ans_turn *t)
{
	const struct parse *p = &t->p;

	t->intent = t->last;
	t->p.tailor_only = p->nm == 0;
	if (t->intent < 0 || eng_intent_smalltalk(t->intent))
		t->intent = p->nm >= 2 ? ENG_I_COMPARE : p->nm == 1 ?
		    ENG_I_DEFINITION : (p->industry >= 0 || p->international ||
		    p->capacity >= 0) && t->st->role[0] ? ENG_I_VARIATION : -1;
	/* after a comparison, "and a showrunner?" compares the same role
	 * with the new one: ans_apply_entities() does that */
	return DLG_NEXT;
}

static int
dlg_when_no_intent(struct ans_turn *t)
{
	return t->intent < 0;
}

static int
dlg_then_not_understood(struct ans_turn *t)
{
	ans_fallback(t, parse_offtopic(t->d, &t->p));
	return DLG_DONE;
}

/* "what's the wifi password?" matches the shape of a definition question;
 * with no role named and nothing pointing back at the conversation it is
 * not one. */
static int
dlg_when_shape_only(struct ans_turn *t)
{
	const struct parse *p = &t->p;

	return (p->intent == ENG_I_DEFINITION || p->intent == ENG_I_DUTIES) &&
	    t->intent == p->intent && p->nm == 0 && !p->slot_only &&
	    !parse_context(t->d, p, t->d->sec_refer);
}

static int
dlg_then_fallback(struct ans_turn *t)
{
	ans_fallback(t, 0);
	return DLG_DONE;
}

static int
dlg_always(struct ans_turn *t)
{
	(void)t;
	return 1;
}

static int
dlg_then_answer(struct ans_turn *t)
{
	const struct kb_role *r;

	ans_apply_entities(t, t->intent);
	r = kb_role(t->d->kb, slot_role(t->d->kb, t->st->role));
	if (r && r->only_in >= 0 && !t->st->industry[0])
		slot_set(t->st->industry, kb_var_name(r->only_in));
	if (t->intent == ENG_I_CAREER && t->p.nm == 0 && t->p.self_role >= 0)
		/* "I'm a UPM, what next?" */
		slot_set_role(t->d->kb, t->st->role, t->p.self_role);
	ans_answer(t, t->intent);
	return DLG_DONE;
}

static const struct dlg_rule dlg_rules[] = {
	{ dlg_when_refers_back, dlg_then_compare },
	{ dlg_when_slot_answer, dlg_then_no_intent },
	{ dlg_when_reset, dlg_then_smalltalk },
	{ dlg_when_not_media, dlg_then_offtopic },
	{ dlg_when_plan_start, dlg_then_plan_start },
	{ dlg_when_plan_walk, dlg_then_plan_walk },
	{ dlg_when_other_one, dlg_then_swap },
	{ dlg_when_self_intro, dlg_then_career_from },
	{ dlg_when_polite_question, dlg_then_no_intent },
	{ dlg_when_offtopic, dlg_then_offtopic_aside },
	{ dlg_when_topic, dlg_then_topic },
	{ dlg_when_pending, dlg_then_fill_pending },
	{ dlg_when_about_self, dlg_then_about_self },
	{ dlg_when_half_offtopic, dlg_then_offtopic },
	{ dlg_when_smalltalk, dlg_then_smalltalk },
	{ dlg_when_carry_over, dlg_then_carry_over },
	{ dlg_when_no_intent, dlg_then_not_understood },
	{ dlg_when_shape_only, dlg_then_fallback },
	{ dlg_always, dlg_then_answer },
};

/* How sure the reply is to be what was asked: each sign of another
 * reading takes some away.  A clarifying question is honest doubt, an
 * off-topic decline with the evidence for it is sure. */
static double
dlg_confidence(const struct ans_turn *t)
{
	const struct parse *p = &t->p;
	unsigned others;
	double c = 0.9;
	int in;

	switch (t->out->kind) {
	case ENG_SMALLTALK:
		return 0.95;
	case ENG_CLARIFY:
		return 0.5;
	case ENG_FALLBACK:
		return t->declined ? 0.9 : 0.6;
	default:
		break;
	}
	in = t->out->intent ? eng_intent_find(t->out->intent) : -1;
	others = p->cands & ~(in >= 0 ? 1u << in : 0u);
	if (p->intent < 0)
		c -= 0.15;              /* carried over from the last turn */
	for (; others; others &= others - 1)
		c -= 0.08;              /* the words fit another question */
	if (p->topic < 0 && p->nm == 0)
		c -= t->st->role[0] ? 0.05 : 0.15;
	if (p->ncorr > 0)
		c -= 0.05;
	if (p->offtopic == 1)
		c -= 0.2;
	return c < 0.2 ? 0.2 : c;
}

void
dlg_turn(const struct eng_src *d, struct eng_state *st, const char *text,
    size_t len, struct eng_reply *out)
{
	struct ans_turn t;        /* on the stack: a reload thread may run
				  * another engine's turns meanwhile */
	const struct parse *p = &t.p;
	size_t i;

	memset(out, 0, offsetof(struct eng_reply, text));
	out->text[0] = '\0';
	out->noptions = out->nsuggestions = out->ncorrections = 0;
	out->nsources = out->nladder = out->nplan = 0;
	out->ladder_focus = out->plan_focus = -1;
	out->confidence = 0;
	t.d = d;
	t.st = st;
	t.out = out;
	t.last = eng_intent_find(st->last_intent);
	t.declined = 0;
	parse_question(d, text, len, &t.p);
	memcpy(out->corrections, p->corr, (size_t)p->ncorr * sizeof p->corr[0]);
	out->ncorrections = p->ncorr;
	say_corrections(p->corr, p->ncorr, out);
	t.intent = p->intent;
	t.has_entity = p->nm > 0 || p->self_role >= 0 || p->industry >= 0 ||
	    p->capacity >= 0 || p->international;
	for (i = 0; i < sizeof dlg_rules / sizeof dlg_rules[0]; i++)
		if (dlg_rules[i].when(&t) && dlg_rules[i].then(&t) == DLG_DONE)
			break;
	out->confidence = dlg_confidence(&t);
	out->slots = *st;
}

void
dlg_welcome(const struct eng_src *d, const struct eng_state *st,
    struct eng_reply *out)
{
	memset(out, 0, sizeof *out);
	out->kind = ENG_SMALLTALK;
	out->intent = eng_intent_name(ENG_I_GREETING);
	out->ladder_focus = out->plan_focus = -1;
	out->confidence = 1;
	say_welcome(d->kb, slot_role(d->kb, st->role), out);
	out->slots = *st;
}
