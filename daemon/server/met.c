/* met.c - counters and their Prometheus text rendering.  Label values are
 * fixed tables (kinds, intents, error codes) so the series count is
 * bounded whatever clients send. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/val.h"
#include "met.h"

/* Kinds and intents are the engine's tables (engine/val.h); a reply with
 * no intent counts as "none", a name the table lacks as "other". */
#define MET_NKIND (ENG_NKIND + 1)
#define MET_NINTENT (ENG_I_N + 2)
static const char *const met_types[] = { "hello", "ask", "reset", "forget",
	"other" };
#define MET_NTYPE 5
static const char *const met_codes[] = { "bad_json", "bad_type",
	"bad_field", "too_long", "rate_limited", "storage", "shutting_down",
	"other" };
#define MET_NCODE 8
static const char *const met_reasons[] = { "origin", "path", "limit",
	"per_ip", "tcp_per_ip", "shutting_down", "other" };
#define MET_NREASON 7
static const double met_bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define MET_NBUCKET (sizeof met_bounds / sizeof met_bounds[0])

static struct {
	unsigned long conns_total, conns_closed;
	unsigned long refused[MET_NREASON];
	unsigned long messages[MET_NTYPE];
	unsigned long replies[MET_NKIND][MET_NINTENT];
	unsigned long errors[MET_NCODE];
	unsigned long buckets[MET_NBUCKET];
	unsigned long lat_count;
	double lat_sum;
	unsigned long reload_ok, reload_failed, store_errors;
	unsigned long regex_retired;   /* hits of engines reloaded away */
} met;

static int
met_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n - 1; i++)
		if (s && strcmp(names[i], s) == 0)
			return i;
	return n - 1;
}

/* The index of a kind name; the last one for a name the engine lacks. */
static int
met_kind(const char *kind)
{
	for (int k = 0; k < ENG_NKIND; k++)
		if (kind && strcmp(eng_kind_name((enum eng_kind)k), kind) == 0)
			return k;
	return ENG_NKIND;
}

static const char *
met_kind_label(int k)
{
	return k < ENG_NKIND ? eng_kind_name((enum eng_kind)k) : "other";
}

static const char *
met_intent_label(int i)
{
	return i < ENG_I_N ? eng_intent_name(i) : i == ENG_I_N ? "none" :
	    "other";
}

void
met_conn(int opened)
{
	if (opened)
		met.conns_total++;
	else
		met.conns_closed++;
}

void
met_refused(const char *reason)
{
	met.refused[met_index(met_reasons, MET_NREASON, reason)]++;
}

void
met_message(const char *type)
{
	met.messages[met_index(met_types, MET_NTYPE, type)]++;
}

void
met_reply(const char *kind, const char *intent, double secs)
{
	int k = met_kind(kind);
	int i = intent == NULL ? ENG_I_N : eng_intent_find(intent);

	if (i < 0)
		i = ENG_I_N + 1;

	met.replies[k][i]++;
	for (size_t b = 0; b < MET_NBUCKET; b++)
		if (secs <= met_bounds[b])
			met.buckets[b]++;
	met.lat_count++;
	met.lat_sum += secs;
}

void
met_error(const char *code)
{
	met.errors[met_index(met_codes, MET_NCODE, code)]++;
}

void
met_reload(int ok)
{
	if (ok)
		met.reload_ok++;
	else
		met.reload_failed++;
}

void
met_store_error(void)
{
	met.store_errors++;
}

void
met_regex_carry(unsigned long hits)
{
	met.regex_retired += hits;
}

struct met_buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
met_printf(struct met_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
met_printf(struct met_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		char *q = realloc(b->p, b->cap * 2 + (size_t)n);
		if (q == NULL) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = b->cap * 2 + (size_t)n;
	}
}

