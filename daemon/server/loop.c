/* loop.c - the event loop and its housekeeping (see loop.h).  Everything
 * here runs on the loop thread; the store and reload threads only wake it
 * (srv_wake), and their results are picked up here. */
#include <stdio.h>
#include <string.h>
#include <ev.h>
#include "cfg.h"
#include "engine/eng.h"
#include "cpt.h"
#include "http.h"
#include "jix.h"
#include "jnl.h"
#include "lim.h"
#include "log.h"
#include "loop.h"
#include "met.h"
#include "proto.h"
#include "reload.h"
#include "srv.h"
#include "store.h"
#include "ws.h"

#define LOOP_PURGE_SECS 3600
#define LOOP_GRACE_SECS 1.5         /* SIGTERM to exit, at most */

static int loop_store_failing;      /* the last store job failed */
/* The libev loop when --event-loop ev: ours (a "foreign" loop to lws),
 * because with an event library lws_service() in 4.1.6 runs the loop
 * until no watcher is left and never returns to check for a stop.  NULL
 * under poll(), where the loop in loop_run() checks for itself. */
static struct ev_loop *loop_ev;
/* What every connection's protocol state reads (proto.h). */
static struct proto_env loop_env;

/* Say once, in the log, when storage starts failing and when it is
 * back: in between every answer goes out unsaved ("stored": false). */
static void
loop_store_health(int rc, const char *err)
{
	if (rc != 0) {
		met_store_error();
		if (!loop_store_failing)
			log_warn("storage failing, answering without storage "
			    "until it recovers: %s", err);
		else
			log_debug("store: %s", err);
		loop_store_failing = 1;
	} else if (loop_store_failing) {
		log_info("storage recovered: answers are saved again");
		loop_store_failing = 0;
	}
}

/* proto's append: one record into the journal.  A forget asks for a new
 * segment, so that the one holding the session's text can be deleted as
 * soon as SQLite has applied the forget, and for that to happen now. */
static int
loop_append(const struct jrec *r, uint64_t *pos)
{
	int rc = jnl_append(srv.jnl, r, pos);

	loop_store_health(rc, jnl_error(srv.jnl));
	if (rc == 0 && (r->type == JREC_FORGET || r->type == JREC_PURGE)) {
		jnl_rotate_soon(srv.jnl);
		jnl_urge(srv.jnl);
	}
	return rc;
}

/* Completed reader jobs: each to the connection that asked; and what
 * the compactor has done since. */
static void
loop_collect(void)
{
	struct store_job *j, *next;
	unsigned long purged;

	if (srv.store == NULL)
		return;
	for (j = store_done(srv.store); j; j = next) {
		next = j->next;
		if (j->rc != 0)
			loop_store_health(j->rc, j->err);
		ws_job_done(j);
		store_job_free(j);
	}
	jix_drop(srv.jix, cpt_done(srv.cpt));
	purged = (unsigned long)cpt_purged(srv.cpt);
	if (purged != srv.purged) {
		log_info("store: %lu idle sessions purged", purged - srv.purged);
		srv.purged = purged;
	}
	ws_release();
}

/* A reload has finished: swap its engine in, or keep the old one. */
static void
loop_reload_finish(void)
{
	char why[512], esc[1100];
	struct eng *e;

	e = reload_finish(srv.reload, why, sizeof why);
	srv.reload = NULL;
	met_reload(e != NULL);
	/* the reason quotes files and test names: escape it */
	log_esc(esc, sizeof esc, why, strlen(why));
	if (e) {
		struct eng *old = srv.eng;

		/* The engine is only used inside callbacks on this thread,
		 * so nothing holds the old one now. */
		srv.eng = e;
		met_regex_carry(eng_stats(old).regex_limit_hits);
		eng_free(old);
		log_info("reload: %s", esc);
	} else {
		log_warn("reload refused, old knowledge kept (%s): %s",
		    eng_version(srv.eng), esc);
	}
	snprintf(srv.reload_status, sizeof srv.reload_status, "%s: %s",
	    e ? "ok" : "refused", why);
}

