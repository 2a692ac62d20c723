/* jrd.c - the journal read back (see jrd.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "jnl.h"
#include "jrd.h"
#include "common/xmem.h"

#define JRD_CHUNK (1u << 20)    /* a batch at most; > JREC_MAX */

void
jrd_path(char *buf, size_t size, const char *db, uint32_t seg)
{
	snprintf(buf, size, "%s.jnl.%08u", db, seg);
}

static int
jrd_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
jrd_segments(const char *db, uint32_t from, uint32_t **segs)
{
	const char *slash = strrchr(db, '/');
	const char *base = slash ? slash + 1 : db;
	char dir[4096], prefix[512];
	struct dirent *e;
	size_t n = 0, cap = 8, plen;
	DIR *d;

	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - db + 1) : 1,
	    slash ? db : ".");
	snprintf(prefix, sizeof prefix, "%s.jnl.", base);
	plen = strlen(prefix);
	*segs = NULL;
	if ((d = opendir(dir)) == NULL)
		return -1;
	*segs = xmalloc(cap * sizeof **segs);
	while ((e = readdir(d)) != NULL) {
		char *end;
		unsigned long v;

		if (strncmp(e->d_name, prefix, plen) != 0 ||
		    strlen(e->d_name) != plen + 8)
			continue;
		v = strtoul(e->d_name + plen, &end, 10);
		if (*end != '\0' || v < from || v > UINT32_MAX)
			continue;
		if (n == cap)
			*segs = xrealloc(*segs, (cap *= 2) * sizeof **segs);
		(*segs)[n++] = (uint32_t)v;
	}
	closedir(d);
	qsort(*segs, n, sizeof **segs, jrd_cmp);
	return (int)n;
}

uint64_t
jrd_scan(int fd, uint32_t seg, uint64_t off, uint64_t limit, char **buf,
    size_t *cap, int (*fn)(void *, const struct jrec *, uint64_t),
    void *arg, int *damaged)
{
	size_t want, at = 0, used;
	ssize_t got;
	struct jrec r;
	int rc;

	*damaged = 0;
	if (*cap < JRD_CHUNK) {
		*cap = JRD_CHUNK;
		*buf = xrealloc(*buf, *cap);
	}
	if (off >= limit)
		return off;
	want = limit - off < *cap ? (size_t)(limit - off) : *cap;
	got = pread(fd, *buf, want, (off_t)off);
	if (got <= 0)
		return off;
	while ((rc = jrec_decode(*buf + at, (size_t)got - at, &r, &used)) ==
	    1) {
		if (fn(arg, &r, JNL_POS(seg, off + at)) != 0)
			return off + at;
		at += used;
	}
	/* damage, or a record begun and not finished where the file or
	 * the limit ends (a chunk's end only cuts a record when the chunk
	 * was full) */
	if (rc < 0 || (at == 0 && ((size_t)got < want || want < *cap)))
		*damaged = 1;
	return off + at;
}

int
jrd_at(const char *db, uint64_t pos, char **buf, struct jrec *r)
{
	char path[4096], hdr[JREC_HDR];
	size_t len, used;
	int fd, rc = -1;

	*buf = NULL;
	jrd_path(path, sizeof path, db, JNL_SEG(pos));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (pread(fd, hdr, sizeof hdr, (off_t)JNL_OFF(pos)) == JREC_HDR) {
		len = (size_t)(unsigned char)hdr[0] |
		    (size_t)(unsigned char)hdr[1] << 8 |
		    (size_t)(unsigned char)hdr[2] << 16 |
		    (size_t)(unsigned char)hdr[3] << 24;
		if (len <= JREC_MAX) {
			*buf = xmalloc(JREC_HDR + len);
			if (pread(fd, *buf, JREC_HDR + len,
			    (off_t)JNL_OFF(pos)) == (ssize_t)(JREC_HDR + len) &&
			    jrec_decode(*buf, JREC_HDR + len, r, &used) == 1)
				rc = 0;
		}
	}
	close(fd);
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}
