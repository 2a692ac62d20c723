/* dlg.c - dialogue: parsing a question, slots, follow-ups, carry-over.
 *
 * A turn is: normalise, correct domain typos, find entities (roles,
 * industries, capacities) and the intent, decide which question is really
 * being asked given the session so far, then have ans.c compose the
 * answer.  Nothing here allocates; replies are built in the caller's
 * fixed-size struct. */
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>
#include "ans.h"
#include "dlg.h"
#include "rep.h"
#include "norm.h"
#include "common/xmem.h"

static const char *industry_title[] = { "Film", "TV", "Music", "Theater" };

#define MAX_MENTIONS 8
#define NO_ROLE (-1)

struct mention { int role; size_t s, e; };

/* What one question says, before the session is consulted. */
struct parse {
	struct mention occ[32];  /* every role mention, in text order */
	int nocc;
	struct mention m[MAX_MENTIONS];  /* one per role, asking sentence first */
	int nm;
	int self_role;           /* "I'm a production coordinator" */
	unsigned self_occ;       /* bit i: occ[i] follows "I'm a" / "from" */
	int industry;            /* first of film/tv/music/theater, or -1 */
	unsigned industries;     /* bit per industry mentioned */
	int international;
	int capacity;            /* KB_FUNDING, KB_CREATIVE or -1 */
	int intent;              /* I_*, or -1 */
	int offtopic;            /* names something we do not cover: 1, 0,
				  * or -1 not looked at yet */
	int slot_only;           /* "the money side": a slot and nothing else */
	int tailor_only;         /* re-answer with only what the new slot adds */
	int topic;               /* a kb topic the question is about, or -1 */
	struct eng_corr corr[ENG_CORR_MAX];
	int ncorr;
	size_t len;
	char t[ENG_INPUT_MAX + 256];   /* parse() clears what precedes */
	struct pat_text pt;      /* t summarised for the pattern sets */
};

/* ---- parsing ------------------------------------------------------------ */

static int
is_smalltalk(int intent)
{
	return intent >= ENG_I_GREETING;
}

static int
first_section_match(struct pat_set *ps, const struct pat_text *pt, size_t *at)
{
	int i, best = -1;
	size_t s, e, bs = (size_t)-1;

	for (i = 0; i < pat_count(ps); i++)
		if (pat_match_text(ps, i, pt, pt->len, 0, &s, &e) && s < bs) {
			bs = s;
			best = i;
		}
	if (at)
		*at = bs;
	return best;
}

static void
find_roles(const struct dlg_src *d, struct parse *p)
{
	struct mention all[32];
	int n = 0, i, j, k, role;
	size_t s, e, at;

	for (i = 0; i < pat_count(d->roles); i++) {
		role = d->role_of[i];
		for (at = 0; n < 32 && pat_match_text(d->roles, i, &p->pt, p->len,
		    at, &s, &e); at = e > s ? e : s + 1)
			all[n++] = (struct mention){ role, s, e };
	}
	/* Keep the longest of overlapping mentions: "executive producer"
	 * contains "producer", and only the former was meant. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (i == j || all[j].role < 0)
				continue;
			if (all[j].s <= all[i].s && all[j].e >= all[i].e &&
			    (all[j].e - all[j].s > all[i].e - all[i].s ||
			    (all[j].e - all[j].s == all[i].e - all[i].s &&
			    j < i)))
				break;
		}
		if (j < n || all[i].role < 0)
			continue;
		/* insertion in text order */
		for (k = p->nocc; k > 0 && p->occ[k - 1].s > all[i].s; k--)
			p->occ[k] = p->occ[k - 1];
		p->occ[k] = all[i];
		p->nocc++;
	}
}

/* One mention per role: roles named in the sentence that asks come first
 * ("...30 names as producers. What's the difference between the lead
 * producer and the co-producers?" compares the two it asks about), then
 * the rest, each in text order.  The mention that says where the person
 * is now ("I'm a production coordinator") is left out. */
static void
build_mentions(struct parse *p, size_t qs, size_t qe)
{
	int pass, i, k;

	p->nm = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < p->nocc; i++) {
			const struct mention *o = &p->occ[i];
			int inside = o->s >= qs && o->e <= qe;

			if ((pass == 0) != inside || (p->self_occ >> i & 1))
				continue;
			for (k = 0; k < p->nm; k++)
				if (p->m[k].role == o->role)
					break;
			if (k == p->nm && p->nm < MAX_MENTIONS)
				p->m[p->nm++] = *o;
		}
}

/* The first section in file order with a match in t[from, to), or -1. */
static int
first_priority(struct pat_set *ps, const struct parse *p, size_t from,
    size_t to)
{
	size_t s, e;
	int i;

	for (i = 0; i < pat_count(ps); i++)
		if (pat_match_text(ps, i, &p->pt, to, from, &s, &e))
			return i;
	return -1;
}

/* Does the question name something we know we do not cover?  Looked at
 * only when it can change the reply, and then once. */
