/* hash.h - FNV-1a, the one hash every wing uses: for content versions and
 * for hash tables, never for anything a client could attack by collision
 * beyond a bounded table's bucket. */
#ifndef SLATE_HASH_H
#define SLATE_HASH_H

#include <stddef.h>

#define HASH_INIT 2166136261u

/* Fold n bytes into h (start from HASH_INIT). */
unsigned hash_bytes(unsigned h, const void *p, size_t n);
/* Fold a NUL-terminated string into h. */
unsigned hash_str(unsigned h, const char *s);

#endif
