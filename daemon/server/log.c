/* log.c - levelled, escaped, one-line-per-event logging to stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <libwebsockets.h>
#include "log.h"

static enum log_level log_level = LOG_INFO;
const char *const log_level_names[] = { "error", "warn", "info", "debug",
	NULL };

void
log_set_level(enum log_level lvl)
{
	log_level = lvl;
}

int
log_on(enum log_level lvl)
{
	return lvl <= log_level;
}

const char *
log_esc(char *buf, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (size < 8) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		char tmp[4];
		size_t n;

		if (ch == '"' || ch == '\\') {
			tmp[0] = '\\', tmp[1] = (char)ch, n = 2;
		} else if (ch == '\n') {
			tmp[0] = '\\', tmp[1] = 'n', n = 2;
		} else if (ch == '\t') {
			tmp[0] = '\\', tmp[1] = 't', n = 2;
		} else if (ch < 0x20 || ch >= 0x7f) {
			/* Also every byte of UTF-8: a terminal must not be
			 * fed bidi overrides or escape sequences. */
			tmp[0] = '\\', tmp[1] = 'x', tmp[2] = hex[ch >> 4];
			tmp[3] = hex[ch & 15], n = 4;
		} else {
			tmp[0] = (char)ch, n = 1;
		}
		/* keep room for ..." and the NUL */
		if (o + n + 5 > size) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	char msg[1536], line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t o;
	int n;

	if (lvl > log_level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	o = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	o += (size_t)snprintf(line + o, sizeof line - o, ".%03ldZ %-5s ",
	    ts.tv_nsec / 1000000, log_level_names[lvl]);
	/* Callers escape untrusted parts; this only guarantees one line. */
	for (const char *p = msg; *p && o < sizeof line - 2; p++)
		line[o++] = (*p == '\n' || *p == '\r') ? ' ' : *p;
	line[o++] = '\n';
	/* one fwrite per line: stdio locks per call, so lines from the store
	 * and reload threads never interleave */
	fwrite(line, 1, o, stderr);
}

/* lws hands us its own formatted line, possibly with a trailing newline. */
static void
log_lws_emit(int level, const char *line)
{
	char esc[600];
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	log_msg(level == LLL_ERR ? LOG_ERROR : LOG_WARN, "lws %s",
	    log_esc(esc, sizeof esc, line, len));
}

void
log_route_lws(void)
{
	lws_set_log_level(LLL_ERR | LLL_WARN, log_lws_emit);
}