static int
offtopic(const struct dlg_src *d, struct parse *p)
{
	if (p->offtopic < 0)
		p->offtopic = first_section_match(d->offtopic, &p->pt,
		    NULL) >= 0;
	return p->offtopic;
}

/* Does section sec of ps (-1: a section the files lack) match? */
static int
section_match(struct pat_set *ps, int sec, const struct parse *p)
{
	size_t s, e;

	return sec >= 0 && pat_match_text(ps, sec, &p->pt, p->len, 0, &s, &e);
}

/* Does the context.txt section sec (a d->sec_* index) match? */
static int
context(const struct dlg_src *d, const struct parse *p, int sec)
{
	return section_match(d->context, sec, p);
}

static int
intent_in(const struct dlg_src *d, const struct parse *p, size_t from,
    size_t to)
{
	size_t s, e;
	int i;

	for (i = 0; i < pat_count(d->intents); i++)
		if (pat_match_text(d->intents, i, &p->pt, to, from, &s, &e))
			return d->intent_of[i];
	return -1;
}

/* Sentences of the question, at most MAX_SENT (later ones are merged into
 * the last): a sentence ends at . ! ? ; or : followed by a space. */
#define MAX_SENT 4

struct sent { size_t s, e; int asks; };

static int
sentences(const struct parse *p, struct sent *out)
{
	size_t i, s = 0;
	int n = 0;

	for (i = 0; i < p->len; i++) {
		char c = p->t[i];

		if ((c == '.' || c == '!' || c == '?' || c == ';' ||
		    c == ':') && i + 1 < p->len && p->t[i + 1] == ' ' &&
		    n < MAX_SENT - 1) {
			out[n++] = (struct sent){ s, i + 1, c == '?' };
			s = i + 2;
		}
	}
	if (s < p->len)
		out[n++] = (struct sent){ s, p->len,
		    p->t[p->len - 1] == '?' };
	return n;
}

/* People put the question after a preamble ("my uncle gave them money
 * lol. what does a co-producer actually do") or before the context ("what
 * exactly is a showrunner? I keep seeing it in the credits").  So the
 * first sentence ending in a question mark that asks something decides;
 * failing that, the last sentence that does; failing that, the whole
 * text.  Smalltalk ("...? thanks") only counts when nothing is asked.
 * The chosen sentence is returned in *qs, *qe, and a topic it asks about
 * in p->topic. */
static int
find_intent(const struct dlg_src *d, struct parse *p, size_t *qs,
    size_t *qe)
{
	struct sent sn[MAX_SENT];
	int n = sentences(p, sn), i, in, small = -1, pass, tp;

	*qs = 0;
	*qe = p->len;
	for (pass = 0; pass < 2; pass++)
		for (i = pass == 0 ? 0 : n - 1; pass == 0 ? i < n : i >= 0;
		    i += pass == 0 ? 1 : -1) {
			if ((pass == 0) != (sn[i].asks != 0))
				continue;       /* each sentence is tried once */
			/* A topic ("why so many producers?") outranks the
			 * intents within its sentence. */
			tp = first_priority(d->topics, p, sn[i].s, sn[i].e);
			in = intent_in(d, p, sn[i].s, sn[i].e);
			if (tp >= 0 || (in >= 0 && !is_smalltalk(in))) {
				*qs = sn[i].s;
				*qe = sn[i].e;
				p->topic = tp >= 0 ? d->topic_of[tp] : -1;
				return in;
			}
			if (in >= 0 && small < 0)
				small = in;
		}
	if (n <= 1)
		return small;
	in = intent_in(d, p, 0, p->len);
	return in >= 0 && !is_smalltalk(in) ? in : small >= 0 ? small : in;
}

