/* xmem.c - allocation that aborts instead of returning NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xmem.h"

/* Say how much could not be had, then stop. */
static void
oom(size_t n)
{
	fprintf(stderr, "slate: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void *
xcheck(void *p)
{
	if (p == NULL) {
		fprintf(stderr, "slate: out of memory\n");
		abort();
	}
	return p;
}
