/* http.h - the plain-HTTP side of slated: /healthz and /metrics, the
 * security headers on every response, and the Origin check made before a
 * WebSocket upgrade. */
#ifndef SLATE_HTTP_H
#define SLATE_HTTP_H

#include <libwebsockets.h>

/* Per-request state of the "api" protocol (lws allocates it). */
struct http_req {
	char *body;           /* rendered at LWS_CALLBACK_HTTP, written once */
	size_t len;
	int head;             /* HEAD: headers only */
};

/* Headers lws adds to every HTTP response it builds. */
extern const struct lws_protocol_vhost_options http_headers[];

/* The callback of the "api" protocol mounted at /healthz and /metrics. */
int http_api(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len);
/* Is this upgrade's Origin acceptable: absent, same as Host, or listed in
 * --allow-origin?  The origin found is copied to out for the log. */
int http_origin_ok(struct lws *wsi, char *out, size_t size);
/* The rule itself: origin (present) is allowed when one of allow[] is it
 * (any case) or "*", or when it is http:// or https:// and then host
 * exactly (any case; host NULL when the request has none). */
int http_origin_allowed(const char *origin, const char *host,
    char *const *allow, int nallow);
/* Answer a request with a short text/plain status and no upgrade.
 * Returns what the callback must return. */
int http_refuse(struct lws *wsi, unsigned status, const char *text);

#endif
