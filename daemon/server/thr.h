/* thr.h - the server's worker threads (store, checkpointer, reload) start
 * here, with every signal blocked: signals are the main thread's business
 * (slated.c), so that its handler is the only one that ever runs. */
#ifndef SLATE_THR_H
#define SLATE_THR_H

#include <pthread.h>

/* pthread_create(t, NULL, fn, arg) with all signals blocked in the new
 * thread; the caller's mask is left as it was.  0 or pthread_create's
 * error. */
int thr_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
