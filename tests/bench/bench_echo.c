/* bench_echo.c - the reference: a raw libwebsockets echo server with the
 * context, event loop and buffers of slated (daemon/ws.c), and nothing
 * else: no JSON, no engine, no store, no limits, no logging.
 *
 * usage: bench_echo [--port N] [--max-conns N] [--loop poll|ev|uv|glib]
 *                   [--rx BYTES]
 *
 * Copied from ws_run() and ws_protocols[] in daemon/ws.c: the protocol is
 * first (the default for upgrades without a subprotocol) with an rx chunk
 * of 1024 and a tx_packet_size of 16384; ping after 30 s without a pong,
 * hang up after 60; timeout_secs 10, keepalive_timeout 5,
 * fd_limit_per_thread = max_conns + 64, pt_serv_buf_size 16 KiB, options
 * VALIDATE_UTF8 | DISABLE_IPV6, no extensions, bound to 127.0.0.1, the
 * poll() loop unless --loop says otherwise.  Like slated it handles one
 * message per connection at a time: input is paused (rx flow control)
 * from a complete message until its echo is written, and the message
 * buffer is allocated when a message arrives, not per connection.
 *
 * --rx changes the rx chunk (rx_buffer_size, 1024 as in slated) to see what
 * it costs per idle connection.  Exits 0 on SIGTERM/SIGINT. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libwebsockets.h>

#define ECHO_CHUNK 16384
#define ECHO_MAX_MSG 8192    /* slated --max-frame default */

struct echo_conn {
	unsigned char *buf;  /* LWS_PRE + message */
	size_t len, cap;
	int ready;           /* a whole message waits to be echoed */
	int binary;
};

static struct lws_context *ctx;
static volatile sig_atomic_t stop;
static int event_lib;       /* not the poll() loop */

/* With an event library, lws_service() in 4.1.6 runs that library's loop
 * until it has no watchers left (ev_run(loop, 0)): it never comes back to
 * look at a flag.  A benchmark server has nothing to flush, so it just
 * leaves. */
static void
on_signal(int sig)
{
	if (event_lib)
		_exit(0);
	stop = 1;
	if (ctx)
		lws_cancel_service(ctx);
}

static int
echo_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct echo_conn *c = user;
	int n;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof *c);
		break;
	case LWS_CALLBACK_RECEIVE:
		if (c->ready || c->len + len > ECHO_MAX_MSG)
			return -1;
		if (c->len + len + LWS_PRE > c->cap) {
			size_t cap = c->cap ? c->cap : LWS_PRE + 1024;
			unsigned char *p;

			while (cap < c->len + len + LWS_PRE)
				cap *= 2;
			p = realloc(c->buf, cap);
			if (p == NULL)
				return -1;
			c->buf = p;
			c->cap = cap;
		}
		if (c->len == 0)
			c->binary = lws_frame_is_binary(wsi);
		memcpy(c->buf + LWS_PRE + c->len, in, len);
		c->len += len;
		if (!lws_is_final_fragment(wsi))
			break;
		c->ready = 1;
		if (lws_rx_flow_control(wsi, 0) < 0)
			return -1;
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (!c->ready)
			break;
		n = lws_write(wsi, c->buf + LWS_PRE, c->len,
		    c->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
		if (n < (int)c->len)
			return -1;
		/* like slated: the buffer goes with the message */
		free(c->buf);
		c->buf = NULL;
		c->cap = c->len = 0;
		c->ready = 0;
		if (lws_rx_flow_control(wsi, 1) < 0)
			return -1;
		break;
	case LWS_CALLBACK_CLOSED:
		free(c->buf);
		c->buf = NULL;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static struct lws_protocols protocols[] = {
	{ "echo", echo_cb, sizeof(struct echo_conn), 1024, 0, NULL, ECHO_CHUNK },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	lws_retry_bo_t retry = { 0 };
	int port = 8090, max_conns = 1000, n = 0;
	const char *loop = "poll";

	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			port = -1;
		else if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--max-conns") == 0)
			max_conns = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--loop") == 0)
			loop = argv[i + 1];
		else if (strcmp(argv[i], "--rx") == 0)
			protocols[0].rx_buffer_size = (size_t)atoi(argv[i + 1]);
		else
			port = -1;
		if (port <= 0) {
			fprintf(stderr, "usage: bench_echo [--port N] "
			    "[--max-conns N] [--loop poll|ev|uv|glib] "
			    "[--rx BYTES]\n");
			return 2;
		}
	}
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);

	retry.secs_since_valid_ping = 30;
	retry.secs_since_valid_hangup = 60;

	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = "127.0.0.1";
	info.vhost_name = "echo";
	info.protocols = protocols;
	info.retry_and_idle_policy = &retry;
	info.timeout_secs = 10;
	info.keepalive_timeout = 5;
	info.fd_limit_per_thread = (unsigned)max_conns + 64;
	info.pt_serv_buf_size = 16 * 1024;
	info.server_string = "echo";
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6;
	if (strcmp(loop, "ev") == 0)
		info.options |= LWS_SERVER_OPTION_LIBEV;
	else if (strcmp(loop, "uv") == 0)
		info.options |= LWS_SERVER_OPTION_LIBUV;
	else if (strcmp(loop, "glib") == 0)
		info.options |= LWS_SERVER_OPTION_GLIB;
	else if (strcmp(loop, "poll") != 0) {
		fprintf(stderr, "bench_echo: unknown loop %s\n", loop);
		return 2;
	}
	event_lib = strcmp(loop, "poll") != 0;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	ctx = lws_create_context(&info);
	if (ctx == NULL) {
		fprintf(stderr, "bench_echo: cannot listen on 127.0.0.1:%d "
		    "(loop %s)\n", port, loop);
		return 1;
	}
	fprintf(stderr, "bench_echo: listening on 127.0.0.1:%d, loop %s\n",
	    port, loop);
	while (n >= 0 && !stop)
		n = lws_service(ctx, 0);
	lws_context_destroy(ctx);
	return 0;
}
