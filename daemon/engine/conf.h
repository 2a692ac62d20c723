/* conf.h - how sure the engine is that a reply is what was asked, and
 * what it does when it is not: the reply's confidence is worked out from
 * the evidence of the turn, and an unsure answer the words fit another
 * way becomes a "did you mean" with both readings (Rasa's two-stage
 * fallback). */
#ifndef SLATE_CONF_H
#define SLATE_CONF_H

#include "ans.h"

/* The confidence of the reply the turn has made, 0.2 to 0.95. */
double conf_score(const struct ans_turn *t);
/* Turn an answer under the threshold with another reading into a
 * question back; nothing otherwise. */
void conf_doubt(struct ans_turn *t);

#endif
