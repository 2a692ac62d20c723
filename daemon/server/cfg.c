/* cfg.c - the flag table, parsing, and where the data directories are
 * looked for when no flag names them. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cfg.h"
#include "log.h"
#include "common/xmem.h"

#ifndef SLATE_DATADIR
#define SLATE_DATADIR "/usr/local/share/slate"
#endif

/* CFG_ENUM: one of names, stored as its index. */
enum cfg_type { CFG_STR, CFG_INT, CFG_FLAG, CFG_LIST, CFG_ENUM };

static const char *const cfg_loop_names[] = { "ev", "poll", NULL };
/* in the order of enum jnl_sync */
static const char *const cfg_fsync_names[] = { "always", "everysec", "no",
	NULL };

struct cfg_row {
	const char *name;
	enum cfg_type type;
	size_t off;
	long min, max;
	const char *def;    /* default as text; NULL: found at run time */
	const char *sub;    /* found at run time: where in a checkout */
	const char *arg;    /* metavariable in --help */
	const char *help;
	const char *const *names;   /* CFG_ENUM's values, NULL last */
};

#define OFF(f) offsetof(struct cfg, f)

static const struct cfg_row cfg_rows[] = {
	{ .name = "bind", .type = CFG_STR, .off = OFF(bind), .def = "127.0.0.1",
	  .arg = "ADDR", .help = "IPv4 address to listen on" },
	{ .name = "port", .type = CFG_INT, .off = OFF(port), .min = 1,
	  .max = 65535, .def = "8080", .arg = "N",
	  .help = "TCP port for HTTP and WebSocket" },
	{ .name = "knowledge", .type = CFG_STR, .off = OFF(knowledge),
	  .sub = "knowledge",
	  .arg = "DIR", .help = "knowledge base directory" },
	{ .name = "patterns", .type = CFG_STR, .off = OFF(patterns),
	  .sub = "patterns",
	  .arg = "DIR", .help = "pattern files directory" },
	{ .name = "web", .type = CFG_STR, .off = OFF(web),
	  .sub = "web", .arg = "DIR",
	  .help = "static files served at /" },
	{ .name = "conversations", .type = CFG_STR, .off = OFF(conversations),
	  .sub = "tests/conversations",
	  .arg = "DIR",
	  .help = "conversation tests a reload (SIGHUP) must pass" },
	{ .name = "db", .type = CFG_STR, .off = OFF(db), .def = "slate.db",
	  .arg = "FILE", .help = "SQLite session store (WAL mode)" },
	{ .name = "allow-origin", .type = CFG_LIST, .off = OFF(origins),
	  .arg = "ORIGIN",
	  .help = "also accept WebSocket upgrades from this Origin, e.g.\n"
		  "https://www.school.example; repeatable; \"*\" accepts any.\n"
		  "Same-origin and Origin-less clients are always accepted" },
	{ .name = "session-days", .type = CFG_INT, .off = OFF(session_days),
	  .min = 1, .max = 3650, .def = "30", .arg = "N",
	  .help = "delete sessions idle for this many days" },
	{ .name = "no-transcripts", .type = CFG_FLAG,
	  .off = OFF(no_transcripts),
	  .help = "store slots only, never what was said" },
	{ .name = "history", .type = CFG_INT, .off = OFF(history_max),
	  .min = 0, .max = 1000, .def = "200", .arg = "N",
	  .help = "most recent turns sent back when a session resumes" },
	{ .name = "max-text", .type = CFG_INT, .off = OFF(max_text), .min = 1,
	  .max = 10000, .def = "2000", .arg = "N",
	  .help = "longest question, in characters (error too_long)" },
	{ .name = "max-frame", .type = CFG_INT, .off = OFF(max_frame),
	  .min = 256, .max = 1048576, .def = "8192", .arg = "BYTES",
	  .help = "largest WebSocket message; larger closes with 1009" },
	{ .name = "rate", .type = CFG_INT, .off = OFF(rate), .min = 0,
	  .max = 100000000, .def = "30", .arg = "N",
	  .help = "messages per minute per connection (error rate_limited);"
		  "\n0: no limit (load tests)" },
	{ .name = "burst", .type = CFG_INT, .off = OFF(burst), .min = 1,
	  .max = 1000000, .def = "10", .arg = "N",
	  .help = "messages a connection may send at once before --rate" },
	{ .name = "max-errors", .type = CFG_INT, .off = OFF(max_errors),
	  .min = 1, .max = 10000, .def = "20", .arg = "N",
	  .help = "consecutive errors before the connection is closed (1008)" },
	{ .name = "max-conns", .type = CFG_INT, .off = OFF(max_conns), .min = 1,
	  .max = 100000, .def = "1000", .arg = "N",
	  .help = "open WebSocket connections in all (HTTP 503 beyond)" },
	{ .name = "max-conns-per-ip", .type = CFG_INT,
	  .off = OFF(max_conns_per_ip), .min = 1, .max = 100000, .def = "20",
	  .arg = "N", .help = "open WebSocket connections per client address"
			      " (HTTP 429 beyond);\nTCP connections of any kind "
			      "per address: twice this" },
	{ .name = "ping", .type = CFG_INT, .off = OFF(ping_secs), .min = 1,
	  .max = 3600, .def = "30", .arg = "SECS",
	  .help = "ping a quiet client after this long; drop it if no pong\n"
		  "comes within as long again" },
	{ .name = "idle", .type = CFG_INT, .off = OFF(idle_secs), .min = 1,
	  .max = 86400, .def = "900", .arg = "SECS",
	  .help = "close a connection that sent nothing for this long (1000)" },
	{ .name = "header-timeout", .type = CFG_INT,
	  .off = OFF(header_timeout), .min = 1, .max = 300, .def = "10",
	  .arg = "SECS",
	  .help = "drop a connection whose request headers take longer" },
	{ .name = "log-level", .type = CFG_ENUM, .off = OFF(log_level),
	  .def = "info", .arg = "LEVEL", .help = "error, warn, info or debug",
	  .names = log_level_names },
	{ .name = "event-loop", .type = CFG_ENUM, .off = OFF(event_loop),
	  .def = "ev", .arg = "LOOP", .names = cfg_loop_names,
	  .help = "ev (libev, epoll) or poll; poll() scans every open\n"
		  "connection on each wake-up, so it slows as they grow" },
	{ .name = "fsync", .type = CFG_ENUM, .off = OFF(fsync), .def = "everysec",
	  .arg = "WHEN", .names = cfg_fsync_names,
	  .help = "when the journal is fsynced: always (before each answer),\n"
		  "everysec (a power failure loses at most about the last\n"
		  "second) or no (when the kernel writes it back)" },
};

