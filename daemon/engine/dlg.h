/* dlg.h - the dialogue: one user turn in, one reply out.
 *
 * Reads the question through the pattern sets, updates the session's slots
 * and composes the answer from the knowledge base's structured fields. */
#ifndef SLATE_DLG_H
#define SLATE_DLG_H

#include "eng.h"
#include "kb.h"
#include "lex.h"
#include "pat.h"

/* Everything a turn reads; owned by struct eng. */
struct dlg_src {
	struct kb *kb;
	struct lex *lex;
	struct pat_set *intents;     /* sections named after intents */
	struct pat_set *roles;       /* sections named after role ids */
	struct pat_set *industries;  /* film tv music theater international */
	struct pat_set *capacities;  /* funding creative */
	struct pat_set *context;     /* self: "I'm a ..." */
	struct pat_set *offtopic;    /* things we know we do not cover */
	struct pat_set *topics;      /* sections named after topic ids */
	/* What each section stands for, filled by dlg_validate() so a turn
	 * looks nothing up by name; freed by dlg_release(). */
	int *role_of;                /* roles section -> kb role */
	int *intent_of;              /* intents section -> intent */
	int *industry_of;            /* industries section -> kb_var */
	int *capacity_of;            /* capacities section -> kb_var */
	int *topic_of;               /* topics section -> kb topic */
	int sec_self, sec_target, sec_carry, sec_question, sec_refer,
	    sec_other;               /* context sections, -1 if absent */
	int sec_not_media;           /* offtopic section, -1 if absent */
	int sec_compare;             /* intents section, -1 if absent */
};

/* Map each section of the pattern sets to the intent, role, industry,
 * capacity or topic it stands for, refusing a name that is none, and check
 * that every role and topic has patterns.  0 or -1 with err. */
int dlg_validate(struct dlg_src *d, const char *patterns_dir,
    char *err, size_t errlen);
/* Free what dlg_validate() built (not the sets, kb and lexicon). */
void dlg_release(struct dlg_src *d);
void dlg_turn(const struct dlg_src *d, struct eng_state *st,
    const char *text, size_t len, struct eng_reply *r);
void dlg_welcome(const struct dlg_src *d, const struct eng_state *st,
    struct eng_reply *r);

#endif