static void
parse(const struct dlg_src *d, const char *text, size_t len, struct parse *p)
{
	size_t s, e, first, qs, qe;
	int i, sec;

	memset(p, 0, offsetof(struct parse, t));
	p->len = norm_text(text, len > ENG_INPUT_MAX ? ENG_INPUT_MAX : len,
	    p->t, ENG_INPUT_MAX);
	p->ncorr = lex_correct(d->lex, p->t, sizeof p->t, p->corr,
	    ENG_CORR_MAX);
	p->len = strlen(p->t);
	/* PCRE2's JIT may read a little past the subject; keep those bytes
	 * defined so memory checkers see nothing uninitialised. */
	memset(p->t + p->len, 0, sizeof p->t - p->len);
	pat_text_init(&p->pt, p->t, p->len);
	p->self_role = NO_ROLE;
	p->self_occ = 0;
	p->industry = p->capacity = p->intent = -1;
	p->nm = p->nocc = 0;
	find_roles(d, p);

	/* The earliest industry named wins: in "a stage show" the word
	 * "show" is only the noun that "stage" qualifies. */
	first = (size_t)-1;
	for (i = 0; i < pat_count(d->industries); i++) {
		int v = d->industry_of[i];

		if (!pat_match_text(d->industries, i, &p->pt, p->len, 0, &s, &e))
			continue;
		if (v == KB_INTERNATIONAL)
			p->international = 1;
		else if (v >= 0) {
			p->industries |= 1u << v;
			if (s < first) {
				first = s;
				p->industry = v;
			}
		}
	}
	sec = first_section_match(d->capacities, &p->pt, NULL);
	if (sec >= 0)
		p->capacity = d->capacity_of[sec];
	p->topic = -1;
	p->intent = find_intent(d, p, &qs, &qe);
	/* "...want 'p.g.a.' after their names. What does that mean?": a
	 * question naming no role may be about a topic named just before
	 * (when the question was the whole text, find_intent() looked). */
	for (i = 0; i < p->nocc; i++)
		if (p->occ[i].s >= qs && p->occ[i].e <= qe)
			break;
	if (p->topic < 0 && i == p->nocc && (qs > 0 || qe < p->len)) {
		sec = first_priority(d->topics, p, 0, p->len);
		p->topic = sec >= 0 ? d->topic_of[sec] : -1;
	}
	/* A role named right after "I'm a" / "I work as" is where the person
	 * is now, not what they are asking about. */
	sec = d->sec_self;
	for (first = 0; p->nocc > 0 && sec >= 0 &&
	    pat_match_text(d->context, sec, &p->pt, p->len, first, &s, &e);
	    first = e > s ? e : s + 1)
		for (i = 0; i < p->nocc; i++)
			if (p->occ[i].s >= e && p->occ[i].s - e <= 2) {
				if (p->self_role < 0)
					p->self_role = p->occ[i].role;
				p->self_occ |= 1u << i;
			}
	build_mentions(p, qs, qe);
	/* A career question is about the role the person wants to reach:
	 * "...do I need to be a UPM first or can I jump straight to line
	 * producer?" */
	sec = d->sec_target;
	for (first = 0; p->intent == ENG_I_CAREER && p->nm > 1 && sec >= 0 &&
	    pat_match_text(d->context, sec, &p->pt, p->len, first, &s, &e);
	    first = e > s ? e : s + 1)
		for (i = 1; i < p->nm; i++)
			if (p->m[i].s >= e && p->m[i].s - e <= 2) {
				struct mention t = p->m[i];

				memmove(&p->m[1], &p->m[0],
				    (size_t)i * sizeof p->m[0]);
				p->m[0] = t;
				break;
			}
	/* Off-topic words and the context sections are read only where they
	 * decide something (offtopic(), context()), so a plain question
	 * pays for none of them. */
	p->offtopic = -1;
	/* "how is it different in TV?" names one role at most but an
	 * industry or capacity: that is a variation, not a comparison, and
	 * "X vs Y" naming two roles is a comparison whatever else matched. */
	if (p->intent == ENG_I_COMPARE && p->nm < 2 && (p->industries ||
	    p->capacity >= 0 || p->international))
		p->intent = ENG_I_VARIATION;
	else if (p->intent == ENG_I_VARIATION && p->nm >= 2 && !p->industries &&
	    p->capacity < 0 && !p->international)
		p->intent = ENG_I_COMPARE;
	/* "the money side", "it's for an album": no role, not phrased as a
	 * question, only an industry or capacity.  Money words make it look
	 * like a funding question, but it answers the one we asked. */
	p->slot_only = p->nm == 0 && p->self_role < 0 &&
	    (p->industry >= 0 || p->capacity >= 0 || p->international) &&
	    (p->intent < 0 || p->intent == ENG_I_FUNDING ||
	    p->intent == ENG_I_VARIATION) && (context(d, p, d->sec_carry) ||
	    !context(d, p, d->sec_question));
}

/* ---- state helpers ------------------------------------------------------ */

static int
role_of(const struct dlg_src *d, const char *id)
{
	return id[0] ? kb_find_role(d->kb, id) : NO_ROLE;
}

/* A slot set to v (NULL: empty); a turn sets several. */
static void
set_str(char *slot, const char *v)
{
	rep_copy(slot, ENG_ID_MAX, v ? v : "");
}

static void
set_role(const struct dlg_src *d, char *slot, int role)
{
	const struct kb_role *r = kb_role(d->kb, role);

	set_str(slot, r ? r->id : NULL);
}


static int
industry_variations(const struct kb_role *r)
{
	int v, n = 0;

	for (v = KB_FILM; v <= KB_THEATER; v++)
		n += r->var[v].text != NULL;
	return n;
}

static void
answer_topic(const struct dlg_src *d, int ti, struct eng_state *st,
    struct eng_reply *out)
{
	const struct kb_topic *t = kb_topic(d->kb, ti);

	out->kind = ENG_ANSWER;
	out->intent = eng_intent_name(eng_intent_find(t->intent));
	set_str(st->last_intent, t->intent);
	st->pending[0] = '\0';
	ans_topic(d->kb, ti, out);
}

/* ---- follow-ups and suggestions ---------------------------------------- */

