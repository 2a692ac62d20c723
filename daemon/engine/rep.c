/* rep.c - building a reply in the caller's fixed-size struct: text that
 * never overflows, de-duplicated sources and suggestions, options. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "rep.h"

void
rep_copy(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* What vsnprintf(dst, cap, fmt, ap) writes, cap > 0, pasting strings
 * directly when %s is the only conversion, as in nearly every sentence
 * and suggestion a reply is built from. */
static void format(char *dst, size_t cap, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void
format(char *dst, size_t cap, const char *fmt, va_list ap)
{
	const char *p, *a;
	size_t n = 0, k;

	for (p = fmt; (p = strchr(p, '%')) != NULL; p += 2)
		if (p[1] != 's') {
			vsnprintf(dst, cap, fmt, ap);
			return;
		}
	while (*fmt != '\0') {
		if (fmt[0] == '%') {
			if ((a = va_arg(ap, const char *)) == NULL)
				a = "(null)";
			k = strlen(a);
			fmt += 2;
		} else {
			a = fmt;
			p = strchr(fmt, '%');
			k = p ? (size_t)(p - fmt) : strlen(fmt);
			fmt += k;
		}
		if (k > cap - 1 - n)
			k = cap - 1 - n;
		memcpy(dst + n, a, k);
		n += k;
	}
	dst[n] = '\0';
}

void
rep_say(struct eng_reply *r, const char *fmt, ...)
{
	size_t n = strlen(r->text);
	va_list ap;

	if (n + 1 >= sizeof r->text)
		return;
	va_start(ap, fmt);
	format(r->text + n, sizeof r->text - n, fmt, ap);
	va_end(ap);
}

/* Append a sentence-cased copy of s: knowledge text is written to read well
 * mid-sentence too, so capitalising is the composer's job. */
void
rep_cap(struct eng_reply *r, const char *s)
{
	size_t n = strlen(r->text);

	rep_say(r, "%s", s);
	rep_upper(r, n);
}

void
rep_upper(struct eng_reply *r, size_t at)
{
	if (at < sizeof r->text && r->text[at] >= 'a' && r->text[at] <= 'z')
		r->text[at] -= 'a' - 'A';
}

void
rep_cite(struct eng_reply *r, const struct kb_text *t)
{
	int i, j;

	for (i = 0; i < t->nsrc; i++) {
		for (j = 0; j < r->nsources; j++)
			if (strcmp(r->sources[j], t->src[i]) == 0)
				break;
		if (j == r->nsources && r->nsources < ENG_SRC_MAX)
			rep_copy(r->sources[r->nsources++], sizeof r->sources[0],
			    t->src[i]);
	}
}

void
rep_option(struct eng_reply *r, const char *label, const char *value)
{
	if (r->noptions == ENG_OPT_MAX)
		return;
	rep_copy(r->options[r->noptions].label, sizeof r->options[0].label,
	    label);
	rep_copy(r->options[r->noptions].value, sizeof r->options[0].value,
	    value);
	r->noptions++;
}

void
rep_suggest(struct eng_reply *r, const char *fmt, ...)
{
	va_list ap;
	char s[128];
	int i;

	if (r->nsuggestions == ENG_SUGG_MAX)
		return;
	va_start(ap, fmt);
	format(s, sizeof s, fmt, ap);
	va_end(ap);
	for (i = 0; i < r->nsuggestions; i++)
		if (strcmp(r->suggestions[i], s) == 0)
			return;
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] -= 'a' - 'A';
	memcpy(r->suggestions[r->nsuggestions++], s, sizeof s);
}
