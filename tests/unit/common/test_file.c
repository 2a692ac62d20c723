/* test_file.c - a file read whole.
 * Exercises: bytes and length as written (NUL bytes kept, text
 * NUL-terminated), an empty file, a file over the limit (EFBIG), a missing
 * file. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "common/file.h"
#include "t.h"

static char dir[] = "/tmp/slate-test-XXXXXX";

/* Write n bytes to dir/name; its path. */
static const char *
put(const char *name, const char *b, size_t n)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(b, 1, n, f) != n)
		exit(2);
	fclose(f);
	return path;
}

TEST_IMPL(file_read_whole)
{
	size_t len = 99;
	char *b;

	if (mkdtemp(dir) == NULL)
		exit(2);
	b = file_read(put("x", "ab\0cd", 5), 100, &len);
	ASSERT_NOT_NULL(b);
	ASSERT_EQ(len, 5);
	if (b) {
		ASSERT_EQ(memcmp(b, "ab\0cd", 6), 0);   /* and the NUL after */
		free(b);
	}
	b = file_read(put("empty", "", 0), 100, &len);
	ASSERT_NOT_NULL(b);
	ASSERT_EQ(len, 0);
	if (b)
		ASSERT_STR_EQ(b, "");
	free(b);
}

TEST_IMPL(file_read_refused)
{
	size_t len;

	if (mkdtemp(dir) == NULL)
		exit(2);
	errno = 0;
	ASSERT_NULL(file_read(put("big", "0123456789", 10), 9, &len));
	ASSERT_EQ(errno, EFBIG);
	ASSERT_NULL(file_read("/nonexistent/x", 100, &len));
}

TEST_LIST(
	TEST_ENTRY(file_read_whole)
	TEST_ENTRY(file_read_refused)
)
