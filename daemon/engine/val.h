/* val.h - the engine's value types: a session's state, a reply, the limits
 * on both, the intent and kind name tables, and their JSON.  Below the
 * facade (eng.h) so that the engine's own modules, the server and the CLI
 * share them without reaching for the engine's insides. */
#ifndef SLATE_VAL_H
#define SLATE_VAL_H

#include <stddef.h>
#include <jansson.h>
#include "common/jw.h"

#define ENG_ID_MAX 40     /* longest role/industry/intent id, with NUL */
#define ENG_TEXT_MAX 3072 /* longest reply text, with NUL */
#define ENG_OPT_MAX 10
#define ENG_SUGG_MAX 4
#define ENG_CORR_MAX 4
#define ENG_SRC_MAX 8
#define ENG_LADDER_MAX 12
#define ENG_PLAN_MAX 8
#define ENG_INPUT_MAX 6144 /* bytes of a question looked at (a pasted forum post
			    * of 2,000 characters); the rest is ignored */

enum eng_kind { ENG_ANSWER, ENG_CLARIFY, ENG_FALLBACK, ENG_SMALLTALK };

/* Conversation state.  Strings, not indices, so a state survives a reload
 * of the knowledge base; "" means unset. */
struct eng_state {
	char role[ENG_ID_MAX];
	char other_role[ENG_ID_MAX];
	char from_role[ENG_ID_MAX];   /* where the user says they are now */
	char industry[ENG_ID_MAX];
	char capacity[ENG_ID_MAX];
	char last_intent[ENG_ID_MAX];
	char pending[ENG_ID_MAX];     /* slot a follow-up asked for, or "" */
	unsigned asked;               /* ENG_ASKED_* bits: never ask twice */
	unsigned pending_age;         /* turns the pending follow-up survived */
	/* A career plan being walked: from where the person starts (a role
	 * in from_role, or "entry" for a first job, a course or nothing yet)
	 * to role; step is the step under discussion, 1-based, 0 none. */
	char start[ENG_ID_MAX];
	unsigned step;
};
#define ENG_ASKED_INDUSTRY 1u
#define ENG_ASKED_CAPACITY 2u
#define ENG_ASKED_ROLE 4u

struct eng_option { char label[64]; char value[ENG_ID_MAX]; };
struct eng_corr { char from[48]; char to[48]; };

struct eng_reply {
	enum eng_kind kind;
	const char *intent;           /* static string, NULL for fallback */
	char text[ENG_TEXT_MAX];
	struct eng_state slots;       /* state after the turn */
	struct eng_option options[ENG_OPT_MAX];
	int noptions;
	char suggestions[ENG_SUGG_MAX][128];
	int nsuggestions;
	struct eng_corr corrections[ENG_CORR_MAX];
	int ncorrections;
	char sources[ENG_SRC_MAX][24];
	int nsources;
	/* hierarchy replies: the chain of command top-down (value = role
	 * id, label = its title) */
	struct eng_option ladder[ENG_LADDER_MAX];
	int nladder;
	int ladder_focus;             /* index of the asked-about role, -1 none */
	/* career replies: the plan's steps in order (value = role id, or
	 * "entry" for a first job; label = what the step is), the step
	 * under discussion, -1 none */
	struct eng_option plan[ENG_PLAN_MAX];
	int nplan;
	int plan_focus;
	/* how sure the engine is that this reply is what was asked, 0..1 */
	double confidence;
};

/* Intents in protocol spelling, indexed by enum eng_intent; the one table
 * the dialogue, the loader, the metrics and the protocol all read. */
enum eng_intent {
	ENG_I_DEFINITION, ENG_I_DUTIES, ENG_I_COMPARE, ENG_I_HIERARCHY,
	ENG_I_VARIATION, ENG_I_CREDIT, ENG_I_CAREER, ENG_I_PAY, ENG_I_FUNDING,
	ENG_I_GREETING, ENG_I_THANKS, ENG_I_GOODBYE, ENG_I_HELP, ENG_I_RESET,
	ENG_I_N
};
#define ENG_NKIND (ENG_SMALLTALK + 1)

/* Greeting, thanks, goodbye, help and reset: intents that ask nothing
 * about a role. */
int eng_intent_smalltalk(int i);
/* The name of intent i, or NULL when i is out of range. */
const char *eng_intent_name(int i);
/* The index of an intent name, or -1. */
int eng_intent_find(const char *name);
/* The name of a kind ("fallback" for a value out of range). */
const char *eng_kind_name(enum eng_kind k);

void eng_state_init(struct eng_state *st);
/* Protocol fields of a reply: kind, intent, text, slots, options,
 * suggestions, corrections, sources and, for hierarchy, ladder. */
json_t *eng_reply_json(const struct eng_reply *r);
json_t *eng_state_to_json(const struct eng_state *st);
/* The same as JSON text appended to w, without building jansson objects
 * (the daemon's hot path): eng_reply_write() writes the members only
 * ("kind":...,...), to be wrapped in an object with the caller's own
 * fields; eng_state_write() a whole object.  Return jw_len(w): 0 when a
 * fixed buffer was too small. */
size_t eng_reply_write(struct jw *w, const struct eng_reply *r);
size_t eng_state_write(struct jw *w, const struct eng_state *st);
int eng_state_from_json(struct eng_state *st, const json_t *j);
/* Same slots and follow-up state (bytes after each string's NUL ignored). */
int eng_state_equal(const struct eng_state *a, const struct eng_state *b);


#endif