/* Offer at most one question, and only about a dimension the knowledge
 * base says changes this answer, and never one already asked. */
static void
follow_up(const struct kb_role *r, int intent, struct eng_state *st,
    struct eng_reply *out)
{
	int v, n;

	if (intent != ENG_I_DEFINITION && intent != ENG_I_DUTIES &&
	    intent != ENG_I_VARIATION)
		return;
	n = industry_variations(r);
	if (!(st->asked & ENG_ASKED_INDUSTRY) && ans_industry(st) < 0 &&
	    n >= 2) {
		rep_say(out, "\n\nThis differs by industry. Which one are you "
		    "asking about?");
		for (v = KB_FILM; v <= KB_THEATER; v++)
			if (r->var[v].text)
				rep_option(out, industry_title[v], kb_var_name(v));
		st->asked |= ENG_ASKED_INDUSTRY;
		set_str(st->pending, "industry");
		st->pending_age = 0;
		return;
	}
	if (!(st->asked & ENG_ASKED_CAPACITY) && ans_capacity(st) < 0 &&
	    r->var[KB_FUNDING].text && r->var[KB_CREATIVE].text) {
		rep_say(out, "\n\nIt also depends on whether the %s brings money "
		    "or creative work. Which do you mean?", r->name);
		rep_option(out, "Funding", "funding");
		rep_option(out, "Creative", "creative");
		st->asked |= ENG_ASKED_CAPACITY;
		set_str(st->pending, "capacity");
		st->pending_age = 0;
	}
}

static void
suggestions_for(const struct dlg_src *d, int ri, int intent,
    struct eng_reply *out)
{
	const struct kb_role *r = kb_role(d->kb, ri), *o;

	if (r == NULL) {
		rep_suggest(out, "What does a co-producer do?");
		rep_suggest(out, "Associate producer vs co-producer?");
		rep_suggest(out, "How do I become a line producer?");
		return;
	}
	o = r->nreports_to ? kb_role(d->kb, r->reports_to[0]) :
	    r->noversees ? kb_role(d->kb, r->oversees[0]) : NULL;
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

/* Turn FTS5 hits into questions we can answer. */
static void
nearest_topics(const struct dlg_src *d, const char *q, struct eng_reply *out)
{
	struct kb_hit hits[8];
	int i, n = kb_search(d->kb, q, hits, 8);

	for (i = 0; i < n && out->nsuggestions < 3; i++) {
		const struct kb_role *r = kb_role(d->kb, hits[i].role);
		const char *f = hits[i].field;

		if (hits[i].topic >= 0) {
			rep_suggest(out, "%s", kb_topic(d->kb, hits[i].topic)->
			    question);
			continue;
		}
		if (r == NULL)
			continue;
		if (strcmp(f, "career") == 0)
			rep_suggest(out, "How do I become %s %s?", r->article,
			    r->name);
		else if (strcmp(f, "credit") == 0)
			rep_suggest(out, "How is the %s credit earned?", r->name);
		else if (strcmp(f, "pay") == 0)
			rep_suggest(out, "How is %s %s paid?", r->article,
			    r->name);
		else if (strcmp(f, "hierarchy") == 0)
			rep_suggest(out, "Who does %s %s answer to?", r->article,
			    r->name);
		else if (strncmp(f, "var:", 4) == 0 &&
		    kb_var_find(f + 4) <= KB_THEATER)
			rep_suggest(out, "What does %s %s do in %s?", r->article,
			    r->name, ans_industry_label(kb_var_find(f + 4)));
		else
			rep_suggest(out, "What does %s %s do?", r->article,
			    r->name);
	}
}

static void
fallback(const struct dlg_src *d, const struct parse *p, int offtopic,
    struct eng_reply *out)
{
	out->kind = ENG_FALLBACK;
	out->intent = NULL;
	if (offtopic)
		rep_say(out, "That is outside what I cover: I only know about "
		    "producer roles (what producers, co-producers, associate, "
		    "executive and line producers do, how they rank, how "
		    "credits are earned and how careers go).");
	else
		rep_say(out, "Sorry, I did not understand that, or it is not "
		    "something I cover. I answer questions about producer "
		    "roles in film, TV, music and theater.");
	nearest_topics(d, p->t, out);
	if (out->nsuggestions)
		rep_say(out, " These might be close to what you want:");
	suggestions_for(d, NO_ROLE, -1, out);
}

static void
smalltalk(const struct dlg_src *d, int intent, struct eng_state *st,
    struct eng_reply *out)
{
	out->kind = ENG_SMALLTALK;
	out->intent = eng_intent_name(intent);
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
		eng_state_init(st);
		rep_say(out, "Done: I have forgotten the roles and context of this "
		    "conversation. What would you like to ask?");
		break;
	}
	suggestions_for(d, role_of(d, st->role), -1, out);
}

static void
clarify_role(const struct dlg_src *d, int intent, struct eng_state *st,
    struct eng_reply *out, int for_from)
{
	int i, pass;

