/* conf.c - how sure a reply is (conf.h). */
#include "conf.h"
#include "say.h"
#include "slot.h"

/* How sure the reply is to be what was asked: each sign of another
 * reading takes some away.  A clarifying question is honest doubt, an
 * off-topic decline with the evidence for it is sure. */
double
conf_score(const struct ans_turn *t)
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
	/* A comparison naming an industry is a variation and the other way
	 * round (parse_settle()): the same evidence, not another reading. */
	if (in == ENG_I_VARIATION || in == ENG_I_COMPARE)
		others &= ~(1u << ENG_I_VARIATION | 1u << ENG_I_COMPARE);
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

/* An answer this unsure, with another reading the words fit, becomes a
 * question back: which of the two was meant (a confident wrong answer is
 * the worst outcome; asking is a good one). */
#define CONF_ASK_BELOW 0.7

void
conf_doubt(struct ans_turn *t)
{
	struct eng_reply *out = t->out;
	unsigned others;
	int in, alt;

	if (out->kind != ENG_ANSWER || out->confidence >= CONF_ASK_BELOW ||
	    out->intent == NULL || t->p.topic >= 0)
		return;
	in = eng_intent_find(out->intent);
	others = t->p.cands & ~(1u << in);
	if (in == ENG_I_VARIATION || in == ENG_I_COMPARE)
		others &= ~(1u << ENG_I_VARIATION | 1u << ENG_I_COMPARE);
	if (others == 0)
		return;
	for (alt = 0; !(others >> alt & 1); alt++)
		;
	say_did_you_mean(kb_role(t->d->kb, slot_role(t->d->kb, t->st->role)),
	    in, alt, out);
	out->kind = ENG_CLARIFY;
	out->confidence = 0.5;
	slot_set(t->st->pending, "intent");
	t->st->pending_age = 0;
}

