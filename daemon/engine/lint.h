/* lint.h - warnings about pattern files that load but will misbehave:
 * nested quantifiers that can backtrack catastrophically ("(a+)+$"), a
 * line that matches almost anything (a bare ".*", the empty string, most
 * of the shipped questions), a line no shipped conversation exercises, and
 * a role, intent or topic section that never wins.  For `slate check`
 * (--strict makes them errors); never run for a turn. */
#ifndef SLATE_LINT_H
#define SLATE_LINT_H

#include "diag.h"
#include "eng_int.h"

/* Lint every line of sets[0..n) and the sections of d's competing sets
 * against the "say" turns of conv_dir/ *.jsonl (NULL or unreadable: the
 * checks that need questions are skipped, with a warning).  Each warning
 * goes into dg with its file:line; returns how many there were. */
int lint_patterns(const struct eng_src *d, struct pat_set *const *sets,
    int n, const char *conv_dir, struct diag *dg);
/* Does the regex re quantify, without bound, a group that holds an
 * unbounded quantifier ("(a+)+", "(?:x*y)*")?  Atomic groups and
 * possessive quantifiers cannot backtrack and do not count. */
int lint_nested_quantifier(const char *re);

#endif