	out->kind = ENG_CLARIFY;
	if (for_from)
		rep_say(out, "Where are you now? Tell me your current role and I "
		    "will lay out the steps from there.");
	else if (intent == ENG_I_COMPARE)
		rep_say(out, "Which role should I compare it with?");
	else
		rep_say(out, "Which role do you mean?");
	/* More roles than buttons: offer the broadest first (those that
	 * exist across more industries), then the rest while room lasts. */
	for (pass = KB_THEATER + 1; pass >= 0; pass--)
		for (i = 0; i < kb_nroles(d->kb); i++) {
			const struct kb_role *r = kb_role(d->kb, i);

			if (industry_variations(r) != pass ||
			    (for_from && r->nnext == 0) ||
			    (intent == ENG_I_COMPARE && strcmp(r->id, st->role) == 0))
				continue;
			rep_option(out, r->title, r->id);
		}
	set_str(st->pending, for_from ? "from_role" : "role");
	st->pending_age = 0;
	set_str(st->last_intent, eng_intent_name(intent));
}

/* ---- the turn ----------------------------------------------------------- */

static void
answer(const struct dlg_src *d, int intent, const struct parse *p,
    struct eng_state *st, struct eng_reply *out)
{
	int ri = role_of(d, st->role), oi = role_of(d, st->other_role);
	int from = role_of(d, st->from_role);
	const struct kb_role *r = kb_role(d->kb, ri);

	st->pending[0] = '\0';     /* a new answer supersedes an old question */
	if (intent == ENG_I_FUNDING && r == NULL) {
		out->kind = ENG_ANSWER;
		out->intent = eng_intent_name(intent);
		set_str(st->last_intent, eng_intent_name(intent));
		ans_funding(d->kb, NULL, out);
		suggestions_for(d, NO_ROLE, intent, out);
		return;
	}
	if (r == NULL) {
		clarify_role(d, intent, st, out, 0);
		out->intent = eng_intent_name(intent);
		return;
	}
	if (intent == ENG_I_COMPARE && (oi < 0 || oi == ri)) {
		st->other_role[0] = '\0';
		clarify_role(d, intent, st, out, 0);
		out->intent = eng_intent_name(intent);
		return;
	}
	out->kind = ENG_ANSWER;
	out->intent = eng_intent_name(intent);
	set_str(st->last_intent, eng_intent_name(intent));
	/* A follow-up answer or "what about in TV?" already has the general
	 * answer on screen: repeat only what the new industry or capacity
	 * changes, when the knowledge base has something for it. */
	if ((intent == ENG_I_DEFINITION || intent == ENG_I_DUTIES) && p->tailor_only) {
		if (ans_tailored(r, st, p->international, out))
			goto composed;
	}
	switch (intent) {
	case ENG_I_DEFINITION: ans_definition(r, st, p->international, out);
		break;
	case ENG_I_DUTIES: ans_duties(r, st, p->international, out); break;
	case ENG_I_COMPARE: ans_compare(d->kb, ri, oi, out); break;
	case ENG_I_HIERARCHY:
		ans_hierarchy(d->kb, ri, out);
		if (oi >= 0 && oi != ri)
			ans_rank(d->kb, ri, oi, out);
		break;
	case ENG_I_VARIATION: ans_variation(r, st, p->industries, p->international, out); break;
	case ENG_I_CREDIT: ans_credit(r, st, out); break;
	case ENG_I_CAREER: ans_career(d->kb, ri, from, out); break;
	case ENG_I_PAY: ans_pay(r, out); break;
	case ENG_I_FUNDING: ans_funding(d->kb, r, out); break;
	}
composed:
	if (intent == ENG_I_CAREER && from < 0 &&
	    !(st->asked & ENG_ASKED_ROLE)) {
		rep_say(out, "\n\nIf you tell me where you are now, I can lay out "
		    "the steps from there.");
		st->asked |= ENG_ASKED_ROLE;
		set_str(st->pending, "from_role");
		st->pending_age = 0;
		for (oi = 0; oi < kb_nroles(d->kb); oi++) {
			const struct kb_role *o = kb_role(d->kb, oi);

			if (o->level > r->level && o->nnext)
				rep_option(out, o->title, o->id);
		}
	} else
		follow_up(r, intent, st, out);
	suggestions_for(d, ri, intent, out);
}

/* Does this turn answer the pending follow-up?  Only when it carries the
 * slot asked for and no new question of its own. */
