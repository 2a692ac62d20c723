/* chain.c - the chain of command and career routes (see chain.h). */
#include "chain.h"
#include "rep.h"

int
chain_reports_to(const struct kb_role *a, int b)
{
	int i;

	for (i = 0; i < a->nreports_to; i++)
		if (a->reports_to[i] == b)
			return 1;
	return 0;
}

/* Append one role to the reply's ladder. */
static void
chain_step(struct eng_reply *out, const struct kb_role *r)
{
	struct eng_option *o = &out->ladder[out->nladder++];

	rep_copy(o->label, sizeof o->label, r->title);
	rep_copy(o->value, sizeof o->value, r->id);
}

/* Follow reports_to upward from role, then add the first role it
 * oversees, so the asked-about role sits inside the picture. */
void
chain_ladder(const struct kb *kb, int role, struct eng_reply *out)
{
	int up[ENG_LADDER_MAX], n = 0, cur = role, i;
	const struct kb_role *r;

	while (cur >= 0 && n < ENG_LADDER_MAX - 1) {
		for (i = 0; i < n; i++)
			if (up[i] == cur)
				break;
		if (i < n)
			break;              /* a cycle: stop, do not loop */
		up[n++] = cur;
		r = kb_role(kb, cur);
		cur = r->nreports_to ? r->reports_to[0] : -1;
	}
	out->nladder = 0;
	for (i = n - 1; i >= 0; i--)
		chain_step(out, kb_role(kb, up[i]));
	out->ladder_focus = out->nladder - 1;
	r = kb_role(kb, role);
	if (r->noversees && out->nladder < ENG_LADDER_MAX)
		chain_step(out, kb_role(kb, r->oversees[0]));
}

/* Breadth first, so the route found is a shortest one. */
int
chain_path(const struct kb *kb, int from, int to, int *path, int max)
{
	int prev[KB_MAX_ROLES], queue[KB_MAX_ROLES], qh = 0, qt = 0, i, n;
	int cur;

	for (i = 0; i < KB_MAX_ROLES; i++)
		prev[i] = -2;
	prev[from] = -1;
	queue[qt++] = from;
	while (qh < qt) {
		const struct kb_role *r;

		cur = queue[qh++];
		if (cur == to)
			break;
		r = kb_role(kb, cur);
		for (i = 0; i < r->nnext; i++)
			if (prev[r->next[i]] == -2) {
				prev[r->next[i]] = cur;
				queue[qt++] = r->next[i];
			}
	}
	if (prev[to] == -2)
		return 0;
	for (n = 0, cur = to; cur != -1 && n < max; cur = prev[cur])
		n++;
	for (i = n - 1, cur = to; i >= 0; i--, cur = prev[cur])
		path[i] = cur;
	return n;
}
