/* bench_load.c - WebSocket load generator for slated and the echo server.
 *
 * usage: bench_load --port N [--conns N] [--rate MSG_PER_S] [--seconds S]
 *                   [--warmup S] [--pid SERVER_PID] [--mode slate|echo]
 *                   [--idle N] [--src N] [--hup-at S --hup-log FILE]
 *
 * One thread, one epoll.  Every connection says {"type":"hello",
 * "session":null} and waits for the answer, then asks questions from a
 * mixed set of real ones ({"type":"ask","id":...,"text":...}), one at a
 * time, as the chat widget does.  The echo server gets the same frames and
 * sends them back.
 *
 * Closed loop (--rate 0): each connection asks again as soon as it has its
 * answer; throughput is what the server sustains.  Open loop (--rate R): R
 * questions per second in all, spread evenly over time and round-robin
 * over the connections; a question whose connection is still waiting is
 * queued and sent after the answer, and latency counts from when it
 * should have been sent, so a stall cannot hide (no coordinated omission).
 *
 * Only what happens inside the measuring window (after --warmup, for
 * --seconds) counts: answers received in it for throughput, questions due
 * in it for latency, and the server's CPU seconds (utime + stime of all its
 * threads, /proc/<pid>/stat) spent in it, per answer.
 *
 * --idle N also opens N connections that say hello and then stay quiet.
 * --hup-at S sends SIGHUP to --pid S seconds in and watches --hup-log (the
 * server's stderr) for the end of the reload: its duration, the latency of
 * questions due during it, and any question never answered are reported.
 *
 * Output: "key: value" lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wsc.h"

/* Real phrasings from tests/conversations: definitions, comparisons,
 * career paths, pay, credits, follow-ups that lean on the previous turn,
 * typos, small talk and off-topic questions (fallbacks, which slated also
 * records as unanswered).  Each connection walks the list from its own
 * starting point, so follow-ups mostly land after a question they can
 * follow. */
static const char *const questions[] = {
	"hi, what does a co-producer actually do",
	"and who do they report to",
	"how much do they make",
	"what's the difference between a line producer and a co-producer?",
	"is it different in theatre",
	"what is an assosiate prodcer",
	"film",
	"the money side",
	"how do you get an assocaite producer credit",
	"I'm a production coordinator, how do I get to co-producer?",
	"and how much does it pay",
	"wait whats a line producer even",
	"who does the line producer answer to?",
	"give me a recipe for banana bread",
	"can someone explain what an exec producer is",
	"why does every rich investor seem to get an executive producer credit",
	"EP vs co-pro whats the diff",
	"what does UPM stand for",
	"how do people usually get to be a UPM",
	"thanks",
	"line producer vs upm",
	"what about in TV?",
	"who's higher on the ladder",
	"whats an assistant producer on a factual programme? saw it on a job "
	    "board",
	"how much do assistent producers make",
	"what camera should i buy for my first short film",
	"im a film student, how do I become a producer someday",
	"is an associate producer the same thing as an assistant producer or nah",
	"so I stayed for the end credits last night and there were like nine "
	    "producers listed, some co- and some executive, does any of that "
	    "actually mean anything?",
	"and in music?",
	"what does a production coordinater do",
	"whos the boss of a production coordinator",
	"asdkjh qwe zzz",
	"compare exec producer with producer",
	"is the executive producer at the top of the chain of command?",
	"thinking of investing in a friend's indie film, how does that usually "
	    "work",
	"unit production manager - what is that job exactly",
	"how is the co-producer job different in theatre compared to film?",
	"how do i edit in premiere pro",
	"cheers mate",
};
#define NQ (sizeof questions / sizeof questions[0])

static const char hello[] = "{\"type\":\"hello\",\"session\":null}";

struct load {
	struct wsc w;
	int echo;                 /* echo server: no protocol checks */
	int conns, idle;
	double rate;
	uint64_t t0, tw0, tw1;    /* start, measuring window */
	int started;
	int welcomes;
	uint64_t sent, replies, in_window, errors, rate_limited, bad_re;
	uint64_t unexpected, closed_by_server, queued_max, overflow;
	char error_sample[160], close_sample[120];
	struct hist lat, lag, hup_lat;
	/* reload */
	pid_t pid;
	double hup_at;
	const char *hup_log;
	uint64_t hup_ns, hup_done_ns;
	off_t hup_off;
	int hup_fd;
	char hup_result[200];
};

static struct load L;

static void
send_ask(struct wsc_conn *c, uint64_t intended)
{
	char buf[640];
	int n;

	c->seq++;
	n = snprintf(buf, sizeof buf,
	    "{\"type\":\"ask\",\"id\":\"%d-%llu\",\"text\":\"%s\"}", c->idx,
	    (unsigned long long)c->seq,
	    questions[((size_t)c->idx * 7 + c->seq) % NQ]);
	c->busy = 1;
	c->intended_ns = intended;
	c->sent_ns = wsc_now();
	if (wsc_send(&L.w, c, buf, (size_t)n) == 0)
		L.sent++;
}

