/* lex.h - the domain lexicon, for correcting typos in domain words only.
 *
 * patterns/lexicon.txt has two sections of plain words: [domain] words a
 * typo may be corrected to, and [keep] ordinary words that look like domain
 * words ("produce", "product") and must never be "corrected". */
#ifndef SLATE_LEX_H
#define SLATE_LEX_H

#include <stddef.h>
#include "val.h"

struct lex;

struct lex *lex_load(const char *path, char *err, size_t errlen);
void lex_free(struct lex *lx);
int lex_nwords(const struct lex *lx);
/* Rewrite misspelt domain words in the NUL-terminated text s (capacity
 * cap) in place, recording up to max corrections.  Returns how many. */
int lex_correct(const struct lex *lx, char *s, size_t cap,
    struct eng_corr *corr, int max);

#endif
