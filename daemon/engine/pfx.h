/* pfx.h - the prefilter of the pattern sets: which sections of a set a
 * question could match at all, worked out from literals, not regexes.
 *
 * A question is summarised once for all the sections it is matched
 * against: a hashed set of its 1-, 2- and 3-byte sequences, word
 * boundaries marked (pfx_text).  Each regex line is read at load for
 * literals every match must contain (lit.h), so a section none of whose
 * lines could match is not run.  pat.c owns one struct pfx per set. */
#ifndef SLATE_PFX_H
#define SLATE_PFX_H

#include <stddef.h>
#include <stdint.h>

#define PFX_TEXT_BITS (1024 + 8192)  /* 1- and 2-grams, then 3-grams */
#define PFX_TEXT_TRIS 512
struct pfx_text {
	const char *s;
	size_t len;
	unsigned long serial;           /* new for every pfx_text_init() */
	uint64_t bits[PFX_TEXT_BITS / 64];
	unsigned ntri;                  /* > PFX_TEXT_TRIS: too many to list */
	unsigned short tri[PFX_TEXT_TRIS];  /* its distinct 3-gram bits */
};

/* Summarise s[0, len), which must outlive pt. */
void pfx_text_init(struct pfx_text *pt, const char *s, size_t len);

struct pfx;

struct pfx *pfx_new(void);
/* Also leaves its link (pfx_link()), freed with the last set in it. */
void pfx_free(struct pfx *pf);
/* The lines that follow belong to a new section. */
void pfx_section(struct pfx *pf);
/* Read one regex line of the current section; anch: it can only match at
 * the start offset. */
void pfx_line(struct pfx *pf, const char *re, size_t n, int anch);
/* After the last line: build the tries and their index. */
void pfx_index(struct pfx *pf);
/* Can any line of section match the question?  0 no; 2 only some of its
 * anchored lines (has_anch: the caller can run those alone); 1 otherwise. */
int pfx_may_match(struct pfx *pf, int section, int has_anch,
    const struct pfx_text *pt);
/* Tie together prefilters of sets matched against the same questions, so
 * that the first question looked at on any works out all of them in one
 * pass.  Each in at most one link. */
void pfx_link(struct pfx **pfs, int n);

#endif
