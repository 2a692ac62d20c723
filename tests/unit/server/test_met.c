/* test_met.c - the counters and their Prometheus rendering.  Exercises:
 * every series present from the start, at zero, with its HELP and TYPE;
 * messages, errors and refusals counted under their wire.h names; replies
 * by kind and intent, an intent the engine lacks as "other" and none as
 * "none", fallbacks summed; the latency histogram cumulative over its
 * buckets; reloads, store errors and retired regex limit hits; process_*
 * gauges only when known; a long knowledge version rendered whole. */
#include <stdlib.h>
#include <string.h>
#include "server/met.h"
#include "t.h"

static char *
render(const struct met_gauges *g)
{
	size_t len = 0;
	char *s = met_render(g, &len);

	ASSERT_NOT_NULL(s);
	ASSERT_EQ(strlen(s), len);
	return s;
}

static const struct met_gauges gauges = { .uptime = 12, .conns = 3,
	.sessions = 7, .store_queue = 2, .version = "kb-1", .open_fds = -1,
	.rss_bytes = -1 };

TEST_IMPL(met_zero)
{
	char *s = render(&gauges);

	ASSERT_STR_HAS(s, "# HELP slated_uptime_seconds Seconds since start.\n"
	    "# TYPE slated_uptime_seconds gauge\nslated_uptime_seconds 12\n");
	ASSERT_STR_HAS(s, "slated_knowledge_info{version=\"kb-1\"} 1\n");
	ASSERT_STR_HAS(s, "slated_connections_open 3\n");
	ASSERT_STR_HAS(s, "slated_connections_total 0\n");
	ASSERT_STR_HAS(s, "slated_connections_refused_total{reason=\"origin\"} "
	    "0\n");
	ASSERT_STR_HAS(s, "slated_connections_refused_total{reason=\"other\"} "
	    "0\n");
	ASSERT_STR_HAS(s, "slated_messages_total{type=\"hello\"} 0\n");
	ASSERT_STR_HAS(s, "slated_errors_total{code=\"shutting_down\"} 0\n");
	ASSERT_STR_HAS(s, "slated_fallbacks_total 0\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_bucket{le=\"+Inf\"} 0\n");
	ASSERT_STR_HAS(s, "slated_sessions_stored 7\n");
	ASSERT_STR_HAS(s, "slated_store_queue 2\n");
	ASSERT_STR_HAS(s, "slated_reloads_total{result=\"failed\"} 0\n");
	/* unknown: not rendered at all */
	ASSERT_STR_LACKS(s, "process_open_fds");
	ASSERT_STR_LACKS(s, "process_resident_memory_bytes");
	/* only the fallback row of each intent when nothing was answered */
	ASSERT_STR_LACKS(s, "kind=\"answer\"");
	ASSERT_STR_HAS(s, "slated_replies_total{kind=\"fallback\","
	    "intent=\"none\"} 0\n");
	free(s);
}

TEST_IMPL(met_counts_by_name)
{
	char *s;

	met_conn(1);
	met_conn(1);
	met_conn(0);
	met_message(WIRE_ASK);
	met_message(WIRE_ASK);
	met_message(WIRE_OTHER);
	met_error(WIRE_E_TOO_LONG);
	met_refused(WIRE_R_TCP_PER_IP);
	met_refused(WIRE_R_SHUTTING_DOWN);
	met_refused((enum wire_refusal)99);
	s = render(&gauges);
	ASSERT_STR_HAS(s, "slated_connections_total 2\n");
	ASSERT_STR_HAS(s, "slated_messages_total{type=\"ask\"} 2\n");
	ASSERT_STR_HAS(s, "slated_messages_total{type=\"other\"} 1\n");
	ASSERT_STR_HAS(s, "slated_messages_total{type=\"hello\"} 0\n");
	ASSERT_STR_HAS(s, "slated_errors_total{code=\"too_long\"} 1\n");
	ASSERT_STR_HAS(s, "slated_connections_refused_total{reason="
	    "\"tcp_per_ip\"} 1\n");
	ASSERT_STR_HAS(s, "slated_connections_refused_total{reason="
	    "\"shutting_down\"} 1\n");
	ASSERT_STR_HAS(s, "slated_connections_refused_total{reason=\"other\"} "
	    "1\n");
	free(s);
}

TEST_IMPL(met_replies_and_latency)
{
	char *s;

	met_reply(ENG_ANSWER, "duties", 0.0004);
	met_reply(ENG_ANSWER, "duties", 0.003);
	met_reply(ENG_ANSWER, "no-such-intent", 0.2);
	met_reply(ENG_FALLBACK, NULL, 3.0);
	met_reply(ENG_FALLBACK, NULL, 0.001);
	s = render(&gauges);
	ASSERT_STR_HAS(s, "slated_replies_total{kind=\"answer\","
	    "intent=\"duties\"} 2\n");
	ASSERT_STR_HAS(s, "slated_replies_total{kind=\"answer\","
	    "intent=\"other\"} 1\n");
	ASSERT_STR_HAS(s, "slated_replies_total{kind=\"fallback\","
	    "intent=\"none\"} 2\n");
	ASSERT_STR_HAS(s, "slated_fallbacks_total 2\n");
	/* cumulative: le 0.001 holds 0.0004 and 0.001 */
	ASSERT_STR_HAS(s, "slated_reply_seconds_bucket{le=\"0.0005\"} 1\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_bucket{le=\"0.001\"} 2\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_bucket{le=\"0.005\"} 3\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_bucket{le=\"0.25\"} 4\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_bucket{le=\"2.5\"} 4\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_bucket{le=\"+Inf\"} 5\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_count 5\n");
	ASSERT_STR_HAS(s, "slated_reply_seconds_sum 3.204400\n");
	free(s);
}

TEST_IMPL(met_reloads_store_regex)
{
	struct met_gauges g = gauges;
	char *s;

	met_reload(1);
	met_reload(0);
	met_reload(0);
	met_store_error();
	met_regex_carry(5);
	g.regex_limit_hits = 2;
	g.open_fds = 9;
	g.rss_bytes = 4096;
	s = render(&g);
	ASSERT_STR_HAS(s, "slated_reloads_total{result=\"ok\"} 1\n"
	    "slated_reloads_total{result=\"failed\"} 2\n");
	ASSERT_STR_HAS(s, "slated_store_errors_total 1\n");
	ASSERT_STR_HAS(s, "slated_regex_limit_hits_total 7\n");
	ASSERT_STR_HAS(s, "# TYPE process_open_fds gauge\nprocess_open_fds 9\n");
	ASSERT_STR_HAS(s, "process_resident_memory_bytes 4096\n");
	free(s);
}

TEST_IMPL(met_long_version)
{
	struct met_gauges g = gauges;
	char version[600], want[700];
	char *s;

	memset(version, 'v', sizeof version - 1);
	version[sizeof version - 1] = '\0';
	g.version = version;
	snprintf(want, sizeof want, "slated_knowledge_info{version=\"%s\"} 1\n",
	    version);
	s = render(&g);
	ASSERT_STR_HAS(s, want);
	ASSERT_STR_HAS(s, "slated_store_queue 2\n");
	free(s);
}

TEST_LIST(
	TEST_ENTRY(met_zero)
	TEST_ENTRY(met_counts_by_name)
	TEST_ENTRY(met_replies_and_latency)
	TEST_ENTRY(met_reloads_store_regex)
	TEST_ENTRY(met_long_version)
)
