/* pat.h - pattern files: named sections of PCRE2 regexes, one a line.
 *
 *   # a comment
 *   [section-name]
 *   \bco[- ]?producers?\b
 *
 * Every regex is compiled alone first so a bad one is reported as
 * file:line with PCRE2's error offset; then each section is compiled once
 * more as one alternation with JIT, which is what matching uses. */
#ifndef SLATE_PAT_H
#define SLATE_PAT_H

#include <stddef.h>
#include "pfx.h"

struct pat_set;

/* Load a file; NULL on any error (the whole file is rejected) with
 * "path:line: reason" in err.  An empty file, or one with no regex, is an
 * error too: it would silently disable a whole part of the engine. */
struct pat_set *pat_load(const char *path, char *err, size_t errlen);
void pat_free(struct pat_set *ps);
int pat_count(const struct pat_set *ps);
const char *pat_name(const struct pat_set *ps, int section);
int pat_find(const struct pat_set *ps, const char *name);
/* Leftmost match of section at or after offset start in s.  Returns 1 and
 * sets [*ms, *me) on a match, 0 otherwise; a match or depth limit reached
 * counts as no match and is counted in pat_limit_hits(). */
int pat_match(struct pat_set *ps, int section, const char *s, size_t len,
    size_t start, size_t *ms, size_t *me);
unsigned long pat_limit_hits(const struct pat_set *ps);

/* Tie together sets matched against the same questions, so the first
 * pat_match_text() of a question on any of them runs the prefilter of
 * all in one pass (pfx_link()).  Each set in at most one link; it lives
 * until the last of its sets is freed.  Optional: results are the same. */
void pat_link(struct pat_set **sets, int n);
/* pat_match() on pt->s[0, to), to <= pt->len, with the same result, but
 * run only when the prefilter says the section could match. */
int pat_match_text(struct pat_set *ps, int section, const struct pfx_text *pt,
    size_t to, size_t start, size_t *ms, size_t *me);
/* What the prefilter saved so far: pat_match_text() calls that ran no
 * regex, and calls that ran only the section's anchored lines (the others
 * could not match).  For tests: a prefilter that stopped working would
 * still give the right answers. */
void pat_prefilter_counts(const struct pat_set *ps, unsigned long *skipped,
    unsigned long *anchored);

#endif
