/* hash.c - FNV-1a, 32 bits. */
#include <string.h>
#include "hash.h"

#define HASH_PRIME 16777619u

unsigned
hash_bytes(unsigned h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * HASH_PRIME;
	return h;
}

unsigned
hash_str(unsigned h, const char *s)
{
	return hash_bytes(h, s, strlen(s));
}
