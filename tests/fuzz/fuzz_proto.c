/* fuzz_proto.c - the chat protocol handler (daemon/server/proto.c), bytes in,
 * answers out, with the real engine and the real store (SQLite in memory,
 * on its own thread, as in slated).  No socket: what libwebsockets does
 * before proto_message() (framing, UTF-8 check, size cap) is not fuzzed
 * here; the protocol tests throw that at the real daemon.
 *
 * Input: one client message per line, on one connection.  A line that
 * starts with
 *   \x01  is sent as a binary frame (the rest of the line);
 *   \x02  makes the store fail the job this message starts (disk full);
 *   \x03  lets a minute pass first (the rate limit refills).
 * Otherwise a second passes between messages.  Checked for every message:
 * exactly one answer, a JSON object of a documented type; errors carry a
 * documented code and a sentence; replies and errors to a message with a
 * usable id carry it as "re"; every session token is well formed.  Any
 * violation aborts, as do the sanitizers. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "server/cfg.h"
#include "engine/eng.h"
#include "server/log.h"
#include "server/proto.h"
#include "server/store.h"
#include "server/tok.h"

#define FZ_DB "file:fuzz_proto?mode=memory&cache=shared"

static struct cfg fz_cfg;
static struct eng *fz_eng;
static struct store *fz_store;
static sqlite3 *fz_db;
static double fz_clock;

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

static const struct proto_env fz_env = { &fz_cfg, &fz_eng, fz_now,
	fz_wall_ms };

/* The store thread's wake-up, as lws_cancel_service() is in slated. */
static pthread_mutex_t fz_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fz_cv = PTHREAD_COND_INITIALIZER;
static int fz_woken;

static void
fz_wake(void *arg)
{
	pthread_mutex_lock(&fz_mu);
	fz_woken = 1;
	pthread_cond_signal(&fz_cv);
	pthread_mutex_unlock(&fz_mu);
}

struct fz_conn {
	struct proto_conn p;
	int answers;                /* to the current message */
	char *last;                 /* the last answer */
	int fail_next;              /* the next job fails */
	struct store_job *failed;   /* a job "failed" without the store */
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

	if (c->fail_next) {
		/* what the store does when a write fails */
		c->fail_next = 0;
		j->rc = -1;
		snprintf(j->err, sizeof j->err, "commit: database or disk is "
		    "full");
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
		    !json_is_object(json_object_get(m, "slots"))) {
			fprintf(stderr, "bad reply: %s\n", c->last);
			abort();
		}
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

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const struct store_opts so = { .transcripts = 1,
		.history_max = 200, .session_days = 30 };
	const char *p = (const char *)data, *end = p + size, *nl;
	struct fz_conn c;
	char err[1024], idbuf[STORE_ID_MAX];

	if (fz_eng == NULL) {
		/* one in-memory database shared by the store and fz_db,
		 * which empties it after each input (opening a new store
		 * per input would cost more than the input itself) */
		if (sqlite3_config(SQLITE_CONFIG_URI, 1) != SQLITE_OK)
			abort();
		fz_cfg.max_text = 500;
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
	if (fz_store == NULL) {
		fz_store = store_open(FZ_DB, &so, fz_wake, NULL, err,
		    sizeof err);
		if (fz_store == NULL || sqlite3_open(FZ_DB, &fz_db) !=
		    SQLITE_OK) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
	}
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
		while (p < nl && (*p == 1 || *p == 2 || *p == 3)) {
			if (*p == 1)
				binary = 1;
			else if (*p == 2)
				c.fail_next = 1;
			else
				fz_clock += 60;
			p++;
		}
		n = (size_t)(nl - p);
		if (n > (size_t)fz_cfg.max_frame)
			n = (size_t)fz_cfg.max_frame;   /* lws closes: 1009 */
		c.answers = 0;
		proto_message(&c.p, p, n, binary);
		fz_drain(&c);
		fz_check(&c, binary ? NULL : fz_id(p, n, idbuf));
		c.fail_next = 0;
		p = nl + 1;
	}
	free(c.last);
	/* the store thread is idle: nothing is in flight after fz_drain() */
	if (sqlite3_exec(fz_db, "DELETE FROM turns; DELETE FROM sessions; "
	    "DELETE FROM unanswered;", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "wipe: %s\n", sqlite3_errmsg(fz_db));
		abort();
	}
	return 0;
}
