/* file.h - a whole file read into memory, for the loaders. */
#ifndef SLATE_FILE_H
#define SLATE_FILE_H

#include <stddef.h>

/* The file's bytes, NUL-terminated, malloc'd, its length in *len; NULL
 * (errno set) when it cannot be opened or read or is over max bytes. */
char *file_read(const char *path, size_t max, size_t *len);

#endif
