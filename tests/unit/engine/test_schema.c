/* test_schema.c - the knowledge schema and its checks.
 * Exercises: the schema's role keys agree with the loader's field and
 * variation tables; knowledge/README.md shows what schema_doc() prints;
 * a broken copy reports every mistake of every file in one run (unknown
 * keys with did-you-mean, "pay " with a trailing space, a variation keyed
 * "theatre", a bad article, an unknown role and source, a wrong intent);
 * the shipped knowledge passes; diag keeps 100 lines and counts the rest. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "engine/diag.h"
#include "engine/kb.h"
#include "engine/kcheck.h"
#include "engine/schema.h"
#include "common/file.h"
#include "t.h"

static char err[16384];

TEST_IMPL(schema_agrees_with_loader_tables)
{
	const struct schema_obj *role = schema_root(SCHEMA_ROLE_FILE);
	const struct schema_key *k, *vars;
	int f, v;

	for (f = 0; f < KB_NFIELD; f++) {
		k = schema_key(role, kb_field_name(f));
		ASSERT_NOT_NULL(k);
		if (k == NULL)
			continue;
		ASSERT_EQ(k->type, SCHEMA_OBJ);
		/* pay is the one optional answer field */
		ASSERT_EQ(k->required, f != KB_PAY);
	}
	vars = schema_key(role, "variations");
	ASSERT_NOT_NULL(vars);
	if (vars == NULL)
		return;
	ASSERT_EQ(vars->obj->nkeys, KB_NVAR);
	for (v = 0; v < KB_NVAR && v < vars->obj->nkeys; v++)
		ASSERT_STR_EQ(vars->obj->keys[v].name, kb_var_name(v));
}

TEST_IMPL(schema_readme_is_generated)
{
	char *readme, *doc = NULL, *b, *e;
	size_t len, dlen = 0;
	FILE *out = open_memstream(&doc, &dlen);

	schema_doc(out);
	fclose(out);
	readme = file_read("knowledge/README.md", 1 << 20, &len);
	ASSERT_NOT_NULL(readme);
	if (readme == NULL)
		return;
	b = strstr(readme, "<!-- schema: begin (slate schema) -->\n");
	e = b ? strstr(b, "<!-- schema: end -->") : NULL;
	ASSERT(b != NULL && e != NULL);
	if (b && e) {
		b += strlen("<!-- schema: begin (slate schema) -->\n");
		*e = '\0';
		if (strcmp(b, doc) != 0)
			T_FAIL("knowledge/README.md's schema differs from "
			    "`slate schema`: paste its output between the "
			    "markers");
	}
	free(readme);
	free(doc);
}

TEST_IMPL(schema_shipped_passes)
{
	ASSERT_EQ(kcheck_dir("knowledge", err, sizeof err), 0);
	ASSERT_STR_EQ(err, "");
}

/* A copy of the shipped knowledge with sed-like edits: (file, from, to). */
static const char *
broken_copy(void)
{
	static char dir[64];
	char cmd[2048];

	snprintf(dir, sizeof dir, "/tmp/slate-schema-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	snprintf(cmd, sizeof cmd, "cp -r knowledge/. %s/ && cd %s && "
	    "sed -i '0,/\"pay\":/s//\"pay \":/' roles/producer.json && "
	    "sed -i '0,/\"theater\":/s//\"theatre\":/' roles/co-producer.json && "
	    "sed -i '0,/\"article\": \"a\"/s//\"article\": \"the\", \"notes\": "
	    "\"x\", \"artcle\": \"a\"/' roles/co-producer.json && "
	    "sed -i '0,/\"associate-producer\"/s//\"asociate-producer\"/' "
	    "roles/producer.json && "
	    "sed -i '0,/\"S1\"/s//\"S404\"/' roles/line-producer.json && "
	    "sed -i '0,/\"intent\": \"credit\"/s//\"intent\": \"credits\"/' "
	    "topics.json", dir, dir);
	if (system(cmd) != 0)
		exit(2);
	return dir;
}

