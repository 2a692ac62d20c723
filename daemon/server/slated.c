/* slated.c - the Slate daemon: flags, engine, store, signals, then the
 * libwebsockets loop in loop.c until SIGTERM/SIGINT. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "cfg.h"
#include "engine/eng.h"
#include "log.h"
#include "reload.h"
#include "srv.h"
#include "store.h"
#include "cpt.h"
#include "jix.h"
#include "jnl.h"
#include "ring.h"
#include "common/xmem.h"
#include "loop.h"

/* Only the main thread takes signals (the store and reload threads block
 * them all), and it is the thread that creates and destroys the context,
 * so srv.ctx is stable here.  lws_cancel_service() on unix is one
 * eventfd/pipe write: safe in a handler.  The work happens in the loop. */
static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		srv.hup = 1;
	else
		srv.stop = 1;
	if (srv.ctx)
		lws_cancel_service(srv.ctx);
}

/* SQLite (replaying what the journal holds that it lacks), then the
 * journal, the compactor and the reader: all before the first
 * connection.  0, or -1 with err. */
static int
open_storage(const struct cfg *cfg, const struct store_opts *so, char *err,
    size_t errlen)
{
	struct cpt_replay rp;
	uint32_t seg;

	srv.cpt = cpt_open(cfg->db, so, &seg, &rp, err, errlen);
	if (srv.cpt == NULL)
		return -1;
	if (rp.segments)
		log_info("journal replayed: %ld records from %ld segments in "
		    "%.1f ms%s", rp.records, rp.segments, rp.ms, rp.torn ?
		    ", a torn last record cut" : "");
	srv.jnl = jnl_open(cfg->db, seg, (enum jnl_sync)cfg->fsync, srv_wake,
	    NULL, err, errlen);
	if (srv.jnl == NULL)
		return -1;
	if (cpt_start(srv.cpt, jnl_pub(srv.jnl)) != 0) {
		snprintf(err, errlen, "cannot start the compactor thread");
		return -1;
	}
	srv.store = store_open(cfg->db, cfg->db, so, srv_wake, NULL, err,
	    errlen);
	if (srv.store == NULL)
		return -1;
	srv.jix = jix_new();
	srv.ring = ring_new();
	return 0;
}

/* Everything open_storage() opened, in reverse: the compactor applies
 * what is left before the journal closes. */
static void
close_storage(void)
{
	store_close(srv.store);
	srv.store = NULL;
	cpt_close(srv.cpt);
	srv.cpt = NULL;
	jnl_close(srv.jnl);
	srv.jnl = NULL;
	jix_free(srv.jix);
	srv.jix = NULL;
	ring_free(srv.ring);
	srv.ring = NULL;
}

int
main(int argc, char **argv)
{
	struct cfg cfg;
	struct store_opts so;
	struct sigaction sa;
	char err[512];
	int rc;

	/* Running out of memory aborts, in jansson as everywhere (xmem.h):
	 * no path half-way through a turn tries to carry on without. */
	json_set_alloc_funcs(xmalloc, free);
	rc = cfg_parse(&cfg, argc, argv, err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "slated: %s\n", err);
		cfg_free(&cfg);
		return rc < 0 ? 2 : 0;
	}
	log_set_level((enum log_level)cfg.log_level);
	log_route_lws();
	srv.cfg = &cfg;
	srv.started = srv_now();
	snprintf(srv.reload_status, sizeof srv.reload_status, "none yet");

	srv.eng = eng_load(cfg.knowledge, cfg.patterns, err, sizeof err);
	if (srv.eng == NULL) {
		log_error("cannot load the engine: %s", err);
		cfg_free(&cfg);
		return 1;
	}
	log_info("engine %s from %s and %s", eng_version(srv.eng),
	    cfg.knowledge, cfg.patterns);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* A file size limit (ulimit -f) must fail the write, as a full disk
	 * does, not kill the daemon: the store then reports the error. */
	sigaction(SIGXFSZ, &sa, NULL);

	/* the database holds session tokens, which are credentials */
	umask(077);
	so.transcripts = !cfg.no_transcripts;
	so.history_max = cfg.history_max;
	so.session_days = cfg.session_days;
	if (open_storage(&cfg, &so, err, sizeof err) != 0) {
		log_error("cannot open the session store: %s", err);
		close_storage();
		eng_free(srv.eng);
		cfg_free(&cfg);
		return 1;
	}
	log_info("sessions in %s (%s, kept %d days idle), journal %s.jnl.* "
	    "(fsync %s)", cfg.db, cfg.no_transcripts ? "slots only" :
	    "slots and transcripts", cfg.session_days, cfg.db,
	    cfg.fsync == JNL_SYNC_ALWAYS ? "always" : cfg.fsync ==
	    JNL_SYNC_NO ? "no" : "everysec");

	rc = loop_run();
	close_storage();
	/* A reload still running is not waited for: exiting within the
	 * grace period matters more, and the process end takes it along. */
	if (srv.reload && reload_ready(srv.reload))
		eng_free(reload_finish(srv.reload, err, sizeof err));
	eng_free(srv.eng);
	log_info("stopped");
	cfg_free(&cfg);
	return rc == 0 ? 0 : 1;
}
