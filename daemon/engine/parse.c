/* parse.c - reading one question apart from the session: normalise it,
 * correct domain typos, find the roles, industries and capacities it
 * names, the sentence that asks and the intent it asks with.  What the
 * session makes of it is dlg.c's business.  Nothing here allocates. */
#include <string.h>
#include "parse.h"
#include "norm.h"

/* The section whose match starts first, or -1. */
static int
parse_first_match(struct pat_set *ps, const struct pfx_text *pt)
{
	int i, best = -1;
	size_t s, e, bs = (size_t)-1;

	for (i = 0; i < pat_count(ps); i++)
		if (pat_match_text(ps, i, pt, pt->len, 0, &s, &e) && s < bs) {
			bs = s;
			best = i;
		}
	return best;
}

/* Every role mention in text order, the longest of overlapping ones. */
static void
parse_roles(const struct eng_src *d, struct parse *p)
{
	struct parse_mention all[32];
	int n = 0, i, j, k, role;
	size_t s, e, at;

	for (i = 0; i < pat_count(d->roles); i++) {
		role = d->role_of[i];
		for (at = 0; n < 32 && pat_match_text(d->roles, i, &p->pt, p->len,
		    at, &s, &e); at = e > s ? e : s + 1)
			all[n++] = (struct parse_mention){ role, s, e };
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
parse_mentions(struct parse *p, size_t qs, size_t qe)
{
	int pass, i, k;

	p->nm = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < p->nocc; i++) {
			const struct parse_mention *o = &p->occ[i];
			int inside = o->s >= qs && o->e <= qe;

			if ((pass == 0) != inside || (p->self_occ >> i & 1))
				continue;
			for (k = 0; k < p->nm; k++)
				if (p->m[k].role == o->role)
					break;
			if (k == p->nm && p->nm < PARSE_MENTIONS)
				p->m[p->nm++] = *o;
		}
}

/* The first section in file order with a match in t[from, to), or -1. */
static int
parse_first_section(struct pat_set *ps, const struct parse *p, size_t from,
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
int
parse_offtopic(const struct eng_src *d, struct parse *p)
{
	if (p->offtopic < 0)
		p->offtopic = parse_first_match(d->offtopic, &p->pt) >= 0;
	return p->offtopic;
}

/* Does section sec of ps (-1: a section the files lack) match? */
int
parse_section(struct pat_set *ps, int sec, const struct parse *p)
{
	size_t s, e;

	return sec >= 0 && pat_match_text(ps, sec, &p->pt, p->len, 0, &s, &e);
}

/* Does the context.txt section sec (an eng_src.sec_* index) match? */
int
parse_context(const struct eng_src *d, const struct parse *p, int sec)
{
	return parse_section(d->context, sec, p);
}

/* The intent of the first intents section with a match in t[from, to),
 * or -1. */
static int
parse_intent_in(const struct eng_src *d, const struct parse *p, size_t from,
    size_t to)
{
	size_t s, e;
	int i;

	for (i = 0; i < pat_count(d->intents); i++)
		if (pat_match_text(d->intents, i, &p->pt, to, from, &s, &e))
			return d->intent_of[i];
	return -1;
}

/* Sentences of the question, at most PARSE_SENT (later ones are merged into
 * the last): a sentence ends at . ! ? ; or : followed by a space. */
#define PARSE_SENT 32

struct parse_sent { size_t s, e; int asks; };

static int
parse_sentences(const struct parse *p, struct parse_sent *out)
{
	size_t i, s = 0;
	int n = 0;

	for (i = 0; i < p->len; i++) {
		char c = p->t[i];

		if ((c == '.' || c == '!' || c == '?' || c == ';' ||
		    c == ':') && i + 1 < p->len && p->t[i + 1] == ' ' &&
		    n < PARSE_SENT - 1) {
			out[n++] = (struct parse_sent){ s, i + 1, c == '?' };
			s = i + 2;
		}
	}
	if (s < p->len)
		out[n++] = (struct parse_sent){ s, p->len,
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
parse_intent(const struct eng_src *d, struct parse *p, size_t *qs,
    size_t *qe)
{
	struct parse_sent sn[PARSE_SENT];
	int n = parse_sentences(p, sn), i, in, small = -1, pass, tp;

	*qs = 0;
	*qe = p->len;
	for (pass = 0; pass < 2; pass++)
		for (i = pass == 0 ? 0 : n - 1; pass == 0 ? i < n : i >= 0;
		    i += pass == 0 ? 1 : -1) {
			if ((pass == 0) != (sn[i].asks != 0))
				continue;       /* each sentence is tried once */
			/* A topic ("why so many producers?") outranks the
			 * intents within its sentence. */
			tp = parse_first_section(d->topics, p, sn[i].s, sn[i].e);
			in = parse_intent_in(d, p, sn[i].s, sn[i].e);
			if (tp >= 0 || (in >= 0 && !eng_intent_smalltalk(in))) {
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
	in = parse_intent_in(d, p, 0, p->len);
	return in >= 0 && !eng_intent_smalltalk(in) ? in : small >= 0 ? small : in;
}

/* Every question intent with a match in t[from, to), one bit each. */
static unsigned
parse_candidates(const struct eng_src *d, const struct parse *p, size_t from,
    size_t to)
{
	unsigned bits = 0;
	size_t s, e;
	int i, in;

	for (i = 0; i < pat_count(d->intents); i++) {
		in = d->intent_of[i];
		if (!eng_intent_smalltalk(in) && !(bits >> in & 1) &&
		    pat_match_text(d->intents, i, &p->pt, to, from, &s, &e))
			bits |= 1u << in;
	}
	return bits;
}

/* The earliest industry named wins: in "a stage show" the word "show" is
 * only the noun that "stage" qualifies. */
static void
parse_industries(const struct eng_src *d, struct parse *p)
{
	size_t s, e, first = (size_t)-1;
	int i;

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
}

/* "...want 'p.g.a.' after their names. What does that mean?": a question
 * naming no role may be about a topic named just before (when the
 * question was the whole text, parse_intent() looked). */
static void
parse_topic_before(const struct eng_src *d, struct parse *p, size_t qs,
    size_t qe)
{
	int i, sec;

	for (i = 0; i < p->nocc; i++)
		if (p->occ[i].s >= qs && p->occ[i].e <= qe)
			break;
	if (p->topic < 0 && i == p->nocc && (qs > 0 || qe < p->len)) {
		sec = parse_first_section(d->topics, p, 0, p->len);
		p->topic = sec >= 0 ? d->topic_of[sec] : -1;
	}
}

/* A role named right after "I'm a" / "I work as" is where the person is
 * now, not what they are asking about. */
static void
parse_self(const struct eng_src *d, struct parse *p)
{
	size_t s, e, from;
	int i, sec = d->sec_self;

	for (from = 0; p->nocc > 0 && sec >= 0 &&
	    pat_match_text(d->context, sec, &p->pt, p->len, from, &s, &e);
	    from = e > s ? e : s + 1)
		for (i = 0; i < p->nocc; i++)
			if (p->occ[i].s >= e && p->occ[i].s - e <= 2) {
				if (p->self_role < 0)
					p->self_role = p->occ[i].role;
				p->self_occ |= 1u << i;
			}
}

/* Does the person start from a first job, a course or nothing at all?
 * "I'm a PA right now", "I've been doing accounting for 8 years", "with
 * zero experience": the first two name where they are after "I'm a" or
 * "I've been", within a few words. */
static int
parse_entry(const struct eng_src *d, const struct parse *p)
{
	size_t s, e, from, s2, e2;

	if (parse_section(d->context, d->sec_novice, p))
		return 1;
	for (from = 0; d->sec_self >= 0 && d->sec_entry >= 0 &&
	    pat_match_text(d->context, d->sec_self, &p->pt, p->len, from, &s,
	    &e); from = e > s ? e : s + 1)
		if (pat_match_text(d->context, d->sec_entry, &p->pt,
		    e + 32 < p->len ? e + 32 : p->len, e, &s2, &e2) &&
		    memchr(p->t + e, '.', s2 - e) == NULL)
			return 1;
	return 0;
}

/* A career question is about the role the person wants to reach: "...do
 * I need to be a UPM first or can I jump straight to line producer?" puts
 * the line producer first. */
static void
parse_target(const struct eng_src *d, struct parse *p)
{
	size_t s, e, from;
	int i, sec = d->sec_target;

	for (from = 0; p->intent == ENG_I_CAREER && p->nm > 1 && sec >= 0 &&
	    pat_match_text(d->context, sec, &p->pt, p->len, from, &s, &e);
	    from = e > s ? e : s + 1)
		for (i = 1; i < p->nm; i++)
			if (p->m[i].s >= e && p->m[i].s - e <= 2) {
				struct parse_mention t = p->m[i];

				memmove(&p->m[1], &p->m[0],
				    (size_t)i * sizeof p->m[0]);
				p->m[0] = t;
				break;
			}
}

/* What the intent patterns cannot tell on their own.  "how is it
 * different in TV?" names one role at most but an industry or capacity:
 * that is a variation, not a comparison, and "X vs Y" naming two roles is
 * a comparison whatever else matched.  "the money side", "it's for an
 * album": no role, not phrased as a question, only an industry or
 * capacity; money words make it look like a funding question, but it
 * answers the one we asked. */
static void
parse_settle(const struct eng_src *d, struct parse *p)
{
	if (p->intent == ENG_I_COMPARE && p->nm < 2 && (p->industries ||
	    p->capacity >= 0 || p->international))
		p->intent = ENG_I_VARIATION;
	else if (p->intent == ENG_I_VARIATION && p->nm >= 2 && !p->industries &&
	    p->capacity < 0 && !p->international)
		p->intent = ENG_I_COMPARE;
	p->slot_only = p->nm == 0 && p->self_role < 0 &&
	    (p->industry >= 0 || p->capacity >= 0 || p->international) &&
	    (p->intent < 0 || p->intent == ENG_I_FUNDING ||
	    p->intent == ENG_I_VARIATION) && (parse_context(d, p, d->sec_carry) ||
	    !parse_context(d, p, d->sec_question));
}

void
parse_question(const struct eng_src *d, const char *text, size_t len,
    struct parse *p)
{
	size_t qs, qe;
	int sec;

	memset(p, 0, offsetof(struct parse, t));
	p->len = norm_text(text, len > ENG_INPUT_MAX ? ENG_INPUT_MAX : len,
	    p->t, ENG_INPUT_MAX);
	p->ncorr = lex_correct(d->lex, p->t, sizeof p->t, p->corr,
	    ENG_CORR_MAX);
	p->len = strlen(p->t);
	/* PCRE2's JIT may read a little past the subject; keep those bytes
	 * defined so memory checkers see nothing uninitialised. */
	memset(p->t + p->len, 0, sizeof p->t - p->len);
	pfx_text_init(&p->pt, p->t, p->len);
	p->self_role = -1;
	p->self_occ = 0;
	p->industry = p->capacity = p->intent = -1;
	p->nm = p->nocc = 0;
	parse_roles(d, p);
	parse_industries(d, p);
	sec = parse_first_match(d->capacities, &p->pt);
	if (sec >= 0)
		p->capacity = d->capacity_of[sec];
	p->topic = -1;
	p->intent = parse_intent(d, p, &qs, &qe);
	p->qs = qs;
	p->qe = qe;
	p->cands = parse_candidates(d, p, qs, qe);
	parse_topic_before(d, p, qs, qe);
	parse_self(d, p);
	p->entry = p->self_role < 0 && parse_entry(d, p);
	parse_mentions(p, qs, qe);
	parse_target(d, p);
	/* Off-topic words and the context sections are read only where they
	 * decide something (parse_offtopic(), parse_context()), so a plain
	 * question pays for none of them. */
	p->offtopic = -1;
	parse_settle(d, p);
}