#define CFG_NROWS (sizeof cfg_rows / sizeof cfg_rows[0])

static void
cfg_help(FILE *out)
{
	fprintf(out,
	    "usage: slated [options]\n"
	    "Serve Slate over WebSocket (/chat), the web/ files, /healthz and\n"
	    "/metrics on one port.  Signals: TERM/INT stop, HUP reloads the\n"
	    "knowledge and patterns (kept only if the conversation tests pass).\n\n");
	for (size_t i = 0; i < CFG_NROWS; i++) {
		const struct cfg_row *r = &cfg_rows[i];
		char head[48];
		const char *h = r->help;

		snprintf(head, sizeof head, "--%s%s%s", r->name,
		    r->arg ? " " : "", r->arg ? r->arg : "");
		fprintf(out, "  %-26s ", head);
		while (*h) {
			const char *nl = strchr(h, '\n');
			size_t n = nl ? (size_t)(nl - h) : strlen(h);

			fprintf(out, "%.*s", (int)n, h);
			h += n;
			if (*h == '\n') {
				h++;
				fprintf(out, "\n  %-26s ", "");
			}
		}
		if (r->def)
			fprintf(out, " [%s]", r->def);
		fputc('\n', out);
		if (r->sub)
			fprintf(out, "  %-26s [%s/ of the checkout run from, else "
			    "%s/%s]\n", "", r->sub, SLATE_DATADIR,
			    strchr(r->sub, '/') ? strchr(r->sub, '/') + 1 :
			    r->sub);
	}
	fprintf(out, "  %-26s show this help\n  %-26s print the version\n",
	    "--help", "--version");
}

static int
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int
is_checkout(const char *root)
{
	char a[PATH_MAX + 32], b[PATH_MAX + 32];

	snprintf(a, sizeof a, "%s/knowledge", root);
	snprintf(b, sizeof b, "%s/patterns", root);
	return is_dir(a) && is_dir(b);
}

/* Where the data lives when no flag says: the checkout we are run from
 * (the working directory; else, for an executable still in its build tree,
 * the checkout it was built from; else one found by walking up from the
 * executable), else the installed data directory.  A checkout's
 * conversation tests are under tests/, an installation's beside the rest. */
static void
cfg_find_root(char *root, size_t size, int *checkout)
{
	char exe[PATH_MAX];
	ssize_t n;

	*checkout = 1;
	if (is_checkout(".")) {
		snprintf(root, size, ".");
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
#if defined(SLATE_BUILD_DIR) && defined(SLATE_SOURCE_DIR)
		size_t bl = strlen(SLATE_BUILD_DIR);

		if (strncmp(exe, SLATE_BUILD_DIR, bl) == 0 && exe[bl] == '/' &&
		    is_checkout(SLATE_SOURCE_DIR)) {
			snprintf(root, size, "%s", SLATE_SOURCE_DIR);
			return;
		}
#endif
		for (int up = 0; up < 4; up++) {
			char *slash = strrchr(exe, '/'), probe[PATH_MAX + 32];

			if (slash == NULL || slash == exe)
				break;
			*slash = '\0';
			snprintf(probe, sizeof probe, "%s/daemon/server/slated.c", exe);
			if (is_checkout(exe) && access(probe, F_OK) == 0) {
				snprintf(root, size, "%s", exe);
				return;
			}
		}
	}
	*checkout = 0;
	snprintf(root, size, "%s", SLATE_DATADIR);
}

