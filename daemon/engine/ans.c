/* ans.c - composing answers from the knowledge base's structured fields.
 * Comparisons, ladders and career routes are computed from the roles'
 * traits, levels and links, never written per pair of roles. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "ans.h"
#include "rep.h"

static const char *industry_label[] = { "film", "TV", "music", "theater" };

int
ans_industry(const struct eng_state *st)
{
	int v = st->industry[0] ? kb_var_find(st->industry) : -1;

	return v >= KB_FILM && v <= KB_THEATER ? v : -1;
}

int
ans_capacity(const struct eng_state *st)
{
	int v = st->capacity[0] ? kb_var_find(st->capacity) : -1;

	return v == KB_FUNDING || v == KB_CREATIVE ? v : -1;
}

const char *
ans_industry_label(int v)
{
	return v >= KB_FILM && v <= KB_THEATER ? industry_label[v] : "";
}

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

static void
tailor(const struct kb_role *r, const struct eng_state *st, int intl,
    struct eng_reply *r_)
{
	int ind = ans_industry(st), cap = ans_capacity(st);

	if (intl && r->var[KB_INTERNATIONAL].text) {
		rep_say(r_, "\n\n");
		say_var(r_, "In an international co-production: ",
		    &r->var[KB_INTERNATIONAL]);
	}
	if (ind >= 0 && r->var[ind].text) {
		char lead[64];

		snprintf(lead, sizeof lead, "In %s: ", industry_label[ind]);
		rep_say(r_, "\n\n");
		say_var(r_, lead, &r->var[ind]);
	}
	if (cap >= 0 && r->var[cap].text) {
		rep_say(r_, "\n\n");
		say_var(r_, cap == KB_FUNDING ? "In a funding capacity: " :
		    "In a creative capacity: ", &r->var[cap]);
	}
}

/* Only the parts of a role that the session's industry and capacity
 * select, under a heading naming the role and the context.  Returns 0
 * (writing nothing) when the knowledge base has none of them. */
int
ans_tailored(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out)
{
	const struct kb_text *parts[3];
	int ind = ans_industry(st), cap = ans_capacity(st), n = 0, i;

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
		rep_say(out, " in %s", industry_label[ind]);
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

void
ans_definition(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out)
{
	rep_cap(out, r->definition.text);
	rep_cite(out, &r->definition);
	tailor(r, st, intl, out);
}

void
ans_duties(const struct kb_role *r, const struct eng_state *st, int intl,
    struct eng_reply *out)
{
	int i, n = r->duties.nitems < 4 ? r->duties.nitems : 4;

	rep_say(out, "What %s %s typically does:", r->article, r->name);
	for (i = 0; i < n; i++) {
		rep_say(out, "\n- ");
		rep_cap(out, r->duties.items[i]);
	}
	rep_cite(out, &r->duties);
	tailor(r, st, intl, out);
}

static void
trait_line(const char *label, const struct kb_role *a, const struct kb_text *ta,
    const struct kb_role *b, const struct kb_text *tb, struct eng_reply *out)
{
	rep_say(out, "\n- %s: %s %s: %s; %s %s: %s", label, a->article, a->name,
	    ta->text, b->article, b->name, tb->text);
	{
		size_t n = strlen(out->text);

		if (n > 0 && out->text[n - 1] != '.')
			rep_say(out, ".");
	}
	rep_cite(out, ta);
	rep_cite(out, tb);
}

static int
reports_directly(const struct kb_role *a, int b)
{
	int i;

	for (i = 0; i < a->nreports_to; i++)
		if (a->reports_to[i] == b)
			return 1;
	return 0;
}

/* Which of two roles ranks higher, from their levels and links. */
void
ans_rank(const struct kb *kb, int ai, int bi, struct eng_reply *out)
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
	else if (reports_directly(lo, hi == a ? ai : bi))
		rep_say(out, "%s %s answers directly to the %s.", lo->article,
		    lo->name, hi->name);
	else
		rep_say(out, "%s %s sits higher in the chain of command than %s "
		    "%s.", hi->article, hi->name, lo->article, lo->name);
	if (out->text[n] == ' ')
		n++;
	rep_upper(out, n);
}

