/* jw.h - JSON text written piece by piece, without building jansson
 * objects (the reply path: docs/performance.md).
 *
 * A writer has either a fixed buffer, which once out of room stays failed
 * so that callers need no check after every piece, or a buffer of its own
 * that grows as needed.  The text is always NUL-terminated. */
#ifndef SLATE_JW_H
#define SLATE_JW_H

#include <stddef.h>

struct jw {
	char *b;
	size_t n, cap;
	int full;           /* a fixed buffer ran out of room */
	int grow;           /* b is the writer's, grown with xrealloc */
};

/* Write into buf (cap bytes, 0 allowed: then nothing fits). */
void jw_fixed(struct jw *w, char *buf, size_t cap);
/* Write into a malloc'd buffer of at first hint bytes; jw_take() it. */
void jw_grow(struct jw *w, size_t hint);
/* Empty again, room kept; a fixed buffer that ran out has room again. */
void jw_clear(struct jw *w);
/* Bytes as they are, no escaping: JSON pieces, or any text built piece by
 * piece (a regex alternation). */
void jw_raw(struct jw *w, const char *s, size_t n);
void jw_lit(struct jw *w, const char *s);
/* s as a JSON string: ", \ and control characters escaped, bytes >= 0x80
 * as they are (the texts are valid UTF-8). */
void jw_str(struct jw *w, const char *s);
/* jw_str(), or null for NULL or "". */
void jw_str_or_null(struct jw *w, const char *s);
/* The length written, or 0 when a fixed buffer ran out of room. */
size_t jw_len(const struct jw *w);
/* A growing writer's text, now the caller's to free. */
char *jw_take(struct jw *w);

#endif
