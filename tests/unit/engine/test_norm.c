/* test_norm.c - normalisation and typo correction.
 * Exercises: case folding, Unicode punctuation and accents, invalid UTF-8,
 * NUL and control bytes, collapsing, truncation, edit distance, lexicon
 * corrections (domain only, keep words untouched, short-word rule). */
#include <stdlib.h>
#include <unistd.h>
#include "engine/lex.h"
#include "engine/norm.h"
#include "t.h"

static const char *
n(const char *in, size_t len)
{
	static char out[256];

	norm_text(in, len, out, sizeof out);
	return out;
}

#define N(s) n(s, strlen(s))

int
main(void)
{
	char out[8], buf[256], dir[] = "/tmp/slate-test-XXXXXX";
	struct eng_corr corr[4];
	struct lex *lx;
	char err[512];
	int k;

	CHECK_STR(N("What does a Co-Producer DO??"),
	    "what does a co-producer do?");
	CHECK_STR(N("  lots   of\t\nspace  "), "lots of space");
	CHECK_STR(N("it\xe2\x80\x99s the producer\xe2\x80\x99s call"),
	    "it's the producer's call");
	CHECK_STR(N("co\xe2\x80\x93producer"), "co-producer");
	CHECK_STR(N("th\xc3\xa9\xc3\xa2tre"), "theatre");
	CHECK_STR(N("\xe2\x80\x9cquoted\xe2\x80\x9d"), "\"quoted\"");
	CHECK_STR(N("wow!!!!!! ......"), "wow! .");
	/* invalid UTF-8, a lone continuation byte, a truncated sequence */
	CHECK_STR(N("a\xff" "b\x80" "c\xe2\x80"), "a b c");
	/* an overlong encoding of '/' must not become '/' */
	CHECK_STR(N("x\xc0\xaf" "y"), "x y");
	CHECK_STR(n("ab\0cd", 5), "ab cd");
	CHECK_STR(N("\x01\x02\x7f"), "");
	CHECK_STR(N(""), "");
	norm_text("abcdefghijkl", 12, out, sizeof out);
	CHECK_STR(out, "abcdefg");
	CHECK(norm_text("x", 1, out, 0) == 0);
	memset(buf, 'a', sizeof buf);
	CHECK(norm_text(buf, sizeof buf, out, sizeof out) == 7);

	CHECK(norm_distance("producer", 8, "producer", 8, 2) == 0);
	CHECK(norm_distance("prodcuer", 8, "producer", 8, 2) == 1);
	CHECK(norm_distance("exectuive", 9, "executive", 9, 2) == 1);
	CHECK(norm_distance("assosiate", 9, "associate", 9, 2) == 1);
	CHECK(norm_distance("cat", 3, "producer", 8, 2) == 3);
	CHECK(norm_distance("", 0, "ab", 2, 2) == 2);

	if (mkdtemp(dir) == NULL)
		return 2;
	lx = lex_load(t_file(dir, "lex.txt", "# c\n[domain]\nproducer\n"
	    "associate\nexecutive\nline\n[keep]\nproduced\nlike\n"), err,
	    sizeof err);
	CHECK(lx != NULL);
	if (lx) {
		strcpy(buf, "an assosiate prodcuer");
		k = lex_correct(lx, buf, sizeof buf, corr, 4);
		CHECK(k == 2);
		CHECK_STR(buf, "an associate producer");
		CHECK_STR(corr[0].from, "assosiate");
		CHECK_STR(corr[0].to, "associate");
		strcpy(buf, "they produced it, like a line");
		CHECK(lex_correct(lx, buf, sizeof buf, corr, 4) == 0);
		CHECK_STR(buf, "they produced it, like a line");
		strcpy(buf, "a lin producer");
		CHECK(lex_correct(lx, buf, sizeof buf, corr, 4) == 1);
		CHECK_STR(buf, "a line producer");
		/* short words are left alone unless they modify "producer" */
		strcpy(buf, "a lin of text");
		CHECK(lex_correct(lx, buf, sizeof buf, corr, 4) == 0);
		/* no room to grow: left alone rather than truncated */
		strcpy(buf, "lin producer");
		CHECK(lex_correct(lx, buf, 13, corr, 4) == 0);
		lex_free(lx);
	}
	CHECK(lex_load(t_file(dir, "bad.txt", "[domain]\nTwo Words\n"), err,
	    sizeof err) == NULL);
	CHECK(strstr(err, "bad.txt:2:") != NULL);
	CHECK(lex_load(t_file(dir, "none.txt", "word\n"), err,
	    sizeof err) == NULL);
	CHECK(lex_load(t_file(dir, "empty.txt", ""), err, sizeof err) ==
	    NULL);
	T_DONE();
}
