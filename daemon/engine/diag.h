/* diag.h - file:line messages for the people who edit knowledge and
 * pattern files: every error of a run collected (up to DIAG_MAX lines)
 * instead of the first alone, so that one `slate check` shows them all;
 * warnings counted apart; and "did you mean" for a near miss. */
#ifndef SLATE_DIAG_H
#define SLATE_DIAG_H

#include <stddef.h>

#define DIAG_MAX 100      /* lines kept; the rest are counted */

struct diag {
	char *buf;        /* caller's: lines, each ending in '\n' but the last */
	size_t len, used;
	int nerr, nwarn;  /* every one, kept or not */
	int nlines;
};

void diag_init(struct diag *d, char *buf, size_t len);
/* Add "path:line: message" as an error; -1, for `return diag_err(...)`. */
int diag_err(struct diag *d, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Add "path:line: warning: message". */
void diag_warn(struct diag *d, const char *path, int line, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
/* The 1-based line of the first needle in raw at or after from (a pointer
 * into raw, or NULL for the start); *at gets where it is (from when it is
 * not found, and then the line of from). */
int diag_line(const char *raw, const char *from, const char *needle,
    const char **at);
/* The one of names[0..n) nearest word, near enough to be a typo of it
 * ("theatre" for "theater", "pay " for "pay"), or NULL. */
const char *diag_near(const char *word, const char *const *names, int n);

#endif