TEST_IMPL(schema_every_error_in_one_run)
{
	const char *dir = broken_copy();

	ASSERT_EQ(kcheck_dir(dir, err, sizeof err), 8);
	ASSERT_STR_HAS(err, "producer.json:");
	ASSERT_STR_HAS(err, "unknown key \"pay \" in a role; did you mean "
	    "\"pay\"?");
	ASSERT_STR_HAS(err, "unknown key \"theatre\" in the variations; did "
	    "you mean \"theater\"?");
	ASSERT_STR_HAS(err, "unknown key \"artcle\" in a role; did you mean "
	    "\"article\"?");
	ASSERT_STR_HAS(err, "unknown key \"notes\" in a role (it may have id,");
	ASSERT_STR_HAS(err, "\"article\" is \"the\": it must be a or an");
	ASSERT_STR_HAS(err, "names unknown role asociate-producer; did you "
	    "mean associate-producer?");
	ASSERT_STR_HAS(err, "line-producer.json:");
	ASSERT_STR_HAS(err, "cites unknown source S404");
	ASSERT_STR_HAS(err, "topics.json:");
	ASSERT_STR_HAS(err, "did you mean credit?");
	/* the loader refuses it with the same lines */
	ASSERT_NULL(kb_load(dir, err, sizeof err));
	ASSERT_STR_HAS(err, "did you mean \"theater\"?");
	ASSERT_STR_HAS(err, "S404");
}

TEST_IMPL(schema_line_points_at_key)
{
	const char *dir = broken_copy();
	char want[128];
	FILE *p;
	int line = 0;

	snprintf(want, sizeof want, "grep -n '\"theatre\"' %s/roles/"
	    "co-producer.json | cut -d: -f1", dir);
	p = popen(want, "r");
	if (p == NULL || fscanf(p, "%d", &line) != 1)
		exit(2);
	pclose(p);
	kcheck_dir(dir, err, sizeof err);
	snprintf(want, sizeof want, "co-producer.json:%d: unknown key "
	    "\"theatre\"", line);
	ASSERT_STR_HAS(err, want);
}

TEST_IMPL(diag_keeps_a_hundred_lines)
{
	static char buf[65536];
	struct diag d;
	int i, lines = 0;
	char *p;

	diag_init(&d, buf, sizeof buf);
	for (i = 0; i < 150; i++)
		diag_err(&d, "f.json", i + 1, "error %d", i);
	diag_warn(&d, "f.txt", 3, "a warning");
	ASSERT_EQ(d.nerr, 150);
	ASSERT_EQ(d.nwarn, 1);
	for (p = buf; *p; p++)
		lines += *p == '\n';
	ASSERT_EQ(lines + 1, DIAG_MAX + 1);
	ASSERT_STR_HAS(buf, "f.json:100: error 99");
	ASSERT_STR_LACKS(buf, "f.json:101:");
	ASSERT_STR_HAS(buf, "(more messages not shown)");
	/* a small buffer truncates, never overflows */
	diag_init(&d, buf, 16);
	diag_err(&d, "long/path/file.json", 7, "%s", "much too long a message");
	ASSERT_LT(strlen(buf), 16);
}

TEST_IMPL(diag_near_misses)
{
	static const char *const keys[] = { "pay", "article", "theater", "tv" };

	ASSERT_STR_EQ(diag_near("pay ", keys, 4), "pay");
	ASSERT_STR_EQ(diag_near("artcle", keys, 4), "article");
	ASSERT_STR_EQ(diag_near("theatre", keys, 4), "theater");
	ASSERT_NULL(diag_near("notes", keys, 4));
	ASSERT_NULL(diag_near("pay", keys, 4));
}

TEST_LIST(
	TEST_ENTRY(schema_agrees_with_loader_tables)
	TEST_ENTRY(schema_readme_is_generated)
	TEST_ENTRY(schema_shipped_passes)
	TEST_ENTRY(schema_every_error_in_one_run)
	TEST_ENTRY(schema_line_points_at_key)
	TEST_ENTRY(diag_keeps_a_hundred_lines)
	TEST_ENTRY(diag_near_misses)
)
