/* http.c - /healthz, /metrics, response headers and the Origin check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <unistd.h>
#include <jansson.h>
#include "cfg.h"
#include "engine/eng.h"
#include "http.h"
#include "log.h"
#include "met.h"
#include "srv.h"
#include "store.h"
#include "cpt.h"
#include "jix.h"
#include "jnl.h"
#include "common/xmem.h"

/* The page at / embeds the widget exactly as a school would: scripts and
 * styles from files only, the socket to this server.  frame-ancestors
 * 'none' because nothing here is meant to be framed (the widget lives in
 * the host page's DOM, not in an iframe). */
static const struct lws_protocol_vhost_options hdr_referrer = {
	NULL, NULL, "referrer-policy:", "no-referrer"
};
static const struct lws_protocol_vhost_options hdr_nosniff = {
	&hdr_referrer, NULL, "x-content-type-options:", "nosniff"
};
static const struct lws_protocol_vhost_options hdr_corp = {
	&hdr_nosniff, NULL, "cross-origin-resource-policy:", "cross-origin"
};
const struct lws_protocol_vhost_options http_headers[] = { {
	&hdr_corp, NULL, "content-security-policy:",
	"default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; "
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
} };

static char *
http_healthz(size_t *len)
{
	char state[220], compact[220];
	const char *jerr = jnl_error(srv.jnl);
	json_t *j;
	char *s;
	int ok = jerr[0] == '\0';

	snprintf(state, sizeof state, ok ? "ok" : "error: %s", jerr);
	cpt_state(srv.cpt, compact, sizeof compact);
	/* "saving": false says that answers go out without being stored,
	 * which is what the loop does while the journal fails (proto.c);
	 * "compactor" says whether SQLite keeps up with the journal, and
	 * "backlog" how many records only the journal holds */
	j = json_pack("{s:s,s:s,s:I,s:s,s:i,s:{s:s,s:b,s:I,s:i,s:s,s:I},s:s}",
	    "status", srv.stopping ? "stopping" : ok ? "ok" : "degraded",
	    "slate", SLATE_VERSION,
	    "uptime", (json_int_t)(srv_now() - srv.started),
	    "version", eng_version(srv.eng),
	    "connections", srv.conns,
	    "storage", "state", state, "saving", ok,
	    "sessions", (json_int_t)cpt_sessions(srv.cpt),
	    "queued", store_queued(srv.store),
	    "compactor", compact,
	    "backlog", (json_int_t)jix_backlog(srv.jix),
	    "reload", srv.reload ? "running" : srv.reload_status);
	if (j == NULL)
		return NULL;    /* json_pack refuses text that is not UTF-8 */
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	/* a trailing newline is kind to curl users */
	*len = strlen(s);
	s = xrealloc(s, *len + 2);
	s[(*len)++] = '\n';
	s[*len] = '\0';
	return s;
}

/* Descriptors and resident memory of this process, from /proc (Linux);
 * -1 when unknown.  For /metrics: both must come back to their baseline
 * after any number of connections (tests/protocol/resources.test.js). */
static void
http_proc(long *fds, double *rss)
{
	DIR *d = opendir("/proc/self/fd");
	FILE *f = fopen("/proc/self/statm", "r");
	struct dirent *e;
	long pages, res;

	*fds = -1;
	*rss = -1;
	if (d) {
		*fds = 0;
		while ((e = readdir(d)) != NULL)
			*fds += e->d_name[0] != '.';
		*fds -= 1;      /* the directory's own descriptor */
		closedir(d);
	}
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) == 2)
			*rss = (double)res * (double)sysconf(_SC_PAGESIZE);
		fclose(f);
	}
}

static char *
http_metrics(size_t *len)
{
	struct met_gauges g = {
		.uptime = srv_now() - srv.started,
		.conns = srv.conns,
		.sessions = cpt_sessions(srv.cpt),
		.store_queue = store_queued(srv.store),
		.backlog = jix_backlog(srv.jix),
		.journal_bytes = jnl_bytes(srv.jnl),
		.journal_records = atomic_load(&jnl_pub(srv.jnl)->records),
		.compacted = cpt_applied(srv.cpt),
		.wal_bytes = cpt_wal_bytes(srv.cpt),
		.version = eng_version(srv.eng),
		.regex_limit_hits = eng_stats(srv.eng).regex_limit_hits,
	};

	http_proc(&g.open_fds, &g.rss_bytes);
	return met_render(&g, len);
}

