/* eval.h - run conversation test files (tests/conversations, one case a line) against
 * an engine.  Used by `slate eval` and by slated before it accepts a reload. */
#ifndef SLATE_EVAL_H
#define SLATE_EVAL_H

#include <stdio.h>
#include "eng.h"
#include "score.h"

struct eval_result {
	int cases, cases_failed, turns, turns_failed;
	struct score score;         /* rates over the turns that ran */
};

/* Run every case of one .jsonl file, each in a fresh session.  Writes one
 * line per case (and the reason for each failed turn) to out when out is
 * not NULL.  Returns 0 when the file was readable, -1 otherwise (err set). */
int eval_file(struct eng *e, const char *path, FILE *out,
    struct eval_result *res, char *err, size_t errlen);
/* The same for every *.jsonl file in a directory, in name order. */
int eval_dir(struct eng *e, const char *dir, FILE *out,
    struct eval_result *res, char *err, size_t errlen);

#endif
