/* dlg.c - the turn: what a question means given the session so far.
 *
 * parse.c reads the question on its own; here the turn rules, a table run
 * in order, decide which question is really being asked (a follow-up
 * answered, a carry-over, the other role, smalltalk, off-topic), and ans.c
 * answers it.  Nothing here allocates; replies are built in the caller's
 * fixed-size struct. */
#include <string.h>
#include "ans.h"
#include "conf.h"
#include "dlg.h"
#include "say.h"
#include "slot.h"

/* A rule: when its condition holds, its action runs; an action either
 * ends the turn (it replied) or adjusts what the turn is about and lets
 * the next rules look.  The rules run in the order of dlg_rules[]. */
#define DLG_NEXT 0
#define DLG_DONE 1

struct dlg_rule {
	const char *name;
	int (*when)(struct ans_turn *);
	int (*then)(struct ans_turn *);
	const char *why;            /* what the rule stands for, for --explain */
};
#define DLG_RULE(w, t, why) { #w, dlg_when_##w, dlg_then_##t, why }

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

/* "an insurance producer", "oil producers", "a producer tag": the role
 * word is there, the thing asked about is not ours. */
static int
dlg_when_not_media(struct ans_turn *t)
{
	unsigned long long bits = t->d->not_role;
	int sec;

	size_t s, e;

	/* in the sentence that asks: a preamble ("I make beats in FL
	 * Studio...") is not what is asked about */
	for (sec = 0; t->p.nocc > 0 && bits; sec++, bits >>= 1)
		if ((bits & 1) && pat_match_text(t->d->offtopic, sec, &t->p.pt,
		    t->p.qe, t->p.qs, &s, &e))
			return 1;
	return 0;
}

static int
dlg_then_offtopic(struct ans_turn *t)
{
	ans_fallback(t, 1);
	return DLG_DONE;
}

/* "and do they get a producer credit?" about the line producer: "a
 * producer credit" is the producing credit, not a new role, when the
 * question points back at the conversation's role. */
static int
dlg_when_credit_of_session(struct ans_turn *t)
{
	const struct parse_mention *m = &t->p.m[0];
	const char *after = t->p.t + m->e;

	return t->p.nm == 1 && t->st->role[0] &&
	    m->role == kb_find_role(t->d->kb, "producer") &&
	    slot_role(t->d->kb, t->st->role) != m->role &&
	    (strncmp(after, " credit", 7) == 0 ||
	    strncmp(after, " title", 6) == 0) &&
	    parse_context(t->d, &t->p, t->d->sec_refer);
}

