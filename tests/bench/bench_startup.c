/* bench_startup.c - start-up and stop time of a server.
 *
 * usage: bench_startup --port N [--runs N] [--cpu N] [--log FILE]
 *                      -- COMMAND [ARGS...]
 *
 * Each run forks, pins the child to --cpu (as taskset would, without
 * taskset's own exec in the figure) and execs COMMAND, which must listen
 * on 127.0.0.1:--port.  From the fork it measures:
 *   listen_ms       until a TCP connect succeeds (for slated: flags,
 *                   knowledge, patterns and their JIT, the store, the
 *                   context: everything before it can serve);
 *   first_reply_ms  until a new client has opened /chat, said hello and
 *                   got the answer to its first question (for slated:
 *                   the turn committed to the store);
 *   stop_ms         from SIGTERM until the process has exited.
 * Medians over the runs, then the minimum and maximum.  The child's stderr
 * goes to --log (appended) or /dev/null.
 *
 * Output: "key: value" lines. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wsc.h"

static int stage;     /* 0 hello sent, 1 ask sent, 2 answered */

static void
on_open(struct wsc *w, struct wsc_conn *c)
{
	static const char hello[] = "{\"type\":\"hello\",\"session\":null}";

	wsc_send(w, c, hello, sizeof hello - 1);
}

static void
on_message(struct wsc *w, struct wsc_conn *c, const char *m, size_t n)
{
	static const char ask[] = "{\"type\":\"ask\",\"id\":\"s1\","
	    "\"text\":\"what does a line producer do\"}";

	if (stage++ == 0)
		wsc_send(w, c, ask, sizeof ask - 1);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *name, double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	printf("%s: %.1f\n", name, n % 2 ? v[n / 2] : (v[n / 2 - 1] +
	    v[n / 2]) / 2);
	printf("%s_min: %.1f\n", name, v[0]);
	printf("%s_max: %.1f\n", name, v[n - 1]);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	double listen_ms[64], reply_ms[64], stop_ms[64];
	const char *log = "/dev/null";
	int port = 0, runs = 5, cpu = -1, i, cmd = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			cmd = i + 1;
			break;
		}
		if (i + 1 >= argc)
			break;
		if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--cpu") == 0)
			cpu = atoi(argv[++i]);
		else if (strcmp(argv[i], "--log") == 0)
			log = argv[++i];
		else
			break;
	}
	if (port <= 0 || cmd == 0 || cmd >= argc || runs < 1 || runs > 64) {
		fprintf(stderr, "usage: bench_startup --port N [--runs N] "
		    "[--cpu N] [--log FILE] -- COMMAND [ARGS...]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	for (int r = 0; r < runs; r++) {
		struct wsc_opts o = { .host = "127.0.0.1", .port = port,
		    .path = "/chat", .nsrc = 1, .inflight = 1, .wait_s = 1 };
		struct wsc_cb cb = { on_open, on_message, NULL };
		struct wsc w;
		uint64_t t0, t1, end;
		int status;
		pid_t pid;

		t0 = wsc_now();
		pid = fork();
		if (pid == 0) {
			int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);

			if (cpu >= 0) {
				cpu_set_t set;

				CPU_ZERO(&set);
				CPU_SET(cpu, &set);
				sched_setaffinity(0, sizeof set, &set);
			}
			if (fd >= 0)
				dup2(fd, 2);
			execvp(argv[cmd], argv + cmd);
			_exit(127);
		}
		end = t0 + 10000000000ull;
		for (;;) {
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			int ok = connect(fd, (struct sockaddr *)&sa, sizeof sa);

			close(fd);
			if (ok == 0)
				break;
			if (wsc_now() > end || waitpid(pid, &status,
			    WNOHANG) == pid) {
				fprintf(stderr, "bench_startup: %s never "
				    "listened on %d\n", argv[cmd], port);
				kill(pid, SIGKILL);
				return 1;
			}
			usleep(200);
		}
		listen_ms[r] = (double)(wsc_now() - t0) / 1e6;

		stage = 0;
		wsc_init(&w, &o, &cb, NULL, 1);
		wsc_open_many(&w, 1, 5);
		while (stage < 2 && w.open == 1 && wsc_now() < end)
			wsc_poll(&w, 1000000);
		reply_ms[r] = stage == 2 ? (double)(wsc_now() - t0) / 1e6 : -1;
		wsc_close(&w, &w.conns[0]);
		wsc_free(&w);

		t1 = wsc_now();
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
		stop_ms[r] = (double)(wsc_now() - t1) / 1e6;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fprintf(stderr, "bench_startup: run %d: exit status "
			    "%d\n", r, status);
		usleep(100000);
	}
	printf("runs: %d\n", runs);
	report("listen_ms", listen_ms, runs);
	report("first_reply_ms", reply_ms, runs);
	report("stop_ms", stop_ms, runs);
	return 0;
}
