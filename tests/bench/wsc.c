/* wsc.c - see wsc.h.  Written for throughput on one core: one read() per
 * readiness, frames parsed in place, one write() per message. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "wsc.h"

#define WSC_RB_MIN 16384

static const char wsc_key[] = "dGhlIHNhbXBsZSBub25jZQ==";

uint64_t
wsc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL) {
		fprintf(stderr, "wsc: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

static void
wsc_error(struct wsc *w, const char *what, int err)
{
	snprintf(w->last_error, sizeof w->last_error, "%s: %s", what,
	    strerror(err));
}

int
wsc_init(struct wsc *w, const struct wsc_opts *o, const struct wsc_cb *cb,
    void *arg, int cap)
{
	memset(w, 0, sizeof *w);
	w->o = *o;
	if (w->o.inflight <= 0)
		w->o.inflight = 256;
	if (w->o.nsrc <= 0)
		w->o.nsrc = 1;
	if (w->o.path == NULL)
		w->o.path = "/chat";
	w->cb = *cb;
	w->arg = arg;
	w->cap = cap;
	w->conns = calloc((size_t)cap, sizeof *w->conns);
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	w->rnd = 0x9e3779b9u;
	if (w->conns == NULL || w->ep < 0)
		return -1;
	for (int i = 0; i < cap; i++) {
		w->conns[i].fd = -1;
		w->conns[i].idx = i;
	}
	return 0;
}

void
wsc_free(struct wsc *w)
{
	for (int i = 0; i < w->n; i++) {
		struct wsc_conn *c = &w->conns[i];

		if (c->fd >= 0)
			close(c->fd);
		free(c->rb);
		free(c->msg);
		free(c->wb);
		free(c->q);
	}
	free(w->conns);
	if (w->ep >= 0)
		close(w->ep);
	memset(w, 0, sizeof *w);
	w->ep = -1;
}

static void
wsc_watch(struct wsc *w, struct wsc_conn *c, int op, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (epoll_ctl(w->ep, op, c->fd, &e) != 0 && op != EPOLL_CTL_DEL)
		wsc_error(w, "epoll_ctl", errno);
}

/* Gone: the socket is closed and the caller told, once. */
static void
wsc_drop(struct wsc *w, struct wsc_conn *c, const char *why)
{
	enum wsc_state was = c->state;

	if (c->fd >= 0) {
		epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	c->state = WSC_CLOSED;
	c->wlen = c->woff = 0;
	if (was == WSC_OPEN) {
		w->open--;
		if (w->cb.closed)
			w->cb.closed(w, c, why);
	} else if (was == WSC_CONNECTING || was == WSC_HANDSHAKE) {
		w->opening--;
		w->failed++;
		snprintf(w->last_error, sizeof w->last_error, "%s", why);
	}
}

/* (Re)start the TCP connect of slot c. */
static int
wsc_start(struct wsc *w, struct wsc_conn *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		wsc_error(w, "socket", errno);
		return -1;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (w->o.nsrc > 1) {
		struct sockaddr_in src = { .sin_family = AF_INET };

		/* the port is chosen at connect(), per destination, so the
		 * 4-tuples of every source address are usable */
		setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
		    sizeof one);
		src.sin_addr.s_addr = htonl(0x7f000001u +
		    (uint32_t)(c->idx % w->o.nsrc));
		if (bind(c->fd, (struct sockaddr *)&src, sizeof src) != 0) {
			wsc_error(w, "bind", errno);
			close(c->fd);
			c->fd = -1;
			return -1;
		}
	}
	sa.sin_port = htons((uint16_t)w->o.port);
	inet_pton(AF_INET, w->o.host, &sa.sin_addr);
	c->state = WSC_CONNECTING;
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0 &&
	    errno != EINPROGRESS) {
		int e = errno;

		close(c->fd);
		c->fd = -1;
		c->state = WSC_IDLE;
		errno = e;
		return -1;
	}
	wsc_watch(w, c, EPOLL_CTL_ADD, EPOLLOUT | EPOLLIN);
	return 0;
}

