/* fuzz_ask.c - the engine's ask path.  The input is split at newlines into
 * turns of one conversation, so slot and follow-up state is carried across
 * inputs; every reply is also turned into JSON, as the daemon does. */
#include <stdlib.h>
#include <string.h>
#include "engine/eng.h"


static struct eng *e;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct eng_reply r;
	struct eng_state st, back;
	const char *p = (const char *)data, *end = p + size, *nl;
	char err[1024];
	json_t *j;

	if (e == NULL && (e = eng_load(SLATE_SOURCE_DIR "/knowledge",
	    SLATE_SOURCE_DIR "/patterns", err, sizeof err)) == NULL)
		abort();
	eng_state_init(&st);
	while (p <= end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		eng_ask(e, &st, p, (size_t)(nl - p), &r);
		if (strlen(r.text) >= sizeof r.text)
			abort();
		j = eng_reply_json(&r);
		free(json_dumps(j, 0));
		json_decref(j);
		/* the stored state must read back as it was written */
		j = eng_state_to_json(&st);
		if (eng_state_from_json(&back, j) != 0 ||
		    !eng_state_equal(&back, &st))
			abort();
		json_decref(j);
		p = nl + 1;
	}
	return 0;
}
