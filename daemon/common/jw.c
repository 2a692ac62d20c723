/* jw.c - JSON text written piece by piece (see jw.h). */
#include <string.h>
#include "jw.h"
#include "xmem.h"

void
jw_fixed(struct jw *w, char *buf, size_t cap)
{
	w->b = buf;
	w->n = 0;
	w->cap = cap;
	w->full = cap == 0;
	w->grow = 0;
	if (cap)
		buf[0] = '\0';
}

void
jw_grow(struct jw *w, size_t hint)
{
	w->cap = hint ? hint : 1;
	w->b = xmalloc(w->cap);
	w->b[0] = '\0';
	w->n = 0;
	w->full = 0;
	w->grow = 1;
}

void
jw_clear(struct jw *w)
{
	w->n = 0;
	w->full = w->cap == 0;
	if (w->cap)
		w->b[0] = '\0';
}

void
jw_raw(struct jw *w, const char *s, size_t n)
{
	if (w->full)
		return;
	if (w->n + n + 1 > w->cap) {
		if (!w->grow) {
			w->full = 1;
			return;
		}
		while (w->n + n + 1 > w->cap)
			w->cap *= 2;
		w->b = xrealloc(w->b, w->cap);
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
	w->b[w->n] = '\0';
}

void
jw_lit(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

void
jw_str(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	char esc[7];

	jw_raw(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		/* the run of plain bytes before it, in one piece */
		jw_raw(w, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jw_raw(w, esc, 2);
		} else if (c == '\n') {
			jw_raw(w, "\\n", 2);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			jw_raw(w, esc, 6);
		}
	}
	jw_raw(w, run, (size_t)(s - run));
	jw_raw(w, "\"", 1);
}

void
jw_str_or_null(struct jw *w, const char *s)
{
	if (s && s[0])
		jw_str(w, s);
	else
		jw_lit(w, "null");
}

size_t
jw_len(const struct jw *w)
{
	return w->full ? 0 : w->n;
}

char *
jw_take(struct jw *w)
{
	char *b = w->b;

	w->b = NULL;
	w->n = w->cap = 0;
	return b;
}
