/* log.h - one line per event on stderr, with a level, and escaping for
 * anything a client or a file could have put into the text. */
#ifndef SLATE_LOG_H
#define SLATE_LOG_H

#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level lvl);
/* Whether a line at lvl would be written: guard costly arguments. */
int log_on(enum log_level lvl);
/* The levels' names, in enum log_level's order, NULL last. */
extern const char *const log_level_names[];
/* Emit one line; newlines in fmt's result are the caller's bug, but they are
 * escaped all the same so a line is always one event. */
void log_msg(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Quote untrusted bytes for a log line: "..." with \", \\, \n, \t and \xNN
 * for every other byte outside printable ASCII, cut to fit size with "...".
 * Returns buf. */
const char *log_esc(char *buf, size_t size, const char *s, size_t len);
/* Send libwebsockets' own errors and warnings through log_msg(). */
void log_route_lws(void);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