/* A finished reload swapped in, and a SIGHUP turned into a reload: one
 * at a time, a SIGHUP during one starts another once it is over. */
static void
loop_reload_check(void)
{
	if (srv.reload && reload_ready(srv.reload))
		loop_reload_finish();
	if (srv.hup && !srv.stopping) {
		srv.hup = 0;
		if (srv.reload) {
			srv.reload_again = 1;
		} else {
			log_info("reload: SIGHUP, loading %s and %s",
			    srv.cfg->knowledge, srv.cfg->patterns);
			srv.reload = reload_start(srv.cfg->knowledge,
			    srv.cfg->patterns, srv.cfg->conversations,
			    srv_wake, NULL);
			if (srv.reload == NULL)
				log_error("reload: cannot start a thread");
		}
	}
	if (srv.reload == NULL && srv.reload_again) {
		srv.reload_again = 0;
		srv.hup = 1;
		loop_reload_check();
	}
}

static void
loop_begin_shutdown(void)
{
	if (srv.stopping)
		return;
	srv.stopping = 1;
	srv.deadline = srv_now() + LOOP_GRACE_SECS;
	log_info("stopping: closing %d connections", srv.conns);
	ws_going_away();
}

/* Shutting down and every connection closed, or the grace period over. */
static int
loop_done(void)
{
	return srv.stopping && (srv.conns == 0 || srv_now() >= srv.deadline);
}

/* Everything the loop does outside a connection's own events: completed
 * store jobs, a finished reload, signals, the purge.  Runs after
 * lws_cancel_service() and from the one-second tick. */
static void
loop_housekeeping(void)
{
	loop_collect();
	loop_reload_check();
	if (srv.stop)
		loop_begin_shutdown();
	if (loop_ev && loop_done()) {
		ev_break(loop_ev, EVBREAK_ALL);
		return;
	}
	if (!srv.stopping && srv_now() >= srv.next_purge) {
		struct jrec r = { .type = JREC_PURGE };
		uint64_t pos;

		r.ts = srv_wall_ms() - (int64_t)srv.cfg->session_days *
		    86400000;
		srv.next_purge = srv_now() + LOOP_PURGE_SECS;
		loop_append(&r, &pos);
	}
	jnl_tick(srv.jnl);
}

static void
loop_tick(lws_sorted_usec_list_t *sul)
{
	loop_housekeeping();
	/* often while the journal has a backlog: compaction's progress is
	 * picked up here, and held connections are let go */
	lws_sul_schedule(srv.ctx, 0, &srv.tick, loop_tick,
	    srv.stopping || jix_backlog(srv.jix) ? LWS_US_PER_SEC / 10 :
	    LWS_US_PER_SEC);
}

/* The context's settings: one vhost, one port, /chat, /healthz and
 * /metrics, and the files at /.  The mounts and retry policy are the
 * caller's and must outlive the context. */
