/* jnl.c - the journal's writer and its sync thread (see jnl.h).
 *
 * Nothing here takes a lock.  The loop hands the sync thread the current
 * descriptor and, at a rotation, the old one through atomics; the sync
 * thread is the one that closes a retired descriptor, after its last
 * fsync, so the loop never closes a file the other thread may be syncing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "jnl.h"
#include "jrd.h"
#include "thr.h"
#include "common/xmem.h"

struct jnl {
	char *db;
	int fd;                     /* the segment being written, or -1 */
	int dirfd;                  /* its directory, for new names */
	uint32_t seg;
	uint64_t off;
	enum jnl_sync mode;
	int rotate;                 /* start a new segment before the next */
	char err[200];
	char *buf;
	size_t cap;
	uint64_t bytes;
	struct jnl_pub pub;
	/* shared with the sync thread */
	_Atomic int cur_fd, retired, closing;
	_Atomic uint64_t synced;
	int efd;                    /* wakes the sync thread */
	void (*synced_cb)(void *);
	void *arg;
	pthread_t thread;
};

static void
jnl_kick(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof one) < 0 && errno != EAGAIN)
		return;         /* an eventfd write fails only when full */
}

/* The sync thread: fsync what the loop has written, every second or at
 * once (always), and close the descriptors the loop has retired. */
static void *
jnl_sync_main(void *arg)
{
	struct jnl *j = arg;
	struct pollfd p = { .fd = j->efd, .events = POLLIN };
	uint64_t junk, done = 0;

	for (;;) {
		int closing = atomic_load(&j->closing);

		if (!closing && poll(&p, 1, j->mode == JNL_SYNC_EVERYSEC ?
		    1000 : -1) > 0 && read(j->efd, &junk, sizeof junk) < 0)
			continue;
		/* end first: whatever it covers is in the retired
		 * descriptor or the current one */
		uint64_t end = atomic_load(&j->pub.end);
		int fd = atomic_exchange(&j->retired, -1);

		if (fd >= 0) {
			if (j->mode != JNL_SYNC_NO) {
				fdatasync(fd);
				fsync(j->dirfd);
			}
			close(fd);
		}
		fd = atomic_load(&j->cur_fd);
		if (end != done && fd >= 0 && j->mode != JNL_SYNC_NO)
			fdatasync(fd);
		done = end;
		atomic_store(&j->synced, end);
		if (j->mode == JNL_SYNC_ALWAYS && j->synced_cb)
			j->synced_cb(j->arg);
		if (closing)
			return NULL;
	}
}

/* Open segment seg for appending; -1 with j->err set. */
static int
jnl_open_seg(struct jnl *j, uint32_t seg)
{
	char path[4096];
	int fd;

	jrd_path(path, sizeof path, j->db, seg);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(j->err, sizeof j->err, "journal %.120s: %s", path,
		    strerror(errno));
		return -1;
	}
	return fd;
}

/* Move to the next segment: the old descriptor goes to the sync thread.
 * Only when it has taken the last one, so that this never waits. */
static void
jnl_rotate(struct jnl *j)
{
	int fd;

	if (atomic_load(&j->retired) >= 0)
		return;
	fd = jnl_open_seg(j, j->seg + 1);
	if (fd < 0)
		return;
	if (j->fd >= 0)
		atomic_store(&j->retired, j->fd);
	j->fd = fd;
	j->seg++;
	j->off = 0;
	j->rotate = 0;
	atomic_store(&j->cur_fd, fd);
	atomic_store(&j->pub.end, JNL_POS(j->seg, 0));
	jnl_kick(j->efd);
}

/* The failure of a write, in the words the store used for a full disk. */
static void
jnl_write_err(struct jnl *j, int e)
{
	/* a short write is what a full disk or a file size limit does
	 * first: the next write would fail with ENOSPC or EFBIG */
	const char *full = e == 0 || e == ENOSPC || e == EDQUOT || e == EFBIG ?
	    "the disk is full, or a file size limit was reached: " : "";

	snprintf(j->err, sizeof j->err, "journal write: %s%s", full,
	    e ? strerror(e) : "short write");
}

