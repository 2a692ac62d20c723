/* t.h - the smallest test helper that reports file:line on failure. */
#ifndef SLATE_T_H
#define SLATE_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed;

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: CHECK(%s) " \
	"failed\n", __FILE__, __LINE__, #cond); t_failed++; } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) { fprintf(stderr, \
	"%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_ ? a_ : "(null)", \
	b_ ? b_ : "(null)"); t_failed++; } } while (0)
#define T_DONE() do { if (t_failed) fprintf(stderr, "%d check(s) failed\n", \
	t_failed); else printf("ok\n"); return t_failed ? 1 : 0; } while (0)

/* Write text to a fresh temporary file and return its path (static). */
static inline const char *
t_file(const char *dir, const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

#endif
