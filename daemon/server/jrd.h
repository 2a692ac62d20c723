/* jrd.h - reading the journal back: segment names, the segments on disk,
 * whole chunks for the compactor and replay, one record for the reader.
 * Any thread; nothing here is shared. */
#ifndef SLATE_JRD_H
#define SLATE_JRD_H

#include <stddef.h>
#include <stdint.h>
#include "jrec.h"

/* "<db>.jnl.<seg, 8 digits>" */
void jrd_path(char *buf, size_t size, const char *db, uint32_t seg);
/* The segment numbers at or above from that exist, ascending, malloc'd
 * into *segs; their count, or -1 when the directory cannot be read. */
int jrd_segments(const char *db, uint32_t from, uint32_t **segs);
/* The whole records in one chunk (a few MB) from off in fd, no further
 * than limit: read into buf (grown as needed, cap its size), fn called
 * for each with its position, stopping early when fn returns non-zero.
 * Returns the offset after the last one; *damaged is set when what
 * follows is not a whole record and cannot become one. */
uint64_t jrd_scan(int fd, uint32_t seg, uint64_t off, uint64_t limit,
    char **buf, size_t *cap, int (*fn)(void *, const struct jrec *,
    uint64_t), void *arg, int *damaged);
/* The record at pos into *buf (malloc'd, the caller frees it; r points
 * into it).  0, or -1 when the segment is gone or the record damaged. */
int jrd_at(const char *db, uint64_t pos, char **buf, struct jrec *r);

#endif
