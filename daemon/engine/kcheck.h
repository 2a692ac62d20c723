/* kcheck.h - a knowledge directory checked against the schema (schema.h)
 * before kb_load() loads it: every file read, every error of every file
 * reported at once (an unknown key with "did you mean", a name not in its
 * list, a missing field), so that an author fixes them in one go. */
#ifndef SLATE_KCHECK_H
#define SLATE_KCHECK_H

#include <stddef.h>

/* Check dir/sources.json, dir/roles/ *.json and dir/topics.json (when
 * there is one); every error into err (diag.h), one a line.  0 when there
 * is none, else the number of errors. */
int kcheck_dir(const char *dir, char *err, size_t errlen);

#endif
