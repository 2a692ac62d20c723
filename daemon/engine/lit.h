/* lit.h - the literals every match of a regex must contain.
 *
 * lit_read() reads one regex line as text and says which sets of literal
 * strings any subject it matches must contain: for every set, one of its
 * strings.  The reading is conservative: a construct it does not know
 * (inline options, named groups, verbs, POSIX classes, backreferences,
 * escaped letters and digits other than the class and anchor escapes, a
 * control byte, an odd {...}, a count over 1000) means "cannot tell",
 * never a guess, so a caller that skips a regex lacking its literals
 * gets the regex's own answer.  It reads PCRE2 syntax as pat.c compiles
 * it: not caseless, no UCP, bytes not UTF-8.
 *
 * \b is kept in a string as the byte LIT_MARK.  A subject contains a
 * string when the subject, with LIT_MARK put at both ends of every run of
 * word characters (lit_isword()), contains the string's marked form
 * (lit_mark()).  No string of a returned set is empty or only a mark.
 *
 * Limits: a set holds at most LIT_SETMAX strings of at most LIT_STRMAX
 * bytes, and a line keeps at most LIT_REQMAX sets (a more selective one
 * pushes out the least selective).  Past them the reading loses literals,
 * never invents any. */
#ifndef SLATE_LIT_H
#define SLATE_LIT_H

#include <stddef.h>

#define LIT_MARK '\001'
#define LIT_SETMAX 128  /* strings a set may hold */
#define LIT_STRMAX 24   /* longest literal built by concatenation */
#define LIT_REQMAX 8    /* sets a line keeps */
#define LIT_MARKMAX (2 * LIT_STRMAX + 2)  /* a marked form fits */

struct lit_set { int n; char s[LIT_SETMAX][LIT_STRMAX + 1]; };

/* The sets re[0, n) requires, into req[0, LIT_REQMAX); how many.  0 when
 * it cannot tell or when the line requires nothing. */
int lit_read(const char *re, size_t n, struct lit_set *req);
/* A string of a set in the form a marked subject holds it, into
 * m[LIT_MARKMAX]; its length. */
size_t lit_mark(const char *s, unsigned char *m);
/* How many checks the marked form m[0, len) costs a summary of 1-, 2- and
 * 3-grams (pat.c): one per 3-gram, one if it is shorter, none if it is
 * empty or only a mark.  lit_read() ranks sets by it; pat.c builds them. */
unsigned lit_nchecks(const unsigned char *m, size_t len);

/* A word character for \b (PCRE2 without UCP).  Inline: callers test
 * every byte of every question. */
static inline int
lit_isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

#endif