int
wsc_connect(struct wsc *w)
{
	struct wsc_conn *c;

	if (w->n == w->cap)
		return -1;
	c = &w->conns[w->n];
	if (w->first_try_ns == 0)
		w->first_try_ns = wsc_now();
	for (;;) {
		if (wsc_start(w, c) == 0)
			break;
		if (errno != ECONNREFUSED ||
		    wsc_now() - w->first_try_ns > w->o.wait_s * 1e9) {
			wsc_error(w, "connect", errno);
			w->failed++;
			return -1;
		}
		usleep(1000);
	}
	w->n++;
	w->opening++;
	return c->idx;
}

/* Only for the handshake: blocking-free small write, all or nothing. */
static int
wsc_handshake(struct wsc *w, struct wsc_conn *c)
{
	char req[512];
	int n;

	n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\n"
	    "Host: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
	    w->o.path, w->o.host, w->o.port, wsc_key);
	if (write(c->fd, req, (size_t)n) != n)
		return -1;
	c->state = WSC_HANDSHAKE;
	wsc_watch(w, c, EPOLL_CTL_MOD, EPOLLIN);
	return 0;
}

/* Queue bytes the kernel would not take, in order. */
static void
wsc_queue(struct wsc *w, struct wsc_conn *c, const char *p, size_t n)
{
	if (c->wlen + n > c->wcap) {
		c->wcap = (c->wlen + n) * 2;
		c->wb = xrealloc(c->wb, c->wcap);
	}
	memcpy(c->wb + c->wlen, p, n);
	c->wlen += n;
	if (!c->want_out) {
		c->want_out = 1;
		wsc_watch(w, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
	}
}

static int
wsc_flush(struct wsc *w, struct wsc_conn *c)
{
	while (c->woff < c->wlen) {
		ssize_t k = write(c->fd, c->wb + c->woff, c->wlen - c->woff);

		if (k < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -1;
		}
		c->woff += (size_t)k;
	}
	c->woff = c->wlen = 0;
	if (c->want_out) {
		c->want_out = 0;
		wsc_watch(w, c, EPOLL_CTL_MOD, EPOLLIN);
	}
	return 0;
}

static int
wsc_frame(struct wsc *w, struct wsc_conn *c, int op, const char *s, size_t n)
{
	unsigned char stackbuf[4096], *f = stackbuf, mk[4];
	size_t h = 2;
	uint32_t r;

	if (n + 14 > sizeof stackbuf)
		f = xrealloc(NULL, n + 14);
	f[0] = (unsigned char)(0x80 | op);
	if (n < 126) {
		f[1] = (unsigned char)(0x80 | n);
	} else if (n < 65536) {
		f[1] = 0x80 | 126;
		f[2] = (unsigned char)(n >> 8);
		f[3] = (unsigned char)n;
		h = 4;
	} else {
		f[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			f[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
		h = 10;
	}
	/* xorshift: a key per frame, as RFC 6455 wants */
	r = w->rnd;
	r ^= r << 13;
	r ^= r >> 17;
	r ^= r << 5;
	w->rnd = r;
	memcpy(mk, &r, 4);
	memcpy(f + h, mk, 4);
	h += 4;
	for (size_t i = 0; i < n; i++)
		f[h + i] = (unsigned char)s[i] ^ mk[i & 3];
	n += h;
	if (c->wlen > c->woff) {
		wsc_queue(w, c, (char *)f, n);
	} else {
		ssize_t k = write(c->fd, f, n);

		if (k < 0 && errno != EAGAIN && errno != EINTR) {
			if (f != stackbuf)
				free(f);
			return -1;
		}
		if (k < 0)
			k = 0;
		if ((size_t)k < n)
			wsc_queue(w, c, (char *)f + k, n - (size_t)k);
	}
	if (f != stackbuf)
		free(f);
	return 0;
}

int
wsc_send(struct wsc *w, struct wsc_conn *c, const char *s, size_t n)
{
	if (c->state != WSC_OPEN)
		return -1;
	if (wsc_frame(w, c, 1, s, n) != 0) {
		wsc_drop(w, c, "write failed");
		return -1;
	}
	return 0;
}

void
wsc_close(struct wsc *w, struct wsc_conn *c)
{
	static const char code[2] = { 0x03, (char)0xe8 };   /* 1000 */

	if (c->state == WSC_OPEN)
		(void)wsc_frame(w, c, 8, code, 2);
	if (c->state == WSC_OPEN) {
		/* ours: no callback for a close we asked for */
		epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
		c->state = WSC_CLOSED;
		w->open--;
	} else if (c->fd >= 0) {
		wsc_drop(w, c, "closed while opening");
	}
}

/* Parse what is in c->rb: the 101 first, then frames. */
static void
wsc_parse(struct wsc *w, struct wsc_conn *c)
{
	size_t off = 0;

	if (c->state == WSC_HANDSHAKE) {
		char *end = memmem(c->rb, c->rlen, "\r\n\r\n", 4);

		if (end == NULL)
			return;
		if (c->rlen < 12 || memcmp(c->rb + 9, "101", 3) != 0) {
			char line[120];
			char *nl = memchr(c->rb, '\r', c->rlen);
			size_t k = nl ? (size_t)(nl - c->rb) : 0;

			snprintf(line, sizeof line, "upgrade refused: %.*s",
			    (int)(k < 100 ? k : 100), c->rb);
			wsc_drop(w, c, line);
			return;
		}
		off = (size_t)(end - c->rb) + 4;
		c->state = WSC_OPEN;
		w->opening--;
		w->open++;
		if (w->cb.open)
			w->cb.open(w, c);
	}
	while (c->state == WSC_OPEN) {
		const unsigned char *p = (unsigned char *)c->rb + off;
		size_t avail = c->rlen - off, h = 2;
		uint64_t len;
		int fin, op, masked;
		const char *pl;

		if (avail < 2)
			break;
		fin = p[0] & 0x80;
		op = p[0] & 0x0f;
		masked = p[1] & 0x80;
		len = p[1] & 0x7f;
		if (len == 126) {
			if (avail < 4)
				break;
			len = (uint64_t)p[2] << 8 | p[3];
			h = 4;
		} else if (len == 127) {
			if (avail < 10)
				break;
			len = 0;
			for (int i = 0; i < 8; i++)
				len = len << 8 | p[2 + i];
			h = 10;
		}
		if (masked)
			h += 4;
		if (avail < h + len)
			break;
		pl = (const char *)p + h;
		off += h + len;
		switch (op) {
		case 0: case 1: case 2:
			if (op != 0)
				c->mop = op;
			if (op != 0 && fin && c->mlen == 0) {
				w->cb.message(w, c, pl, (size_t)len);
				break;
			}
			if (c->mlen + len > c->mcap) {
				c->mcap = (c->mlen + len) * 2;
				c->msg = xrealloc(c->msg, c->mcap);
			}
			memcpy(c->msg + c->mlen, pl, (size_t)len);
			c->mlen += len;
			if (fin) {
				size_t n = c->mlen;

				c->mlen = 0;
				w->cb.message(w, c, c->msg, n);
			}
			break;
		case 8: {
			char why[64];
			int code = len >= 2 ? ((unsigned char)pl[0] << 8 |
			    (unsigned char)pl[1]) : 1005;

			snprintf(why, sizeof why, "server closed (%d %.*s)",
			    code, len > 2 ? (int)(len - 2 < 40 ? len - 2 : 40) :
			    0, pl + 2);
			(void)wsc_frame(w, c, 8, pl, len >= 2 ? 2 : 0);
			wsc_drop(w, c, why);
			break;
		}
		case 9:
			if (wsc_frame(w, c, 10, pl, (size_t)len) != 0)
				wsc_drop(w, c, "write failed");
			break;
		default:
			break;
		}
	}
	if (c->state == WSC_CLOSED)
		return;
	if (off > 0) {
		memmove(c->rb, c->rb + off, c->rlen - off);
		c->rlen -= off;
	}
}

static void
wsc_event(struct wsc *w, struct wsc_conn *c, uint32_t ev)
{
	if (c->state == WSC_CONNECTING) {
		int err = 0;
		socklen_t el = sizeof err;

		if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err == ECONNREFUSED &&
		    wsc_now() - w->first_try_ns < w->o.wait_s * 1e9) {
			/* the server is not listening yet: try again */
			epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			c->fd = -1;
			usleep(1000);
			if (wsc_start(w, c) != 0)
				wsc_drop(w, c, "connect refused");
			return;
		}
		if (err != 0 || wsc_handshake(w, c) != 0) {
			char why[100];

			snprintf(why, sizeof why, "connect: %s",
			    strerror(err ? err : errno));
			wsc_drop(w, c, why);
		}
		return;
	}
	if ((ev & EPOLLOUT) && c->want_out && wsc_flush(w, c) != 0) {
		wsc_drop(w, c, "write failed");
		return;
	}
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		ssize_t k;

		if (c->rcap - c->rlen < WSC_RB_MIN / 2) {
			c->rcap = c->rcap ? c->rcap * 2 : WSC_RB_MIN;
			c->rb = xrealloc(c->rb, c->rcap);
		}
		k = read(c->fd, c->rb + c->rlen, c->rcap - c->rlen);
		if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
			wsc_drop(w, c, k == 0 ? "server hung up" :
			    "read failed");
			return;
		}
		if (k > 0) {
			c->rlen += (size_t)k;
			wsc_parse(w, c);
		}
	}
}