static int
dlg_then_forget_mention(struct ans_turn *t)
{
	t->p.nm = 0;
	t->has_entity = t->p.self_role >= 0 || t->p.industry >= 0 ||
	    t->p.capacity >= 0 || t->p.international;
	return DLG_NEXT;
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

/* "film mostly. I'm a PA right now": what the turn names, kept. */
static void
dlg_keep_dimensions(struct ans_turn *t)
{
	if (t->p.industry >= 0)
		slot_set(t->st->industry, kb_var_name(t->p.industry));
	if (t->p.capacity >= 0)
		slot_set(t->st->capacity, kb_var_name(t->p.capacity));
}

static int
dlg_then_plan_start(struct ans_turn *t)
{
	dlg_keep_dimensions(t);
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
	dlg_keep_dimensions(t);
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
	dlg_keep_dimensions(t);
	ans_topic(t, t->p.topic);
	return DLG_DONE;
}

/* The reading picked from our "did you mean" options (or typed). */
static int
dlg_when_reading_picked(struct ans_turn *t)
{
	return strcmp(t->st->pending, "intent") == 0 && t->p.intent >= 0 &&
	    !eng_intent_smalltalk(t->p.intent) && t->p.nm == 0;
}

static int
dlg_then_reading_picked(struct ans_turn *t)
{
	t->st->pending[0] = '\0';
	ans_answer(t, t->p.intent);
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
 * not one.  "What is a drum pattern and how is it structured?" points
 * back, but at nothing: a conversation with no role yet has nothing for
 * "it" to be. */
static int
dlg_when_shape_only(struct ans_turn *t)
{
	const struct parse *p = &t->p;

	return (p->intent == ENG_I_DEFINITION || p->intent == ENG_I_DUTIES) &&
	    t->intent == p->intent && p->nm == 0 && !p->slot_only &&
	    (!t->st->role[0] || !parse_context(t->d, p, t->d->sec_refer));
}

static int
dlg_then_fallback(struct ans_turn *t)
{
	ans_fallback(t, 0);
	return DLG_DONE;
}

static int
dlg_when_always(struct ans_turn *t)
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
	DLG_RULE(refers_back, compare,
	    "it names another role than the conversation's and points back: "
	    "a comparison"),
	DLG_RULE(slot_answer, no_intent,
	    "it gives only an industry or capacity: an answer to the last "
	    "question"),
	DLG_RULE(reset, smalltalk,
	    "it asks to start over"),
	DLG_RULE(not_media, offtopic,
	    "the role word names something else here (not-... sections of "
	    "offtopic.txt)"),
	DLG_RULE(credit_of_session, forget_mention,
	    "\"a producer credit\" asked of the conversation's role"),
	DLG_RULE(plan_start, plan_start,
	    "in a career conversation, it says the person starts from a "
	    "first job or from nothing"),
	DLG_RULE(plan_walk, plan_walk,
	    "in a career conversation, it asks for the first or the next "
	    "step of the plan"),
	DLG_RULE(other_one, swap,
	    "it asks about the other role of the conversation"),
	DLG_RULE(self_intro, career_from,
	    "it says where the person is now and asks nothing else"),
	DLG_RULE(polite_question, no_intent,
	    "smalltalk wrapped around a real question"),
	DLG_RULE(offtopic, offtopic_aside,
	    "it names no role and something we know we do not cover"),
	DLG_RULE(topic, topic,
	    "a knowledge base topic matched the asking sentence; topics "
	    "outrank intents"),
	DLG_RULE(reading_picked, reading_picked,
	    "one of the readings our \"did you mean\" offered"),
	DLG_RULE(pending, fill_pending,
	    "a follow-up question was open"),
	DLG_RULE(about_self, about_self,
	    "it asks about the role the person holds"),
	DLG_RULE(half_offtopic, offtopic,
	    "a comparison with something we do not cover"),
	DLG_RULE(smalltalk, smalltalk,
	    "greeting, thanks, goodbye or help"),
	DLG_RULE(carry_over, carry_over,
	    "no intent of its own: the last question again, with what it "
	    "names"),
	DLG_RULE(no_intent, not_understood,
	    "no intent matched and nothing to carry over"),
	DLG_RULE(shape_only, fallback, "only the shape of a question: no role "
	    "named and nothing to point back at"),
	DLG_RULE(always, answer, "the first intent section in file order that "
	    "matched the asking sentence"),
};

/* Each source of the reply with its title and link, for showing. */
static void
dlg_cite(const struct eng_src *d, struct eng_reply *out)
{
	int i;

	for (i = 0; i < out->nsources; i++)
		if (kb_source_info(d->kb, out->sources[i],
		    &out->source_title[i], &out->source_url[i]) != 0)
			out->source_title[i] = out->source_url[i] = NULL;
}

void
dlg_turn(const struct eng_src *d, struct eng_state *st, const char *text,
    size_t len, struct eng_reply *out, struct dlg_trace *tr)
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
	if (p->industry_weak && st->industry[0]) {
		/* "a small show" after the Fringe is still theater */
		t.p.industries &= ~(1u << p->industry);
		t.p.industry = -1;
	}
	t.intent = p->intent;
	t.has_entity = p->nm > 0 || p->self_role >= 0 || p->industry >= 0 ||
	    p->capacity >= 0 || p->international;
	if (tr != NULL)
		tr->nsteps = 0;
	for (i = 0; i < sizeof dlg_rules / sizeof dlg_rules[0]; i++) {
		if (!dlg_rules[i].when(&t))
			continue;
		if (tr != NULL && tr->nsteps < DLG_TRACE_RULES)
			tr->steps[tr->nsteps++] = dlg_rules[i].name;
		if (dlg_rules[i].then(&t) == DLG_DONE)
			break;
	}
	out->confidence = conf_score(&t);
	conf_doubt(&t);
	dlg_cite(d, out);
	if (tr != NULL) {
		tr->p = t.p;
		i = i < sizeof dlg_rules / sizeof dlg_rules[0] ? i : i - 1;
		tr->rule = dlg_rules[i].name;
		tr->why = dlg_rules[i].why;
	}
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
