/* idx.h - the knowledge base's search index: every role field and topic
 * in an in-memory SQLite FTS5 table, searched for the entries nearest to
 * a question we cannot answer.  Built once per engine, read-only after. */
#ifndef SLATE_IDX_H
#define SLATE_IDX_H

#include <stddef.h>
#include "kb.h"

/* A search hit: a field of a role ("var:<name>" for a variation), or a
 * topic (role -1). */
struct idx_hit { int role; int topic; char field[24]; };

struct idx;

/* Index kb, which must outlive nothing: the index keeps its own text.
 * NULL with err on an SQLite failure. */
struct idx *idx_build(const struct kb *kb, char *err, size_t errlen);
void idx_free(struct idx *ix);
/* Up to max entries whose text best matches the words of q (bm25). */
int idx_search(const struct idx *ix, const char *q, struct idx_hit *hits,
    int max);
/* Tests: the scores idx_search adds up, computed at build, against
 * FTS5's own bm25() for every term.  0 when they agree, else -1 and err. */
int idx_check_postings(struct idx *ix, char *err, size_t errlen);

#endif
