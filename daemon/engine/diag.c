/* diag.c - collected file:line messages and did-you-mean (diag.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "norm.h"

void
diag_init(struct diag *d, char *buf, size_t len)
{
	memset(d, 0, sizeof *d);
	d->buf = buf;
	d->len = len;
	if (len > 0)
		buf[0] = '\0';
}

/* Append one line; past DIAG_MAX lines, one line says how many more
 * there were, so the count stays honest without flooding a terminal. */
static void diag_add(struct diag *d, const char *path, int line,
    const char *kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void
diag_add(struct diag *d, const char *path, int line, const char *kind,
    const char *fmt, va_list ap)
{
	int n;

	if (d->len == 0 || d->used + 1 >= d->len)
		return;
	if (d->nlines == DIAG_MAX) {
		n = snprintf(d->buf + d->used, d->len - d->used,
		    "%s(more messages not shown)", d->used ? "\n" : "");
		d->used = n < 0 ? d->used : d->used + (size_t)n;
		if (d->used >= d->len)
			d->used = d->len - 1;
		d->nlines++;
	}
	if (d->nlines > DIAG_MAX)
		return;
	n = snprintf(d->buf + d->used, d->len - d->used, "%s%s:%d: %s",
	    d->used ? "\n" : "", path, line, kind);
	if (n > 0 && d->used + (size_t)n < d->len) {
		d->used += (size_t)n;
		n = vsnprintf(d->buf + d->used, d->len - d->used, fmt, ap);
		if (n > 0)
			d->used += (size_t)n;
	} else if (n > 0)
		d->used += (size_t)n;
	if (d->used >= d->len)
		d->used = d->len - 1;
	d->nlines++;
}

int
diag_err(struct diag *d, const char *path, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, path, line, "", fmt, ap);
	va_end(ap);
	d->nerr++;
	return -1;
}

void
diag_warn(struct diag *d, const char *path, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, path, line, "warning: ", fmt, ap);
	va_end(ap);
	d->nwarn++;
}

int
diag_line(const char *raw, const char *from, const char *needle,
    const char **at)
{
	const char *p, *q;
	int line = 1;

	if (from == NULL)
		from = raw;
	p = needle ? strstr(from, needle) : NULL;
	if (p == NULL)
		p = from;
	if (at)
		*at = p;
	for (q = raw; q < p; q++)
		if (*q == '\n')
			line++;
	return line;
}

const char *
diag_near(const char *word, const char *const *names, int n)
{
	size_t wl = strlen(word);
	/* Two edits in a long word are a typo; in "tv" they are a new word. */
	int max = wl >= 5 ? 2 : 1, best = max + 1, i, k;
	const char *pick = NULL;

	for (i = 0; i < n; i++) {
		k = norm_distance(word, wl, names[i], strlen(names[i]), max);
		if (k < best && strcmp(word, names[i]) != 0) {
			best = k;
			pick = names[i];
		}
	}
	return pick;
}
