/* plan.c - career plans (plan.h). */
#include <string.h>
#include "chain.h"
#include "plan.h"
#include "rep.h"

/* A first job leads to the production office, where most routes into
 * producing start (the knowledge base's entry-level role). */
#define PLAN_FIRST_ROLE "production-coordinator"

int
plan_build(const struct kb *kb, int from, int goal, struct plan *pl)
{
	int path[KB_MAX_ROLES], n, i, first;

	pl->n = 0;
	if (from < 0) {
		pl->step[pl->n++] = PLAN_ENTRY;
		first = kb_find_role(kb, PLAN_FIRST_ROLE);
		from = first >= 0 && first != goal && chain_path(kb, first, goal,
		    path, KB_MAX_ROLES) > 1 ? first : -1;
	}
	n = from >= 0 ? chain_path(kb, from, goal, path, KB_MAX_ROLES) : 0;
	if (n < 1) {
		path[0] = goal;
		n = 1;
	}
	/* A long route keeps its start and its end. */
	for (i = 0; i < n; i++)
		if (pl->n < ENG_PLAN_MAX - 1 || i == n - 1)
			pl->step[pl->n++] = path[i];
	return pl->n;
}

void
plan_reply(const struct kb *kb, const struct plan *pl, int focus,
    struct eng_reply *out)
{
	int i;

	out->nplan = 0;
	for (i = 0; i < pl->n; i++) {
		struct eng_option *o = &out->plan[out->nplan++];
		const struct kb_role *r = kb_role(kb, pl->step[i]);

		rep_copy(o->value, sizeof o->value, r ? r->id : "entry");
		rep_copy(o->label, sizeof o->label, r ? r->title :
		    "A first job near production");
	}
	out->plan_focus = focus >= 0 && focus < out->nplan ? focus : -1;
}
