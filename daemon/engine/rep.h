/* rep.h - appending to a reply: text, sources, options, suggestions.
 * Every call is bounded by the reply's fixed sizes; what does not fit is
 * dropped, never written past the end. */
#ifndef SLATE_REP_H
#define SLATE_REP_H

#include "val.h"
#include "kb.h"

/* What snprintf(dst, cap, "%s", s) writes, cap > 0, without the format
 * machinery: most of a reply is fixed text and ids copied as they are. */
void rep_copy(char *dst, size_t cap, const char *s);
void rep_say(struct eng_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s with its first letter capitalised. */
void rep_cap(struct eng_reply *r, const char *s);
/* Capitalise the letter at offset at: a sentence composed in pieces starts
 * where the reply's text was when composing began, not at 0 (a typo note
 * may come first). */
void rep_upper(struct eng_reply *r, size_t at);
/* Record the sources of a knowledge entry the reply used. */
void rep_cite(struct eng_reply *r, const struct kb_text *t);
void rep_option(struct eng_reply *r, const char *label, const char *value);
void rep_suggest(struct eng_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
