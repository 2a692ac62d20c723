/* met.h - plain counters for /metrics, bumped from the event loop only. */
#ifndef SLATE_MET_H
#define SLATE_MET_H

#include <stddef.h>
#include "engine/val.h"
#include "wire.h"

/* Values owned elsewhere, sampled when /metrics is rendered. */
struct met_gauges {
	double uptime;
	int conns;
	long sessions;         /* stored sessions, -1 not yet counted */
	int store_queue;
	size_t backlog;        /* journal records SQLite lacks */
	unsigned long long journal_bytes, journal_records, compacted;
	unsigned long long wal_bytes;
	const char *version;   /* knowledge version */
	unsigned long regex_limit_hits;  /* of the engine in use */
	long open_fds;         /* -1 unknown */
	double rss_bytes;      /* resident memory, -1 unknown */
};

void met_conn(int opened);
void met_refused(enum wire_refusal r);
void met_message(enum wire_type t);
/* A new reply: intent NULL for none; secs from the ask to the reply. */
void met_reply(enum eng_kind kind, const char *intent, double secs);
void met_error(enum wire_code c);
void met_reload(int ok);
void met_store_error(void);
/* An engine is retired by a reload: its regex limit hits stay counted. */
void met_regex_carry(unsigned long hits);
/* The Prometheus text exposition; malloc'd, *len set. */
char *met_render(const struct met_gauges *g, size_t *len);

#endif