static void
met_head(struct met_buf *b, const char *name, const char *type,
    const char *help)
{
	met_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

char *
met_render(const struct met_gauges *g, size_t *len)
{
	struct met_buf b = { .p = malloc(8192), .cap = 8192 };
	unsigned long fallbacks = 0;

	if (b.p == NULL)
		return NULL;
	met_head(&b, "slated_uptime_seconds", "gauge", "Seconds since start.");
	met_printf(&b, "slated_uptime_seconds %.0f\n", g->uptime);
	met_head(&b, "slated_knowledge_info", "gauge",
	    "The loaded knowledge version.");
	met_printf(&b, "slated_knowledge_info{version=\"%s\"} 1\n",
	    g->version);
	met_head(&b, "slated_connections_open", "gauge",
	    "Open WebSocket connections.");
	met_printf(&b, "slated_connections_open %d\n", g->conns);
	met_head(&b, "slated_connections_total", "counter",
	    "WebSocket connections accepted.");
	met_printf(&b, "slated_connections_total %lu\n", met.conns_total);
	met_head(&b, "slated_connections_refused_total", "counter",
	    "WebSocket upgrades refused, by reason.");
	for (int i = 0; i < MET_NREASON; i++)
		met_printf(&b, "slated_connections_refused_total{reason=\"%s\"}"
		    " %lu\n", met_reasons[i], met.refused[i]);
	met_head(&b, "slated_messages_total", "counter",
	    "Client messages received, by type.");
	for (int i = 0; i < MET_NTYPE; i++)
		met_printf(&b, "slated_messages_total{type=\"%s\"} %lu\n",
		    met_types[i], met.messages[i]);
	met_head(&b, "slated_replies_total", "counter",
	    "Replies by kind and intent (answered once; repeats of a stored "
	    "reply are not counted).");
	for (int k = 0; k < MET_NKIND; k++)
		for (int i = 0; i < MET_NINTENT; i++) {
			if (met.replies[k][i] == 0 && k != ENG_FALLBACK)
				continue;
			met_printf(&b, "slated_replies_total{kind=\"%s\","
			    "intent=\"%s\"} %lu\n", met_kind_label(k),
			    met_intent_label(i), met.replies[k][i]);
		}
	for (int i = 0; i < MET_NINTENT; i++)
		fallbacks += met.replies[ENG_FALLBACK][i];
	met_head(&b, "slated_fallbacks_total", "counter",
	    "Questions the engine could not answer.");
	met_printf(&b, "slated_fallbacks_total %lu\n", fallbacks);
	met_head(&b, "slated_errors_total", "counter",
	    "Protocol errors sent, by code.");
	for (int i = 0; i < MET_NCODE; i++)
		met_printf(&b, "slated_errors_total{code=\"%s\"} %lu\n",
		    met_codes[i], met.errors[i]);
	met_head(&b, "slated_reply_seconds", "histogram",
	    "From a question's arrival to its reply being queued, storage "
	    "included.");
	for (size_t i = 0; i < MET_NBUCKET; i++)
		met_printf(&b, "slated_reply_seconds_bucket{le=\"%g\"} %lu\n",
		    met_bounds[i], met.buckets[i]);
	met_printf(&b, "slated_reply_seconds_bucket{le=\"+Inf\"} %lu\n"
	    "slated_reply_seconds_sum %.6f\nslated_reply_seconds_count %lu\n",
	    met.lat_count, met.lat_sum, met.lat_count);
	met_head(&b, "slated_sessions_stored", "gauge",
	    "Sessions in the store.");
	met_printf(&b, "slated_sessions_stored %ld\n", g->sessions);
	met_head(&b, "slated_store_queue", "gauge",
	    "Storage jobs waiting for the writer thread.");
	met_printf(&b, "slated_store_queue %d\n", g->store_queue);
	met_head(&b, "slated_store_errors_total", "counter",
	    "Storage jobs that failed.");
	met_printf(&b, "slated_store_errors_total %lu\n", met.store_errors);
	met_head(&b, "slated_reloads_total", "counter",
	    "SIGHUP reloads, by result.");
	met_printf(&b, "slated_reloads_total{result=\"ok\"} %lu\n"
	    "slated_reloads_total{result=\"failed\"} %lu\n", met.reload_ok,
	    met.reload_failed);
	met_head(&b, "slated_regex_limit_hits_total", "counter",
	    "Pattern matches stopped by the match or depth limit.");
	met_printf(&b, "slated_regex_limit_hits_total %lu\n",
	    met.regex_retired + g->regex_limit_hits);
	/* the usual process_* names, so that standard dashboards work */
	if (g->open_fds >= 0) {
		met_head(&b, "process_open_fds", "gauge",
		    "Open file descriptors.");
		met_printf(&b, "process_open_fds %ld\n", g->open_fds);
	}
	if (g->rss_bytes >= 0) {
		met_head(&b, "process_resident_memory_bytes", "gauge",
		    "Resident memory size in bytes.");
		met_printf(&b, "process_resident_memory_bytes %.0f\n",
		    g->rss_bytes);
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}
