/* unans.h - the questions slated could not answer, for `slate unanswered`:
 * grouped by similarity, each group with its count, newest group first. */
#ifndef SLATE_UNANS_H
#define SLATE_UNANS_H

#include <stddef.h>
#include <stdio.h>

/* Read the unanswered table of slated's database at db_path (read-only;
 * safe while slated runs) and print the groups to out.  Returns 0, or -1
 * with err set when the database cannot be read. */
int unans_print(const char *db_path, FILE *out, char *err, size_t errlen);

#endif
