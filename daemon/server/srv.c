/* srv.c - the loop-wide state, its clocks and its wake-up (see srv.h).
 * A leaf: everything else may include srv.h, srv.c includes nothing of
 * the server's but its own header. */
#include <pthread.h>
#include <time.h>
#include "srv.h"

struct server srv;

/* The context srv_wake() wakes: set and cleared by the loop thread while
 * the store and reload threads may be calling srv_wake(). */
static pthread_mutex_t srv_wake_mu = PTHREAD_MUTEX_INITIALIZER;
static struct lws_context *srv_wake_ctx;

double
srv_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t
srv_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
srv_wake(void *unused)
{
	pthread_mutex_lock(&srv_wake_mu);
	if (srv_wake_ctx)
		lws_cancel_service(srv_wake_ctx);
	pthread_mutex_unlock(&srv_wake_mu);
}

void
srv_set_wake(struct lws_context *ctx)
{
	pthread_mutex_lock(&srv_wake_mu);
	srv_wake_ctx = ctx;
	pthread_mutex_unlock(&srv_wake_mu);
}
