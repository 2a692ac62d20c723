/* fuzz_proto.c - the chat protocol handler (daemon/server/proto.c), bytes in,
 * answers out, with the real engine and the real storage as slated has
 * it: the journal (jnl.c) the loop appends to, the index of what only the
 * journal holds (jix.c), the reader thread (store.c, dbr.c) that answers
 * resumes and resent ids from SQLite and the journal, and the compactor's
 * writer (dbw.c), run here between two messages rather than on its own
 * thread, so that what SQLite holds and what only the journal holds are
 * both fuzzed.  Files in a directory of their own, emptied after each
 * input.  No socket: what libwebsockets does before proto_message()
 * (framing, UTF-8 check, size cap) is not fuzzed here; the protocol tests
 * throw that at the real daemon.
 *
 * Input: one client message per line, on one connection.  A line that
 * starts with
 *   \x01  is sent as a binary frame (the rest of the line);
 *   \x02  makes storage fail for this message: the journal append and the
 *         reader job it starts (disk full);
 *   \x03  lets a minute pass first (the rate limit refills);
 *   \x04  lets the compactor catch up first: SQLite takes what only the
 *         journal held.
 * Otherwise a second passes between messages.  Checked for every message:
 * exactly one answer, a JSON object of a documented type; errors carry a
 * documented code and a sentence; replies and errors to a message with a
 * usable id carry it as "re"; every session token is well formed; and an
 * id answered and stored in a session is never answered again: a resend
 * gets the same reply back marked "repeat".  Any violation aborts, as do
 * the sanitizers. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "server/cfg.h"
#include "engine/eng.h"
#include "server/db.h"
#include "server/dbw.h"
#include "server/jix.h"
#include "server/jnl.h"
#include "server/jrd.h"
#include "server/log.h"
#include "server/proto.h"
#include "server/ring.h"
#include "server/store.h"
#include "server/tok.h"

static struct cfg fz_cfg;
static struct eng *fz_eng;
static struct store *fz_store;
static struct jnl *fz_jnl;
static struct db *fz_wdb;       /* the compactor's connection */
static struct dbw *fz_w;
static uint32_t fz_seg;         /* the journal segment of this input */
static uint64_t fz_done;        /* SQLite holds the journal before this */
static char fz_path[4096];
static double fz_clock;
static int fz_fail;             /* storage fails for this message */

static const struct store_opts fz_so = { .transcripts = 1,
	.history_max = 200, .session_days = 30 };

/* The clocks proto reads: a minute passes when the input says so. */
static double
fz_now(void)
{
	return fz_clock;
}

static int64_t
fz_wall_ms(void)
{
	return 1795000000000 + (int64_t)(fz_clock * 1000);
}

/* The loop's append (loop.c), or the write a full disk refuses. */
static int
fz_append(const struct jrec *r, uint64_t *pos)
{
	if (fz_fail)
		return -1;
	return jnl_append(fz_jnl, r, pos);
}

static struct proto_env fz_env = { .cfg = &fz_cfg, .eng = &fz_eng,
	.now = fz_now, .wall_ms = fz_wall_ms, .append = fz_append,
	.transcripts = 1 };

/* The reader thread's wake-up, as lws_cancel_service() is in slated. */
static pthread_mutex_t fz_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fz_cv = PTHREAD_COND_INITIALIZER;
static int fz_woken;

static void
fz_wake(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&fz_mu);
	fz_woken = 1;
	pthread_cond_signal(&fz_cv);
	pthread_mutex_unlock(&fz_mu);
}

/* An id answered and stored in a session, with the reply's text. */
struct fz_seen {
	char token[TOK_LEN + 1];
	char id[STORE_ID_MAX];
	char *text;
	struct fz_seen *next;
};

struct fz_conn {
	struct proto_conn p;
	int answers;                /* to the current message */
	char *last;                 /* the last answer */
	struct store_job *failed;   /* a job "failed" without the reader */
	struct fz_seen *seen;
};

static void
fz_send(struct proto_conn *pc, const char *s, size_t n)
{
	struct fz_conn *c = (struct fz_conn *)pc;

	c->answers++;
	free(c->last);
	c->last = malloc(n + 1);
	if (c->last == NULL)
		abort();
	memcpy(c->last, s, n);
	c->last[n] = '\0';
}

static void
fz_submit(struct proto_conn *pc, struct store_job *j)
{
	struct fz_conn *c = (struct fz_conn *)pc;

	if (fz_fail) {
		/* what the reader does when SQLite cannot be read */
		j->rc = -1;
		snprintf(j->err, sizeof j->err, "read: disk I/O error");
		c->failed = j;
		return;
	}
	store_submit(fz_store, j);
}

static const struct proto_io fz_io = { fz_send, fz_submit };