int
jnl_append(struct jnl *j, const struct jrec *r, uint64_t *pos)
{
	size_t n = jrec_size(r);
	ssize_t w;

	if (n - JREC_HDR > JREC_MAX) {
		snprintf(j->err, sizeof j->err, "journal: a record of %zu "
		    "bytes is too large", n);
		return -1;
	}
	if (j->rotate || j->off >= JNL_SEG_BYTES || j->fd < 0)
		jnl_rotate(j);
	if (j->fd < 0 || j->rotate > 1)
		return -1;      /* j->err says why */
	if (n > j->cap) {
		j->cap = n > 4096 ? n : 4096;
		j->buf = xrealloc(j->buf, j->cap);
	}
	jrec_encode(r, j->buf);
	w = write(j->fd, j->buf, n);
	if (w != (ssize_t)n) {
		int e = w < 0 ? errno : 0;

		/* nothing half-written may stay: the next record would
		 * follow a torn one */
		if (w > 0 && ftruncate(j->fd, (off_t)j->off) != 0)
			j->rotate = 2;  /* no append here until a new one */
		jnl_write_err(j, e);
		return -1;
	}
	*pos = JNL_POS(j->seg, j->off);
	j->off += n;
	j->bytes += n;
	j->err[0] = '\0';
	atomic_store(&j->pub.end, JNL_POS(j->seg, j->off));
	atomic_fetch_add(&j->pub.records, 1);
	if (atomic_exchange(&j->pub.sleeping, 0))
		jnl_kick(j->pub.kick);
	if (j->mode == JNL_SYNC_ALWAYS)
		jnl_kick(j->efd);
	return 0;
}

struct jnl *
jnl_open(const char *db, uint32_t seg, enum jnl_sync mode,
    void (*synced)(void *), void *arg, char *err, size_t errlen)
{
	struct jnl *j = xcalloc(1, sizeof *j);
	char dir[4096];
	const char *slash = strrchr(db, '/');

	j->db = xstrdup(db);
	j->mode = mode;
	j->synced_cb = synced;
	j->arg = arg;
	j->seg = seg;
	atomic_init(&j->retired, -1);
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - db + 1) : 1,
	    slash ? db : ".");
	j->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	j->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	j->pub.kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	j->fd = jnl_open_seg(j, seg);
	if (j->fd < 0 || j->efd < 0 || j->pub.kick < 0 || j->dirfd < 0) {
		snprintf(err, errlen, "%s", j->fd < 0 ? j->err :
		    "cannot create the journal's descriptors");
		goto fail;
	}
	atomic_init(&j->cur_fd, j->fd);
	atomic_init(&j->pub.end, JNL_POS(seg, 0));
	atomic_init(&j->synced, JNL_POS(seg, 0));
	if (thr_start(&j->thread, jnl_sync_main, j) != 0) {
		snprintf(err, errlen, "cannot start the journal's sync thread");
		goto fail;
	}
	return j;
fail:
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	j->efd >= 0 ? close(j->efd) : 0;
	j->pub.kick >= 0 ? close(j->pub.kick) : 0;
	j->dirfd >= 0 ? close(j->dirfd) : 0;
	free(j->db);
	free(j);
	return NULL;
}

void
jnl_rotate_soon(struct jnl *j)
{
	if (j->rotate == 0)
		j->rotate = 1;
	/* now: with no record after it, the segment would otherwise keep
	 * what a forget deleted until the next one */
	jnl_rotate(j);
}

void
jnl_tick(struct jnl *j)
{
	if (j->rotate)
		jnl_rotate(j);
}

void
jnl_urge(struct jnl *j)
{
	atomic_store(&j->pub.urgent, 1);
	if (atomic_exchange(&j->pub.sleeping, 0))
		jnl_kick(j->pub.kick);
}

uint64_t
jnl_end(struct jnl *j)
{
	return JNL_POS(j->seg, j->off);
}

uint64_t
jnl_synced(struct jnl *j)
{
	return atomic_load(&j->synced);
}

uint64_t
jnl_bytes(struct jnl *j)
{
	return j->bytes;
}

const char *
jnl_error(struct jnl *j)
{
	return j->err;
}

enum jnl_sync
jnl_mode(struct jnl *j)
{
	return j->mode;
}

struct jnl_pub *
jnl_pub(struct jnl *j)
{
	return &j->pub;
}

void
jnl_close(struct jnl *j)
{
	int fd;

	if (j == NULL)
		return;
	atomic_store(&j->closing, 1);
	jnl_kick(j->efd);
	pthread_join(j->thread, NULL);
	fd = atomic_exchange(&j->retired, -1);
	if (fd >= 0)
		close(fd);
	if (j->fd >= 0)
		close(j->fd);
	close(j->efd);
	close(j->pub.kick);
	close(j->dirfd);
	free(j->buf);
	free(j->db);
	free(j);
}
