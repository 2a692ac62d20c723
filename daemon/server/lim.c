/* lim.c - per-address connection counts (see lim.h).
 *
 * TCP connections are kept by descriptor, with their peer.  Each address
 * counts its entries (lim_addr.tcp); an entry is dropped when its
 * connection closes, when its descriptor is reused, or, when the count
 * reaches the limit, when the descriptor no longer has the same peer
 * (closed without a callback we see): only then are the address's entries
 * checked one by one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "lim.h"
#include "common/hash.h"
#include "common/xmem.h"

#define LIM_BUCKETS 4096

struct lim_addr {
	struct lim_addr *next;
	int tcp;                    /* entries in lim_tcp[] */
	int ws;                     /* established WebSocket connections */
	char ip[64];
};

struct lim_tcp {
	struct sockaddr_in peer;
	struct lim_addr *addr;
	int used;
};

static struct lim_addr *lim_addrs[LIM_BUCKETS];
static struct lim_tcp *lim_tcp;     /* by descriptor */
static int lim_ntcp;

static unsigned
lim_hash(const char *ip)
{
	return hash_str(HASH_INIT, ip) % LIM_BUCKETS;
}

/* The counters of address ip; created (zero) when create is set. */
static struct lim_addr *
lim_get(const char *ip, int create)
{
	struct lim_addr **b = &lim_addrs[lim_hash(ip)], *a;

	for (a = *b; a; a = a->next)
		if (strcmp(a->ip, ip) == 0)
			return a;
	if (!create)
		return NULL;
	a = xcalloc(1, sizeof *a);
	snprintf(a->ip, sizeof a->ip, "%s", ip);
	a->next = *b;
	*b = a;
	return a;
}

/* Free a's counters once nothing counts on them. */
static void
lim_put(struct lim_addr *a)
{
	if (a->tcp > 0 || a->ws > 0)
		return;
	for (struct lim_addr **pp = &lim_addrs[lim_hash(a->ip)]; *pp;
	    pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			free(a);
			return;
		}
}

/* Whether fd still has the peer a. */
static int
lim_same(int fd, const struct sockaddr_in *a)
{
	struct sockaddr_in b;
	socklen_t n = sizeof b;

	return getpeername(fd, (struct sockaddr *)&b, &n) == 0 &&
	    b.sin_family == AF_INET && b.sin_addr.s_addr == a->sin_addr.s_addr &&
	    b.sin_port == a->sin_port;
}

void
lim_tcp_close(int fd)
{
	struct lim_addr *a;

	if (fd < 0 || fd >= lim_ntcp || !lim_tcp[fd].used)
		return;
	a = lim_tcp[fd].addr;
	lim_tcp[fd].used = 0;
	lim_tcp[fd].addr = NULL;
	a->tcp--;
	lim_put(a);
}

int
lim_tcp_open(int fd, int limit, char *ip, size_t iplen, int *held)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;
	struct lim_addr *ad;

	ip[0] = '\0';
	*held = 0;
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&a, &n) != 0 ||
	    a.sin_family != AF_INET)
		return 0;
	if (fd >= lim_ntcp) {
		int k = fd + 256;

		lim_tcp = xrealloc(lim_tcp, (size_t)k * sizeof *lim_tcp);
		memset(lim_tcp + lim_ntcp, 0, (size_t)(k - lim_ntcp) *
		    sizeof *lim_tcp);
		lim_ntcp = k;
	}
	lim_tcp_close(fd);              /* a reused descriptor */
	inet_ntop(AF_INET, &a.sin_addr, ip, (socklen_t)iplen);
	ad = lim_get(ip, 1);
	lim_tcp[fd].peer = a;
	lim_tcp[fd].addr = ad;
	lim_tcp[fd].used = 1;
	ad->tcp++;                      /* this one included: ad stays */
	if (ad->tcp > limit) {
		for (int i = 0; i < lim_ntcp; i++)
			if (i != fd && lim_tcp[i].used && lim_tcp[i].addr == ad &&
			    !lim_same(i, &lim_tcp[i].peer))
				lim_tcp_close(i);
	}
	*held = ad->tcp - 1;
	if (ad->tcp > limit) {
		lim_tcp_close(fd);
		return -1;
	}
	return 0;
}

struct lim_addr *
lim_ws_open(const char *ip)
{
	struct lim_addr *a = lim_get(ip, 1);

	a->ws++;
	return a;
}

void
lim_ws_close(struct lim_addr *a)
{
	a->ws--;
	lim_put(a);
}

int
lim_ws_count(const char *ip)
{
	struct lim_addr *a = lim_get(ip, 0);

	return a ? a->ws : 0;
}

void
lim_reset(void)
{
	free(lim_tcp);
	lim_tcp = NULL;
	lim_ntcp = 0;
	for (int i = 0; i < LIM_BUCKETS; i++)
		while (lim_addrs[i]) {
			struct lim_addr *a = lim_addrs[i];

			lim_addrs[i] = a->next;
			free(a);
		}
}
