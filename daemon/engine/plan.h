/* plan.h - a career plan: the ordered steps from where a person starts to
 * the role they want, made from the roles' career links (chain.c) and the
 * first-job topics, and walked one step a turn ("where do I start?",
 * "then what?"). */
#ifndef SLATE_PLAN_H
#define SLATE_PLAN_H

#include "kb.h"
#include "val.h"

#define PLAN_ENTRY (-2)   /* the step of a first job near production */

struct plan {
	int step[ENG_PLAN_MAX];   /* kb roles, or PLAN_ENTRY first */
	int n;
};

/* The plan from role from (-1: from a first job, or nothing yet) to role
 * goal; its length, at least 1 (the goal). */
int plan_build(const struct kb *kb, int from, int goal, struct plan *pl);
/* The plan into the reply, step focus (0-based, -1 none) marked. */
void plan_reply(const struct kb *kb, const struct plan *pl, int focus,
    struct eng_reply *out);

#endif