static char *
cfg_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", a, b);
	return p;
}


/* "--flag: want a, b or c, got "v"" from an enum row's names. */
static void
cfg_want(char *err, size_t errlen, const struct cfg_row *r, const char *v)
{
	size_t o;
	int i;

	o = (size_t)snprintf(err, errlen, "--%s: want", r->name);
	for (i = 0; r->names[i] && o < errlen; i++)
		o += (size_t)snprintf(err + o, errlen - o, "%s %s",
		    i == 0 ? "" : r->names[i + 1] ? "," : " or",
		    r->names[i]);
	if (o < errlen)
		snprintf(err + o, errlen - o, ", got \"%s\"", v);
}

static int
cfg_set(struct cfg *c, const struct cfg_row *r, const char *v, char *err,
    size_t errlen)
{
	char *base = (char *)c + r->off, *end;
	long n;

	switch (r->type) {
	case CFG_STR:
		free(*(char **)base);
		*(char **)base = xstrdup(v);
		return 0;
	case CFG_INT:
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < r->min || n > r->max) {
			snprintf(err, errlen, "--%s: want a whole number from "
			    "%ld to %ld, got \"%s\"", r->name, r->min, r->max, v);
			return -1;
		}
		*(int *)base = (int)n;
		return 0;
	case CFG_FLAG:
		*(int *)base = 1;
		return 0;
	case CFG_LIST:
		if (c->norigins == CFG_MAX_ORIGINS) {
			snprintf(err, errlen, "--%s: at most %d", r->name,
			    CFG_MAX_ORIGINS);
			return -1;
		}
		c->origins[c->norigins++] = xstrdup(v);
		return 0;
	case CFG_ENUM:
		for (n = 0; r->names[n]; n++)
			if (strcmp(v, r->names[n]) == 0) {
				*(int *)base = (int)n;
				return 0;
			}
		cfg_want(err, errlen, r, v);
		return -1;
	}
	return -1;
}

int
cfg_parse(struct cfg *c, int argc, char **argv, char *err, size_t errlen)
{
	char root[PATH_MAX];
	int checkout;

	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < CFG_NROWS; i++)
		if (cfg_rows[i].def &&
		    cfg_set(c, &cfg_rows[i], cfg_rows[i].def, err, errlen))
			return -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		const struct cfg_row *r = NULL;
		size_t nlen;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cfg_help(stdout);
			return 1;
		}
		if (strcmp(a, "--version") == 0) {
			printf("slated %s\n", SLATE_VERSION);
			return 1;
		}
		if (strncmp(a, "--", 2) != 0) {
			snprintf(err, errlen, "unexpected argument \"%s\" "
			    "(see --help)", a);
			return -1;
		}
		a += 2;
		eq = strchr(a, '=');
		nlen = eq ? (size_t)(eq - a) : strlen(a);
		for (size_t k = 0; k < CFG_NROWS; k++)
			if (strlen(cfg_rows[k].name) == nlen &&
			    strncmp(cfg_rows[k].name, a, nlen) == 0)
				r = &cfg_rows[k];
		if (r == NULL) {
			snprintf(err, errlen, "unknown flag --%.*s (see --help)",
			    (int)nlen, a);
			return -1;
		}
		if (r->type == CFG_FLAG) {
			if (eq) {
				snprintf(err, errlen, "--%s takes no value",
				    r->name);
				return -1;
			}
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			snprintf(err, errlen, "--%s needs a value", r->name);
			return -1;
		}
		if (cfg_set(c, r, val, err, errlen))
			return -1;
	}
	cfg_find_root(root, sizeof root, &checkout);
	if (c->knowledge == NULL)
		c->knowledge = cfg_join(root, "knowledge");
	if (c->patterns == NULL)
		c->patterns = cfg_join(root, "patterns");
	if (c->web == NULL)
		c->web = cfg_join(root, "web");
	if (c->conversations == NULL)
		c->conversations = cfg_join(root,
		    checkout ? "tests/conversations" : "conversations");
	return 0;
}

void
cfg_free(struct cfg *c)
{
	free(c->bind);
	free(c->knowledge);
	free(c->patterns);
	free(c->web);
	free(c->conversations);
	free(c->db);
	for (int i = 0; i < c->norigins; i++)
		free(c->origins[i]);
	memset(c, 0, sizeof *c);
}
