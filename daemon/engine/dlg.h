/* dlg.h - the dialogue: one user turn in, one reply out.
 *
 * Reads the question (parse.h), decides with the turn rules what it asks
 * given the session, updates the session's slots and answers (ans.h). */
#ifndef SLATE_DLG_H
#define SLATE_DLG_H

#include <stddef.h>
#include "eng_int.h"

/* Answer text[0, len); updates st, fills out.  Never fails. */
void dlg_turn(const struct eng_src *d, struct eng_state *st,
    const char *text, size_t len, struct eng_reply *out);
/* The greeting of a new or resumed session. */
void dlg_welcome(const struct eng_src *d, const struct eng_state *st,
    struct eng_reply *out);

#endif
