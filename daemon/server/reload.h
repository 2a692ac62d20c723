/* reload.h - build a new engine and run the conversation tests on it in a
 * thread, so a SIGHUP never stalls the connections being served. */
#ifndef SLATE_RELOAD_H
#define SLATE_RELOAD_H

#include <stddef.h>

struct eng;
struct reload;

/* Start loading knowledge and patterns and evaluating conversations;
 * wake(arg) is called from the thread when it is done.  NULL if no thread
 * could be started. */
struct reload *reload_start(const char *knowledge, const char *patterns,
    const char *conversations, void (*wake)(void *), void *arg);
/* Nonzero once the thread has finished. */
int reload_ready(struct reload *r);
/* Join and free r.  Returns the new engine when it loaded and every
 * conversation passed, else NULL; either way why says what happened. */
struct eng *reload_finish(struct reload *r, char *why, size_t len);

#endif
