/* test_thr.c - worker threads.  Exercises: a thread started by
 * thr_start() runs with every signal blocked (so a SIGTERM always reaches
 * the main thread), gets its argument, and leaves the caller's own mask
 * as it was. */
#include <signal.h>
#include "server/thr.h"
#include "t.h"

static void *
thr_probe(void *arg)
{
	sigset_t now;
	int *blocked = arg;

	pthread_sigmask(SIG_SETMASK, NULL, &now);
	blocked[0] = sigismember(&now, SIGTERM);
	blocked[1] = sigismember(&now, SIGHUP);
	blocked[2] = sigismember(&now, SIGINT);
	return arg;
}

TEST_IMPL(thr_signals_blocked)
{
	int blocked[3] = { 0, 0, 0 };
	sigset_t before, after;
	pthread_t t;
	void *back = NULL;

	pthread_sigmask(SIG_SETMASK, NULL, &before);
	ASSERT(!sigismember(&before, SIGTERM));
	ASSERT_OK(thr_start(&t, thr_probe, blocked));
	ASSERT_OK(pthread_join(t, &back));
	ASSERT(back == blocked);
	ASSERT_EQ(blocked[0], 1);
	ASSERT_EQ(blocked[1], 1);
	ASSERT_EQ(blocked[2], 1);
	pthread_sigmask(SIG_SETMASK, NULL, &after);
	ASSERT_EQ(sigismember(&after, SIGTERM), 0);
	ASSERT_EQ(sigismember(&after, SIGHUP), 0);
}

TEST_LIST(
	TEST_ENTRY(thr_signals_blocked)
)
