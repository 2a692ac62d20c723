/* test_lex.c - typo correction against the domain lexicon.
 * Exercises: corrections of domain words only, keep words untouched, the
 * short-word rule, no room to grow, and lexicon files refused with
 * file:line. */
#include <stdlib.h>
#include <unistd.h>
#include "engine/lex.h"
#include "t.h"

static char dir[] = "/tmp/slate-test-XXXXXX", err[512];

/* A small lexicon in a fresh directory. */
static struct lex *
small(void)
{
	struct lex *lx;

	snprintf(dir, sizeof dir, "/tmp/slate-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	lx = lex_load(t_file(dir, "lex.txt", "# c\n[domain]\nproducer\n"
	    "associate\nexecutive\nline\n[keep]\nproduced\nlike\n"), err,
	    sizeof err);
	ASSERT_NOT_NULL(lx);
	return lx;
}

TEST_IMPL(lex_corrects_domain_words)
{
	struct eng_corr corr[4];
	struct lex *lx = small();
	char buf[256];

	if (lx == NULL)
		return;
	ASSERT_EQ(lex_nwords(lx), 6);
	strcpy(buf, "an assosiate prodcuer");
	ASSERT_EQ(lex_correct(lx, buf, sizeof buf, corr, 4), 2);
	ASSERT_STR_EQ(buf, "an associate producer");
	ASSERT_STR_EQ(corr[0].from, "assosiate");
	ASSERT_STR_EQ(corr[0].to, "associate");
	strcpy(buf, "they produced it, like a line");
	ASSERT_EQ(lex_correct(lx, buf, sizeof buf, corr, 4), 0);
	ASSERT_STR_EQ(buf, "they produced it, like a line");
	lex_free(lx);
}

TEST_IMPL(lex_short_words)
{
	struct eng_corr corr[4];
	struct lex *lx = small();
	char buf[256];

	if (lx == NULL)
		return;
	strcpy(buf, "a lin producer");
	ASSERT_EQ(lex_correct(lx, buf, sizeof buf, corr, 4), 1);
	ASSERT_STR_EQ(buf, "a line producer");
	/* short words are left alone unless they modify "producer" */
	strcpy(buf, "a lin of text");
	ASSERT_EQ(lex_correct(lx, buf, sizeof buf, corr, 4), 0);
	/* no room to grow: left alone rather than truncated */
	strcpy(buf, "lin producer");
	ASSERT_EQ(lex_correct(lx, buf, 13, corr, 4), 0);
	lex_free(lx);
}

TEST_IMPL(lex_bad_files)
{
	snprintf(dir, sizeof dir, "/tmp/slate-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(2);
	ASSERT_NULL(lex_load(t_file(dir, "bad.txt", "[domain]\nTwo Words\n"),
	    err, sizeof err));
	ASSERT_STR_HAS(err, "bad.txt:2:");
	ASSERT_NULL(lex_load(t_file(dir, "none.txt", "word\n"), err,
	    sizeof err));
	ASSERT_NULL(lex_load(t_file(dir, "empty.txt", ""), err, sizeof err));
}

TEST_LIST(
	TEST_ENTRY(lex_corrects_domain_words)
	TEST_ENTRY(lex_short_words)
	TEST_ENTRY(lex_bad_files)
)
