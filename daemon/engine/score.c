/* score.c - rates over labelled turns (score.h). */
#define _GNU_SOURCE
#include <string.h>
#include "score.h"

/* Does text have one of the group's alternatives? */
static int
score_group_hit(const json_t *g, const char *text)
{
	const json_t *alt;
	size_t k;

	json_array_foreach(g, k, alt)
		if (json_is_string(alt) && strcasestr(text,
		    json_string_value(alt)) != NULL)
			return 1;
	return 0;
}

const json_t *
score_missing_fact(const json_t *turn, const char *text)
{
	const json_t *g;
	size_t i;

	json_array_foreach(json_object_get(turn, "facts"), i, g)
		if (!score_group_hit(g, text))
			return g;
	return NULL;
}

static int
score_intent_index(const char *name)
{
	int i = name ? eng_intent_find(name) : -1;

	return i < 0 ? SCORE_NONE : i;
}

/* Does the reply name the role the turn's label names (when it does)? */
static int
score_role_right(const json_t *turn, const struct eng_reply *r)
{
	const json_t *want = json_object_get(json_object_get(turn, "slots"),
	    "role");

	return !json_is_string(want) || strcmp(json_string_value(want),
	    r->slots.role) == 0;
}

void
score_turn(struct score *s, const json_t *turn, const struct eng_reply *r)
{
	const json_t *want = json_object_get(turn, "intent"), *g;
	int answered = r->kind == ENG_ANSWER, w = -1, got;
	size_t i;

	s->turns++;
	got = r->kind == ENG_FALLBACK ? SCORE_NONE :
	    score_intent_index(r->intent);
	if (r->kind == ENG_CLARIFY)
		s->clarify++;
	if (want != NULL) {
		w = json_is_string(want) ?
		    score_intent_index(json_string_value(want)) : SCORE_NONE;
		s->intent_labelled++;
		s->intent_right += w == got;
		s->confusion[w][got]++;
	}
	if (w == SCORE_NONE) {
		s->offtopic++;
		s->offtopic_declined += r->kind == ENG_FALLBACK;
		s->confident_wrong += answered;
	} else if (answered && ((w >= 0 && w != got) ||
	    !score_role_right(turn, r)))
		s->confident_wrong++;
	json_array_foreach(json_object_get(turn, "facts"), i, g) {
		s->fact_groups++;
		s->fact_hits += score_group_hit(g, r->text);
	}
}

void
score_add(struct score *s, const struct score *t)
{
	int i, k;

	s->turns += t->turns;
	s->intent_labelled += t->intent_labelled;
	s->intent_right += t->intent_right;
	s->fact_groups += t->fact_groups;
	s->fact_hits += t->fact_hits;
	s->offtopic += t->offtopic;
	s->offtopic_declined += t->offtopic_declined;
	s->clarify += t->clarify;
	s->confident_wrong += t->confident_wrong;
	for (i = 0; i <= ENG_I_N; i++)
		for (k = 0; k <= ENG_I_N; k++)
			s->confusion[i][k] += t->confusion[i][k];
}

static void
score_rate(FILE *out, const char *what, int n, int of)
{
	if (of == 0)
		fprintf(out, ", %s -", what);
	else
		fprintf(out, ", %s %d/%d (%.1f%%)", what, n, of,
		    100.0 * n / of);
}

void
score_print(const struct score *s, const char *label, FILE *out)
{
	fprintf(out, "%s: %d turns", label, s->turns);
	score_rate(out, "intent", s->intent_right, s->intent_labelled);
	score_rate(out, "facts", s->fact_hits, s->fact_groups);
	score_rate(out, "off-topic declined", s->offtopic_declined,
	    s->offtopic);
	score_rate(out, "clarified", s->clarify, s->turns);
	score_rate(out, "confident wrong", s->confident_wrong, s->turns);
	fputc('\n', out);
}

static const char *
score_name(int i)
{
	return i == SCORE_NONE ? "none" : eng_intent_name(i);
}

void
score_confusion(const struct score *s, FILE *out)
{
	int done[ENG_I_N + 1][ENG_I_N + 1] = { { 0 } };
	int i, k, bi, bk, best;

	fprintf(out, "confusion (labelled -> answered: turns):\n");
	for (;;) {
		best = 0;
		bi = bk = -1;
		for (i = 0; i <= ENG_I_N; i++)
			for (k = 0; k <= ENG_I_N; k++)
				if (i != k && !done[i][k] &&
				    s->confusion[i][k] > best) {
					best = s->confusion[i][k];
					bi = i;
					bk = k;
				}
		if (bi < 0)
			break;
		done[bi][bk] = 1;
		fprintf(out, "  %-10s -> %-10s %d\n", score_name(bi),
		    score_name(bk), best);
	}
}
