/* eng.h - the Slate engine: knowledge, patterns and dialogue, no network.
 *
 * One struct eng is loaded from a knowledge/ and a patterns/ directory and is
 * immutable afterwards, so any number of sessions may share it and a reload
 * simply builds a new one and swaps the pointer.  All per-conversation state
 * lives in struct eng_state, which the caller owns and may persist with
 * eng_state_to_json() / eng_state_from_json().  Not thread-safe: one engine is
 * used from one thread (it keeps scratch regex match data). */
#ifndef SLATE_ENG_H
#define SLATE_ENG_H

#include <stddef.h>
#include <stdio.h>
#include "val.h"

struct eng_stats {
	unsigned long regex_limit_hits; /* match/depth limit reached: no match */
};

struct eng;

/* Load and validate; on failure return NULL and put "file:line: reason"
 * style text into err. */
struct eng *eng_load(const char *knowledge_dir, const char *patterns_dir,
    char *err, size_t errlen);
void eng_free(struct eng *e);
/* Stable content hash of the loaded files, e.g. "kb-1a2b3c4d". */
const char *eng_version(const struct eng *e);
/* The knowledge files' schema as Markdown (knowledge/README.md). */
void eng_schema(FILE *out);
/* Warnings about the loaded patterns (a nested quantifier, a line that
 * matches almost anything or that no "say" turn of conv_dir/ *.jsonl
 * exercises, a section that never wins), "file:line: warning: ..." a line
 * into out; returns how many (`slate check --strict` fails on any). */
int eng_lint(const struct eng *e, const char *conv_dir, char *out,
    size_t outlen);
/* Human summary of what was loaded, for `slate check`. */
void eng_describe(const struct eng *e, FILE *out);

/* Answer one user turn: updates st, fills r.  Never fails: bad or empty
 * input yields a fallback. */
void eng_ask(struct eng *e, struct eng_state *st, const char *text, size_t len,
    struct eng_reply *r);
/* eng_ask(), and why the reply came out as it did, as a JSON object
 * appended to w (explain.h): the pattern lines that fired, the intents in
 * the running, the rule that answered.  Slow: for authors, not turns. */
void eng_explain(struct eng *e, struct eng_state *st, const char *text,
    size_t len, struct eng_reply *r, struct jw *w);
/* Greeting for a new or resumed session. */
void eng_welcome(struct eng *e, const struct eng_state *st,
    struct eng_reply *r);
struct eng_stats eng_stats(const struct eng *e);

#endif