static int
fill_pending(const struct dlg_src *d, const struct parse *p,
    struct eng_state *st)
{
	/* "the money side" reads as a funding question and "is it different
	 * on stage" as a variation one; with no role named they are answers
	 * to the question we asked. */
	if (p->intent >= 0 && !is_smalltalk(p->intent) && !p->slot_only &&
	    strcmp(eng_intent_name(p->intent), st->last_intent) != 0)
		return 0;
	if (p->slot_only && (p->industry >= 0 || p->capacity >= 0)) {
		/* Answering another dimension than the one asked still
		 * answers: "the money side" when we asked for an industry. */
		if (p->industry >= 0)
			set_str(st->industry, kb_var_name(p->industry));
		if (p->capacity >= 0)
			set_str(st->capacity, kb_var_name(p->capacity));
		return 1;
	}
	if (strcmp(st->pending, "industry") == 0 && p->industry >= 0) {
		set_str(st->industry, kb_var_name(p->industry));
		return 1;
	}
	if (strcmp(st->pending, "capacity") == 0 && p->capacity >= 0) {
		set_str(st->capacity, kb_var_name(p->capacity));
		return 1;
	}
	if (strcmp(st->pending, "from_role") == 0 &&
	    (p->self_role >= 0 || (p->nm == 1 && !context(d, p, d->sec_carry)))) {
		set_role(d, st->from_role, p->self_role >= 0 ? p->self_role :
		    p->m[0].role);
		return 1;
	}
	if (strcmp(st->pending, "role") == 0 && p->nm >= 1) {
		if (strcmp(st->last_intent, "compare") == 0 && st->role[0])
			set_role(d, st->other_role, p->m[0].role);
		else
			set_role(d, st->role, p->m[0].role);
		return 1;
	}
	return 0;
}

static void
apply_entities(const struct dlg_src *d, const struct parse *p, int intent,
    struct eng_state *st)
{
	if (p->industry >= 0)
		set_str(st->industry, kb_var_name(p->industry));
	if (p->capacity >= 0)
		set_str(st->capacity, kb_var_name(p->capacity));
	else if (intent == ENG_I_FUNDING)
		set_str(st->capacity, "funding");
	if (p->self_role >= 0)
		set_role(d, st->from_role, p->self_role);
	if (intent == ENG_I_COMPARE) {
		if (p->nm >= 2) {
			set_role(d, st->role, p->m[0].role);
			set_role(d, st->other_role, p->m[1].role);
		} else if (p->nm == 1 && st->role[0] &&
		    role_of(d, st->role) != p->m[0].role) {
			/* "how is that different from a producer?" */
			set_role(d, st->other_role, p->m[0].role);
		} else if (p->nm == 1) {
			set_role(d, st->role, p->m[0].role);
			st->other_role[0] = '\0';
		}
		return;
	}
	if (intent == ENG_I_HIERARCHY && p->nm == 1 && st->role[0] &&
	    role_of(d, st->role) != p->m[0].role && context(d, p, d->sec_refer)) {
		/* "where does that sit compared to a co-EP?" */
		set_role(d, st->other_role, p->m[0].role);
		return;
	}
	if (p->nm >= 2) {
		set_role(d, st->role, p->m[0].role);
		set_role(d, st->other_role, p->m[1].role);
	} else if (p->nm == 1 && role_of(d, st->role) != p->m[0].role) {
		/* The role talked about before stays as the other one, so
		 * "how are the two different?" and "what about the other
		 * one?" have something to refer to. */
		memcpy(st->other_role, st->role, ENG_ID_MAX);
		set_role(d, st->role, p->m[0].role);
	}
}

