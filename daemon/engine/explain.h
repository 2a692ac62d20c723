/* explain.h - why a turn came out as it did, for `slate ask --explain`:
 * the question as the patterns saw it, the sentence that asks, every
 * pattern line that fired (file:line), the intents in the running, the
 * turn rule that answered and why, and the confidence. */
#ifndef SLATE_EXPLAIN_H
#define SLATE_EXPLAIN_H

#include "common/jw.h"
#include "dlg.h"

/* The explanation of the turn traced in tr, answered with r, as one JSON
 * object appended to w. */
void explain_turn(const struct eng_src *d, const struct dlg_trace *tr,
    const struct eng_reply *r, struct jw *w);

#endif