/* Run the store until c has its answer, as the event loop would. */
static void
fz_drain(struct fz_conn *c)
{
	while (c->p.busy) {
		struct store_job *j = c->failed, *next;

		c->failed = NULL;
		if (j == NULL) {
			pthread_mutex_lock(&fz_mu);
			while (!fz_woken)
				pthread_cond_wait(&fz_cv, &fz_mu);
			fz_woken = 0;
			pthread_mutex_unlock(&fz_mu);
			j = store_done(fz_store);
		}
		for (; j; j = next) {
			next = j->next;
			if (j->conn == c->p.serial)
				proto_done(&c->p, j);
			store_job_free(j);
		}
	}
}

static int
fz_in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* A reply to id: a stored one must never be answered again, and a
 * repeat must be the reply first sent. */
static void
fz_check_once(struct fz_conn *c, json_t *m, const char *id)
{
	const char *text = json_string_value(json_object_get(m, "text"));
	const char *tok = json_string_value(json_object_get(m, "session"));
	int repeat = json_is_true(json_object_get(m, "repeat"));
	struct fz_seen *e;

	if (tok == NULL)
		return;
	for (e = c->seen; e; e = e->next)
		if (strcmp(e->token, tok) == 0 && strcmp(e->id, id) == 0)
			break;
	if (e && !fz_fail && (!repeat || strcmp(e->text, text) != 0)) {
		fprintf(stderr, "id %s answered twice: %s\n", id, c->last);
		abort();
	}
	if (e || json_is_false(json_object_get(m, "stored")))
		return;
	e = calloc(1, sizeof *e);
	if (e == NULL || (e->text = strdup(text)) == NULL)
		abort();
	snprintf(e->token, sizeof e->token, "%s", tok);
	snprintf(e->id, sizeof e->id, "%s", id);
	e->next = c->seen;
	c->seen = e;
}

/* The one answer to a message: abort unless it is one the protocol
 * documents.  id is the message's usable id, or NULL. */
static void
fz_check(struct fz_conn *c, const char *id)
{
	static const char *const types[] = { "welcome", "reply", "reset",
		"forgotten", "error", NULL };
	static const char *const codes[] = { "bad_json", "bad_type",
		"bad_field", "too_long", "rate_limited", "storage", NULL };
	static const char *const kinds[] = { "answer", "clarify", "fallback",
		"smalltalk", NULL };
	json_t *m, *re, *sess;
	const char *type;

	if (c->answers != 1) {
		fprintf(stderr, "%d answers to one message\n", c->answers);
		abort();
	}
	m = json_loads(c->last, JSON_REJECT_DUPLICATES, NULL);
	type = json_string_value(json_object_get(m, "type"));
	if (!json_is_object(m) || type == NULL || !fz_in(type, types)) {
		fprintf(stderr, "bad answer: %s\n", c->last);
		abort();
	}
	re = json_object_get(m, "re");
	sess = json_object_get(m, "session");
	if (strcmp(type, "error") == 0) {
		const char *code = json_string_value(json_object_get(m,
		    "code"));
		const char *text = json_string_value(json_object_get(m,
		    "text"));

		if (code == NULL || !fz_in(code, codes) || text == NULL ||
		    strlen(text) < 10 || (re && !json_is_null(re) &&
		    (id == NULL || strcmp(json_string_value(re), id) != 0))) {
			fprintf(stderr, "bad error: %s\n", c->last);
			abort();
		}
	} else if (strcmp(type, "reply") == 0) {
		const char *kind = json_string_value(json_object_get(m,
		    "kind"));

		if (kind == NULL || !fz_in(kind, kinds) || id == NULL ||
		    !json_is_string(re) || strcmp(json_string_value(re),
		    id) != 0 || !json_is_string(json_object_get(m, "text")) ||
		    !json_is_object(json_object_get(m, "slots")) ||
		    !json_is_number(json_object_get(m, "confidence"))) {
			fprintf(stderr, "bad reply: %s\n", c->last);
			abort();
		}
		fz_check_once(c, m, id);
	}
	if (sess && !json_is_null(sess) && (!json_is_string(sess) ||
	    !tok_valid(json_string_value(sess)))) {
		fprintf(stderr, "bad session: %s\n", c->last);
		abort();
	}
	if (c->p.close_code != 0 && c->p.close_code != 1008)
		abort();
	json_decref(m);
}

/* The id proto_message() will echo: a string of 1 to 64 bytes, no NUL. */
static char *
fz_id(const char *p, size_t n, char *buf)
{
	json_t *m = json_loadb(p, n, JSON_REJECT_DUPLICATES, NULL);
	json_t *v = json_object_get(m, "id");
	const char *s = json_string_value(v);
	char *r = NULL;

	if (s && s[0] && strlen(s) == json_string_length(v) &&
	    strlen(s) < STORE_ID_MAX) {
		memcpy(buf, s, strlen(s) + 1);
		r = buf;
	}
	json_decref(m);
	return r;
}

/* One record into the compactor's transaction. */
static int
fz_apply(void *arg, const struct jrec *r, uint64_t pos)
{
	char err[200];

	(void)arg;
	(void)pos;
	if (dbw_apply(fz_w, r, err, sizeof err) != 0) {
		fprintf(stderr, "apply: %s\n", err);
		abort();
	}
	return 0;
}

