/* unans.h - the questions slated could not answer, for `slate unanswered`:
 * grouped by similarity, each group with its count, newest group first. */
#ifndef SLATE_UNANS_H
#define SLATE_UNANS_H

#include <stddef.h>
#include <stdio.h>

struct unans_opts {
	long long since;      /* ms since the epoch: older questions skipped */
	int json;             /* one JSON object instead of the table */
};

/* Read the unanswered table of slated's database at db_path (read-only;
 * safe while slated runs) and print the groups to out.  Returns 0, or -1
 * with err set when the database cannot be read. */
int unans_print(const char *db_path, const struct unans_opts *o, FILE *out,
    char *err, size_t errlen);
/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (UTC) as ms since the epoch; -1 when
 * it is neither. */
int unans_since(const char *date, long long *ms);

#endif
