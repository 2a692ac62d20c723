/* rpt.h - `slate eval`'s results for machines: JUnit XML (one testsuite
 * per file, one testcase per case) and TAP (one test point per case), from
 * the cases eval_file() reports through eval_result.on_case. */
#ifndef SLATE_RPT_H
#define SLATE_RPT_H

#include <stdio.h>
#include "engine/eval.h"

struct rpt_case {
	char *path, *name, *why;
	int line, turns, turns_failed;
};

struct rpt {
	struct rpt_case *cs;
	int n, cap;
};

/* An eval_result.on_case callback: arg is a struct rpt; the case is
 * copied. */
void rpt_add(void *arg, const struct eval_case *c);
/* The cases as JUnit XML into path; 0, or -1 with err. */
int rpt_junit(const struct rpt *r, const char *path, char *err,
    size_t errlen);
/* The cases as TAP version 13. */
void rpt_tap(const struct rpt *r, FILE *out);
void rpt_free(struct rpt *r);

#endif
