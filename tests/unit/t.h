/* t.h - the unit tests' helper, in libuv's shape: one function per case
 * (TEST_IMPL), a registry of cases (TEST_LIST), and checks that print both
 * values with file:line when they fail.
 *
 *	TEST_IMPL(norm_case_folding) { ASSERT_STR_EQ(f("A"), "a"); }
 *	TEST_LIST(TEST_ENTRY(norm_case_folding) TEST_ENTRY(...))
 *
 * TEST_LIST defines main(): with no arguments every case runs, each in a
 * child process of its own with a time limit, so that a crash or a hang in
 * one case is reported under its name and the others still run; with
 * names, only those run (in this process, handy under gdb); `-l` lists
 * them.  A failed check does not stop its case: every failure is printed,
 * then the case fails. */
#ifndef SLATE_T_H
#define SLATE_T_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define T_TIMEOUT 60    /* seconds one case may take */

struct t_case {
	const char *name;
	void (*fn)(void);
};

static int t_failed;

#define TEST_IMPL(name) static void test_##name(void)
#define TEST_ENTRY(name) { #name, test_##name },

#define T_FAIL(...) do { fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); t_failed++; } \
	while (0)
#define ASSERT(cond) do { if (!(cond)) T_FAIL("ASSERT(%s) failed", #cond); } \
	while (0)
/* Integers of any width, printed as long long. */
#define T_CMP(a, op, b) do { long long a_ = (long long)(a), \
	b_ = (long long)(b); if (!(a_ op b_)) T_FAIL("%s %s %s: %lld %s %lld " \
	"is false", #a, #op, #b, a_, #op, b_); } while (0)
#define ASSERT_EQ(a, b) T_CMP(a, ==, b)
#define ASSERT_NE(a, b) T_CMP(a, !=, b)
#define ASSERT_LT(a, b) T_CMP(a, <, b)
#define ASSERT_LE(a, b) T_CMP(a, <=, b)
#define ASSERT_GT(a, b) T_CMP(a, >, b)
#define ASSERT_GE(a, b) T_CMP(a, >=, b)
#define ASSERT_OK(a) T_CMP(a, ==, 0)
#define ASSERT_NULL(p) do { const void *p_ = (p); if (p_ != NULL) \
	T_FAIL("%s is not NULL", #p); } while (0)
#define ASSERT_NOT_NULL(p) do { const void *p_ = (p); if (p_ == NULL) \
	T_FAIL("%s is NULL", #p); } while (0)
#define ASSERT_STR_EQ(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) T_FAIL("%s == %s: " \
	"\"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } \
	while (0)
/* haystack contains needle */
#define ASSERT_STR_HAS(h, n) do { const char *h_ = (h), *n_ = (n); \
	if (h_ == NULL || strstr(h_, n_) == NULL) T_FAIL("%s has %s: \"%s\" " \
	"lacks \"%s\"", #h, #n, h_ ? h_ : "(null)", n_); } while (0)
#define ASSERT_STR_LACKS(h, n) do { const char *h_ = (h), *n_ = (n); \
	if (h_ != NULL && strstr(h_, n_) != NULL) T_FAIL("%s lacks %s: \"%s\" " \
	"has \"%s\"", #h, #n, h_, n_); } while (0)

/* The checks of the older tests, kept so they read the same. */
#define CHECK(cond) ASSERT(cond)
#define CHECK_STR(a, b) ASSERT_STR_EQ(a, b)
#define T_DONE() do { if (t_failed) fprintf(stderr, "%d check(s) failed\n", \
	t_failed); else printf("ok\n"); return t_failed ? 1 : 0; } while (0)

/* Write text to a fresh temporary file and return its path (static). */
static inline const char *
t_file(const char *dir, const char *name, const char *text)
{
	static char path[4096];
	FILE *f;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
	    sizeof path) {
		fprintf(stderr, "t_file: path too long\n");
		exit(2);
	}
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* Run one case in a child with a time limit; 0 when it passed. */
static inline int
t_run_forked(const struct t_case *c)
{
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		alarm(T_TIMEOUT);
		t_failed = 0;
		c->fn();
		fflush(NULL);
		_exit(t_failed ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "%s: killed by signal %d%s\n", c->name,
		    WTERMSIG(status), WTERMSIG(status) == SIGALRM ?
		    " (time limit)" : "");
		return 1;
	}
	return WEXITSTATUS(status) != 0;
}

static inline int
t_main(const struct t_case *cases, int argc, char **argv)
{
	int i, j, n = 0, failed = 0;

	for (i = 0; cases[i].name != NULL; i++)
		n++;
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < n; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	if (argc > 1) {
		for (j = 1; j < argc; j++) {
			for (i = 0; i < n && strcmp(cases[i].name, argv[j]); i++)
				;
			if (i == n) {
				fprintf(stderr, "no case named %s\n", argv[j]);
				return 2;
			}
			t_failed = 0;
			cases[i].fn();
			printf("%s %s\n", t_failed ? "not ok" : "ok",
			    cases[i].name);
			failed += t_failed != 0;
		}
		return failed ? 1 : 0;
	}
	for (i = 0; i < n; i++) {
		int bad = t_run_forked(&cases[i]);

		printf("%s %d - %s\n", bad ? "not ok" : "ok", i + 1,
		    cases[i].name);
		failed += bad;
	}
	printf("%d of %d cases passed\n", n - failed, n);
	return failed ? 1 : 0;
}

#define TEST_LIST(...) \
	static const struct t_case t_cases[] = { __VA_ARGS__ { NULL, NULL } }; \
	int main(int argc, char **argv) { return t_main(t_cases, argc, argv); }

#endif
