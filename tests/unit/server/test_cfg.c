/* test_cfg.c - slated's flags.  Exercises: the defaults of the table;
 * --flag value and --flag=value; whole numbers checked against their
 * bounds; enums by name (log level, event loop) and the message listing
 * the names; a repeatable list (--allow-origin) and its limit; flags
 * that take no value; unknown flags and stray arguments; --help and
 * --version stopping the parse (1); explicit data directories kept. */
#include <stdio.h>
#include <string.h>
#include "server/cfg.h"
#include "server/log.h"
#include "t.h"

/* Parse argv (NULL-terminated, without the program name). */
static int
parse(struct cfg *c, char *err, size_t errlen, const char *const *args)
{
	char *argv[40];
	int argc = 0;

	argv[argc++] = "slated";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	err[0] = '\0';
	return cfg_parse(c, argc, argv, err, errlen);
}

#define PARSE(c, err, ...) parse(c, err, sizeof err, \
	(const char *const[]){ __VA_ARGS__, NULL })

TEST_IMPL(cfg_defaults)
{
	struct cfg c;
	char err[256];

	ASSERT_OK(PARSE(&c, err, "--knowledge", "k", "--patterns", "p",
	    "--web", "w", "--conversations", "cv"));
	ASSERT_STR_EQ(c.bind, "127.0.0.1");
	ASSERT_EQ(c.port, 8080);
	ASSERT_STR_EQ(c.db, "slate.db");
	ASSERT_EQ(c.session_days, 30);
	ASSERT_EQ(c.no_transcripts, 0);
	ASSERT_EQ(c.history_max, 200);
	ASSERT_EQ(c.max_text, 2000);
	ASSERT_EQ(c.max_frame, 8192);
	ASSERT_EQ(c.rate, 30);
	ASSERT_EQ(c.burst, 10);
	ASSERT_EQ(c.max_errors, 20);
	ASSERT_EQ(c.max_conns, 1000);
	ASSERT_EQ(c.max_conns_per_ip, 20);
	ASSERT_EQ(c.ping_secs, 30);
	ASSERT_EQ(c.idle_secs, 900);
	ASSERT_EQ(c.header_timeout, 10);
	ASSERT_EQ(c.log_level, LOG_INFO);
	ASSERT_EQ(c.event_loop, CFG_LOOP_EV);
	ASSERT_EQ(c.norigins, 0);
	ASSERT_STR_EQ(c.knowledge, "k");
	ASSERT_STR_EQ(c.patterns, "p");
	ASSERT_STR_EQ(c.web, "w");
	ASSERT_STR_EQ(c.conversations, "cv");
	cfg_free(&c);
}

/* Run from the checkout (the tests' working directory), the data
 * directories default to its own. */
TEST_IMPL(cfg_checkout_dirs)
{
	struct cfg c;
	char err[256];

	ASSERT_OK(PARSE(&c, err, "--port", "9000"));
	ASSERT_STR_HAS(c.knowledge, "knowledge");
	ASSERT_STR_HAS(c.patterns, "patterns");
	ASSERT_STR_HAS(c.conversations, "tests/conversations");
	cfg_free(&c);
}

TEST_IMPL(cfg_values)
{
	struct cfg c;
	char err[256];

	ASSERT_OK(PARSE(&c, err, "--port=9001", "--bind", "0.0.0.0",
	    "--no-transcripts", "--rate", "0", "--log-level", "debug",
	    "--event-loop=poll", "--max-frame", "256", "--db", "/tmp/x.db"));
	ASSERT_EQ(c.port, 9001);
	ASSERT_STR_EQ(c.bind, "0.0.0.0");
	ASSERT_EQ(c.no_transcripts, 1);
	ASSERT_EQ(c.rate, 0);
	ASSERT_EQ(c.log_level, LOG_DEBUG);
	ASSERT_EQ(c.event_loop, CFG_LOOP_POLL);
	ASSERT_EQ(c.max_frame, 256);
	ASSERT_STR_EQ(c.db, "/tmp/x.db");
	cfg_free(&c);
}