void
dlg_turn(const struct dlg_src *d, struct eng_state *st, const char *text,
    size_t len, struct eng_reply *out)
{
	struct parse p;          /* on the stack: a reload thread may run
				  * another engine's turns meanwhile */
	/* the last turn's intent: only the answers that end this turn
	 * change st->last_intent */
	int last = eng_intent_find(st->last_intent);
	int intent, i, has_entity;

	memset(out, 0, offsetof(struct eng_reply, text));
	out->text[0] = '\0';
	out->noptions = out->nsuggestions = out->ncorrections = 0;
	out->nsources = out->nladder = 0;
	out->ladder_focus = -1;
	parse(d, text, len, &p);
	for (i = 0; i < p.ncorr; i++)
		out->corrections[i] = p.corr[i];
	out->ncorrections = p.ncorr;
	if (p.ncorr) {
		rep_say(out, "(I read ");
		for (i = 0; i < p.ncorr; i++)
			rep_say(out, "%s\"%s\" as \"%s\"", i ? ", " : "",
			    p.corr[i].from, p.corr[i].to);
		rep_say(out, ".) ");
	}
	intent = p.intent;
	/* parse() read "how does that compare to the co-producers on the
	 * same show?" as a variation (one role, an industry); pointing back
	 * at a different role the session is about makes it a comparison. */
	if (intent == ENG_I_VARIATION && p.nm == 1 && st->role[0] &&
	    role_of(d, st->role) != p.m[0].role &&
	    section_match(d->intents, d->sec_compare, &p) &&
	    context(d, &p, d->sec_refer))
		intent = p.intent = ENG_I_COMPARE;
	if (p.slot_only && last >= 0 && !is_smalltalk(last))
		intent = -1;
	has_entity = p.nm > 0 || p.self_role >= 0 || p.industry >= 0 ||
	    p.capacity >= 0 || p.international;

	if (intent == ENG_I_RESET) {
		smalltalk(d, intent, st, out);
		goto done;
	}
	/* "an insurance producer", "oil producers": the role word is there,
	 * the trade is not ours. */
	if (p.nocc > 0 && section_match(d->offtopic, d->sec_not_media, &p)) {
		fallback(d, &p, 1, out);
		goto done;
	}
	/* "ok what about the other one": swap to the other role of the
	 * conversation and ask the last question again. */
	if (p.nm == 0 && st->other_role[0] && last >= 0 &&
	    (p.intent < 0 || p.intent == last) &&
	    section_match(d->context, d->sec_other, &p)) {
		char tmp[ENG_ID_MAX];

		memcpy(tmp, st->role, ENG_ID_MAX);
		memcpy(st->role, st->other_role, ENG_ID_MAX);
		memcpy(st->other_role, tmp, ENG_ID_MAX);
		answer(d, last, &p, st, out);
		goto done;
	}
	/* "so I work as a UPM on a cable drama": no question, but where the
	 * person is now; remember it and say where it usually leads. */
	if (p.intent < 0 && p.nm == 0 && p.self_role >= 0 &&
	    !st->pending[0]) {
		set_role(d, st->from_role, p.self_role);
		set_role(d, st->role, p.self_role);
		answer(d, ENG_I_CAREER, &p, st, out);
		goto done;
	}
	/* A greeting or thanks wrapped around a real question ("thanks! and
	 * for a line producer?") is that question. */
	if (intent >= 0 && is_smalltalk(intent) && has_entity)
		intent = -1;

	if (p.nm == 0 && offtopic(d, &p)) {
		/* Off-topic even if it names an industry ("is the film school
		 * open?"): not an answer to our question, which stays open. */
		if (st->pending[0] && ++st->pending_age > 1)
			st->pending[0] = '\0';
		fallback(d, &p, 1, out);
		goto done;
	}
	/* A question about a topic ("why are there so many producers?") is
	 * a new question even when it names roles. */
	if (p.topic >= 0 && !p.slot_only && (intent < 0 ||
	    !is_smalltalk(intent))) {
		if (p.industry >= 0)
			set_str(st->industry, kb_var_name(p.industry));
		if (p.capacity >= 0)
			set_str(st->capacity, kb_var_name(p.capacity));
		answer_topic(d, p.topic, st, out);
		goto done;
	}
	if (st->pending[0]) {
		if (last >= 0 && fill_pending(d, &p, st)) {
			st->pending[0] = '\0';
			p.tailor_only = p.nm == 0;
			if (p.industry >= 0 &&
			    strcmp(kb_var_name(p.industry), st->industry))
				set_str(st->industry,
				    kb_var_name(p.industry));
			answer(d, last, &p, st, out);
			goto done;
		}
		/* Keep the question open across one interruption only, so
		 * an unrelated question moves the conversation on; a new
		 * answer drops it at once (see answer()). */
		if (++st->pending_age > 1)
			st->pending[0] = '\0';
	}
	/* "I'm a production coordinator - will I get credited?" asks about
	 * the role the person holds. */
	if (p.nm == 0 && p.self_role >= 0 && intent >= 0 &&
	    intent != ENG_I_CAREER && !is_smalltalk(intent)) {
		p.m[0] = (struct mention){ p.self_role, 0, 0 };
		p.nm = 1;
	}
	/* "producer vs cinematographer": half of it is not ours */
	if (intent == ENG_I_COMPARE && p.nm < 2 && offtopic(d, &p)) {
		fallback(d, &p, 1, out);
		goto done;
	}
	if (intent >= 0 && is_smalltalk(intent)) {
		smalltalk(d, intent, st, out);
		goto done;
	}
	if (intent < 0 && has_entity) {
		/* Carry-over: "and an associate producer?", "what about in
		 * TV?" re-ask the last question with the new slot. */
		intent = last;
		p.tailor_only = p.nm == 0;
		if (intent < 0 || is_smalltalk(intent))
			intent = p.nm >= 2 ? ENG_I_COMPARE : p.nm == 1 ?
			    ENG_I_DEFINITION : (p.industry >= 0 || p.international
			    || p.capacity >= 0) && st->role[0] ? ENG_I_VARIATION :
			    -1;
		/* after a comparison, "and a showrunner?" compares the same
		 * role with the new one: apply_entities() does that */
	}
	if (intent < 0) {
		fallback(d, &p, offtopic(d, &p), out);
		goto done;
	}
	/* "what's the wifi password?" matches the shape of a definition
	 * question; with no role named and nothing pointing back at the
	 * conversation it is not one. */
	if ((p.intent == ENG_I_DEFINITION || p.intent == ENG_I_DUTIES) &&
	    intent == p.intent && p.nm == 0 && !p.slot_only &&
	    !context(d, &p, d->sec_refer)) {
		fallback(d, &p, 0, out);
		goto done;
	}
	apply_entities(d, &p, intent, st);
	if (intent == ENG_I_CAREER && p.nm == 0 && p.self_role >= 0)
		set_role(d, st->role, p.self_role);  /* "I'm a UPM, what next?" */
	answer(d, intent, &p, st, out);
done:
	out->slots = *st;
}

