/* parse.h - one question read apart from the session: the roles,
 * industries, capacities and topic it names and the intent it asks with. */
#ifndef SLATE_PARSE_H
#define SLATE_PARSE_H

#include <stddef.h>
#include "eng_int.h"

#define PARSE_MENTIONS 8  /* roles one question is read for */

/* Where a role is named: its kb index and its bytes in parse.t. */
struct parse_mention { int role; size_t s, e; };

/* What one question says, before the session is consulted. */
struct parse {
	struct parse_mention occ[32];  /* every role mention, in text order */
	int nocc;
	struct parse_mention m[PARSE_MENTIONS];  /* one per role, the
					 * asking sentence's first */
	int nm;
	int self_role;           /* "I'm a production coordinator" */
	unsigned self_occ;       /* bit i: occ[i] follows "I'm a" / "from" */
	int industry;            /* first of film/tv/music/theater, or -1 */
	unsigned industries;     /* bit per industry mentioned */
	int international;
	int capacity;            /* KB_FUNDING, KB_CREATIVE or -1 */
	int intent;              /* ENG_I_*, or -1 */
	unsigned cands;          /* bit per intent matched in the asking
				  * sentence, the winner's too: evidence of
				  * another reading */
	size_t qs, qe;           /* the asking sentence */
	int entry;               /* starts from a first job or from nothing */
	int offtopic;            /* names something we do not cover: 1, 0,
				  * or -1 not looked at yet */
	int slot_only;           /* "the money side": a slot and nothing else */
	int tailor_only;         /* re-answer with only what the new slot adds */
	int topic;               /* a kb topic the question is about, or -1 */
	struct eng_corr corr[ENG_CORR_MAX];
	int ncorr;
	size_t len;
	char t[ENG_INPUT_MAX + 256];   /* parse_question() clears what
					 * precedes */
	struct pfx_text pt;      /* t summarised for the pattern sets */
};

/* Read text[0, len) (at most ENG_INPUT_MAX bytes of it) into p. */
void parse_question(const struct eng_src *d, const char *text, size_t len,
    struct parse *p);
/* Does the question name something we know we do not cover?  Worked out
 * on the first call only: asked only where it can change the reply. */
int parse_offtopic(const struct eng_src *d, struct parse *p);
/* Does section sec of ps (-1: a section the files lack) match? */
int parse_section(struct pat_set *ps, int sec, const struct parse *p);
/* Does the context.txt section sec (an eng_src.sec_* index) match? */
int parse_context(const struct eng_src *d, const struct parse *p, int sec);

#endif