void
ans_compare(const struct kb *kb, int ai, int bi,
    struct eng_reply *out)
{
	const struct kb_role *a = kb_role(kb, ai), *b = kb_role(kb, bi);

	rep_say(out, "%s vs %s:", a->title, b->name);
	trait_line("Authority", a, &a->authority, b, &b->authority, out);
	trait_line("Involvement", a, &a->involvement, b, &b->involvement,
	    out);
	trait_line("Focus", a, &a->focus, b, &b->focus, out);
	rep_say(out, "\n- Rank: ");
	ans_rank(kb, ai, bi, out);
}

/* Top-down chain: follow reports_to upward from role, then add the first
 * role it oversees, so the asked-about role sits inside the picture. */
static void
build_ladder(const struct kb *kb, int role, struct eng_reply *out)
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
	for (i = n - 1; i >= 0; i--) {
		r = kb_role(kb, up[i]);
		snprintf(out->ladder[out->nladder].label,
		    sizeof out->ladder[0].label, "%s", r->title);
		snprintf(out->ladder[out->nladder].value,
		    sizeof out->ladder[0].value, "%s", r->id);
		out->nladder++;
	}
	out->ladder_focus = out->nladder - 1;
	r = kb_role(kb, role);
	if (r->noversees && out->nladder < ENG_LADDER_MAX) {
		const struct kb_role *o = kb_role(kb, r->oversees[0]);

		snprintf(out->ladder[out->nladder].label,
		    sizeof out->ladder[0].label, "%s", o->title);
		snprintf(out->ladder[out->nladder].value,
		    sizeof out->ladder[0].value, "%s", o->id);
		out->nladder++;
	}
}

static void
list_roles(const struct kb *kb, const int *ids, int n,
    struct eng_reply *out)
{
	int i;

	for (i = 0; i < n; i++)
		rep_say(out, "%s%s", i == 0 ? "" : i == n - 1 ? " and the " :
		    ", the ", kb_role(kb, ids[i])->name);
}

void
ans_hierarchy(const struct kb *kb, int ri, struct eng_reply *out)
{
	const struct kb_role *r = kb_role(kb, ri);
	size_t start = strlen(out->text);

	if (r->nreports_to) {
		rep_say(out, "%s %s answers to the ", r->article, r->name);
		list_roles(kb, r->reports_to, r->nreports_to, out);
	} else
		rep_say(out, "%s %s sits at the top of the chain of command",
		    r->article, r->name);
	if (r->noversees) {
		rep_say(out, ", and oversees the ");
		list_roles(kb, r->oversees, r->noversees, out);
	}
	rep_say(out, ". ");
	rep_upper(out, start);
	rep_cap(out, r->hierarchy.text);
	rep_cite(out, &r->hierarchy);
	build_ladder(kb, ri, out);
}

void
ans_variation(const struct kb_role *r, const struct eng_state *st,
    unsigned industries, int intl, struct eng_reply *out)
{
	int v, shown = 0, ind = ans_industry(st), cap = ans_capacity(st);
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
				    shown++ ? "\n\n" : "", industry_label[v],
				    r->article, r->name);
			continue;
		}
		{
			char lead[64];

			snprintf(lead, sizeof lead, "In %s: ",
			    industry_label[v]);
			rep_say(out, "%s", shown++ ? "\n\n" : "");
			say_var(out, lead, &r->var[v]);
		}
	}
	if (cap >= 0 && r->var[cap].text) {
		rep_say(out, "%s", shown++ ? "\n\n" : "");
		say_var(out, cap == KB_FUNDING ? "In a funding capacity: " :
		    "In a creative capacity: ", &r->var[cap]);
	}
	if (shown == 0) {
		rep_say(out, "The %s role does not change much from one industry "
		    "to another in what I know. ", r->name);
		rep_cap(out, r->definition.text);
		rep_cite(out, &r->definition);
	}
}

