/* score.h - how well an engine does on labelled turns, beyond pass or
 * fail: intent accuracy, the facts a correct answer must contain, off-topic
 * questions declined, how often it asked back, and the worst outcome, a
 * confident wrong answer (an answer with the wrong intent or role, or any
 * answer to an off-topic question). */
#ifndef SLATE_SCORE_H
#define SLATE_SCORE_H

#include <stdio.h>
#include <jansson.h>
#include "val.h"

#define SCORE_NONE ENG_I_N      /* no intent: off-topic, or a fallback */

struct score {
	int turns;
	int intent_labelled, intent_right;
	int fact_groups, fact_hits;
	int offtopic, offtopic_declined;
	int clarify;                /* replies that asked back */
	int confident_wrong;
	int confusion[ENG_I_N + 1][ENG_I_N + 1];  /* labelled x answered */
};

/* The first of a turn's "facts" groups (arrays of alternatives, any of
 * which will do) that text has none of, or NULL when it has them all. */
const json_t *score_missing_fact(const json_t *turn, const char *text);
/* Count one labelled turn and the reply it got. */
void score_turn(struct score *s, const json_t *turn,
    const struct eng_reply *r);
/* s += t */
void score_add(struct score *s, const struct score *t);
/* One line of rates, headed by label. */
void score_print(const struct score *s, const char *label, FILE *out);
/* The intents confused, labelled -> answered, most frequent first. */
void score_confusion(const struct score *s, FILE *out);

#endif