TEST_IMPL(cfg_bounds)
{
	struct cfg c;
	char err[256];

	ASSERT_EQ(PARSE(&c, err, "--port", "0"), -1);
	ASSERT_STR_EQ(err, "--port: want a whole number from 1 to 65535, got "
	    "\"0\"");
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--port", "65536"), -1);
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--port", "80x"), -1);
	ASSERT_STR_HAS(err, "got \"80x\"");
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--port="), -1);
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--max-frame", "255"), -1);
	ASSERT_STR_HAS(err, "from 256 to 1048576");
	cfg_free(&c);
	ASSERT_OK(PARSE(&c, err, "--port", "65535"));
	ASSERT_EQ(c.port, 65535);
	cfg_free(&c);
}

TEST_IMPL(cfg_enum_names)
{
	struct cfg c;
	char err[256];

	ASSERT_EQ(PARSE(&c, err, "--log-level", "loud"), -1);
	ASSERT_STR_EQ(err, "--log-level: want error, warn, info or debug, got "
	    "\"loud\"");
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--event-loop", "uv"), -1);
	ASSERT_STR_EQ(err, "--event-loop: want ev or poll, got \"uv\"");
	cfg_free(&c);
}

TEST_IMPL(cfg_origin_list)
{
	struct cfg c;
	char err[256];
	const char *args[2 * CFG_MAX_ORIGINS + 3];
	int n = 0;

	ASSERT_OK(PARSE(&c, err, "--allow-origin", "https://a.example",
	    "--allow-origin=https://b.example"));
	ASSERT_EQ(c.norigins, 2);
	ASSERT_STR_EQ(c.origins[0], "https://a.example");
	ASSERT_STR_EQ(c.origins[1], "https://b.example");
	cfg_free(&c);
	for (int i = 0; i <= CFG_MAX_ORIGINS; i++) {
		args[n++] = "--allow-origin";
		args[n++] = "https://x.example";
	}
	args[n] = NULL;
	ASSERT_EQ(parse(&c, err, sizeof err, args), -1);
	ASSERT_STR_EQ(err, "--allow-origin: at most 16");
	cfg_free(&c);
}

TEST_IMPL(cfg_bad_usage)
{
	struct cfg c;
	char err[256];

	ASSERT_EQ(PARSE(&c, err, "--colour"), -1);
	ASSERT_STR_EQ(err, "unknown flag --colour (see --help)");
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--po", "1"), -1);
	ASSERT_STR_EQ(err, "unknown flag --po (see --help)");
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "port"), -1);
	ASSERT_STR_EQ(err, "unexpected argument \"port\" (see --help)");
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--no-transcripts=1"), -1);
	ASSERT_STR_EQ(err, "--no-transcripts takes no value");
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--port"), -1);
	ASSERT_STR_EQ(err, "--port needs a value");
	cfg_free(&c);
}

TEST_IMPL(cfg_help_version)
{
	struct cfg c;
	char err[256];

	/* their text goes to stdout; the parse stops with 1 */
	ASSERT_EQ(PARSE(&c, err, "--version"), 1);
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "--port", "1", "--help", "--colour"), 1);
	cfg_free(&c);
	ASSERT_EQ(PARSE(&c, err, "-h"), 1);
	cfg_free(&c);
}

TEST_LIST(
	TEST_ENTRY(cfg_defaults)
	TEST_ENTRY(cfg_checkout_dirs)
	TEST_ENTRY(cfg_values)
	TEST_ENTRY(cfg_bounds)
	TEST_ENTRY(cfg_enum_names)
	TEST_ENTRY(cfg_origin_list)
	TEST_ENTRY(cfg_bad_usage)
	TEST_ENTRY(cfg_help_version)
)
