/* fuzz_load.c - the knowledge and pattern loaders.  The first byte picks
 * the target: even, the rest is a role file loaded next to the shipped
 * sources.json; odd, the rest is a pattern file, and if it loads, its
 * sections are matched against the input itself, and against the input
 * normalised as a question is, where the prefilter (pat_match_text) must
 * give pat_match()'s answer.  Either way the loader must accept or reject
 * the file without crashing or leaking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine/idx.h"
#include "engine/kb.h"
#include "engine/norm.h"
#include "engine/pat.h"

static char dir[64];

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void
put(const char *path, const unsigned char *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char q[4096];    /* a question, normalised */
	char path[128], err[1024], src[256];
	size_t s, e;
	int i;

	if (dir[0] == '\0') {
		FILE *in, *out;
		int c;

		snprintf(dir, sizeof dir, "/tmp/slate-fuzz-XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof path, "%s/roles", dir);
		mkdir(path, 0700);
		snprintf(src, sizeof src, "%s/knowledge/sources.json",
		    SLATE_SOURCE_DIR);
		snprintf(path, sizeof path, "%s/sources.json", dir);
		if ((in = fopen(src, "rb")) == NULL ||
		    (out = fopen(path, "wb")) == NULL)
			abort();
		while ((c = fgetc(in)) != EOF)
			fputc(c, out);
		fclose(in);
		fclose(out);
	}
	if (size < 1)
		return 0;
	if ((data[0] & 1) == 0) {
		struct kb *kb;
		struct idx *ix;
		struct idx_hit hits[4];

		snprintf(path, sizeof path, "%s/roles/x.json", dir);
		put(path, data + 1, size - 1);
		if ((kb = kb_load(dir, err, sizeof err)) != NULL) {
			if ((ix = idx_build(kb, err, sizeof err)) != NULL)
				idx_search(ix, "budget music credit", hits, 4);
			idx_free(ix);
			kb_free(kb);
		}
	} else {
		struct pat_set *ps;

		snprintf(path, sizeof path, "%s/p.txt", dir);
		put(path, data + 1, size - 1);
		if ((ps = pat_load(path, err, sizeof err)) != NULL) {
			struct pfx_text pt;
			size_t n = norm_text((const char *)data, size, q,
			    sizeof q), s2, e2;

			pfx_text_init(&pt, q, n);
			for (i = 0; i < pat_count(ps); i++) {
				int r1, r2;

				pat_match(ps, i, (const char *)data, size, 0,
				    &s, &e);
				r1 = pat_match(ps, i, q, n, 0, &s, &e);
				r2 = pat_match_text(ps, i, &pt, n, 0, &s2,
				    &e2);
				if (r1 != r2 || (r1 && (s != s2 || e != e2)))
					abort();
			}
			pat_free(ps);
		}
	}
	return 0;
}
