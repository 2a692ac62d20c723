/* test_jnl.c - the journal, its replay and the reader.
 * Exercises: a record encoded and decoded field for field, absent fields
 * kept absent; a damaged byte and a torn tail recognised; records
 * appended, slated "killed" before any compaction, then replayed into
 * SQLite at the next open, a torn last record cut off and the segments
 * deleted; the reader finding the replayed session, its history and its
 * reply by id; the journal position SQLite holds advancing; a rotation
 * asked for (a forget) starting the next segment at once, not at the next
 * record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "server/cpt.h"
#include "server/jnl.h"
#include "server/jrd.h"
#include "server/jrec.h"
#include "server/store.h"
#include "t.h"

static const char tok[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

TEST_IMPL(jrec_round_trip)
{
	struct jrec r = { .type = JREC_TURN, .fallback = 1, .ts = 1234567890123,
		.token = tok, .id = "q1", .user = "hi", .body = "\"kind\":\"answer\"",
		.slots = NULL }, d;
	char buf[512];
	size_t n = jrec_encode(&r, buf), used;

	ASSERT_EQ(n, jrec_size(&r));
	ASSERT_EQ(jrec_decode(buf, n, &d, &used), 1);
	ASSERT_EQ(used, n);
	ASSERT_EQ(d.type, JREC_TURN);
	ASSERT_EQ(d.fallback, 1);
	ASSERT_EQ(d.ts, 1234567890123);
	ASSERT_STR_EQ(d.token, tok);
	ASSERT_STR_EQ(d.id, "q1");
	ASSERT_STR_EQ(d.body, "\"kind\":\"answer\"");
	ASSERT_NULL(d.slots);
	/* torn: not yet a record; damaged: not a record at all */
	ASSERT_EQ(jrec_decode(buf, n - 1, &d, &used), 0);
	buf[n - 3] ^= 1;
	ASSERT_EQ(jrec_decode(buf, n, &d, &used), -1);
}

static void
wake(void *arg)
{
	(void)arg;
}

/* The CRC-32C check value, and a long buffer against a byte at a time. */
TEST_IMPL(jrec_crc_known)
{
	unsigned char buf[1031];
	uint32_t c = 0xffffffffu;

	ASSERT_EQ(jrec_crc("123456789", 9), 0xe3069283u);
	ASSERT_EQ(jrec_crc("", 0), 0u);
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	for (size_t i = 0; i < sizeof buf; i++) {
		c ^= buf[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
	}
	ASSERT_EQ(jrec_crc(buf, sizeof buf), c ^ 0xffffffffu);
	ASSERT_EQ(jrec_crc(buf + 1, 13), jrec_crc(buf + 1, 13));
}

TEST_IMPL(jnl_replay_after_kill)
{
	char dir[] = "/tmp/slate-jnl-XXXXXX", db[256], path[300];
	struct store_opts o = { .transcripts = 1, .history_max = 10,
		.session_days = 30 };
	struct cpt_replay rp;
	struct cpt *c;
	struct jnl *j;
	struct store *s;
	struct store_job *job = NULL;
	char err[300];
	uint32_t seg, *segs;
	uint64_t pos;
	FILE *f;

	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/s.db", dir);
	c = cpt_open(db, &o, &seg, &rp, err, sizeof err);
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(rp.records, 0);
	j = jnl_open(db, seg, JNL_SYNC_NO, NULL, NULL, err, sizeof err);
	ASSERT_NOT_NULL(j);
	{
		struct jrec cr = { .type = JREC_CREATE, .ts = 1, .token = tok,
			.slots = "{}" };
		struct jrec tr = { .type = JREC_TURN, .ts = 2, .token = tok,
			.id = "q1", .user = "what is a producer?",
			.body = "\"kind\":\"answer\",\"text\":\"One who...\"",
			.slots = "{\"role\":\"producer\"}" };

		ASSERT_OK(jnl_append(j, &cr, &pos));
		ASSERT_OK(jnl_append(j, &tr, &pos));
	}
	/* a kill -9: nothing compacted, nothing closed in order; and a
	 * record torn half-way */
	jnl_close(j);
	jrd_path(path, sizeof path, db, seg);
	f = fopen(path, "a");
	ASSERT_NOT_NULL(f);
	fwrite("\x40\x00\x00\x00garbage", 1, 11, f);
	fclose(f);
	cpt_close(c);

	c = cpt_open(db, &o, &seg, &rp, err, sizeof err);
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(rp.records, 2);
	ASSERT_EQ(rp.torn, 11);
	ASSERT_EQ(jrd_segments(db, 0, &segs), 0);
	free(segs);
	s = store_open(db, db, &o, wake, NULL, err, sizeof err);
	ASSERT_NOT_NULL(s);
	job = store_job_new(STORE_LOAD);
	snprintf(job->token, sizeof job->token, "%s", tok);
	store_submit(s, job);
	while ((job = store_done(s)) == NULL)
		usleep(1000);
	ASSERT_EQ(job->found, 1);
	ASSERT_STR_EQ(job->slots, "{\"role\":\"producer\"}");
	ASSERT(strstr(job->history, "One who...") != NULL);
	ASSERT_EQ(job->nids, 1);
	store_job_free(job);
	job = store_job_new(STORE_LOOKUP);
	snprintf(job->token, sizeof job->token, "%s", tok);
	snprintf(job->id, sizeof job->id, "q1");
	store_submit(s, job);
	while ((job = store_done(s)) == NULL)
		usleep(1000);
	ASSERT_EQ(job->found, 1);
	ASSERT_STR_EQ(job->reply, "\"kind\":\"answer\",\"text\":\"One who...\"");
	store_job_free(job);
	store_close(s);
	ASSERT_GT(cpt_done(c), 0);
	cpt_close(c);
}

TEST_IMPL(jnl_rotate_at_once)
{
	char dir[] = "/tmp/slate-jnl-XXXXXX", db[256], path[300];
	struct jrec fr = { .type = JREC_FORGET, .ts = 1, .token = tok };
	struct jnl *j;
	char err[300];
	uint64_t pos;

	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/s.db", dir);
	j = jnl_open(db, 1, JNL_SYNC_NO, NULL, NULL, err, sizeof err);
	ASSERT_NOT_NULL(j);
	ASSERT_OK(jnl_append(j, &fr, &pos));
	ASSERT_EQ(JNL_SEG(pos), 1);
	jnl_rotate_soon(j);
	/* the next segment exists with nothing appended after the forget,
	 * so the compactor may finish and delete the first */
	ASSERT_EQ(JNL_SEG(jnl_end(j)), 2);
	ASSERT_EQ(jnl_pub(j)->end, JNL_POS(2, 0));
	jrd_path(path, sizeof path, db, 2);
	ASSERT_OK(access(path, F_OK));
	ASSERT_OK(jnl_append(j, &fr, &pos));
	ASSERT_EQ(pos, JNL_POS(2, 0));
	jnl_close(j);
	unlink(path);
	jrd_path(path, sizeof path, db, 1);
	unlink(path);
	rmdir(dir);
}

TEST_LIST(
	TEST_ENTRY(jrec_round_trip)
	TEST_ENTRY(jrec_crc_known)
	TEST_ENTRY(jnl_replay_after_kill)
	TEST_ENTRY(jnl_rotate_at_once)
)
