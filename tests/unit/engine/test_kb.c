/* test_kb.c - knowledge loading.
 * Exercises: the shipped knowledge base loads with every role complete;
 * broken copies (JSON syntax, missing field, unknown source, unknown role
 * link, id not matching the file) fail with file:line; FTS5 search; the
 * version hash changes with the content. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine/kb.h"
#include "t.h"

static const char *sources =
    "{\"sources\": [{\"id\": \"S1\", \"kind\": \"seed\", \"title\": \"t\"}]}\n";

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

static struct kb *
load(const char *dir, char *err, size_t len)
{
	return kb_load(dir, err, len);
}

int
main(void)
{
	char dir[] = "/tmp/slate-test-XXXXXX", rdir[600], err[1024];
	char v1[32];
	struct kb *kb;
	struct kb_hit hits[4];
	const char *credit = "\"credit\": {\"text\": \"cr\", \"sources\": "
	    "[\"S1\"]},";
	int i;

	kb = kb_load("knowledge", err, sizeof err);
	CHECK(kb != NULL);
	if (kb == NULL)
		fprintf(stderr, "%s\n", err);
	if (kb) {
		CHECK(kb_nroles(kb) >= 8);
		for (i = 0; i < kb_nroles(kb); i++) {
			const struct kb_role *r = kb_role(kb, i);

			CHECK(r->definition.text && r->duties.nitems > 0 &&
			    r->hierarchy.text && r->credit.text &&
			    r->career.text);
			CHECK(r->definition.nsrc > 0);
		}
		CHECK(kb_find_role(kb, "co-producer") >= 0);
		CHECK(kb_find_role(kb, "gaffer") == -1);
		CHECK(kb_search(kb, "who books session musicians and studio "
		    "time", hits, 4) > 0);
		/* FTS5 query syntax and SQL quoting in a question are not
		 * read as such: the same words with them find the same hits */
		{
			struct kb_hit plain[4];
			int np = kb_search(kb, "who books session musicians "
			    "and studio time", plain, 4);

			CHECK(np > 0);
			CHECK(kb_search(kb, "\"who\" books session* (musicians)"
			    " AND 'studio'; time --", hits, 4) == np);
			for (i = 0; i < np; i++)
				CHECK(hits[i].role == plain[i].role &&
				    hits[i].topic == plain[i].topic &&
				    strcmp(hits[i].field, plain[i].field) == 0);
		}
		CHECK(kb_search(kb, "", hits, 4) == 0);
		/* the scores computed at load are FTS5's bm25, term by term */
		err[0] = '\0';
		CHECK(kb_check_postings(kb, err, sizeof err) == 0);
		if (err[0])
			fprintf(stderr, "%s\n", err);
		kb_free(kb);
	}

	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(rdir, sizeof rdir, "%s/roles", dir);
	if (mkdir(rdir, 0700) != 0)
		return 2;
	t_file(dir, "sources.json", sources);
	t_file(rdir, "boss.json", role("boss", credit, "S1", "worker"));
	t_file(rdir, "worker.json", role("worker", credit, "S1", "boss"));
	kb = load(dir, err, sizeof err);
	CHECK(kb != NULL);
	if (kb) {
		snprintf(v1, sizeof v1, "%s", kb_version(kb));
		CHECK(strncmp(v1, "kb-", 3) == 0);
		kb_free(kb);
	}

	/* missing credit: named, with the file */
	t_file(rdir, "worker.json", role("worker", "", "S1", "boss"));
	CHECK(load(dir, err, sizeof err) == NULL);
	CHECK(strstr(err, "worker.json:") != NULL &&
	    strstr(err, "credit") != NULL);

	/* unknown source: the line of the citing entry */
	t_file(rdir, "worker.json", role("worker", credit, "S9", "boss"));
	CHECK(load(dir, err, sizeof err) == NULL);
	CHECK(strstr(err, "worker.json:4:") != NULL);
	CHECK(strstr(err, "S9") != NULL);

	/* a link to a role that does not exist */
	t_file(rdir, "worker.json", role("worker", credit, "S1", "nobody"));
	CHECK(load(dir, err, sizeof err) == NULL);
	CHECK(strstr(err, "worker.json:6:") != NULL &&
	    strstr(err, "nobody") != NULL);

	/* JSON syntax error: jansson's line */
	t_file(rdir, "worker.json", "{\n  \"id\": \"worker\",\n  oops\n}\n");
	CHECK(load(dir, err, sizeof err) == NULL);
	CHECK(strstr(err, "worker.json:3:") != NULL);

	/* id and file name disagree */
	t_file(rdir, "worker.json", role("other", credit, "S1", "boss"));
	CHECK(load(dir, err, sizeof err) == NULL);
	CHECK(strstr(err, "match the file name") != NULL);

	/* content change -> version change */
	t_file(rdir, "worker.json", role("worker", credit, "S1", ""));
	CHECK(load(dir, err, sizeof err) == NULL);  /* "" is no role */
	t_file(rdir, "worker.json", role("worker", "\"credit\": {\"text\": "
	    "\"other\", \"sources\": [\"S1\"]},", "S1", "boss"));
	kb = load(dir, err, sizeof err);
	CHECK(kb != NULL);
	if (kb) {
		CHECK(strcmp(v1, kb_version(kb)) != 0);
		kb_free(kb);
	}
	CHECK(kb_load("/nonexistent", err, sizeof err) == NULL);
	T_DONE();
}