void
ans_credit(const struct kb_role *r, const struct eng_state *st,
    struct eng_reply *out)
{
	rep_cap(out, r->credit.text);
	rep_cite(out, &r->credit);
	if (ans_capacity(st) == KB_FUNDING && r->var[KB_FUNDING].text) {
		rep_say(out, "\n\nWhen the credit comes with money: ");
		rep_cap(out, r->var[KB_FUNDING].text);
		rep_cite(out, &r->var[KB_FUNDING]);
	}
}

/* Shortest route along career.next links (breadth first). */
static int
career_path(const struct kb *kb, int from, int to, int *path, int max)
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

void
ans_career(const struct kb *kb, int ri, int from,
    struct eng_reply *out)
{
	const struct kb_role *r = kb_role(kb, ri), *f;
	int path[KB_MAX_ROLES], n, i, j;

	if (from >= 0 && from == ri) {
		size_t start = strlen(out->text);

		if (r->nnext) {
			rep_say(out, "From %s, the usual next step is the ",
			    r->name);
			list_roles(kb, r->next, r->nnext, out);
			rep_say(out, ". ");
		} else
			rep_say(out, "%s %s is already at the top of the ladder. ",
			    r->article, r->name);
		rep_upper(out, start);
		rep_cap(out, r->career.text);
		for (i = 0; i < r->career.nitems; i++) {
			rep_say(out, "\n%d. ", i + 1);
			rep_cap(out, r->career.items[i]);
		}
		rep_cite(out, &r->career);
		return;
	}
	if (from >= 0 && (n = career_path(kb, from, ri, path,
	    KB_MAX_ROLES)) > 1) {
		f = kb_role(kb, from);
		rep_say(out, "From %s to %s, step by step:", f->name, r->name);
		for (i = 0; i < n - 1; i++) {
			const struct kb_role *s = kb_role(kb, path[i]);
			const struct kb_role *t = kb_role(kb, path[i + 1]);

			rep_say(out, "\n%d. As %s %s, ", i + 1, s->article,
			    s->name);
			for (j = 0; j < s->career.nitems && j < 2; j++)
				rep_say(out, "%s%s", j ? "; " : "",
				    s->career.items[j]);
			rep_say(out, ". That is how you move up to %s.", t->name);
			rep_cite(out, &s->career);
		}
		rep_say(out, "\n%d. Once there: ", n);
		rep_cap(out, r->career.text);
		rep_cite(out, &r->career);
		return;
	}
	if (from >= 0) {
		f = kb_role(kb, from);
		rep_say(out, "There is no usual straight line from %s to %s, but "
		    "here is how people get to %s: ", f->name, r->name,
		    r->name);
	}
	rep_cap(out, r->career.text);
	for (i = 0; i < r->career.nitems; i++) {
		rep_say(out, "\n%d. ", i + 1);
		rep_cap(out, r->career.items[i]);
	}
	rep_cite(out, &r->career);
}

void
ans_pay(const struct kb_role *r, struct eng_reply *out)
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

void
ans_funding(const struct kb *kb, const struct kb_role *r,
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
	if (n) {
		rep_say(out, "Credits that can be given in return for funding are "
		    "those of the ");
		list_roles(kb, ids, n, out);
		rep_say(out, ". ");
		for (i = 0; i < n && i < 2; i++) {
			const struct kb_role *f = kb_role(kb, ids[i]);

			rep_say(out, "%s %s: ", i ? "\n" : "\n", f->title);
			rep_cap(out, f->var[KB_FUNDING].text);
			rep_cite(out, &f->var[KB_FUNDING]);
		}
	}
}

void
ans_topic(const struct kb *kb, int ti, struct eng_reply *out)
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