/* Open loop: the question due at t goes to connection c now, or after the
 * answer it is waiting for. */
static void
dispatch(struct wsc_conn *c, uint64_t t)
{
	if (c->state != WSC_OPEN)
		return;
	if (!c->busy) {
		send_ask(c, t);
		if (t >= L.tw0 && t < L.tw1)
			hist_add(&L.lag, c->sent_ns - t);
		return;
	}
	if (c->qcap == 0) {
		c->qcap = 64;
		c->q = calloc(c->qcap, sizeof *c->q);
	}
	if (c->qt - c->qh == c->qcap) {
		L.overflow++;
		return;
	}
	c->q[c->qt++ % c->qcap] = t;
	if (c->qt - c->qh > L.queued_max)
		L.queued_max = c->qt - c->qh;
}

static void
on_open(struct wsc *w, struct wsc_conn *c)
{
	c->busy = 1;
	c->sent_ns = c->intended_ns = wsc_now();
	if (wsc_send(w, c, hello, sizeof hello - 1) == 0)
		L.sent++;
}

static void
on_message(struct wsc *w, struct wsc_conn *c, const char *m, size_t n)
{
	uint64_t now = wsc_now();

	if (!c->busy) {
		L.unexpected++;
		return;
	}
	c->busy = 0;
	if (!L.echo && n > 14 && memcmp(m, "{\"type\":\"error\"", 15) == 0) {
		L.errors++;
		if (memmem(m, n, "rate_limited", 12))
			L.rate_limited++;
		if (L.error_sample[0] == '\0')
			snprintf(L.error_sample, sizeof L.error_sample, "%.*s",
			    (int)(n < 150 ? n : 150), m);
	}
	if (c->seq == 0) {
		L.welcomes++;
		if (!L.echo && memmem(m, n < 40 ? n : 40, "welcome", 7) ==
		    NULL) {
			L.bad_re++;
		}
		if (!L.started)
			return;
	} else {
		char re[48];
		int k;

		L.replies++;
		if (now >= L.tw0 && now < L.tw1)
			L.in_window++;
		if (c->intended_ns >= L.tw0 && c->intended_ns < L.tw1)
			hist_add(&L.lat, now - c->intended_ns);
		if (L.hup_ns && c->intended_ns >= L.hup_ns &&
		    (L.hup_done_ns == 0 || c->intended_ns <= L.hup_done_ns))
			hist_add(&L.hup_lat, now - c->intended_ns);
		k = snprintf(re, sizeof re, L.echo ? "\"id\":\"%d-%llu\"" :
		    "\"re\":\"%d-%llu\"", c->idx, (unsigned long long)c->seq);
		if (memmem(m, n, re, (size_t)k) == NULL)
			L.bad_re++;
	}
	if (c->idx >= L.conns || !L.started)
		return;
	if (L.rate == 0) {
		if (now < L.tw1)
			send_ask(c, now);
	} else if (c->qh != c->qt) {
		send_ask(c, c->q[c->qh++ % c->qcap]);
	}
}

static void
on_closed(struct wsc *w, struct wsc_conn *c, const char *why)
{
	L.closed_by_server++;
	if (L.close_sample[0] == '\0')
		snprintf(L.close_sample, sizeof L.close_sample, "%s", why);
}

/* Is the reload over?  slated logs "reload: <outcome>" when the new set
 * is in use, "reload refused" when it kept the old one. */
static void
hup_check(uint64_t now)
{
	char buf[8192];
	ssize_t k;

	if (L.hup_fd < 0 || L.hup_done_ns)
		return;
	while ((k = pread(L.hup_fd, buf, sizeof buf - 1, L.hup_off)) > 0) {
		char *line = buf, *nl;

		buf[k] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if ((strstr(line, "reload: ") &&
			    !strstr(line, "reload: SIGHUP")) ||
			    strstr(line, "reload refused")) {
				L.hup_done_ns = now;
				snprintf(L.hup_result, sizeof L.hup_result,
				    "%.190s", line);
				return;
			}
			line = nl + 1;
		}
		L.hup_off += line - buf;
		if (line == buf)        /* a partial line: wait for more */
			break;
	}
}