/* Headers and, unless HEAD, a body written at the next WRITEABLE. */
static int
http_respond(struct lws *wsi, struct http_req *r, unsigned status,
    const char *type)
{
	unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start;
	unsigned char *end = buf + sizeof buf - 1;

	if (lws_add_http_common_headers(wsi, status, type, r->len, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)
	    "cache-control:", (const unsigned char *)"no-store", 8, &p, end))
		return 1;
	if (status == HTTP_STATUS_METHOD_NOT_ALLOWED &&
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"allow:",
	    (const unsigned char *)"GET, HEAD", 9, &p, end))
		return 1;
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return 1;
	if (r->head || r->len == 0) {
		free(r->body);
		r->body = NULL;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	lws_callback_on_writable(wsi);
	return 0;
}

static int
http_text(struct lws *wsi, struct http_req *r, unsigned status,
    const char *text)
{
	free(r->body);
	r->body = xstrdup(text);
	r->len = strlen(r->body);
	return http_respond(wsi, r, status, "text/plain; charset=utf-8");
}

int
http_refuse(struct lws *wsi, unsigned status, const char *text)
{
	unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start;
	unsigned char *end = buf + sizeof buf - 1;
	size_t n = strlen(text);

	/* Headers and body in one write: still plain HTTP at this point and
	 * the connection is closed right after. */
	if (lws_add_http_common_headers(wsi, status, "text/plain; charset=utf-8",
	    n, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)
	    "connection:", (const unsigned char *)"close", 5, &p, end) ||
	    lws_finalize_http_header(wsi, &p, end) ||
	    (size_t)(end - p) < n)
		return -1;
	memcpy(p, text, n);
	p += n;
	if (lws_write(wsi, start, (size_t)(p - start), LWS_WRITE_HTTP_FINAL) !=
	    (int)(p - start))
		return -1;
	return 1;
}

int
http_api(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct http_req *r = user;
	char uri[64];
	int n;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		r->head = lws_hdr_total_length(wsi, WSI_TOKEN_HEAD_URI) > 0;
		if (!r->head && lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0) {
			/* POST and friends: answer once any body is read */
			if (lws_hdr_total_length(wsi,
			    WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0)
				return 0;
			return http_text(wsi, r, HTTP_STATUS_METHOD_NOT_ALLOWED,
			    "method not allowed\n");
		}
		if (lws_hdr_copy(wsi, uri, sizeof uri, r->head ?
		    WSI_TOKEN_HEAD_URI : WSI_TOKEN_GET_URI) <= 0)
			return http_text(wsi, r, HTTP_STATUS_NOT_FOUND,
			    "not found\n");
		free(r->body);
		r->body = NULL;
		if (strcmp(uri, "/healthz") == 0) {
			r->body = http_healthz(&r->len);
			if (r->body == NULL)
				return 1;       /* no health to tell: hang up */
			return http_respond(wsi, r, HTTP_STATUS_OK,
			    "application/json");
		}
		if (strcmp(uri, "/metrics") == 0) {
			r->body = http_metrics(&r->len);
			return http_respond(wsi, r, HTTP_STATUS_OK,
			    "text/plain; version=0.0.4; charset=utf-8");
		}
		return http_text(wsi, r, HTTP_STATUS_NOT_FOUND, "not found\n");
	case LWS_CALLBACK_HTTP_BODY:
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return http_text(wsi, r, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (r->body == NULL)
			break;
		/* lws_write needs LWS_PRE bytes in front of what it sends */
		{
			unsigned char *b = xmalloc(LWS_PRE + r->len);

			memcpy(b + LWS_PRE, r->body, r->len);
			n = lws_write(wsi, b + LWS_PRE, r->len,
			    LWS_WRITE_HTTP_FINAL);
			free(b);
		}
		free(r->body);
		r->body = NULL;
		if (n != (int)r->len)
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (r) {
			free(r->body);
			r->body = NULL;
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

int
http_origin_allowed(const char *origin, const char *host,
    char *const *allow, int nallow)
{
	const char *o;

	for (int i = 0; i < nallow; i++)
		if (strcmp(allow[i], "*") == 0 ||
		    strcasecmp(allow[i], origin) == 0)
			return 1;
	if (host == NULL)
		return 0;
	if (strncasecmp(origin, "http://", 7) == 0)
		o = origin + 7;
	else if (strncasecmp(origin, "https://", 8) == 0)
		o = origin + 8;
	else
		return 0;
	return strcasecmp(o, host) == 0;
}

int
http_origin_ok(struct lws *wsi, char *out, size_t size)
{
	char origin[256], host[256];
	int n = lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN);

	snprintf(out, size, "%s", n > 0 ? origin : "");
	if (n == 0)
		return 1;       /* not a browser: Origin protects browsers only */
	if (n < 0)
		return 0;       /* longer than any origin we could allow */
	return http_origin_allowed(origin, lws_hdr_copy(wsi, host, sizeof host,
	    WSI_TOKEN_HOST) > 0 ? host : NULL, srv.cfg->origins,
	    srv.cfg->norigins);
}