static void
loop_info(struct lws_context_creation_info *info, struct lws_http_mount m[3],
    lws_retry_bo_t *retry)
{
	struct lws_http_mount *m_metrics = &m[0], *m_healthz = &m[1];
	struct lws_http_mount *m_web = &m[2];

	memset(m, 0, 3 * sizeof *m);
	m_metrics->mountpoint = "/metrics";
	m_metrics->mountpoint_len = 8;
	m_metrics->protocol = "api";
	m_metrics->origin_protocol = LWSMPRO_CALLBACK;
	*m_healthz = *m_metrics;
	m_healthz->mount_next = m_metrics;
	m_healthz->mountpoint = "/healthz";
	m_healthz->mountpoint_len = 8;
	m_web->mount_next = m_healthz;
	m_web->mountpoint = "/";
	m_web->mountpoint_len = 1;
	m_web->origin = srv.cfg->web;
	m_web->def = "index.html";
	m_web->origin_protocol = LWSMPRO_FILE;
	m_web->cache_max_age = 300;
	m_web->cache_reusable = 1;
	m_web->cache_revalidate = 1;

	/* validity: ping after ping_secs without a pong, drop after twice */
	memset(retry, 0, sizeof *retry);
	retry->secs_since_valid_ping = (uint16_t)srv.cfg->ping_secs;
	retry->secs_since_valid_hangup = (uint16_t)(srv.cfg->ping_secs * 2);

	memset(info, 0, sizeof *info);
	info->port = srv.cfg->port;
	info->iface = srv.cfg->bind;
	info->vhost_name = "slated";
	info->protocols = ws_protocols;
	info->mounts = m_web;
	info->headers = http_headers;
	info->retry_and_idle_policy = retry;
	/* a request's headers must arrive within this (slowloris) */
	info->timeout_secs = (unsigned)srv.cfg->header_timeout;
	info->timeout_secs_ah_idle = (unsigned)srv.cfg->header_timeout;
	info->keepalive_timeout = 5;
	/* sized from our limits, never from ulimit -n (which can be 2^30) */
	info->fd_limit_per_thread = (unsigned)srv.cfg->max_conns + 64;
	info->pt_serv_buf_size = 16 * 1024;
	info->server_string = "slated";
	info->options = LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6;
}

/* The context, on our libev loop unless --event-loop poll; -1 logged. */
static int
loop_create(void)
{
	struct lws_context_creation_info info;
	static struct lws_http_mount mounts[3];
	static lws_retry_bo_t retry;
	static void *foreign[1];

	loop_info(&info, mounts, &retry);
	if (srv.cfg->event_loop == CFG_LOOP_EV) {
		loop_ev = ev_loop_new(EVFLAG_AUTO);
		if (loop_ev == NULL) {
			log_error("cannot create the libev loop");
			return -1;
		}
		foreign[0] = loop_ev;
		info.foreign_loops = foreign;
		info.options |= LWS_SERVER_OPTION_LIBEV;
	}
	srv.ctx = lws_create_context(&info);
	if (srv.ctx == NULL) {
		log_error("cannot listen on %s:%d%s", srv.cfg->bind,
		    srv.cfg->port, loop_ev ? " (or load libwebsockets' libev "
		    "plugin: package libwebsockets-evlib-ev)" : "");
		if (loop_ev)
			ev_loop_destroy(loop_ev);
		loop_ev = NULL;
		return -1;
	}
	return 0;
}

int
loop_run(void)
{
	int n = 0;

	loop_env.cfg = srv.cfg;
	loop_env.eng = &srv.eng;
	loop_env.now = srv_now;
	loop_env.wall_ms = srv_wall_ms;
	loop_env.append = loop_append;
	loop_env.jix = srv.jix;
	loop_env.ring = srv.ring;
	loop_env.transcripts = !srv.cfg->no_transcripts;
	ws_init(&loop_env, loop_housekeeping);
	if (loop_create() != 0)
		return -1;
	srv_set_wake(srv.ctx);
	srv.next_purge = srv_now();   /* once at start, then hourly */
	lws_sul_schedule(srv.ctx, 0, &srv.tick, loop_tick, LWS_US_PER_SEC);
	log_info("listening on http://%s:%d/ (web %s, WebSocket /chat, %s)",
	    srv.cfg->bind, srv.cfg->port, srv.cfg->web,
	    loop_ev ? "libev" : "poll");
	loop_housekeeping();

	if (loop_ev)
		ev_run(loop_ev, 0);
	while (loop_ev == NULL && n >= 0 && !loop_done())
		n = lws_service(srv.ctx, 0);
	if (srv.conns)
		log_warn("stopping: %d connections did not close in time",
		    srv.conns);
	lws_sul_cancel(&srv.tick);
	/* the reader first: nothing answers its jobs any more */
	store_close(srv.store);
	srv.store = NULL;
	srv_set_wake(NULL);
	lws_context_destroy(srv.ctx);
	srv.ctx = NULL;
	if (loop_ev)
		ev_loop_destroy(loop_ev);
	loop_ev = NULL;
	lim_reset();
	return n < 0 ? -1 : 0;
}
