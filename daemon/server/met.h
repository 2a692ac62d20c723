/* met.h - plain counters for /metrics, bumped from the event loop only. */
#ifndef SLATE_MET_H
#define SLATE_MET_H

#include <stddef.h>

/* Values owned elsewhere, sampled when /metrics is rendered. */
struct met_gauges {
	double uptime;
	int conns;
	long sessions;         /* stored sessions, -1 not yet counted */
	int store_queue;
	const char *version;   /* knowledge version */
	unsigned long regex_limit_hits;  /* of the engine in use */
	long open_fds;         /* -1 unknown */
	double rss_bytes;      /* resident memory, -1 unknown */
};

void met_conn(int opened);
void met_refused(const char *reason);   /* origin, path, limit, per_ip... */
void met_message(const char *type);     /* hello, ask, reset, forget, other */
/* A new reply: intent NULL for none; secs from the ask to the reply. */
void met_reply(const char *kind, const char *intent, double secs);
void met_error(const char *code);
void met_reload(int ok);
void met_store_error(void);
/* An engine is retired by a reload: its regex limit hits stay counted. */
void met_regex_carry(unsigned long hits);
/* The Prometheus text exposition; malloc'd, *len set.  NULL on OOM. */
char *met_render(const struct met_gauges *g, size_t *len);

#endif
