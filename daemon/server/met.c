/* met.c - counters and their Prometheus text rendering.  Label values are
 * fixed tables (the engine's kinds and intents, wire.h's types, codes and
 * refusals) so the series count is bounded whatever clients send. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "met.h"
#include "common/jw.h"
#include "common/xmem.h"

/* Kinds and intents are the engine's tables (engine/val.h); a reply with
 * no intent counts as "none", a name the table lacks as "other". */
#define MET_NKIND (ENG_NKIND + 1)
#define MET_NINTENT (ENG_I_N + 2)
static const double met_bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define MET_NBUCKET (sizeof met_bounds / sizeof met_bounds[0])

static struct {
	unsigned long conns_total, conns_closed;
	unsigned long refused[WIRE_NREFUSAL];
	unsigned long messages[WIRE_NTYPE];
	unsigned long replies[MET_NKIND][MET_NINTENT];
	unsigned long errors[WIRE_NCODE];
	unsigned long buckets[MET_NBUCKET];
	unsigned long lat_count;
	double lat_sum;
	unsigned long reload_ok, reload_failed, store_errors;
	unsigned long regex_retired;   /* hits of engines reloaded away */
} met;

/* An enum's value as a counter index: the last one ("other") when out of
 * range. */
static unsigned
met_index(int v, unsigned n)
{
	return v >= 0 && (unsigned)v < n ? (unsigned)v : n - 1;
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
met_refused(enum wire_refusal r)
{
	met.refused[met_index((int)r, WIRE_NREFUSAL)]++;
}

void
met_message(enum wire_type t)
{
	met.messages[met_index((int)t, WIRE_NTYPE)]++;
}

void
met_reply(enum eng_kind kind, const char *intent, double secs)
{
	unsigned k = met_index((int)kind, MET_NKIND);
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
met_error(enum wire_code c)
{
	met.errors[met_index((int)c, WIRE_NCODE)]++;
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

static void
met_printf(struct jw *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append one formatted piece; the lines are short, a long one (a long
 * knowledge version) gets a buffer of its own. */
static void
met_printf(struct jw *w, const char *fmt, ...)
{
	char line[256], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();                /* no format here can fail */
	if ((size_t)n < sizeof line) {
		jw_raw(w, line, (size_t)n);
		return;
	}
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	jw_raw(w, big, (size_t)n);
	free(big);
}

static void
met_head(struct jw *b, const char *name, const char *type,
    const char *help)
{
	met_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Replies by kind and intent (every fallback row, other rows once
 * counted), then the fallbacks' sum. */
static void
met_render_replies(struct jw *b)
{
	unsigned long fallbacks = 0;

	met_head(b, "slated_replies_total", "counter",
	    "Replies by kind and intent (answered once; repeats of a stored "
	    "reply are not counted).");
	for (int k = 0; k < MET_NKIND; k++)
		for (int i = 0; i < MET_NINTENT; i++) {
			if (met.replies[k][i] == 0 && k != ENG_FALLBACK)
				continue;
			met_printf(b, "slated_replies_total{kind=\"%s\","
			    "intent=\"%s\"} %lu\n", met_kind_label(k),
			    met_intent_label(i), met.replies[k][i]);
		}
	for (int i = 0; i < MET_NINTENT; i++)
		fallbacks += met.replies[ENG_FALLBACK][i];
	met_head(b, "slated_fallbacks_total", "counter",
	    "Questions the engine could not answer.");
	met_printf(b, "slated_fallbacks_total %lu\n", fallbacks);
}

/* The process gauges, when known. */
static void
met_render_process(struct jw *b, const struct met_gauges *g)
{
	/* the usual process_* names, so that standard dashboards work */
	if (g->open_fds >= 0) {
		met_head(b, "process_open_fds", "gauge",
		    "Open file descriptors.");
		met_printf(b, "process_open_fds %ld\n", g->open_fds);
	}
	if (g->rss_bytes >= 0) {
		met_head(b, "process_resident_memory_bytes", "gauge",
		    "Resident memory size in bytes.");
		met_printf(b, "process_resident_memory_bytes %.0f\n",
		    g->rss_bytes);
	}
}

char *
met_render(const struct met_gauges *g, size_t *len)
{
	struct jw b;

	jw_grow(&b, 8192);
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
	for (int i = 0; i < WIRE_NREFUSAL; i++)
		met_printf(&b, "slated_connections_refused_total{reason=\"%s\"}"
		    " %lu\n", wire_refusal_name((enum wire_refusal)i),
		    met.refused[i]);
	met_head(&b, "slated_messages_total", "counter",
	    "Client messages received, by type.");
	for (int i = 0; i < WIRE_NTYPE; i++)
		met_printf(&b, "slated_messages_total{type=\"%s\"} %lu\n",
		    wire_type_name((enum wire_type)i), met.messages[i]);
	met_render_replies(&b);
	met_head(&b, "slated_errors_total", "counter",
	    "Protocol errors sent, by code.");
	for (int i = 0; i < WIRE_NCODE; i++)
		met_printf(&b, "slated_errors_total{code=\"%s\"} %lu\n",
		    wire_code_name((enum wire_code)i), met.errors[i]);
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
	    "Resumes and resent ids waiting for the reader thread.");
	met_printf(&b, "slated_store_queue %d\n", g->store_queue);
	met_head(&b, "slated_journal_backlog", "gauge",
	    "Journal records SQLite does not hold yet.");
	met_printf(&b, "slated_journal_backlog %zu\n", g->backlog);
	met_head(&b, "slated_journal_bytes_total", "counter",
	    "Bytes appended to the journal.");
	met_printf(&b, "slated_journal_bytes_total %llu\n", g->journal_bytes);
	met_head(&b, "slated_journal_records_total", "counter",
	    "Records appended to the journal.");
	met_printf(&b, "slated_journal_records_total %llu\n",
	    g->journal_records);
	met_head(&b, "slated_compacted_records_total", "counter",
	    "Journal records applied to SQLite.");
	met_printf(&b, "slated_compacted_records_total %llu\n", g->compacted);
	met_head(&b, "slated_wal_bytes_total", "counter",
	    "Bytes the compactor wrote to SQLite's WAL.");
	met_printf(&b, "slated_wal_bytes_total %llu\n", g->wal_bytes);
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
	met_render_process(&b, g);
	*len = jw_len(&b);
	return jw_take(&b);
}
