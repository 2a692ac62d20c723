/* eval.h - run conversation test files (tests/conversations, one case a line) against
 * an engine.  Used by `slate eval` and by slated before it accepts a reload. */
#ifndef SLATE_EVAL_H
#define SLATE_EVAL_H

#include <stdio.h>
#include "eng.h"
#include "score.h"

/* One case as it ran, for a caller that reports cases its own way
 * (`slate eval --junit`, `--tap`). */
struct eval_case {
	const char *path, *name;    /* name "(unnamed)" when it has none */
	int line;                   /* of the case in its file */
	int turns, turns_failed;
	const char *why;            /* the first failed turn's reason, or "" */
};

/* Per labelled intent (index SCORE_NONE: labelled null, off-topic). */
struct eval_intent {
	int cases, cases_passed;    /* cases with a turn labelled so */
	int turns, turns_passed;    /* turns labelled so */
};

struct eval_result {
	int cases, cases_failed, turns, turns_failed;
	struct score score;         /* rates over the turns that ran */
	struct eval_intent by_intent[SCORE_NONE + 1];
	/* called after each case when not NULL */
	void (*on_case)(void *arg, const struct eval_case *c);
	void *arg;
};

/* Run every case of one .jsonl file, each in a fresh session.  Writes one
 * line per case (and the reason for each failed turn) to out when out is
 * not NULL.  Returns 0 when the file was readable, -1 otherwise (err set). */
int eval_file(struct eng *e, const char *path, FILE *out,
    struct eval_result *res, char *err, size_t errlen);
/* res += f: the counts, the rates and the per-intent table. */
void eval_add(struct eval_result *res, const struct eval_result *f);
/* Per intent: cases, cases passed, turns, turns passed, intent accuracy
 * (from the confusion table), one line each, intents never labelled left
 * out. */
void eval_summary(const struct eval_result *res, FILE *out);
/* The same for every *.jsonl file in a directory, in name order. */
int eval_dir(struct eng *e, const char *dir, FILE *out,
    struct eval_result *res, char *err, size_t errlen);

#endif
