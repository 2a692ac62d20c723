/* test_lim.c - per-address connection counts, over real loopback TCP
 * connections.  Exercises: connections from one address accepted up to
 * the limit and the next refused, uncounted, with the count held; a
 * closed one making room again; a descriptor closed without a callback
 * (its entry stale) culled when the limit is reached; a reused
 * descriptor counted once; descriptors that are not IPv4 accepted
 * uncounted; WebSocket counts per address, up and down. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "server/lim.h"
#include "t.h"

static int lsn = -1;

/* A listening socket on 127.0.0.1, any port. */
static void
listen_lo(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	if (lsn < 0 || bind(lsn, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(lsn, 64) != 0) {
		perror("listen");
		_exit(2);
	}
}

/* One loopback connection: the server side's descriptor (the client's
 * in *client). */
static int
connect_lo(int *client)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;
	int c, s;

	if (getsockname(lsn, (struct sockaddr *)&a, &n) != 0)
		_exit(2);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0)
		_exit(2);
	s = accept(lsn, NULL, NULL);
	if (s < 0)
		_exit(2);
	*client = c;
	return s;
}

TEST_IMPL(lim_tcp_limit)
{
	int fd[4], cl[4], held = -1;
	char ip[64];

	listen_lo();
	for (int i = 0; i < 3; i++) {
		fd[i] = connect_lo(&cl[i]);
		ASSERT_OK(lim_tcp_open(fd[i], 3, ip, sizeof ip, &held));
		ASSERT_STR_EQ(ip, "127.0.0.1");
		ASSERT_EQ(held, i);
	}
	fd[3] = connect_lo(&cl[3]);
	ASSERT_EQ(lim_tcp_open(fd[3], 3, ip, sizeof ip, &held), -1);
	ASSERT_EQ(held, 3);
	/* refused and not counted: it stays refused, the others stay */
	ASSERT_EQ(lim_tcp_open(fd[3], 3, ip, sizeof ip, &held), -1);
	lim_tcp_close(fd[0]);
	ASSERT_OK(lim_tcp_open(fd[3], 3, ip, sizeof ip, &held));
	ASSERT_EQ(held, 2);
	/* closing twice, or what was never counted, changes nothing */
	lim_tcp_close(fd[0]);
	lim_tcp_close(-1);
	lim_tcp_close(100000);
	fd[0] = connect_lo(&cl[0]);
	ASSERT_EQ(lim_tcp_open(fd[0], 3, ip, sizeof ip, &held), -1);
	lim_reset();
}

/* A connection closed behind our back (no lim_tcp_close): once the limit
 * is reached, an entry whose descriptor no longer has its peer is culled
 * and the new connection accepted. */
TEST_IMPL(lim_tcp_stale_culled)
{
	int fd[3], cl[3], held, nul;
	char ip[64];

	listen_lo();
	for (int i = 0; i < 2; i++) {
		fd[i] = connect_lo(&cl[i]);
		ASSERT_OK(lim_tcp_open(fd[i], 2, ip, sizeof ip, &held));
	}
	/* fd[0] now holds a file, not its connection, so that the next
	 * connection gets another number */
	nul = open("/dev/null", O_RDONLY);
	ASSERT_GE(nul, 0);
	ASSERT_EQ(dup2(nul, fd[0]), fd[0]);
	close(cl[0]);
	fd[2] = connect_lo(&cl[2]);
	ASSERT_NE(fd[2], fd[0]);
	ASSERT_OK(lim_tcp_open(fd[2], 2, ip, sizeof ip, &held));
	ASSERT_EQ(held, 1);
	/* fd[1]'s entry was live and is still counted */
	fd[0] = connect_lo(&cl[0]);
	ASSERT_EQ(lim_tcp_open(fd[0], 2, ip, sizeof ip, &held), -1);
	lim_reset();
}

TEST_IMPL(lim_tcp_reused_descriptor)
{
	int fd, cl, held;
	char ip[64];

	listen_lo();
	fd = connect_lo(&cl);
	ASSERT_OK(lim_tcp_open(fd, 1, ip, sizeof ip, &held));
	/* the same descriptor again (its close unseen): counted once */
	ASSERT_OK(lim_tcp_open(fd, 1, ip, sizeof ip, &held));
	ASSERT_EQ(held, 0);
	lim_reset();
}

TEST_IMPL(lim_tcp_not_ipv4)
{
	int sv[2], held = -1;
	char ip[64] = "x";

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_OK(lim_tcp_open(sv[0], 0, ip, sizeof ip, &held));
	ASSERT_STR_EQ(ip, "");
	ASSERT_EQ(held, 0);
	ASSERT_OK(lim_tcp_open(-1, 0, ip, sizeof ip, &held));
	lim_reset();
}

TEST_IMPL(lim_ws_counts)
{
	struct lim_addr *a1, *a2, *b;

	ASSERT_EQ(lim_ws_count("10.0.0.1"), 0);
	a1 = lim_ws_open("10.0.0.1");
	a2 = lim_ws_open("10.0.0.1");
	b = lim_ws_open("10.0.0.2");
	ASSERT(a1 == a2);
	ASSERT_EQ(lim_ws_count("10.0.0.1"), 2);
	ASSERT_EQ(lim_ws_count("10.0.0.2"), 1);
	lim_ws_close(a1);
	ASSERT_EQ(lim_ws_count("10.0.0.1"), 1);
	lim_ws_close(a2);
	ASSERT_EQ(lim_ws_count("10.0.0.1"), 0);
	lim_ws_close(b);
	ASSERT_EQ(lim_ws_count("10.0.0.2"), 0);
	lim_reset();
}

TEST_LIST(
	TEST_ENTRY(lim_tcp_limit)
	TEST_ENTRY(lim_tcp_stale_culled)
	TEST_ENTRY(lim_tcp_reused_descriptor)
	TEST_ENTRY(lim_tcp_not_ipv4)
	TEST_ENTRY(lim_ws_counts)
)