void
dlg_welcome(const struct dlg_src *d, const struct eng_state *st,
    struct eng_reply *out)
{
	int ri = role_of(d, st->role);

	memset(out, 0, sizeof *out);
	out->kind = ENG_SMALLTALK;
	out->intent = "greeting";
	out->ladder_focus = -1;
	if (ri >= 0)
		rep_say(out, "Welcome back! We were talking about the %s role. "
		    "Ask me anything else about producer roles.",
		    kb_role(d->kb, ri)->name);
	else
		rep_say(out, "Hi! I answer questions about producer roles in "
		    "film, TV, music and theater: what a co-producer or an "
		    "associate producer does, who answers to whom, how the "
		    "credit is earned, and how to get there.");
	suggestions_for(d, ri, -1, out);
	out->slots = *st;
}

/* What each section of ps stands for, by find(name), into *out; -1 with
 * err when a section stands for nothing in [lo, hi]. */
static int
map_sections(const struct dlg_src *d, const struct pat_set *ps,
    int (*find)(const struct dlg_src *, const char *), int lo, int hi,
    const char *path, int **out, char *err, size_t errlen)
{
	int *m = xcalloc((size_t)pat_count(ps), sizeof *m), i;

	*out = m;
	for (i = 0; i < pat_count(ps); i++) {
		m[i] = find(d, pat_name(ps, i));
		if (m[i] < lo || m[i] > hi) {
			snprintf(err, errlen, "%s: unknown section [%s]", path,
			    pat_name(ps, i));
			return -1;
		}
	}
	return 0;
}

static int map_role(const struct dlg_src *d, const char *n)
{ return kb_find_role(d->kb, n); }
static int map_intent(const struct dlg_src *d, const char *n)
{ (void)d; return eng_intent_find(n); }
static int map_var(const struct dlg_src *d, const char *n)
{ (void)d; return kb_var_find(n); }
static int map_topic(const struct dlg_src *d, const char *n)
{ return kb_find_topic(d->kb, n); }

void
dlg_release(struct dlg_src *d)
{
	free(d->role_of);
	free(d->intent_of);
	free(d->industry_of);
	free(d->capacity_of);
	free(d->topic_of);
	d->role_of = d->intent_of = d->industry_of = d->capacity_of =
	    d->topic_of = NULL;
}

int
dlg_validate(struct dlg_src *d, const char *dir, char *err,
    size_t errlen)
{
	char path[1024];
	int i;

	dlg_release(d);
	snprintf(path, sizeof path, "%s/intents.txt", dir);
	if (map_sections(d, d->intents, map_intent, 0, ENG_I_N - 1, path,
	    &d->intent_of, err, errlen))
		return -1;
	snprintf(path, sizeof path, "%s/roles.txt", dir);
	if (map_sections(d, d->roles, map_role, 0, INT_MAX, path, &d->role_of,
	    err, errlen))
		return -1;
	for (i = 0; i < kb_nroles(d->kb); i++)
		if (pat_find(d->roles, kb_role(d->kb, i)->id) < 0) {
			snprintf(err, errlen, "%s: no [%s] section: that role "
			    "could never be recognised", path,
			    kb_role(d->kb, i)->id);
			return -1;
		}
	snprintf(path, sizeof path, "%s/industries.txt", dir);
	if (map_sections(d, d->industries, map_var, KB_FILM, KB_INTERNATIONAL,
	    path, &d->industry_of, err, errlen))
		return -1;
	snprintf(path, sizeof path, "%s/capacities.txt", dir);
	if (map_sections(d, d->capacities, map_var, KB_FUNDING, KB_CREATIVE,
	    path, &d->capacity_of, err, errlen))
		return -1;
	snprintf(path, sizeof path, "%s/topics.txt", dir);
	if (map_sections(d, d->topics, map_topic, 0, INT_MAX, path,
	    &d->topic_of, err, errlen))
		return -1;
	for (i = 0; i < kb_ntopics(d->kb); i++)
		if (pat_find(d->topics, kb_topic(d->kb, i)->id) < 0) {
			snprintf(err, errlen, "%s: no [%s] section: that topic "
			    "could never be recognised", path,
			    kb_topic(d->kb, i)->id);
			return -1;
		}
	d->sec_self = pat_find(d->context, "self");
	d->sec_target = pat_find(d->context, "target");
	d->sec_carry = pat_find(d->context, "carry");
	d->sec_question = pat_find(d->context, "question");
	d->sec_refer = pat_find(d->context, "refer");
	d->sec_other = pat_find(d->context, "other");
	d->sec_not_media = pat_find(d->offtopic, "not-media");
	d->sec_compare = pat_find(d->intents, "compare");
	return 0;
}
