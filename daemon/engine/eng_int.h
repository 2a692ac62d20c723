/* eng_int.h - the engine's insides, shared by its own modules only.
 *
 * eng.h is the facade the server and the CLI see; this header is what the
 * engine's modules share behind it (as libuv keeps uv-common.h apart from
 * uv.h): what one turn reads, and struct eng itself.  Nothing outside
 * daemon/engine/ includes it (tests/arch.sh). */
#ifndef SLATE_ENG_INT_H
#define SLATE_ENG_INT_H

#include "idx.h"
#include "kb.h"
#include "lex.h"
#include "pat.h"
#include "val.h"

/* Everything a turn reads, built by eng_load() and immutable afterwards. */
struct eng_src {
	struct kb *kb;
	struct idx *idx;             /* kb's search index */
	struct lex *lex;
	struct pat_set *intents;     /* sections named after intents */
	struct pat_set *roles;       /* sections named after role ids */
	struct pat_set *industries;  /* film tv music theater international */
	struct pat_set *capacities;  /* funding creative */
	struct pat_set *context;     /* self: "I'm a ..." */
	struct pat_set *offtopic;    /* things we know we do not cover */
	struct pat_set *topics;      /* sections named after topic ids */
	/* What each section stands for, mapped once at load so that a turn
	 * looks nothing up by name. */
	int *role_of;                /* roles section -> kb role */
	int *intent_of;              /* intents section -> intent */
	int *industry_of;            /* industries section -> kb_var */
	int *capacity_of;            /* capacities section -> kb_var */
	int *topic_of;               /* topics section -> kb topic */
	int sec_self, sec_target, sec_carry, sec_question, sec_refer,
	    sec_other;               /* context sections, -1 if absent */
	int sec_entry, sec_novice, sec_next, sec_begin;  /* a career plan's: a first
				  * job as the start, the step after, the
				  * first step */
	int sec_not_media;           /* offtopic section, -1 if absent */
	int sec_compare;             /* intents section, -1 if absent */
};

struct eng {
	struct eng_src s;
	char version[32];
};

#endif
