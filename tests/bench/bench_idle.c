/* bench_idle.c - idle-memory probe: the server's resident memory before and
 * after N connections that said hello and then went quiet.
 *
 * usage: bench_idle --port N --pid SERVER_PID [--conns N] [--src N]
 *                   [--settle S] [--no-hello]
 *
 * One connection goes through hello and back first, so what the server
 * allocates once (its first session, lazily built tables) is in the
 * "before" figure.  Then N connections open (at most 256 handshakes at a
 * time) and each sends {"type":"hello","session":null}, as the widget does
 * on page load, and waits for its welcome.  After --settle seconds of
 * quiet, VmRSS of the server (/proc/<pid>/status) is read again; also the
 * server's CPU while it only held the idle connections.  Then everything
 * is closed and RSS read once more (what the allocator kept).
 *
 * Output: "key: value" lines. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wsc.h"

static const char hello[] = "{\"type\":\"hello\",\"session\":null}";
static int welcomed, say_hello = 1, closed;

static void
on_open(struct wsc *w, struct wsc_conn *c)
{
	if (say_hello) {
		c->busy = 1;
		wsc_send(w, c, hello, sizeof hello - 1);
	}
}

static void
on_message(struct wsc *w, struct wsc_conn *c, const char *m, size_t n)
{
	if (c->busy) {
		c->busy = 0;
		welcomed++;
	}
}

static void
on_closed(struct wsc *w, struct wsc_conn *c, const char *why)
{
	if (closed++ == 0)
		fprintf(stderr, "bench_idle: %s\n", why);
}

/* Serve events (pings) for s seconds. */
static void
idle_for(struct wsc *w, double s)
{
	uint64_t end = wsc_now() + (uint64_t)(s * 1e9);

	while (wsc_now() < end)
		wsc_poll(w, 10000000);
}

int
main(int argc, char **argv)
{
	struct wsc_opts o = { .host = "127.0.0.1", .path = "/chat", .nsrc = 1,
	    .inflight = 256, .wait_s = 10 };
	struct wsc_cb cb = { on_open, on_message, on_closed };
	struct wsc w;
	pid_t pid = 0;
	int n = 1000;
	double settle = 2, cpu0, cpu1, t0, t1;
	long rss0, rss1, rss2;
	uint64_t end, topen;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-hello") == 0) {
			say_hello = 0;
			continue;
		}
		if (i + 1 >= argc)
			goto usage;
		if (strcmp(argv[i], "--port") == 0)
			o.port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--pid") == 0)
			pid = atoi(argv[++i]);
		else if (strcmp(argv[i], "--conns") == 0)
			n = atoi(argv[++i]);
		else if (strcmp(argv[i], "--src") == 0)
			o.nsrc = atoi(argv[++i]);
		else if (strcmp(argv[i], "--settle") == 0)
			settle = atof(argv[++i]);
		else
			goto usage;
	}
	if (o.port <= 0 || pid <= 0 || n < 1)
		goto usage;
	signal(SIGPIPE, SIG_IGN);
	if (wsc_init(&w, &o, &cb, NULL, n + 1) != 0)
		return 1;

	/* one round trip first: one-off allocations belong to "before" */
	if (wsc_open_many(&w, 1, 10) != 1) {
		fprintf(stderr, "bench_idle: cannot connect: %s\n",
		    w.last_error);
		return 1;
	}
	end = wsc_now() + 5000000000ull;
	while (say_hello && welcomed < 1 && wsc_now() < end)
		wsc_poll(&w, 10000000);
	wsc_close(&w, &w.conns[0]);
	welcomed = 0;
	idle_for(&w, settle / 2);
	rss0 = proc_rss_kb(pid);

	topen = wsc_now();
	wsc_open_many(&w, n, 120);
	end = wsc_now() + 60000000000ull;
	while (say_hello && welcomed < w.open && wsc_now() < end)
		wsc_poll(&w, 10000000);
	if (w.open < n || (say_hello && welcomed < n)) {
		fprintf(stderr, "bench_idle: %d of %d open, %d welcomed (%s)\n",
		    w.open, n, welcomed, w.last_error);
		return 1;
	}
	topen = wsc_now() - topen;
	idle_for(&w, settle / 2);
	cpu0 = proc_cpu_s(pid);
	t0 = (double)wsc_now() / 1e9;
	idle_for(&w, settle / 2);
	cpu1 = proc_cpu_s(pid);
	t1 = (double)wsc_now() / 1e9;
	rss1 = proc_rss_kb(pid);

	for (int i = 0; i < w.n; i++)
		wsc_close(&w, &w.conns[i]);
	usleep((useconds_t)(settle * 5e5));
	rss2 = proc_rss_kb(pid);

	printf("conns: %d\n", n);
	printf("hello: %s\n", say_hello ? "yes" : "no");
	printf("open_s: %.2f\n", (double)topen / 1e9);
	printf("rss_before_kb: %ld\n", rss0);
	printf("rss_after_kb: %ld\n", rss1);
	printf("rss_per_conn_bytes: %.0f\n", (double)(rss1 - rss0) * 1024 / n);
	printf("idle_cpu_util: %.4f\n", (cpu1 - cpu0) / (t1 - t0));
	printf("rss_after_close_kb: %ld\n", rss2);
	printf("closed_by_server: %d\n", closed);
	wsc_free(&w);
	return 0;
usage:
	fprintf(stderr, "usage: bench_idle --port N --pid PID [--conns N] "
	    "[--src N] [--settle S] [--no-hello]\n");
	return 2;
}
