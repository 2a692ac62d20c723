/* xmem.h - allocation that never returns NULL.  Running out of memory is
 * not something Slate can recover from in the middle of a turn or a
 * callback, so these print one line and abort. */
#ifndef SLATE_XMEM_H
#define SLATE_XMEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);   /* a zero size still gets a block */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* p, or abort as xmalloc() does: for what another library allocated
 * (jansson, PCRE2) and returned NULL for. */
void *xcheck(void *p);

#endif
