/* dlg.h - the dialogue: one user turn in, one reply out.
 *
 * Reads the question (parse.h), decides with the turn rules what it asks
 * given the session, updates the session's slots and answers (ans.h). */
#ifndef SLATE_DLG_H
#define SLATE_DLG_H

#include <stddef.h>
#include "eng_int.h"
#include "parse.h"

/* What a turn decided and why, for explaining it: the question as read
 * (its pattern summary is not to be used: it points into the original),
 * and the turn rule that answered, with the reason it stands for. */
#define DLG_TRACE_RULES 8

struct dlg_trace {
	struct parse p;
	const char *rule;           /* the rule that answered */
	const char *why;
	const char *steps[DLG_TRACE_RULES];  /* the rules that held, in order */
	int nsteps;
};

/* Answer text[0, len); updates st, fills out.  Never fails.  tr, when not
 * NULL, is filled in too. */
void dlg_turn(const struct eng_src *d, struct eng_state *st,
    const char *text, size_t len, struct eng_reply *out,
    struct dlg_trace *tr);
/* The greeting of a new or resumed session. */
void dlg_welcome(const struct eng_src *d, const struct eng_state *st,
    struct eng_reply *out);

#endif
