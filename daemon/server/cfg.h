/* cfg.h - slated's settings: one table row per flag, with its bounds,
 * default and help text, so --help and validation never drift apart. */
#ifndef SLATE_CFG_H
#define SLATE_CFG_H

#include <stddef.h>

#define CFG_MAX_ORIGINS 16

struct cfg {
	char *bind;
	int port;
	char *knowledge, *patterns, *web, *conversations, *db;
	char *origins[CFG_MAX_ORIGINS];
	int norigins;
	int session_days;
	int no_transcripts;
	int history_max;     /* turns sent back in a welcome */
	int max_text;        /* characters in one question */
	int max_frame;       /* bytes in one WebSocket message */
	int rate;            /* messages per minute, per connection */
	int burst;           /* messages allowed at once before the rate applies */
	int max_errors;      /* consecutive errors before a client is dropped */
	int max_conns;
	int max_conns_per_ip;
	int ping_secs;
	int idle_secs;
	int header_timeout;  /* seconds for an HTTP request's headers */
	int log_level;
	int event_loop;      /* enum cfg_loop */
	int fsync;           /* enum jnl_sync */
};

/* libev (epoll) by default: poll() costs every message a scan of every
 * open descriptor, idle or not (docs/performance.md).  In the order of
 * cfg_loop_names. */
enum cfg_loop { CFG_LOOP_EV, CFG_LOOP_POLL };

/* Fill c from argv over the built-in defaults and the data directories
 * found for this run (see cfg.c).  Returns 0 to run, 1 when --help or
 * --version printed what was asked, -1 with err set on a bad flag. */
int cfg_parse(struct cfg *c, int argc, char **argv, char *err, size_t errlen);
void cfg_free(struct cfg *c);

#endif
