/* wsc.h - a minimal RFC 6455 client for the benchmarks: many connections on
 * one epoll, one thread, no libwebsockets.  Frames from the client are
 * masked; frames from the server are read unmasked, fragments reassembled,
 * pings answered.  Also the /proc readers and the latency histogram the
 * benchmark tools share. */
#ifndef SLATE_WSC_H
#define SLATE_WSC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum wsc_state { WSC_IDLE, WSC_CONNECTING, WSC_HANDSHAKE, WSC_OPEN,
	WSC_CLOSED };

struct wsc_conn {
	int fd;
	int idx;                  /* position in wsc.conns */
	enum wsc_state state;
	char *rb;                 /* bytes read, not yet parsed */
	size_t rlen, rcap;
	char *msg;                /* a fragmented message being put together */
	size_t mlen, mcap;
	int mop;
	char *wb;                 /* bytes the kernel did not take yet */
	size_t wlen, woff, wcap;
	int want_out;             /* EPOLLOUT registered */
	/* for the caller */
	uint64_t sent_ns;         /* send time of the outstanding message */
	uint64_t intended_ns;     /* when it should have been sent */
	uint64_t seq;
	int busy;                 /* a message is outstanding */
	uint64_t *q;              /* open loop: intended times waiting */
	unsigned qh, qt, qcap;
};

struct wsc;

struct wsc_cb {
	/* a connection completed its handshake */
	void (*open)(struct wsc *, struct wsc_conn *);
	/* one complete text or binary message */
	void (*message)(struct wsc *, struct wsc_conn *, const char *, size_t);
	/* the server closed it, or it failed */
	void (*closed)(struct wsc *, struct wsc_conn *, const char *why);
};

struct wsc_opts {
	const char *host;         /* IPv4 literal */
	int port;
	const char *path;
	int nsrc;                 /* spread over 127.0.0.1 .. 127.0.0.nsrc */
	int inflight;             /* connects + handshakes at once */
	double wait_s;            /* keep retrying a refused connect so long */
};

struct wsc {
	int ep;
	struct wsc_opts o;
	struct wsc_cb cb;
	void *arg;
	struct wsc_conn *conns;
	int n, cap;
	int opening;              /* in CONNECTING or HANDSHAKE */
	int open;                 /* in OPEN */
	int failed;
	char last_error[200];
	uint64_t first_try_ns;
	uint32_t rnd;
};

/* Monotonic nanoseconds. */
uint64_t wsc_now(void);

int wsc_init(struct wsc *w, const struct wsc_opts *o, const struct wsc_cb *cb,
    void *arg, int cap);
void wsc_free(struct wsc *w);
/* Start one more connection (handshake driven by wsc_poll).  Returns its
 * index or -1. */
int wsc_connect(struct wsc *w);
/* Open n connections, at most o.inflight at once, serving events for the
 * ones already open meanwhile; stops at the deadline.  Returns how many
 * are open. */
int wsc_open_many(struct wsc *w, int n, double timeout_s);
/* Wait at most timeout_ns (0: don't wait) and dispatch what happened.
 * Returns the number of events handled, -1 on error. */
int wsc_poll(struct wsc *w, int64_t timeout_ns);
/* Send one text frame (masked).  0, or -1 if the connection is gone. */
int wsc_send(struct wsc *w, struct wsc_conn *c, const char *s, size_t n);
/* Send a close frame and close the socket. */
void wsc_close(struct wsc *w, struct wsc_conn *c);

/* Server process figures from /proc: user+system CPU seconds of every
 * thread (/proc/<pid>/stat), resident set in KiB (/proc/<pid>/status). */
double proc_cpu_s(pid_t pid);
long proc_rss_kb(pid_t pid);
/* CPU seconds this process used. */
double self_cpu_s(void);

/* Log-linear histogram of nanosecond values, 128 sub-buckets per power of
 * two (under 0.8 % error), as HdrHistogram does with 2 digits. */
#define HIST_SUB 128
#define HIST_N (HIST_SUB * 48)
struct hist {
	uint64_t n, max, min;
	double sum;
	uint64_t b[HIST_N];
};
void hist_reset(struct hist *h);
void hist_add(struct hist *h, uint64_t ns);
/* The value below which a fraction q of the samples lie (ns). */
double hist_q(const struct hist *h, double q);

#endif