int
wsc_poll(struct wsc *w, int64_t timeout_ns)
{
	struct epoll_event ev[256];
	struct timespec ts;
	int n;

	if (timeout_ns < 0)
		timeout_ns = 0;
	ts.tv_sec = timeout_ns / 1000000000;
	ts.tv_nsec = timeout_ns % 1000000000;
	n = epoll_pwait2(w->ep, ev, 256, &ts, NULL);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	for (int i = 0; i < n; i++)
		wsc_event(w, ev[i].data.ptr, ev[i].events);
	return n;
}

int
wsc_open_many(struct wsc *w, int n, double timeout_s)
{
	uint64_t end = wsc_now() + (uint64_t)(timeout_s * 1e9);
	int target = w->n + n;

	while (wsc_now() < end) {
		while (w->n < target && w->opening < w->o.inflight)
			if (wsc_connect(w) < 0)
				return w->open;
		if (w->n == target && w->opening == 0)
			break;
		if (wsc_poll(w, 1000000) < 0)
			break;
	}
	return w->open;
}

/* The fields after the command name, which may hold spaces and ')'. */
static int
proc_stat_fields(pid_t pid, char *buf, size_t size, char **after)
{
	char path[64];
	FILE *f;
	size_t k;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	k = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[k] = '\0';
	*after = strrchr(buf, ')');
	return *after ? 0 : -1;
}

