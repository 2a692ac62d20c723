/* ans.h - answering a turn once the turn rules (dlg.c) have decided
 * what it asks: each call sets the reply's kind and intent, updates the
 * session's slots and has say.c write the sentences. */
#ifndef SLATE_ANS_H
#define SLATE_ANS_H

#include "eng_int.h"
#include "parse.h"

/* One turn in progress: what the rules read and change. */
struct ans_turn {
	const struct eng_src *d;
	struct eng_state *st;
	struct eng_reply *out;
	struct parse p;
	int last;                /* the last turn's intent, or -1: only the
				  * answers that end this turn change
				  * st->last_intent */
	int intent;              /* the intent this turn answers, or -1 */
	int has_entity;          /* names a role, industry or capacity */
	int declined;            /* answered "not something I cover" */
};

/* Answer intent about the session's roles, or ask which role is meant. */
void ans_answer(struct ans_turn *t, int intent);
/* A reply saying we cannot answer (offtopic: it is not ours), with the
 * nearest questions we can. */
void ans_fallback(struct ans_turn *t, int offtopic);
void ans_smalltalk(struct ans_turn *t, int intent);
/* The answer to a knowledge base topic. */
void ans_topic(struct ans_turn *t, int topic);
/* The session's career plan: its first step (first) or the step after
 * the one under discussion. */
void ans_plan_walk(struct ans_turn *t, int first);
/* The person starts from a first job or from nothing: the plan from
 * there, at its first step. */
void ans_plan_start(struct ans_turn *t);
/* Does this turn answer the pending follow-up?  Then its slot is set. */
int ans_fill_pending(struct ans_turn *t);
/* Put what the question names into the session's slots for intent. */
void ans_apply_entities(struct ans_turn *t, int intent);
/* Age the open follow-up question: it survives one other turn. */
void ans_age_pending(struct eng_state *st);

#endif
