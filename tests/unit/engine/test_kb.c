/* test_kb.c - knowledge loading.
 * Exercises: the shipped knowledge base loads with every role complete;
 * broken copies (JSON syntax, missing field, unknown source, unknown role
 * link, id not matching the file) fail with file:line; the version hash
 * changes with the content; the role-field and variation name tables. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine/kb.h"
#include "t.h"

static const char *sources =
    "{\"sources\": [{\"id\": \"S1\", \"kind\": \"seed\", \"title\": \"t\"}]}\n";
static const char *credit = "\"credit\": {\"text\": \"cr\", \"sources\": "
    "[\"S1\"]},";
static char dir[64], rdir[600], err[1024];

/* A role file: id, extra fields, the definition's source, reports_to. */
static const char *
role(const char *id, const char *extra, const char *src, const char *link)
{
	static char buf[4096];

	snprintf(buf, sizeof buf,
	    "{\n"
	    "  \"id\": \"%s\", \"name\": \"%s\", \"title\": \"T\",\n"
	    "  \"article\": \"a\", \"level\": 2,\n"
	    "  \"definition\": {\"text\": \"d\", \"sources\": [\"%s\"]},\n"
	    "  \"duties\": {\"items\": [\"budgets and schedules\"], "
	    "\"sources\": [\"S1\"]},\n"
	    "  \"hierarchy\": {\"reports_to\": [\"%s\"], \"text\": \"h\", "
	    "\"sources\": [\"S1\"]},\n"
	    "  \"traits\": {\"authority\": {\"text\": \"a\", \"sources\": "
	    "[\"S1\"]}, \"involvement\": {\"text\": \"i\", \"sources\": "
	    "[\"S1\"]}, \"focus\": {\"text\": \"f\", \"sources\": [\"S1\"]}},\n"
	    "  %s\n"
	    "  \"career\": {\"text\": \"c\", \"steps\": [\"s\"], \"sources\": "
	    "[\"S1\"]}\n"
	    "}\n", id, id, src, link, extra);
	return buf;
}

/* A temporary knowledge directory with a boss and a worker, each
 * reporting to the other. */
static void
two_roles(void)
{
	snprintf(dir, sizeof dir, "/tmp/slate-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	snprintf(rdir, sizeof rdir, "%s/roles", dir);
	if (mkdir(rdir, 0700) != 0)
		exit(2);
	t_file(dir, "sources.json", sources);
	t_file(rdir, "boss.json", role("boss", credit, "S1", "worker"));
	t_file(rdir, "worker.json", role("worker", credit, "S1", "boss"));
}

TEST_IMPL(kb_shipped_roles_complete)
{
	struct kb *kb = kb_load("knowledge", err, sizeof err);
	int i;

	ASSERT_NOT_NULL(kb);
	if (kb == NULL) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	ASSERT_GE(kb_nroles(kb), 8);
	for (i = 0; i < kb_nroles(kb); i++) {
		const struct kb_role *r = kb_role(kb, i);

		ASSERT(r->definition.text && r->duties.nitems > 0 &&
		    r->hierarchy.text && r->credit.text && r->career.text);
		ASSERT_GT(r->definition.nsrc, 0);
	}
	ASSERT_GE(kb_find_role(kb, "co-producer"), 0);
	ASSERT_EQ(kb_find_role(kb, "gaffer"), -1);
	kb_free(kb);
}

TEST_IMPL(kb_field_and_variation_names)
{
	struct kb *kb = kb_load("knowledge", err, sizeof err);
	const struct kb_role *r;

	ASSERT_STR_EQ(kb_field_name(KB_DEFINITION), "definition");
	ASSERT_STR_EQ(kb_field_name(KB_PAY), "pay");
	ASSERT_STR_EQ(kb_var_name(KB_THEATER), "theater");
	ASSERT_EQ(kb_var_find("international"), KB_INTERNATIONAL);
	ASSERT_EQ(kb_var_find("opera"), -1);
	ASSERT_NOT_NULL(kb);
	if (kb == NULL)
		return;
	r = kb_role(kb, kb_find_role(kb, "co-producer"));
	ASSERT(kb_field(r, KB_CREDIT) == &r->credit);
	ASSERT(kb_field(r, KB_DUTIES) == &r->duties);
	kb_free(kb);
}

TEST_IMPL(kb_loads_and_versions)
{
	struct kb *kb;
	char v1[32];

	two_roles();
	kb = kb_load(dir, err, sizeof err);
	ASSERT_NOT_NULL(kb);
	if (kb == NULL)
		return;
	snprintf(v1, sizeof v1, "%s", kb_version(kb));
	ASSERT_EQ(strncmp(v1, "kb-", 3), 0);
	kb_free(kb);
	/* content change -> version change */
	t_file(rdir, "worker.json", role("worker", "\"credit\": {\"text\": "
	    "\"other\", \"sources\": [\"S1\"]},", "S1", "boss"));
	kb = kb_load(dir, err, sizeof err);
	ASSERT_NOT_NULL(kb);
	if (kb) {
		ASSERT(strcmp(v1, kb_version(kb)) != 0);
		kb_free(kb);
	}
}

TEST_IMPL(kb_missing_field_named)
{
	two_roles();
	t_file(rdir, "worker.json", role("worker", "", "S1", "boss"));
	ASSERT_NULL(kb_load(dir, err, sizeof err));
	ASSERT_STR_HAS(err, "worker.json:");
	ASSERT_STR_HAS(err, "credit");
}

TEST_IMPL(kb_unknown_source_line)
{
	two_roles();
	t_file(rdir, "worker.json", role("worker", credit, "S9", "boss"));
	ASSERT_NULL(kb_load(dir, err, sizeof err));
	ASSERT_STR_HAS(err, "worker.json:4:");
	ASSERT_STR_HAS(err, "S9");
}

TEST_IMPL(kb_unknown_role_link_line)
{
	two_roles();
	t_file(rdir, "worker.json", role("worker", credit, "S1", "nobody"));
	ASSERT_NULL(kb_load(dir, err, sizeof err));
	ASSERT_STR_HAS(err, "worker.json:6:");
	ASSERT_STR_HAS(err, "nobody");
	/* "" is no role either */
	t_file(rdir, "worker.json", role("worker", credit, "S1", ""));
	ASSERT_NULL(kb_load(dir, err, sizeof err));
}

TEST_IMPL(kb_json_syntax_line)
{
	two_roles();
	t_file(rdir, "worker.json", "{\n  \"id\": \"worker\",\n  oops\n}\n");
	ASSERT_NULL(kb_load(dir, err, sizeof err));
	ASSERT_STR_HAS(err, "worker.json:3:");
}

TEST_IMPL(kb_id_must_match_file)
{
	two_roles();
	t_file(rdir, "worker.json", role("other", credit, "S1", "boss"));
	ASSERT_NULL(kb_load(dir, err, sizeof err));
	ASSERT_STR_HAS(err, "match the file name");
}

TEST_IMPL(kb_missing_directory)
{
	ASSERT_NULL(kb_load("/nonexistent", err, sizeof err));
}

TEST_LIST(
	TEST_ENTRY(kb_shipped_roles_complete)
	TEST_ENTRY(kb_field_and_variation_names)
	TEST_ENTRY(kb_loads_and_versions)
	TEST_ENTRY(kb_missing_field_named)
	TEST_ENTRY(kb_unknown_source_line)
	TEST_ENTRY(kb_unknown_role_link_line)
	TEST_ENTRY(kb_json_syntax_line)
	TEST_ENTRY(kb_id_must_match_file)
	TEST_ENTRY(kb_missing_directory)
)
