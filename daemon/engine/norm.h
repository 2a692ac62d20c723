/* norm.h - turn what a person typed into the canonical text patterns see. */
#ifndef SLATE_NORM_H
#define SLATE_NORM_H

#include <stddef.h>

/* Lower-case ASCII, common Unicode punctuation and accented Latin letters
 * folded to ASCII, anything else (including invalid UTF-8 and control
 * bytes) turned into a space, runs of spaces and of repeated punctuation
 * collapsed, leading and trailing space trimmed.  Reads at most inlen bytes,
 * writes at most outsz-1 bytes plus a NUL; returns the output length. */
size_t norm_text(const char *in, size_t inlen, char *out, size_t outsz);

/* Damerau-Levenshtein (optimal string alignment) distance between a and b,
 * giving up and returning max+1 once it must exceed max. */
int norm_distance(const char *a, size_t alen, const char *b, size_t blen,
    int max);

#endif