static int
outstanding(void)
{
	int k = 0;

	for (int i = 0; i < L.conns && i < L.w.n; i++) {
		struct wsc_conn *c = &L.w.conns[i];

		if (c->state != WSC_OPEN)
			continue;
		k += c->busy + (int)(c->qt - c->qh);
	}
	return k;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_load --port N [--host A] [--path P] "
	    "[--conns N] [--idle N]\n  [--rate MSG/S (0: closed loop)] "
	    "[--warmup S] [--seconds S] [--drain S]\n  [--pid PID] "
	    "[--mode slate|echo] [--src N] [--hup-at S --hup-log FILE]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct wsc_opts o = { .host = "127.0.0.1", .path = "/chat",
	    .nsrc = 1, .inflight = 256, .wait_s = 10 };
	struct wsc_cb cb = { on_open, on_message, on_closed };
	double warmup = 1, seconds = 3, drain = 5, cpu0 = 0, cpu1 = 0;
	double self0 = 0, self1 = 0;
	uint64_t k = 0, next_t, period = 0, end, r0 = 0;
	int cpu_taken = 0;

	L.conns = 100;
	L.hup_fd = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0)
			usage();
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--port") == 0)
			o.port = atoi(v);
		else if (strcmp(a, "--host") == 0)
			o.host = v;
		else if (strcmp(a, "--path") == 0)
			o.path = v;
		else if (strcmp(a, "--conns") == 0)
			L.conns = atoi(v);
		else if (strcmp(a, "--idle") == 0)
			L.idle = atoi(v);
		else if (strcmp(a, "--rate") == 0)
			L.rate = atof(v);
		else if (strcmp(a, "--warmup") == 0)
			warmup = atof(v);
		else if (strcmp(a, "--seconds") == 0)
			seconds = atof(v);
		else if (strcmp(a, "--drain") == 0)
			drain = atof(v);
		else if (strcmp(a, "--pid") == 0)
			L.pid = atoi(v);
		else if (strcmp(a, "--mode") == 0)
			L.echo = strcmp(v, "echo") == 0;
		else if (strcmp(a, "--src") == 0)
			o.nsrc = atoi(v);
		else if (strcmp(a, "--hup-at") == 0)
			L.hup_at = atof(v);
		else if (strcmp(a, "--hup-log") == 0)
			L.hup_log = v;
		else
			usage();
	}
	if (o.port <= 0 || L.conns < 1 || L.rate < 0 ||
	    (L.hup_at > 0 && (L.pid <= 0 || L.hup_log == NULL)))
		usage();
	signal(SIGPIPE, SIG_IGN);
	hist_reset(&L.lat);
	hist_reset(&L.lag);
	hist_reset(&L.hup_lat);
	if (wsc_init(&L.w, &o, &cb, NULL, L.conns + L.idle) != 0) {
		fprintf(stderr, "bench_load: cannot set up\n");
		return 1;
	}

	/* every connection open and welcomed */
	wsc_open_many(&L.w, L.conns + L.idle, 120);
	end = wsc_now() + 30000000000ull;
	while (L.welcomes < L.w.open && wsc_now() < end)
		wsc_poll(&L.w, 10000000);
	if (L.w.open < L.conns + L.idle || L.welcomes < L.w.open) {
		fprintf(stderr, "bench_load: %d of %d connections open, %d "
		    "welcomed (%s%s%s)\n", L.w.open, L.conns + L.idle,
		    L.welcomes, L.w.last_error, L.close_sample[0] ? "; " : "",
		    L.close_sample);
		return 1;
	}

	L.t0 = wsc_now();
	L.tw0 = L.t0 + (uint64_t)(warmup * 1e9);
	L.tw1 = L.tw0 + (uint64_t)(seconds * 1e9);
	L.started = 1;
	if (L.rate > 0)
		period = (uint64_t)(1e9 / L.rate);
	else
		for (int i = 0; i < L.conns; i++)
			send_ask(&L.w.conns[i], L.t0);
	next_t = L.t0;
	if (L.hup_log) {
		L.hup_fd = open(L.hup_log, O_RDONLY | O_CLOEXEC);
		if (L.hup_fd < 0) {
			perror(L.hup_log);
			return 1;
		}
		L.hup_off = lseek(L.hup_fd, 0, SEEK_END);
	}

	for (;;) {
		uint64_t now = wsc_now(), wake = L.tw1;

		if (!cpu_taken && now >= L.tw0) {
			cpu_taken = 1;
			cpu0 = L.pid ? proc_cpu_s(L.pid) : 0;
			self0 = self_cpu_s();
			r0 = L.in_window;
		}
		if (now >= L.tw1)
			break;
		if (L.hup_at > 0 && L.hup_ns == 0 &&
		    now >= L.t0 + (uint64_t)(L.hup_at * 1e9)) {
			L.hup_ns = wsc_now();
			kill(L.pid, SIGHUP);
		}
		if (L.hup_ns)
			hup_check(now);
		if (period) {
			while (next_t <= now && next_t < L.tw1) {
				dispatch(&L.w.conns[k % (uint64_t)L.conns],
				    next_t);
				k++;
				next_t = L.t0 + k * period;
			}
			if (next_t < wake)
				wake = next_t;
		}
		if (!cpu_taken && L.tw0 < wake)
			wake = L.tw0;
		if (L.hup_ns && !L.hup_done_ns &&
		    now + 1000000 < wake)
			wake = now + 1000000;
		if (L.hup_at > 0 && !L.hup_ns &&
		    L.t0 + (uint64_t)(L.hup_at * 1e9) < wake)
			wake = L.t0 + (uint64_t)(L.hup_at * 1e9);
		now = wsc_now();
		if (wsc_poll(&L.w, wake > now ? (int64_t)(wake - now) : 0) < 0)
			break;
	}
	cpu1 = L.pid ? proc_cpu_s(L.pid) : 0;
	self1 = self_cpu_s();
	{
		uint64_t in_window = L.in_window - r0;

		/* let every question still owed be answered */
		end = wsc_now() + (uint64_t)(drain * 1e9);
		while (outstanding() > 0 && wsc_now() < end) {
			if (L.hup_ns)
				hup_check(wsc_now());
			wsc_poll(&L.w, 1000000);
		}
		if (L.hup_ns && !L.hup_done_ns) {
			end = wsc_now() + (uint64_t)(drain * 1e9);
			while (!L.hup_done_ns && wsc_now() < end) {
				hup_check(wsc_now());
				wsc_poll(&L.w, 1000000);
			}
		}

		printf("mode: %s\n", L.echo ? "echo" : "slate");
		printf("conns: %d\n", L.conns);
		printf("idle_conns: %d\n", L.idle);
		printf("loop: %s\n", L.rate > 0 ? "open" : "closed");
		printf("target_rate: %.0f\n", L.rate);
		printf("seconds: %.2f\n", seconds);
		printf("sent: %llu\n", (unsigned long long)L.sent);
		printf("replies: %llu\n", (unsigned long long)L.replies);
		printf("throughput: %.0f\n", (double)in_window / seconds);
		printf("p50_us: %.1f\n", hist_q(&L.lat, 0.50) / 1e3);
		printf("p90_us: %.1f\n", hist_q(&L.lat, 0.90) / 1e3);
		printf("p99_us: %.1f\n", hist_q(&L.lat, 0.99) / 1e3);
		printf("p999_us: %.1f\n", hist_q(&L.lat, 0.999) / 1e3);
		printf("max_us: %.1f\n", (double)L.lat.max / 1e3);
		printf("mean_us: %.1f\n", L.lat.n ? L.lat.sum / (double)L.lat.n
		    / 1e3 : 0);
		printf("samples: %llu\n", (unsigned long long)L.lat.n);
		if (L.rate > 0) {
			printf("send_lag_p99_us: %.1f\n",
			    hist_q(&L.lag, 0.99) / 1e3);
			printf("queued_max: %llu\n",
			    (unsigned long long)L.queued_max);
			printf("queue_overflow: %llu\n",
			    (unsigned long long)L.overflow);
		}
		if (L.pid) {
			double cpu = cpu1 - cpu0;

			printf("server_cpu_s: %.3f\n", cpu);
			printf("server_cpu_util: %.3f\n", cpu / seconds);
			printf("server_cpu_us_per_msg: %.2f\n", in_window ?
			    cpu * 1e6 / (double)in_window : 0);
		}
		printf("client_cpu_util: %.3f\n", (self1 - self0) / seconds);
		printf("errors: %llu\n", (unsigned long long)L.errors);
		printf("rate_limited: %llu\n",
		    (unsigned long long)L.rate_limited);
		printf("mismatched: %llu\n", (unsigned long long)L.bad_re);
		printf("unexpected: %llu\n", (unsigned long long)L.unexpected);
		printf("closed_by_server: %llu\n",
		    (unsigned long long)L.closed_by_server);
		printf("missed: %d\n", outstanding() + (int)L.overflow);
		if (L.hup_ns) {
			printf("reload_ms: %.1f\n", L.hup_done_ns ?
			    (double)(L.hup_done_ns - L.hup_ns) / 1e6 : -1.0);
			printf("reload_samples: %llu\n",
			    (unsigned long long)L.hup_lat.n);
			printf("reload_p99_us: %.1f\n",
			    hist_q(&L.hup_lat, 0.99) / 1e3);
			printf("reload_max_us: %.1f\n",
			    (double)L.hup_lat.max / 1e3);
			printf("reload_result: %s\n", L.hup_result);
		}
		if (L.error_sample[0])
			printf("error_sample: %s\n", L.error_sample);
		if (L.close_sample[0])
			printf("close_sample: %s\n", L.close_sample);
	}
	for (int i = 0; i < L.w.n; i++)
		wsc_close(&L.w, &L.w.conns[i]);
	wsc_free(&L.w);
	return 0;
}