/* The compactor's work, done now: every whole record of this input's
 * segment that SQLite lacks, in one transaction per chunk, then the index
 * let go of what SQLite now holds. */
static void
fz_compact(void)
{
	uint64_t end = jnl_end(fz_jnl), off = JNL_OFF(fz_done), noff;
	char path[4200], err[200], *buf = NULL;
	size_t cap = 0;
	int fd, damaged;

	jrd_path(path, sizeof path, fz_path, fz_seg);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;                 /* nothing appended yet */
	while (off < JNL_OFF(end)) {
		if (dbw_begin(fz_w, err, sizeof err) != 0)
			break;
		noff = jrd_scan(fd, fz_seg, off, JNL_OFF(end), &buf, &cap,
		    fz_apply, NULL, &damaged);
		if (damaged || noff == off ||
		    dbw_commit(fz_w, JNL_POS(fz_seg, noff), err,
		    sizeof err) != 0) {
			fprintf(stderr, "compact: %s\n", damaged ? "damaged" :
			    err);
			abort();
		}
		off = noff;
	}
	close(fd);
	free(buf);
	fz_done = JNL_POS(fz_seg, off);
	jix_drop(fz_env.jix, fz_done);
}

/* At exit: the files go, so that fuzzing leaves nothing behind. */
static void
fz_cleanup(void)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char path[4200];

	jrd_path(path, sizeof path, fz_path, fz_seg);
	unlink(path);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", fz_path, ext[i]);
		unlink(path);
	}
	*strrchr(fz_path, '/') = '\0';
	rmdir(fz_path);
}

/* Storage for the next input: a fresh journal segment, an empty index,
 * and SQLite emptied (the reader is idle: nothing is in flight). */
static void
fz_storage(void)
{
	char err[1024], path[4200];

	if (fz_store == NULL) {
		char dir[] = "/tmp/fuzz_proto.XXXXXX";

		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(fz_path, sizeof fz_path, "%s/fuzz.db", dir);
		fz_wdb = db_open(fz_path, &fz_so, err, sizeof err);
		fz_store = fz_wdb ? store_open(fz_path, fz_path, &fz_so,
		    fz_wake, NULL, err, sizeof err) : NULL;
		if (fz_store == NULL) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		fz_w = dbw_new(fz_wdb);
		fz_env.ring = ring_new();
		atexit(fz_cleanup);
	} else {
		jnl_close(fz_jnl);
		jix_free(fz_env.jix);
		jrd_path(path, sizeof path, fz_path, fz_seg);
		unlink(path);
		fz_seg++;
		if (sqlite3_exec(db_handle(fz_wdb), "DELETE FROM turns; "
		    "DELETE FROM sessions; DELETE FROM unanswered;", NULL,
		    NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "wipe: %s\n",
			    sqlite3_errmsg(db_handle(fz_wdb)));
			abort();
		}
	}
	fz_jnl = jnl_open(fz_path, fz_seg, JNL_SYNC_NO, NULL, NULL, err,
	    sizeof err);
	if (fz_jnl == NULL) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	fz_done = JNL_POS(fz_seg, 0);
	fz_env.jix = jix_new();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct fz_conn c;
	char err[1024], idbuf[STORE_ID_MAX];

	if (fz_eng == NULL) {
		fz_cfg.max_text = 2000;
		fz_cfg.max_frame = 8192;
		fz_cfg.rate = 30;
		fz_cfg.burst = 10;
		fz_cfg.max_errors = 20;
		log_set_level(LOG_ERROR);
		fz_eng = eng_load(SLATE_SOURCE_DIR "/knowledge",
		    SLATE_SOURCE_DIR "/patterns", err, sizeof err);
		if (fz_eng == NULL) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
	}
	fz_storage();
	fz_clock = 1000;
	memset(&c, 0, sizeof c);
	proto_init(&c.p, &fz_env, &fz_io, 1, "127.0.0.1");
	while (p < end && c.p.close_code == 0) {
		int binary = 0;
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		fz_clock += 1;
		fz_fail = 0;
		while (p < nl && *p >= 1 && *p <= 4) {
			if (*p == 1)
				binary = 1;
			else if (*p == 2)
				fz_fail = 1;
			else if (*p == 3)
				fz_clock += 60;
			else
				fz_compact();
			p++;
		}
		n = (size_t)(nl - p);
		if (n > (size_t)fz_cfg.max_frame)
			n = (size_t)fz_cfg.max_frame;   /* lws closes: 1009 */
		c.answers = 0;
		proto_message(&c.p, p, n, binary);
		fz_drain(&c);
		fz_check(&c, binary ? NULL : fz_id(p, n, idbuf));
		p = nl + 1;
	}
	fz_fail = 0;
	proto_close(&c.p);
	free(c.last);
	while (c.seen) {
		struct fz_seen *e = c.seen;

		c.seen = e->next;
		free(e->text);
		free(e);
	}
	return 0;
}
