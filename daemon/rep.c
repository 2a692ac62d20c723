/* rep.c - building a reply in the caller's fixed-size struct: text that
 * never overflows, de-duplicated sources and suggestions, options. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "rep.h"

/* What snprintf(dst, cap, "%s", s) writes, without the format machinery:
 * most of a reply is fixed text and ids copied as they are. */
static void
copy(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
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
	if (strchr(fmt, '%') == NULL)
		copy(r->text + n, sizeof r->text - n, fmt);
	else if (strcmp(fmt, "%s") == 0) {
		const char *a = va_arg(ap, const char *);

		copy(r->text + n, sizeof r->text - n, a ? a : "(null)");
	} else
		vsnprintf(r->text + n, sizeof r->text - n, fmt, ap);
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
			copy(r->sources[r->nsources++], sizeof r->sources[0],
			    t->src[i]);
	}
}

void
rep_option(struct eng_reply *r, const char *label, const char *value)
{
	if (r->noptions == ENG_OPT_MAX)
		return;
	copy(r->options[r->noptions].label, sizeof r->options[0].label,
	    label);
	copy(r->options[r->noptions].value, sizeof r->options[0].value,
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
	if (strchr(fmt, '%') == NULL)
		copy(s, sizeof s, fmt);
	else
		vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	for (i = 0; i < r->nsuggestions; i++)
		if (strcmp(r->suggestions[i], s) == 0)
			return;
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] -= 'a' - 'A';
	memcpy(r->suggestions[r->nsuggestions++], s, sizeof s);
}