double
proc_cpu_s(pid_t pid)
{
	char buf[1024], *p;
	unsigned long long ut = 0, st = 0;

	if (proc_stat_fields(pid, buf, sizeof buf, &p) != 0)
		return -1;
	/* after ')': state(3) ... utime(14) stime(15) */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
	    "%llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

long
proc_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

double
self_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
hist_reset(struct hist *h)
{
	memset(h, 0, sizeof *h);
	h->min = UINT64_MAX;
}

static unsigned
hist_index(uint64_t v)
{
	unsigned e;

	if (v < HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);     /* 2^e <= v */
	/* HIST_SUB sub-buckets in [2^e, 2^(e+1)) */
	return (e - 6) * HIST_SUB + (unsigned)((v >> (e - 7)) & (HIST_SUB - 1));
}

/* Middle of bucket i. */
static double
hist_value(unsigned i)
{
	unsigned e;
	double lo, width;

	if (i < HIST_SUB)
		return i;
	e = i / HIST_SUB + 6;
	width = ldexp(1.0, (int)e - 7);
	lo = ldexp(1.0, (int)e) + (double)(i % HIST_SUB) * width;
	return lo + width / 2;
}

void
hist_add(struct hist *h, uint64_t ns)
{
	unsigned i = hist_index(ns);

	if (i >= HIST_N)
		i = HIST_N - 1;
	h->b[i]++;
	h->n++;
	h->sum += (double)ns;
	if (ns > h->max)
		h->max = ns;
	if (ns < h->min)
		h->min = ns;
}

double
hist_q(const struct hist *h, double q)
{
	uint64_t want, seen = 0;

	if (h->n == 0)
		return 0;
	if (q >= 1)
		return (double)h->max;
	want = (uint64_t)ceil(q * (double)h->n);
	if (want == 0)
		want = 1;
	for (unsigned i = 0; i < HIST_N; i++) {
		seen += h->b[i];
		if (seen >= want) {
			double v = hist_value(i);

			return v > (double)h->max ? (double)h->max : v;
		}
	}
	return (double)h->max;
}
